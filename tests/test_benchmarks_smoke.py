"""The benchmark scripts keep working: a tiny synthetic repository, leakguard alone on it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def run_script(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / name), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def head(repo: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "main"], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One work directory for both tests: leakguard's rule cache is built once."""
    return tmp_path_factory.mktemp("compare-work")


def test_synthetic_repository_is_reproducible_and_compare_runs_on_it(
    tmp_path: Path, work_dir: Path
) -> None:
    manifest = tmp_path / "manifest.json"
    built = run_script("synthetic_repo.py", str(tmp_path / "a"), "--scale", "0.01",
                       "--manifest", str(manifest))  # fmt: skip
    assert built.returncode == 0, built.stderr
    again = run_script("synthetic_repo.py", str(tmp_path / "b"), "--scale", "0.01")
    assert again.returncode == 0, again.stderr
    assert head(tmp_path / "a") == head(tmp_path / "b")  # same seed, same commits
    summary = json.loads(manifest.read_text())
    assert summary["commits"] >= 30
    assert {item["family"] for item in summary["planted"]} >= {"github-token", "bsn"}
    assert all("value" not in item for item in summary["planted"])

    results = tmp_path / "results.json"
    compared = run_script("compare.py", str(tmp_path / "a"), "--no-peers", "--runs", "1",
                          "--warmup", "0", "--jobs", "1,2", "--json", str(results),
                          "--work-dir", str(work_dir))  # fmt: skip
    assert compared.returncode == 0, compared.stdout + compared.stderr
    assert "| leakguard -j1 |" in compared.stdout
    data = json.loads(results.read_text())
    target = data["targets"][0]
    assert target["identical_leakguard_findings"] is True
    rows = {row["tool"]: row for row in target["summary"]}
    assert set(rows) == {"leakguard -j1", "leakguard -j2"}
    for row in rows.values():
        assert row["failed"] == 0
        assert row["findings"] >= 1  # at least the planted GitHub token
        assert row["wall"] > 0
        assert row["max_rss_mb"] > 0
    assert all("--jobs" in run["argv"] for run in target["runs"])


def test_precommit_mode_times_a_clean_staged_change(tmp_path: Path, work_dir: Path) -> None:
    results = tmp_path / "precommit.json"
    compared = run_script("compare.py", "--precommit", "--no-peers", "--runs", "1",
                          "--warmup", "0", "--json", str(results),
                          "--work-dir", str(work_dir))  # fmt: skip
    assert compared.returncode == 0, compared.stdout + compared.stderr
    target = json.loads(results.read_text())["targets"][0]
    assert {run["tool"] for run in target["runs"]} == {"leakguard", "leakguard, empty cache"}
    assert all(run["exit_code"] == 0 for run in target["runs"])  # the change holds no secret
