"""Stopping a scan from outside: a signal (Ctrl-C, SIGTERM) or the `--timeout` deadline.

Both arrive as exceptions raised in the main process wherever it happens to be, even blocked on a
pipe from git or a worker, so that the `finally` blocks on the way out stop the workers and their
git processes. They derive from `BaseException`, like `KeyboardInterrupt`, so that no
`except Exception` on the way (a unit's error handling) can swallow them and scan on.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


class Interrupted(KeyboardInterrupt):
    """A signal asked the scan to stop: no report is written, the exit code is 2."""

    def __init__(self, signal_name: str) -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name


class ScanTimeout(BaseException):
    """The `--timeout` deadline passed: what was not scanned by then is reported as such."""


# SIGINT already raises KeyboardInterrupt; these are the other ways to be told to stop.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _raise_interrupted(number: int, _frame: FrameType | None) -> None:
    raise Interrupted(signal.Signals(number).name)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise `Interrupted` instead of killing the process on the spot."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _raise_interrupted) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _raise_timeout(_number: int, _frame: FrameType | None) -> None:
    raise ScanTimeout


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise `ScanTimeout` in the main thread once `seconds` have passed (None: never)."""
    if seconds is None:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("a scan deadline needs the main thread (it uses SIGALRM)")
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def reset_in_worker() -> None:
    """In a forked worker: Ctrl-C is the parent's to handle; SIGTERM ends the worker through
    its `finally` blocks (closing its git process), not on the spot."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, _exit_worker)
    signal.signal(signal.SIGHUP, _exit_worker)


def _exit_worker(number: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + number)
