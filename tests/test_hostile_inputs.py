"""Malformed and extreme input: odd encodings, huge lines, many files, odd repository states,
and encodings nested to blow up. Each case finds what it should, in bounded time and memory."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from leakguard.config import Config
from leakguard.detectors.engine import LONG_LINE_REACH, Detector
from leakguard.detectors.text import FragmentText
from leakguard.models import Fragment, Origin

from conftest import GitRepo, fake_github_token, leakguard
from hostile import HANG_GUARD_SECONDS, fast_import, leakguard_unless_hung


def token_line(seed: str, prefix: str = "T = ") -> str:
    return f'{prefix}"{fake_github_token(seed)}"'


def only_finding(result_json: dict) -> dict:
    [finding] = result_json["findings"]
    return finding


# --- encodings and line endings -----------------------------------------------------------


ENCODED = {
    # name: (content, line, column of the token)
    "invalid-utf8": (b"x\xc3(\xff\n" + token_line("bad-utf8").encode() + b"\n", 2, 6),
    # A UTF-16 byte-order mark in front of plain text must not turn it into CJK and hide it.
    "utf-16-bom-disguise": (b"\xff\xfe" + token_line("disguise").encode() + b"\n", 1, 8),
    "latin-1": ("naïve café = 1; ".encode("latin-1") + token_line("latin1").encode(), 1, 22),
    "cp1252-quotes": (b"\x93quoted\x94 " + token_line("cp1252").encode() + b"\n", 1, 15),
    "utf-16-le-bom": (("x\r\n" + token_line("u16le") + "\r\n").encode("utf-16"), 2, 6),
    "utf-16-be-bom": (
        b"\xfe\xff" + ("x\n" + token_line("u16be") + "\n").encode("utf-16-be"),
        2,
        6,
    ),
    "utf-8-bom": (b"\xef\xbb\xbf" + token_line("bom8").encode() + b"\n", 1, 6),
    "crlf": (b"a = 1\r\n" + token_line("crlf").encode() + b"\r\nb = 2\r\n", 2, 6),
    "cr-only": (b"a = 1\r" + token_line("cr").encode() + b"\rb = 2\r", 1, 12),
}


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_odd_encodings_are_read_as_text(repo: GitRepo, name: str) -> None:
    content, line, column = ENCODED[name]
    repo.commit("encoded", **{f"{name}.txt": content})

    history = leakguard("git", str(repo.path), "--format", "json")
    files = leakguard("files", str(repo.path / f"{name}.txt"), "--format", "json")

    assert history.code == 1, history.stderr
    assert files.code == 1
    for result in (history, files):
        finding = only_finding(result.json())
        location = finding["location"]
        assert (location["line"], location["column"]) == (line, column), name
        assert finding["value"]["length"] == 40  # no \r, no BOM, no quote


def test_binary_content_is_skipped_and_counted(repo: GitRepo) -> None:
    repo.commit("bin", **{"blob.bin": b"\x00\x01\x02" + token_line("bin").encode()})

    result = leakguard("git", str(repo.path), "--format", "json")

    assert result.code == 0
    assert result.json()["summary"]["skipped"] == {"binary": 1}
    assert result.json()["scan"]["complete"]


# --- size ---------------------------------------------------------------------------------------


def test_a_50_mb_line(repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = f" {token_line('one-line')} ".encode()
    huge = b"A" * 25_000_000 + token + b"b" * 25_000_000
    big = tmp_path / "one-line.txt"
    big.write_bytes(huge)
    repo.commit("huge", **{"one-line.txt": huge})
    windows: list[tuple[int, int, int, bool]] = []
    engine_windows = Detector._windows

    def recorded_windows(
        self: Detector, text: FragmentText, hits: list[tuple[int, int]]
    ) -> list[tuple[int, int, int, bool]]:
        found = engine_windows(self, text, hits)
        windows.extend(found)
        return found

    files = leakguard_unless_hung("files", str(big), "--format", "json")
    history = leakguard_unless_hung("git", str(repo.path), "--format", "json")
    monkeypatch.setattr(Detector, "_windows", recorded_windows)
    detection = Detector(Config().rules()).detect(Fragment(huge, "one-line.txt", Origin.FILE))

    for result in (files, history):
        assert result.code == 1, result.stderr
        location = only_finding(result.json())["location"]
        assert (location["line"], location["column"]) == (1, 25_000_007)
    assert [candidate.rule_id for candidate in detection.candidates] == ["github-pat"]
    # Rules are confirmed on slices around their hits, never on the whole line.
    assert windows
    assert all(end - start <= 2 * LONG_LINE_REACH for start, _, end, _ in windows), windows


def test_too_large_content_is_reported_never_silent(repo: GitRepo) -> None:
    body = "x = 1\n" * 1000 + token_line("late") + "\n"  # the token is past the limit
    repo.commit("big", **{"big.py": body})

    strict = leakguard("git", str(repo.path), "--max-file-size", "4K", "--format", "json")
    partial = leakguard("git", str(repo.path), "--max-file-size", "4K", "--allow-partial")
    unlimited = leakguard("git", str(repo.path), "--max-file-size", "0")

    assert strict.code == 2
    [issue] = strict.json()["summary"]["issues"]
    assert (issue["kind"], issue["path"], issue["incomplete"]) == ("too-large", "big.py", True)
    assert issue["commit"] is not None
    assert partial.code == 0
    assert "NOT SCANNED: big.py" in partial.stdout
    assert unlimited.code == 1


def test_size_limit_from_the_configuration(repo: GitRepo) -> None:
    repo.commit("big", **{"big.py": "x = 1\n" * 1000 + token_line("late-config") + "\n"})
    limited = repo.write("limited.yaml", "scan:\n  max_file_size: 4K\n")
    broken = repo.write("broken.yaml", "scan:\n  max_file_size: lots\n")

    from_config = leakguard("git", str(repo.path), "--config", str(limited))
    option_wins = leakguard("git", str(repo.path), "--config", str(limited), "--max-file-size", "0")
    invalid = leakguard("git", str(repo.path), "--config", str(broken))

    assert from_config.code == 2
    assert "NOT SCANNED: big.py" in from_config.stdout
    assert option_wins.code == 1
    assert invalid.code == 2
    assert "scan.max_file_size" in invalid.stderr


@pytest.fixture
def fast_tmp() -> Iterator[Path]:
    """A directory on tmpfs when there is one: creating 100,000 files on a disk can take longer
    than scanning them."""
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="leakguard-many-", dir=base) as directory:
        yield Path(directory)


@pytest.mark.slow
def test_100000_tiny_files(fast_tmp: Path) -> None:
    for group in range(100):
        directory = fast_tmp / f"d{group:02d}"
        directory.mkdir()
        # `split` writes a thousand one-line files in one process.
        numbers = "".join(f"{n}\n" for n in range(1000)).encode()
        subprocess.run(["split", "-l", "1", "-a", "3", "-", "f"], cwd=directory, input=numbers)
    (fast_tmp / "d42" / "settings.py").write_text(token_line("many") + "\n")

    result = leakguard("files", str(fast_tmp), "--format", "json")

    assert result.code == 1
    assert result.json()["summary"]["scanned"]["fragments"] == 100_001
    assert only_finding(result.json())["location"]["path"].endswith("d42/settings.py")


@pytest.mark.slow
def test_a_commit_touching_50000_files(repo: GitRepo) -> None:
    leak = 31_337

    def files() -> Iterator[tuple[str, bytes]]:
        for index in range(50_000):
            body = token_line("wide") if index == leak else f"value = {index}"
            yield f"pkg{index // 500:03d}/mod{index}.py", body.encode() + b"\n"

    fast_import(repo.path, files(), branch="wide")

    result = leakguard("git", str(repo.path), "--format", "json")

    assert result.code == 1, result.stderr
    assert result.json()["summary"]["scanned"]["fragments"] == 50_000
    assert only_finding(result.json())["location"]["path"] == f"pkg062/mod{leak}.py"


# --- repository states ----------------------------------------------------------------------


def test_empty_repository(repo: GitRepo) -> None:
    for kind in ("git", "staged"):
        result = leakguard(kind, str(repo.path), "--format", "json")
        assert result.code == 0, (kind, result.stderr)
        assert result.json()["summary"]["scanned"]["fragments"] == 0


def test_pushed_in_a_repository_without_commits_is_a_usage_error(repo: GitRepo) -> None:
    result = leakguard("git", "--pushed", str(repo.path))

    assert result.code == 2
    assert "HEAD" in result.stderr


def test_head_naming_a_missing_branch_does_not_hide_history(repo: GitRepo) -> None:
    repo.commit("leak", **{"app.py": token_line("unborn-head") + "\n"})
    repo.git("symbolic-ref", "HEAD", "refs/heads/does-not-exist")

    assert leakguard("git", str(repo.path)).code == 1


def test_detached_head(repo: GitRepo) -> None:
    repo.commit("base", README="x\n")
    repo.git("checkout", "-q", "--detach")
    repo.commit("detached leak", **{"app.py": token_line("detached") + "\n"})
    repo.git("checkout", "-q", "main")  # the commit is on no branch: only HEAD@{1} knows it
    repo.git("checkout", "-q", "--detach", "HEAD@{1}")
    repo.write("staged.py", token_line("detached-staged") + "\n")
    repo.git("add", "staged.py")

    history = leakguard("git", str(repo.path), "--format", "json")
    since = leakguard("git", "--since", "HEAD~1", str(repo.path), "--format", "json")
    staged = leakguard("staged", str(repo.path), "--format", "json")

    assert only_finding(history.json())["location"]["path"] == "app.py"
    assert only_finding(since.json())["location"]["path"] == "app.py"
    assert only_finding(staged.json())["location"]["path"] == "staged.py"


def test_bare_repository(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("leak", **{"app.py": token_line("bare") + "\n"})
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(bare)], check=True)

    history = leakguard("git", str(bare), "--format", "json")
    staged = leakguard("staged", str(bare))

    assert only_finding(history.json())["location"]["path"] == "app.py"
    assert staged.code == 2
    assert "bare" in staged.stderr
    assert leakguard("staged", str(bare), "--allow-partial").code == 2  # a usage error stays one


def test_shallow_clone(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("old leak", **{"old.py": token_line("before-boundary") + "\n"})
    repo.commit("remove", **{"old.py": None})
    repo.commit("tip", **{"tip.py": token_line("at-tip") + "\n"})
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone)], check=True
    )

    result = leakguard("git", str(clone), "--format", "json")
    beyond = leakguard("git", "--range", "HEAD~2..HEAD", str(clone))

    assert result.code == 1
    assert only_finding(result.json())["location"]["path"] == "tip.py"
    assert [i["kind"] for i in result.json()["summary"]["issues"]] == ["shallow"]
    assert beyond.code == 2
    assert "shallow" in beyond.stderr


# --- encodings nested to blow up ------------------------------------------------------------


def nested_base64(data: bytes, depth: int) -> bytes:
    for _ in range(depth):
        data = base64.b64encode(data)
    return data


@pytest.mark.parametrize(("depth", "found"), [(1, True), (2, True), (3, False), (8, False)])
def test_nested_base64_is_decoded_to_a_bounded_depth(depth: int, found: bool) -> None:
    line = b"value: " + nested_base64(token_line(f"depth{depth}").encode(), depth) + b"\n"

    result = leakguard("stdin", stdin=line)

    assert result.code == (1 if found else 0)


def peak_rss_of_stdin_scan(data: bytes) -> tuple[int, int]:
    """(exit code, peak RSS in KiB) of `leakguard stdin` on `data`, measured in a fresh process so
    that no earlier child's peak counts."""
    probe = (
        "import resource, subprocess, sys\n"
        "data = sys.stdin.buffer.read()\n"
        "command = [sys.executable, '-m', 'leakguard', 'stdin', '-q']\n"
        f"scan = subprocess.run(command, input=data, timeout={HANG_GUARD_SECONDS})\n"
        "print(scan.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], input=data, capture_output=True)
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    code, peak = result.stdout.split()
    return int(code), int(peak)


def test_decoding_blow_up_costs_bounded_memory() -> None:
    # Long base64 runs that decode to base64 that decodes to base64...: a scanner that decodes
    # without limits does work and holds memory that grow with every level.
    run = nested_base64(b"a quick brown fox jumps over the lazy dog. " * 2000, 3)[:60_000]
    sizes = (8, 32)
    measured = []
    for megabytes in sizes:
        data = (run + b"\n") * (megabytes * 1_000_000 // (len(run) + 1))
        measured.append(peak_rss_of_stdin_scan(data))

    (small_code, small_rss), (large_code, large_rss) = measured
    assert (small_code, large_code) == (0, 0)  # text, however deep it is encoded
    assert large_rss - small_rss < 48 * 1024, measured  # KiB: windows, not input size
