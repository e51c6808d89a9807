"""Never pass by accident: each way a scan can fail to read something is injected for real, and
each must end in exit 2 naming what was not scanned (or, with --allow-partial, in a report that
still lists it)."""

from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from leakguard.config import Config
from leakguard.detectors.engine import Detector
from leakguard.errors import GitError
from leakguard.filters import FilterChain
from leakguard.models import IssueKind, Origin, ScanIssue
from leakguard.pipeline import ScanRequest, run_scan
from leakguard.scan import UnitScanner
from leakguard.sources import ScanUnit
from leakguard.sources.files import FileContent, WorkingFiles
from leakguard.sources.git import BlobReader, open_repository

from conftest import GitRepo, fake_github_token, leakguard
from hostile import (
    HANG_GUARD_SECONDS,
    MANY,
    alive,
    as_nobody,
    blocked_on_fifo,
    blocked_reading_a_pipe,
    children,
    cleaned_up,
    command_line,
    descendants,
    leakguard_unless_hung,
    release,
    shared_directory,
    start,
    stuck_repo,
    wait_until,
)


def incomplete_issues(result_json: dict) -> list[dict]:
    return [issue for issue in result_json["summary"]["issues"] if issue["incomplete"]]


# --- a blob git cannot produce ---------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_missing_blob_is_exit_2_and_named(repo: GitRepo, jobs: str) -> None:
    files = {f"f{index}.txt": f"{index}\n" for index in range(MANY)}
    repo.commit("files", **files, **{"gone.txt": "lost content\n"})
    blob = repo.git("rev-parse", "HEAD:gone.txt")
    (repo.path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()

    result = leakguard("git", str(repo.path), "--format", "json", "--jobs", jobs)

    assert result.code == 2
    [issue] = incomplete_issues(result.json())
    assert (issue["kind"], issue["path"]) == ("git-error", "gone.txt")
    assert blob in issue["detail"]
    assert "gone.txt" in result.stderr


def test_cat_file_killed_between_objects_is_replaced(repo: GitRepo) -> None:
    repo.commit("two", **{"a.txt": "first\n", "b.txt": "second\n"})
    reader = BlobReader(open_repository(repo.path))
    try:
        assert reader.read(repo.git("rev-parse", "HEAD:a.txt")) == b"first\n"
        killed = reader._start()
        killed.kill()
        killed.wait()
        assert reader.read(repo.git("rev-parse", "HEAD:b.txt")) == b"second\n"
        assert reader._start() is not killed
    finally:
        reader.close()


def test_cat_file_killed_with_answers_owed_fails_the_read(repo: GitRepo) -> None:
    repo.commit("two", **{"a.txt": "first\n", "b.txt": "second\n"})
    blobs = [repo.git("rev-parse", f"HEAD:{name}") for name in ("a.txt", "b.txt")]
    reader = BlobReader(open_repository(repo.path))
    try:
        reader.prefetch(blobs)
        killed = reader._start()
        killed.kill()
        killed.wait()
        with pytest.raises(GitError, match="git cat-file"):
            reader.read(blobs[0])
        assert reader.read(blobs[1]) == b"second\n"  # the next read starts afresh
    finally:
        reader.close()


def test_history_listing_that_fails_half_way_keeps_what_it_listed(repo: GitRepo) -> None:
    repo.commit("leak", **{"app.py": f'T = "{fake_github_token("listed")}"\n'})
    repo.commit("later", **{"dir__later.txt": "x\n"})
    tree = repo.git("rev-parse", "HEAD:dir")
    (repo.path / ".git" / "objects" / tree[:2] / tree[2:]).unlink()

    strict = leakguard("git", str(repo.path), "--format", "json")
    partial = leakguard("git", str(repo.path), "--format", "json", "--allow-partial")

    assert strict.code == 2
    [issue] = incomplete_issues(strict.json())
    assert issue["kind"] == "git-error"
    assert "app.py" in issue["detail"]  # the listing stopped after it
    assert partial.code == 1  # the leak found before the failure is reported
    assert not partial.json()["scan"]["complete"]
    assert incomplete_issues(partial.json()) == [issue]
    assert "--allow-partial" in partial.stderr


# --- a worker process that dies, or runs out of memory ---------------------------------------


def test_worker_killed_mid_scan_is_exit_2_naming_its_units(repo: GitRepo) -> None:
    fifo = stuck_repo(repo)
    process = start("git", str(repo.path), "--format", "json", "--jobs", "2")
    with cleaned_up(process, fifo):

        def stuck_worker() -> int | None:
            """The worker waiting for `stuck.txt` from its git, which is blocked on the FIFO.
            Its git blocks as soon as it reaches the blob, which it was asked for with the
            batch: the worker may still be scanning the blobs before it for a while."""
            for worker in children(process.pid):
                gits = children(worker)
                if any(blocked_on_fifo(git) for git in gits) and blocked_reading_a_pipe(worker):
                    return worker
            return None

        wait_until(lambda: stuck_worker() is not None)
        worker = stuck_worker()
        assert worker is not None
        orphans = children(worker)  # its git, blocked on the FIFO, survives a SIGKILL
        os.kill(worker, signal.SIGKILL)
        stdout, stderr = process.communicate(timeout=HANG_GUARD_SECONDS)
        release(fifo)

    assert process.returncode == 2, stderr
    listed = incomplete_issues(json.loads(stdout))
    issues = {i["path"]: i for i in listed}
    assert issues["stuck.txt"]["kind"] == "worker-failed"
    assert "SIGKILL" in issues["stuck.txt"]["detail"]
    # The cause is named first; the clean results that died with the worker are not scanned.
    assert "while scanning it" in issues["stuck.txt"]["detail"]
    assert "first: stuck.txt" in stderr
    others = [i["detail"] for i in listed if i["path"] != "stuck.txt"]
    assert others
    assert all("before sending its result" in d or "before scanning" in d for d in others)
    wait_until(lambda: not any(alive(pid) for pid in orphans))


def test_worker_out_of_memory_is_exit_2_naming_the_blob(repo: GitRepo) -> None:
    files = {f"f{index}.txt": f"{index}\n" for index in range(MANY)}
    repo.commit("files", **files, **{"huge.txt": "word " * 4_000_000})
    env = {"LEAKGUARD_TEST_WORKER_MEMORY_HEADROOM": str(4 << 20)}

    result = leakguard("git", str(repo.path), "--format", "json", "--jobs", "2", env=env)

    assert result.code == 2, result.stderr
    issues = incomplete_issues(result.json())
    assert [i["path"] for i in issues] == ["huge.txt"]
    assert issues[0]["kind"] == "worker-failed"
    assert "memory" in issues[0]["detail"] or "killed" in issues[0]["detail"]


def test_a_detector_error_names_the_unit_and_not_the_content(tmp_path: Path) -> None:
    target = tmp_path / "data.txt"
    value = fake_github_token("in-message")
    target.write_text(f"T = {value}\n")

    class Exploding(Detector):
        def detect(self, fragment, *, explain=False, depth=0):  # type: ignore[override]
            raise ValueError(f"cannot judge {fragment.data.decode()}")

    detector = Exploding(Config().rules(), engine="python")
    scanner = UnitScanner(detector, FileContent())
    result = scanner.scan(ScanUnit(path="data.txt", origin=Origin.FILE, sequence=0, file=target))

    [issue] = result.stats.issues
    assert issue.kind is IssueKind.WORKER_FAILED
    assert "ValueError" in issue.detail
    assert value not in issue.detail
    assert value[:8] not in issue.detail


# --- files that cannot be read -----------------------------------------------------------------


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    with shared_directory() as directory:
        yield directory


def test_permission_denied_is_exit_2_and_named(shared_dir: Path) -> None:
    tree = shared_dir / "tree"
    tree.mkdir()
    (tree / "readable.txt").write_text("hello\n")
    (tree / "private.txt").write_text("secret stuff\n")
    (tree / "private.txt").chmod(0o600)
    for path in (tree, tree / "readable.txt"):
        path.chmod(0o755)

    result = as_nobody("files", str(tree), home=shared_dir / "home")

    assert result.returncode == 2
    assert "private.txt" in result.stdout
    assert "Permission denied" in result.stdout
    assert "private.txt" in result.stderr


def test_fifo_and_socket_in_a_tree_are_named_not_read(tmp_path: Path) -> None:
    import socket

    os.mkfifo(tmp_path / "pipe")
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(tmp_path / "sock"))
        result = leakguard("files", str(tmp_path), "--format", "json")

    assert result.code == 2
    assert {i["path"].rsplit("/", 1)[-1] for i in incomplete_issues(result.json())} == {
        "pipe",
        "sock",
    }


