"""Scanning units in worker processes, failing closed when a worker does.

Workers are forked after the detector is built, so they share its compiled rules for free, and
each opens its own content reader (its own `git cat-file`): content never passes through the
parent. The parent hands out batches of units over a pipe per worker and waits on the pipes
and on the workers' process sentinels together, so a worker that dies (killed, out of memory)
is noticed at once: the units it held come back as "not scanned" issues that name them, and
the remaining workers carry on. When none is left, the scan stops with a `ScanError`.

Each path has a home worker, which gets its versions: the verdicts a worker remembers are per
path (`leakguard.detectors.verdicts`), and so is the last version it compares the next one with
(`leakguard.detectors.previous_versions`); two workers that each met every version of a file
judged its lines twice (on Amsterdam/mijn-amsterdam-frontend the Dutch rules confirmed 25,886
windows against 16,615 in one process). A new path goes to the worker with the shortest queue,
so that one slowed by a large file (a lock file in 604 versions) gets no new paths until it
catches up. A worker with nothing of its own takes another's units rather than wait, and their
paths move with them.

A worker answers once per batch for the units that held nothing, and at once for a unit with
candidates or issues: on two cores a message per unit woke the parent (and the scheduler)
12,000 times on a history of small files, a fifth of the scan's CPU. When a worker dies, a
shared counter of the units it has begun tells the parent which unit it was scanning (named
as the cause) and which clean results died with it (named as not scanned).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import selectors
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import ForkContext
from multiprocessing.process import BaseProcess
from typing import Any

from leakguard.detectors.recognizers import Rejection
from leakguard.errors import ScanError
from leakguard.interrupts import reset_in_worker
from leakguard.models import Candidate, IssueKind, ScanIssue, ScanStats
from leakguard.scan import UnitResult, UnitScanner
from leakguard.sources import ScanUnit

BATCH = 64
IN_FLIGHT = 2  # batches queued per worker, so none waits for the parent
ROUTED = 4 * BATCH  # units per worker held by the parent for their home worker, at most
PATHS_HOMED = 1 << 16  # paths whose home the router remembers (a few MB at most)
# Test hook (tests/test_hostile_faults.py): cap each worker's address space at its size after
# the fork plus this many bytes, to show that a worker out of memory fails the scan closed.
MEMORY_HEADROOM_VARIABLE = "LEAKGUARD_TEST_WORKER_MEMORY_HEADROOM"


@dataclass
class Worker:
    process: BaseProcess
    connection: Connection
    begun: Any  # shared with the worker: how many units it has started to scan
    pending: deque[ScanUnit] = field(default_factory=deque)  # sent, result not back yet
    waiting: deque[ScanUnit] = field(default_factory=deque)  # routed to it, not sent yet
    answered: int = 0  # units whose result came back

    @classmethod
    def start(
        cls,
        context: ForkContext,
        make_scanner: Callable[[], UnitScanner],
        others: Iterable[Worker] = (),
    ) -> Worker:
        parent_end, child_end = context.Pipe()
        begun = context.RawValue("q", 0)
        # The fork copies the parent's ends of every pipe (this worker's, and those of the
        # workers started before it): the worker closes them, so that a parent that is gone
        # leaves its pipe at end of file instead of open for ever.
        parents_ends = [parent_end, *(worker.connection for worker in others)]
        process = context.Process(
            target=_work,
            args=(make_scanner, child_end, begun, parents_ends, os.getpid()),
            daemon=True,
        )
        process.start()
        child_end.close()
        return cls(process, parent_end, begun)


class WorkerDied(Exception):
    pass


def scan_in_parallel(
    make_scanner: Callable[[], UnitScanner], units: Iterable[ScanUnit], jobs: int
) -> Iterator[UnitResult]:
    """Results of all units, in no particular order; raises `ScanError` if every worker died."""
    context = multiprocessing.get_context("fork")
    workers: list[Worker] = []
    finished = False
    try:
        for _ in range(jobs):
            workers.append(Worker.start(context, make_scanner, workers))
        yield from _dispatch(workers, iter(units))
        finished = True
    finally:
        _stop(workers, gracefully=finished)


def _dispatch(workers: list[Worker], units: Iterator[ScanUnit]) -> Iterator[UnitResult]:
    with selectors.DefaultSelector() as selector:
        for worker in workers:
            selector.register(worker.connection, selectors.EVENT_READ, (worker, "reply"))
            selector.register(worker.process.sentinel, selectors.EVENT_READ, (worker, "exit"))
        yield from _dispatch_with(selector, workers, units)


def _dispatch_with(
    selector: selectors.BaseSelector, workers: list[Worker], units: Iterator[ScanUnit]
) -> Iterator[UnitResult]:
    live = list(workers)
    router = Router(units)
    last_death = ""
    while True:
        # A batch per worker in turn: a scan of a hundred units reaches every worker.
        for _ in range(IN_FLIGHT):
            for worker in list(live):
                if len(worker.pending) > (IN_FLIGHT - 1) * BATCH:
                    continue
                batch = router.batch_for(worker, live)
                if not batch:
                    continue
                worker.pending.extend(batch)
                try:
                    send(worker.connection, [tuple(unit) for unit in batch])
                except OSError:
                    selector.unregister(worker.connection)
                    selector.unregister(worker.process.sentinel)
                    live.remove(worker)
                    router.reroute(worker, live)
                    last_death = _death(worker)
                    yield from _lost(worker, last_death)
        if router.exhausted and not any(worker.pending or worker.waiting for worker in live):
            return
        if not live:
            raise ScanError(
                f"every scan worker died (the last {last_death}); the scan is incomplete. "
                "Run again, or with --jobs 1 to rule out memory limits."
            )
        # One selector for the whole scan: `multiprocessing.connection.wait` builds one per
        # call, which cost the parent more than a worker spends on a small file.
        ready = [key.data for key, _ in selector.select()]
        dead = [worker for worker, what in ready if what == "exit"]
        for worker, what in ready:
            if what != "reply" or worker in dead or not worker.pending:
                continue
            try:
                yield from _replies(worker)
            except WorkerDied:
                dead.append(worker)
        for worker in dead:
            with contextlib.suppress(KeyError, ValueError):
                selector.unregister(worker.connection)
            with contextlib.suppress(KeyError, ValueError):
                selector.unregister(worker.process.sentinel)
            # Take what it finished before it died, then report the rest as not scanned.
            with contextlib.suppress(WorkerDied):
                while worker.pending and worker.connection.poll():
                    yield from _replies(worker)
            live.remove(worker)
            router.reroute(worker, live)
            last_death = _death(worker)
            yield from _lost(worker, last_death)


class Router:
    """Takes units from the source for the workers, each to its path's home worker, at most
    `ROUTED` a worker ahead of what was sent.

    Homes are where versions went before, not a hash of the path: a hash gave the worker with
    Amsterdam/mijn-amsterdam-frontend's `package-lock.json` as many other paths as the other
    worker, and the units it passed on while behind split 957 of the 3,546 paths between the
    two (the Dutch rules judged 22,340 windows, one worker alone 16,368). Now 383 paths are
    split, 17,328 windows judged, and -j2 took 7.59 -> 6.71 s there (median of 8), 5.35 ->
    4.88 s on Amsterdam/signals-frontend, side by side."""

    def __init__(self, units: Iterator[ScanUnit]) -> None:
        self._units = units
        self.exhausted = False
        self._homes: dict[str, Worker] = {}

    def batch_for(self, worker: Worker, live: list[Worker]) -> list[ScanUnit]:
        """Up to `BATCH` units for `worker`: its own, else those of the worker with most."""
        own = worker.waiting
        room = ROUTED * len(live) - sum(len(other.waiting) for other in live)
        while len(own) < BATCH and not self.exhausted and room > 0:
            unit = next(self._units, None)
            if unit is None:
                self.exhausted = True
                break
            self._route(unit, live)
            room -= 1
        if own:
            return [own.popleft() for _ in range(min(BATCH, len(own)))]
        taken = max(live, key=lambda other: len(other.waiting)).waiting
        batch = [taken.popleft() for _ in range(min(BATCH, len(taken)))]
        for unit in batch:
            self._home(unit.path, worker)
        return batch

    def reroute(self, dead: Worker, live: list[Worker]) -> None:
        """The units a dead worker had not been sent go to the others."""
        while dead.waiting and live:
            self._route(dead.waiting.popleft(), live)

    def _route(self, unit: ScanUnit, live: list[Worker]) -> None:
        """A path seen before goes to its home; a new one to the worker with the shortest
        queue (a worker slowed by a large file, a lock file in 604 versions, gets no new paths
        until it catches up)."""
        home = self._homes.get(unit.path)
        if home is None or home not in live:
            home = min(live, key=lambda worker: len(worker.waiting))
            self._home(unit.path, home)
        home.waiting.append(unit)

    def _home(self, path: str, worker: Worker) -> None:
        if len(self._homes) >= PATHS_HOMED and path not in self._homes:
            self._homes.clear()  # bounded: a forgotten path is routed as a new one
        self._homes[path] = worker


def _replies(worker: Worker) -> list[UnitResult]:
    """The results in the worker's next answer: of the next units it was sent, in order, without
    the units themselves (the parent has them: sending them back doubled a small file's cost)."""
    try:
        answers = receive(worker.connection)
    except (EOFError, OSError):
        raise WorkerDied from None
    worker.answered += len(answers)
    return [_result(worker.pending.popleft(), answer) for answer in answers]


# A unit's answer: what it found, or, for the many units that hold nothing, three counts.
# Pickling a `ScanStats` and two empty lists cost the worker 1.7 us and the parent 0.8 us a
# unit; the counts cost a tenth of that.
Answer = tuple[list[Candidate], list[Rejection], ScanStats] | tuple[int, int, int]


def _answer(result: UnitResult) -> Answer:
    stats = result.stats
    if result.candidates or result.rejections or stats.issues or stats.commits:
        return result.candidates, result.rejections, stats
    return stats.fragments, stats.bytes, stats.lines


def _result(unit: ScanUnit, answer: Answer) -> UnitResult:
    if isinstance(answer[2], ScanStats):
        candidates, rejections, stats = answer
        return UnitResult(unit, candidates, rejections, stats)
    fragments, size, lines = answer
    return UnitResult(unit, stats=ScanStats(fragments, size, lines))


def _death(worker: Worker) -> str:
    process = worker.process
    process.join(timeout=1)
    if process.is_alive():
        process.kill()
        process.join()
    code = process.exitcode
    worker.connection.close()
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        hint = ": out of memory?" if name == "SIGKILL" else ""
        return f"scan worker was killed by {name}{hint}"
    return f"scan worker exited unexpectedly (exit code {code})"


def _lost(worker: Worker, death: str) -> Iterator[UnitResult]:
    """Every unit the worker held, as not scanned: first the one it was scanning when it died
    (the likely cause: a blob too large for memory), then the ones whose results died with it,
    then the ones it had not begun."""
    held = list(worker.pending)
    worker.pending.clear()
    begun = min(max(worker.begun.value - worker.answered, 0), len(held))
    described = [(unit, "while scanning it") for unit in held[begun - 1 : begun]]
    described += [(unit, "before sending its result") for unit in held[: max(begun - 1, 0)]]
    described += [(unit, "before scanning it") for unit in held[begun:]]
    for unit, when in described:
        commit = unit.commit.sha if unit.commit else None
        issue = ScanIssue(IssueKind.WORKER_FAILED, unit.path, f"the {death} {when}", commit)
        yield UnitResult(unit, stats=ScanStats(issues=[issue]))


def _stop(workers: list[Worker], *, gracefully: bool) -> None:
    """Done: tell the workers to finish. Stopped early: terminate them at once (SIGTERM runs
    their `finally` blocks, which close their git processes)."""
    for worker in workers:
        with contextlib.suppress(OSError, ValueError):
            if gracefully:
                send(worker.connection, None)
            else:
                worker.process.terminate()
    for worker in workers:
        worker.process.join(timeout=5 if gracefully else 2)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.connection.close()


def _work(
    make_scanner: Callable[[], UnitScanner],
    connection: Connection,
    begun: Any,
    parents_ends: list[Connection],
    parent: int,
) -> None:
    for end in parents_ends:
        end.close()
    reset_in_worker()
    stop_with_parent(parent)
    _limit_memory_for_tests()
    scanner = make_scanner()
    try:
        while True:
            fields = receive(connection)
            if fields is None:
                return
            # Units travel as plain tuples: pickling a batch of 64 named ones took 155 us in
            # the parent (each tuple's class named again), as tuples 29 us.
            batch = [ScanUnit._make(unit) for unit in fields]
            # `scan` turns every error of a unit into an issue naming it; anything else
            # (a result that cannot be sent) ends the worker, and the parent reports its units.
            scanner.reader.prefetch(batch)
            answers: list[Answer] = []
            for unit in batch:
                begun.value += 1
                result = scanner.scan(unit)
                answers.append(_answer(result))
                if result.candidates or result.rejections or result.stats.issues:
                    # What a unit found goes out at once: a scan stopped later in the batch
                    # (its timeout, this worker killed) still reports it.
                    send(connection, answers)
                    answers = []
            if answers:
                send(connection, answers)
    except (EOFError, OSError):
        return
    finally:
        scanner.reader.close()


def stop_with_parent(parent: int) -> None:
    """Linux: SIGTERM this worker when the parent dies without stopping it (SIGKILL, the OOM
    killer); the worker then ends through its `finally` blocks, closing its git process. A
    worker blocked on git (a FIFO in the repository, say) would otherwise run on for ever,
    holding the pipes of whoever started the scan. Elsewhere the closed pipe ends a worker
    at its next batch."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the request took effect
        raise SystemExit(128 + signal.SIGTERM)


PR_SET_PDEATHSIG = 1


def send(connection: Connection, message: object) -> None:
    """`Connection.send` with plain pickle: multiprocessing's pickler copies the copyreg table
    for every message (9 us against 4 for a small result)."""
    connection.send_bytes(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))


def receive(connection: Connection) -> Any:
    # The other end is our own forked process on a private pipe, as with `Connection.recv`.
    return pickle.loads(connection.recv_bytes())  # noqa: S301


def _limit_memory_for_tests() -> None:
    headroom = os.environ.get(MEMORY_HEADROOM_VARIABLE)
    if not headroom:
        return
    import resource

    with open("/proc/self/statm") as statm:
        size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = size + int(headroom)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
