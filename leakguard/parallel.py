"""Scanning units in worker processes, failing closed when a worker does.

Workers are forked after the detector is built, so they share its compiled rules for free, and
each opens its own content reader (its own `git cat-file`): content never passes through the
parent. The parent hands out small batches of units over a pipe per worker and waits on the
pipes and on the workers' process sentinels together, so a worker that dies (killed, out of
memory) is noticed at once and ends the scan with an error instead of a silent gap.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from leakguard.errors import ScanError
from leakguard.scan import UnitResult, UnitScanner
from leakguard.sources import ScanUnit

BATCH = 8
IN_FLIGHT = 2  # batches queued per worker, so none waits for the parent


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def scan_in_parallel(
    make_scanner: Callable[[], UnitScanner], units: Iterable[ScanUnit], jobs: int
) -> Iterator[UnitResult]:
    """Results of all units, in no particular order; raises `ScanError` if a worker fails."""
    context = multiprocessing.get_context("fork")
    workers: list[tuple[BaseProcess, Connection]] = []
    try:
        for _ in range(jobs):
            parent_end, child_end = context.Pipe()
            process = context.Process(target=_work, args=(make_scanner, child_end), daemon=True)
            process.start()
            child_end.close()
            workers.append((process, parent_end))
        yield from _dispatch(workers, iter(units))
    finally:
        for _, connection in workers:
            with contextlib.suppress(OSError, ValueError):
                connection.send(None)
            connection.close()
        for process, _ in workers:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()


def _dispatch(
    workers: list[tuple[BaseProcess, Connection]], units: Iterator[ScanUnit]
) -> Iterator[UnitResult]:
    pending: dict[Connection, deque[int]] = {connection: deque() for _, connection in workers}
    by_sentinel = {process.sentinel: process for process, _ in workers}
    exhausted = False
    while True:
        if not exhausted:
            for _, connection in workers:
                while len(pending[connection]) < IN_FLIGHT:
                    batch = list(islice(units, BATCH))
                    if not batch:
                        exhausted = True
                        break
                    connection.send(batch)
                    pending[connection].append(len(batch))
                if exhausted:
                    break
        if exhausted and not any(pending.values()):
            return
        ready = wait([*pending, *by_sentinel])
        for item in ready:
            if isinstance(item, Connection):
                yield from _reply(item, pending)
        for item in ready:
            if item in by_sentinel:
                # A worker only exits when told to: anything else is a crash. Take what it
                # finished, then fail.
                process = by_sentinel[item]
                connection = next(c for p, c in workers if p is process)
                while pending[connection] and connection.poll():
                    yield from _reply(connection, pending)
                raise ScanError(
                    f"a scan worker died (exit code {process.exitcode}); the scan is "
                    "incomplete. Run again, or with --jobs 1 to rule out memory limits."
                )


def _reply(connection: Connection, pending: dict[Connection, deque[int]]) -> list[UnitResult]:
    reply = _receive(connection)
    pending[connection].popleft()
    if isinstance(reply, str):
        raise ScanError(f"a scan worker failed: {reply}")
    return reply


def _receive(connection: Connection) -> list[UnitResult] | str:
    try:
        return connection.recv()
    except (EOFError, OSError) as exc:
        raise ScanError(
            f"lost contact with a scan worker ({exc}); the scan is incomplete"
        ) from None


def _work(make_scanner: Callable[[], UnitScanner], connection: Connection) -> None:
    # The parent handles Ctrl-C and stops the workers; a worker must not die half-way on its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    scanner = make_scanner()
    try:
        while True:
            batch = connection.recv()
            if batch is None:
                return
            try:
                connection.send([scanner.scan(unit) for unit in batch])
            except Exception as exc:
                connection.send(f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}")
    except (EOFError, OSError, KeyboardInterrupt):
        return
    finally:
        scanner.reader.close()