@dataclass
class ChangingFiles(WorkingFiles):
    """Lists files, then changes the tree before any is read: a race with another process."""

    change: dict[str, str] = field(default_factory=dict)

    def units(self) -> Iterator[ScanUnit]:
        listed = list(super().units())
        for name, how in self.change.items():
            path = self.paths[0] / name
            path.unlink()
            if how == "fifo":
                os.mkfifo(path)
        yield from listed


def scan_in_process(source: WorkingFiles, **request: object) -> list[ScanIssue]:
    detector = Detector(Config().rules(), engine="python")
    outcome = run_scan(
        ScanRequest(source=source, detector=detector, filters=FilterChain([]), **request)  # type: ignore[arg-type]
    )
    return [issue for issue in outcome.stats.issues if issue.incomplete]


def test_file_removed_or_swapped_for_a_fifo_after_listing(tmp_path: Path) -> None:
    for name in ("kept.txt", "removed.txt", "swapped.txt"):
        (tmp_path / name).write_text("text\n")
    source = ChangingFiles((tmp_path,), change={"removed.txt": "remove", "swapped.txt": "fifo"})
    # Hang guard: a read that waits for a writer to the FIFO gets one after HANG_GUARD_SECONDS
    # and the test fails, instead of hanging.
    hung: list[bool] = []

    def unblock() -> None:
        hung.append(True)
        release(tmp_path / "swapped.txt")

    guard = threading.Timer(HANG_GUARD_SECONDS, unblock)
    guard.start()
    try:
        issues = scan_in_process(source)
    finally:
        guard.cancel()

    assert not hung, "the scan blocked on the FIFO until the hang guard wrote to it"
    assert sorted((Path(i.path).name, i.kind) for i in issues) == [
        ("removed.txt", IssueKind.UNREADABLE),
        ("swapped.txt", IssueKind.UNREADABLE),
    ]
    [swapped] = [issue for issue in issues if Path(issue.path).name == "swapped.txt"]
    assert "no longer a regular file" in swapped.detail


