"""Scanning units in worker processes, failing closed when a worker does.

Workers are forked after the detector is built, so they share its compiled rules for free, and
each opens its own content reader (its own `git cat-file`): content never passes through the
parent. The parent hands out small batches of units over a pipe per worker and waits on the
pipes and on the workers' process sentinels together, so a worker that dies (killed, out of
memory) is noticed at once: the units it held come back as "not scanned" issues that name them,
and the remaining workers carry on. When none is left, the scan stops with a `ScanError`.
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
from itertools import islice
from multiprocessing.connection import Connection
from multiprocessing.context import ForkContext
from multiprocessing.process import BaseProcess
from typing import Any

from leakguard.errors import ScanError
from leakguard.interrupts import reset_in_worker
from leakguard.models import IssueKind, ScanIssue, ScanStats
from leakguard.scan import UnitResult, UnitScanner
from leakguard.sources import ScanUnit

BATCH = 16
IN_FLIGHT = 2  # batches queued per worker, so none waits for the parent
# Test hook (tests/test_hostile_faults.py): cap each worker's address space at its size after
# the fork plus this many bytes, to show that a worker out of memory fails the scan closed.
MEMORY_HEADROOM_VARIABLE = "LEAKGUARD_TEST_WORKER_MEMORY_HEADROOM"


@dataclass
class Worker:
    process: BaseProcess
    connection: Connection
    pending: deque[ScanUnit] = field(default_factory=deque)  # sent, result not back yet

    @classmethod
    def start(cls, context: ForkContext, make_scanner: Callable[[], UnitScanner]) -> Worker:
        parent_end, child_end = context.Pipe()
        process = context.Process(target=_work, args=(make_scanner, child_end), daemon=True)
        process.start()
        child_end.close()
        return cls(process, parent_end)


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
            workers.append(Worker.start(context, make_scanner))
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
    exhausted = False
    last_death = ""
    while True:
        for worker in list(live):
            while not exhausted and len(worker.pending) <= (IN_FLIGHT - 1) * BATCH:
                batch = list(islice(units, BATCH))
                if not batch:
                    exhausted = True
                    break
                worker.pending.extend(batch)
                try:
                    send(worker.connection, batch)
                except OSError:
                    selector.unregister(worker.connection)
                    selector.unregister(worker.process.sentinel)
                    live.remove(worker)
                    last_death = _death(worker)
                    yield from _lost(worker, last_death)
                    break
        if exhausted and not any(worker.pending for worker in live):
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
                yield _reply(worker)  # one at a time: the persistent selector makes that cheap
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
                    yield _reply(worker)
            live.remove(worker)
            last_death = _death(worker)
            yield from _lost(worker, last_death)


def _reply(worker: Worker) -> UnitResult:
    """The next result; workers answer unit by unit, in the order they were sent, without the
    unit itself (the parent has it: sending it back doubled the cost of a small file)."""
    try:
        candidates, rejections, stats = receive(worker.connection)
    except (EOFError, OSError):
        raise WorkerDied from None
    return UnitResult(worker.pending.popleft(), candidates, rejections, stats)


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
    while worker.pending:
        unit = worker.pending.popleft()
        commit = unit.commit.sha if unit.commit else None
        issue = ScanIssue(IssueKind.WORKER_FAILED, unit.path, f"the {death}", commit)
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


def _work(make_scanner: Callable[[], UnitScanner], connection: Connection) -> None:
    reset_in_worker()
    _limit_memory_for_tests()
    scanner = make_scanner()
    try:
        while True:
            batch = receive(connection)
            if batch is None:
                return
            # `scan` turns every error of a unit into an issue naming it; anything else
            # (a result that cannot be sent) ends the worker, and the parent reports its units.
            # One message per unit: a worker stopped mid-batch loses only the unit it was on.
            scanner.reader.prefetch(batch)
            for unit in batch:
                result = scanner.scan(unit)
                send(connection, (result.candidates, result.rejections, result.stats))
    except (EOFError, OSError):
        return
    finally:
        scanner.reader.close()


def send(connection: Connection, message: object) -> None:
    """`Connection.send` with plain pickle: its own pickler copies the copyreg table at every
    message, which for one message per unit cost a worker more than reading a small file."""
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
