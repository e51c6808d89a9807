"""Peak memory of `leakguard git` (full history, all refs) on repositories of growing size.

The promise: memory does not grow with the size of the history. This script builds
repositories of 1x, 4x and 16x a base number of commits with `git fast-import` (the same bytes
on every run: content is derived from the commit and file numbers), scans each one, and prints
the peaks (sampled every 20 ms) of the process tree: leakguard, its workers and their git
processes. Memory is split as Linux counts it: anonymous (heap: what the processes allocate) and
file-backed (pages of the pack files git maps, which the kernel can drop at any time; git's
`core.packedGitLimit`, which leakguard sets, caps it).

    python benchmarks/memory_flat.py                 # 500, 2000, 8000 commits
    python benchmarks/memory_flat.py --base 250 --jobs 1
    python benchmarks/memory_flat.py --keep /tmp/repos   # keep the generated repositories
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FILES_PER_COMMIT = 6
PATHS = 400  # distinct paths the commits rewrite, so that history piles up versions
LINES_PER_FILE = 40


def file_content(commit: int, slot: int) -> bytes:
    """Deterministic code-like text: config lines, some with keywords rules look for."""
    lines = []
    for line in range(LINES_PER_FILE):
        digest = hashlib.sha256(f"{commit}:{slot}:{line}".encode()).hexdigest()
        if line % 10 == 0:
            lines.append(f"password = os.environ['DB_PASSWORD_{digest[:6].upper()}']")
        elif line % 10 == 5:
            lines.append(f"checksum: sha256-{digest}")
        else:
            lines.append(f"value_{line} = '{digest[: 8 + line % 24]}'  # commit {commit}")
    return ("\n".join(lines) + "\n").encode()


def fast_import_stream(commits: int) -> Iterator[bytes]:
    for number in range(commits):
        when = 1_700_000_000 + number * 60
        message = f"commit {number}".encode()
        yield b"commit refs/heads/main\n"
        yield b"committer Bench <bench@example.invalid> %d +0000\n" % when
        yield b"data %d\n%s\n" % (len(message), message)
        for slot in range(FILES_PER_COMMIT):
            path = f"src/module{(number * FILES_PER_COMMIT + slot) % PATHS:03d}.py".encode()
            content = file_content(number, slot)
            yield b"M 100644 inline %s\ndata %d\n%s\n" % (path, len(content), content)


def build(directory: Path, commits: int) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(directory)], check=True)
    process = subprocess.Popen(
        ["git", "-C", str(directory), "fast-import", "--quiet"], stdin=subprocess.PIPE
    )
    assert process.stdin is not None
    for piece in fast_import_stream(commits):
        process.stdin.write(piece)
    process.stdin.close()
    if process.wait() != 0:
        raise SystemExit("git fast-import failed")


@dataclass
class Sample:
    anonymous_total: int = 0  # bytes, summed over the processes
    anonymous_largest: int = 0  # bytes, the largest single process
    file_largest: int = 0  # bytes of mapped files (pack pages), the largest single process

    def peak(self, other: Sample) -> None:
        self.anonymous_total = max(self.anonymous_total, other.anonymous_total)
        self.anonymous_largest = max(self.anonymous_largest, other.anonymous_largest)
        self.file_largest = max(self.file_largest, other.file_largest)


def status_kib(text: str, key: str) -> int:
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def tree_memory(root: int) -> Sample:
    """Resident memory of `root` and all its descendants, now."""
    parents: dict[int, int] = {}
    memory: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
        anonymous = status_kib(status, "RssAnon") * 1024
        memory[int(entry)] = (anonymous, status_kib(status, "RssFile") * 1024)
    members = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in members and pid not in members:
                members.add(pid)
                grew = True
    sizes = [memory.get(pid, (0, 0)) for pid in members]
    return Sample(
        anonymous_total=sum(anonymous for anonymous, _ in sizes),
        anonymous_largest=max((anonymous for anonymous, _ in sizes), default=0),
        file_largest=max((mapped for _, mapped in sizes), default=0),
    )


@dataclass
class Measurement:
    commits: int
    blobs: int
    megabytes: float
    seconds: float
    peak: Sample
    exit_code: int


def measure(repository: Path, jobs: int | None) -> Measurement:
    report = repository.parent / f"{repository.name}.json"
    command = [sys.executable, "-m", "leakguard", "git", str(repository), "--format", "json"]
    command += ["--output", str(report), "--max-file-size", "0"]
    if jobs:
        command += ["--jobs", str(jobs)]
    started = time.monotonic()
    process = subprocess.Popen(command, stderr=subprocess.PIPE)
    peak = Sample()

    def sample() -> None:
        while process.poll() is None:
            peak.peak(tree_memory(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.monotonic() - started
    sampler.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"leakguard failed ({process.returncode}): {stderr.decode()}")
    summary = json.loads(report.read_text())["summary"]["scanned"]
    return Measurement(
        commits=summary["commits"],
        blobs=summary["fragments"],
        megabytes=summary["bytes"] / 1e6,
        seconds=elapsed,
        peak=peak,
        exit_code=process.returncode,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=500, help="commits of the smallest repository")
    parser.add_argument("--factors", default="1,4,16", help="sizes as multiples of --base")
    parser.add_argument("--jobs", type=int, help="leakguard --jobs (default: all cores)")
    parser.add_argument("--keep", type=Path, help="build the repositories here and keep them")
    arguments = parser.parse_args()

    workspace = arguments.keep or Path(tempfile.mkdtemp(prefix="leakguard-memory-"))
    workspace.mkdir(parents=True, exist_ok=True)
    print(
        f"{'commits':>8} {'blobs':>7} {'history MB':>10} {'seconds':>8} "
        f"{'heap, all processes':>20} {'heap, largest':>14} {'pack pages, largest':>20}"
    )
    try:
        for factor in (int(f) for f in arguments.factors.split(",")):
            commits = arguments.base * factor
            repository = workspace / f"repo-{commits}"
            if not repository.exists():
                build(repository, commits)
            result = measure(repository, arguments.jobs)
            mib = 2**20
            print(
                f"{result.commits:>8} {result.blobs:>7} {result.megabytes:>10.1f} "
                f"{result.seconds:>8.1f} {result.peak.anonymous_total / mib:>17.0f} MB "
                f"{result.peak.anonymous_largest / mib:>11.0f} MB "
                f"{result.peak.file_largest / mib:>17.0f} MB",
                flush=True,
            )
    finally:
        if arguments.keep is None:
            shutil.rmtree(workspace, ignore_errors=True)


if __name__ == "__main__":
    main()
