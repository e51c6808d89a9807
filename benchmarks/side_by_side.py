"""Two leakguard checkouts on one history, run by run in turn: wall time, CPU and findings.

The VM this project is measured on drifts by a third within a day, so a change is measured
against the code before it in the same minutes, never against a figure from an earlier run:

    git worktree add /tmp/baseline HEAD~1
    python benchmarks/side_by_side.py REPO /tmp/baseline --runs 3 --jobs 2

Each run is `python -m leakguard git --jobs J --format json --output X REPO` with `PYTHONPATH`
set to the checkout. The findings of every run must be the same, to the byte: a speed-up that
changes what is found is a defect.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def run(checkout: Path, repo: Path, jobs: int, report: Path) -> tuple[float, float, str]:
    """(wall s, CPU s of the scan and its children, the findings as canonical JSON)."""
    env = dict(os.environ, PYTHONPATH=str(checkout))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: byte code cached
    command = [sys.executable, "-m", "leakguard", "git", "--jobs", str(jobs)]
    command += ["--format", "json", "--output", str(report), str(repo)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{checkout}: exit {done.returncode}: {done.stderr.decode()[-400:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    findings = json.loads(report.read_text())["findings"]
    return wall, cpu, json.dumps(sorted(json.dumps(f, sort_keys=True) for f in findings))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("baseline", type=Path, help="checkout of the code before the change")
    parser.add_argument("candidate", type=Path, nargs="?", default=HERE)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    checkouts = [args.baseline.resolve(), args.candidate.resolve()]
    times: dict[Path, list[tuple[float, float]]] = {checkout: [] for checkout in checkouts}
    found: set[str] = set()
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        for _ in range(args.runs):
            for checkout in checkouts:
                wall, cpu, findings = run(checkout, args.repo, args.jobs, report)
                times[checkout].append((wall, cpu))
                found.add(findings)
    for checkout in checkouts:
        walls = [wall for wall, _ in times[checkout]]
        cpus = [cpu for _, cpu in times[checkout]]
        print(
            f"{checkout}: wall {statistics.median(walls):.2f} s (min {min(walls):.2f}), "
            f"CPU {statistics.median(cpus):.2f} s"
        )
    print("findings identical in every run:", "yes" if len(found) == 1 else "NO")
    if len(found) != 1:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