# --- a timeout ----------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_timeout_is_exit_2_naming_what_was_not_scanned(repo: GitRepo, jobs: str) -> None:
    fifo = stuck_repo(repo, {"leak.py": f'T = "{fake_github_token("before-timeout")}"\n'})
    try:
        # The blob blocks git for ever: only the --timeout can end these scans.
        strict = leakguard_unless_hung(
            "git", str(repo.path), "--timeout", "1.5", "--format", "json", "--jobs", jobs
        )
        partial = leakguard_unless_hung(
            "git", str(repo.path), "--timeout", "1.5", "--allow-partial", "--jobs", jobs
        )
    finally:
        release(fifo)

    assert strict.code == 2
    issues = incomplete_issues(strict.json())
    assert {i["kind"] for i in issues} == {"timeout"}
    assert "stuck.txt" in [i["path"] for i in issues]
    assert all("--timeout" in i["detail"] for i in issues)
    assert [f["location"]["path"] for f in strict.json()["findings"]] == ["leak.py"]
    assert partial.code == 1  # the finding; the timeout is accepted, and still reported
    assert "NOT SCANNED: stuck.txt" in partial.stdout


# --- interrupting a scan -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jobs", "how"),
    [("1", signal.SIGTERM), ("2", signal.SIGTERM), ("2", signal.SIGINT), ("1", signal.SIGHUP)],
)
def test_interrupted_scan_stops_its_processes_and_keeps_the_old_report(
    repo: GitRepo, tmp_path: Path, jobs: str, how: signal.Signals
) -> None:
    fifo = stuck_repo(repo)
    report = tmp_path / "report.json"
    report.write_text('{"previous": "report"}\n')
    process = start("git", str(repo.path), "--format", "json", "-o", str(report), "--jobs", jobs)
    with cleaned_up(process, fifo):
        # Mid-scan: some git process of the scan is blocked reading the FIFO.
        wait_until(lambda: any(blocked_on_fifo(pid) for pid in descendants(process.pid)))
        tree = descendants(process.pid)
        if how == signal.SIGINT:
            os.killpg(process.pid, how)  # Ctrl-C: the terminal signals the whole group
        else:
            os.kill(process.pid, how)  # a CI runner or `kill`: the main process only
        _, stderr = process.communicate(timeout=HANG_GUARD_SECONDS)

    assert process.returncode == 2
    assert "interrupted" in stderr
    assert "no report was written" in stderr
    assert report.read_text() == '{"previous": "report"}\n'
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.json.")]
    wait_until(lambda: not any(alive(pid) for pid in tree))


def test_a_killed_scan_leaves_no_worker_or_git_running(repo: GitRepo) -> None:
    """SIGKILL (the OOM killer, a CI runner giving up) runs no `finally` in the main process:
    its workers must still stop, with their git processes, and not hold its pipes for ever.
    A worker blocked on git (here on a FIFO) never reads its pipe, so only the parent's death
    signal can stop it."""
    fifo = stuck_repo(repo)
    process = start("git", str(repo.path), "--format", "json", "--jobs", "2")
    with cleaned_up(process, fifo):
        wait_until(lambda: any(blocked_on_fifo(pid) for pid in descendants(process.pid)))
        tree = descendants(process.pid)
        assert len([pid for pid in tree if "leakguard" in command_line(pid)]) == 2
        os.kill(process.pid, signal.SIGKILL)
        wait_until(lambda: not any(alive(pid) for pid in tree))
        process.communicate(timeout=HANG_GUARD_SECONDS)  # no process left holds its pipes

    assert process.returncode == -signal.SIGKILL
