"""Helpers for the hostile-input tests: repositories that make git block, and process trees."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import GitRepo, Result, leakguard

# Enough units that the scan forks worker processes (pipeline.PARALLEL_THRESHOLD is 32).
MANY = 40
# A scan still running after this long is taken to hang. A guard that turns a hang into a
# failure, never a speed check: speed is measured in benchmarks/, against a baseline.
HANG_GUARD_SECONDS = 120


def stuck_repo(repo: GitRepo, extra: dict[str, str] | None = None) -> Path:
    """A repository whose blob `stuck.txt` is stored as a FIFO: git blocks reading it, for ever.

    A hostile repository can do this; here it makes "the middle of a scan" a moment a test can
    wait for. Returns the FIFO (see `release`).
    """
    files = {f"file{index:02d}.txt": f"line {index}\n" for index in range(MANY)}
    repo.commit("files", **files, **(extra or {}), **{"stuck.txt": "never read\n"})
    blob = repo.git("rev-parse", "HEAD:stuck.txt")
    loose = repo.path / ".git" / "objects" / blob[:2] / blob[2:]
    loose.unlink()
    os.mkfifo(loose)
    return loose


def release(fifo: Path) -> None:
    """Let whatever still blocks on the FIFO go (it reads an empty, invalid object and ends)."""
    with contextlib.suppress(OSError):
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def start(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """leakguard as a background process in its own session (so a test can signal the group)."""
    return subprocess.Popen(
        [sys.executable, "-m", "leakguard", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
        # As from a terminal: a suite run as a background job of a script (`pytest &`) starts
        # with Ctrl-C ignored, which every process it starts would inherit.
        preexec_fn=_ctrl_c_as_from_a_terminal,
    )


def _ctrl_c_as_from_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def leakguard_unless_hung(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
) -> Result:
    """`conftest.leakguard`, except that a scan that hangs is killed and fails the test."""
    try:
        return leakguard(*args, cwd=cwd, stdin=stdin, env=env, timeout=HANG_GUARD_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"leakguard {' '.join(args)} hung: still running after {HANG_GUARD_SECONDS} s")


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: parse after the last ')'.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def descendants(pid: int) -> list[int]:
    found = []
    for child in children(pid):
        found.append(child)
        found.extend(descendants(child))
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wchan(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return ""


def blocked_on_fifo(pid: int) -> bool:
    return wchan(pid) == "wait_for_partner"


def blocked_reading_a_pipe(pid: int) -> bool:
    """Waiting in a read of a pipe (`anon_pipe_read` on recent kernels, `pipe_read` before)."""
    return "pipe_read" in wchan(pid)


def wait_until(condition: Callable[[], bool]) -> None:
    """Wait for a state of the scan's processes; one never reached fails after the hang guard."""
    deadline = time.monotonic() + HANG_GUARD_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the scan to reach the expected state")
        time.sleep(0.05)


@contextlib.contextmanager
def cleaned_up(process: subprocess.Popen[str], fifo: Path | None = None) -> Iterator[None]:
    """Whatever happens in the test, leave no process of it behind, and never hang the suite."""
    try:
        yield
    finally:
        if process.poll() is None:
            process.kill()
        if fifo is not None:
            release(fifo)
        try:
            process.communicate(timeout=HANG_GUARD_SECONDS)
        except subprocess.TimeoutExpired:
            # A process of the scan outlived it and holds its pipes: a failure, not a hang.
            os.killpg(process.pid, signal.SIGKILL)  # `start` gave the scan its own session
            process.communicate()
            raise


@contextlib.contextmanager
def shared_directory() -> Iterator[Path]:
    """A directory another user can enter (pytest's tmp_path is private to root)."""
    directory = Path(tempfile.mkdtemp(prefix="leakguard-hostile-"))
    directory.chmod(0o755)
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def as_nobody(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """leakguard run as the unprivileged user `nobody` (tests run as root, who reads anything)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run as another user")
    home.mkdir(exist_ok=True)
    home.chmod(0o777)
    setpriv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / "cache"),
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return subprocess.run(
        [*setpriv, sys.executable, "-m", "leakguard", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def fast_import(
    repo: Path,
    files: Iterator[tuple[str, bytes]],
    *,
    branch: str = "main",
    message: str = "generated",
    when: int = 1_700_000_000,
) -> None:
    """One commit of `files` (path, content) on `branch`, written by `git fast-import` in a single
    process: tens of thousands of files in seconds."""
    process = subprocess.Popen(
        ["git", "-C", str(repo), "fast-import", "--quiet"], stdin=subprocess.PIPE
    )
    assert process.stdin is not None
    header = f"commit refs/heads/{branch}\ncommitter Generator <gen@example.invalid> {when} +0000\n"
    process.stdin.write(header.encode() + b"data %d\n%s\n" % (len(message), message.encode()))
    for path, content in files:
        process.stdin.write(
            b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(content), content)
        )
    process.stdin.close()
    assert process.wait() == 0
