"""`leakguard git`: history, ranges, attribution to the introducing commit."""

from __future__ import annotations

import os
import threading

from leakguard.detectors.engine import Detector
from leakguard.parallel import scan_in_parallel
from leakguard.scan import UnitResult, UnitScanner
from leakguard.sources import ScanUnit
from leakguard.sources.git import open_repository
from leakguard.sources.history import GitHistory, _records

from conftest import GitRepo, fake_github_token, leakguard


def findings(repo: GitRepo, *args: str) -> list[dict]:
    result = leakguard("git", str(repo.path), "--format", "json", *args)
    assert result.code in (0, 1), result.stderr
    return result.json()["findings"]


def test_secret_added_then_deleted_is_found_at_its_commit(repo: GitRepo) -> None:
    token = fake_github_token("deleted")
    repo.commit("readme", README="hello\n")
    introduced = repo.commit("add token", **{"app__settings.py": f'TOKEN = "{token}"\n'})
    repo.commit("more", **{"app__settings.py": f'DEBUG = True\nTOKEN = "{token}"\n'})
    repo.commit("remove token", **{"app__settings.py": "DEBUG = True\n"})

    result = leakguard("git", str(repo.path), "--format", "json")

    assert result.code == 1
    [finding] = result.json()["findings"]
    assert finding["rule_id"] == "github-pat"
    assert finding["location"]["path"] == "app/settings.py"
    assert finding["location"]["commit"] == introduced
    assert finding["location"]["line"] == 1
    assert finding["location"]["author"] == "Test Author"


def test_secret_on_a_branch_only_is_found(repo: GitRepo) -> None:
    repo.commit("base", README="x\n")
    repo.git("checkout", "-q", "-b", "feature")
    on_branch = repo.commit("leak", **{"config.env": f"TOKEN={fake_github_token('branch')}\n"})
    repo.git("checkout", "-q", "main")

    [finding] = findings(repo)

    assert finding["location"]["commit"] == on_branch


def test_range_reports_only_what_the_range_adds(repo: GitRepo) -> None:
    old, new = fake_github_token("old"), fake_github_token("new")
    base = repo.commit("old leak", **{"a.py": f'OLD = "{old}"\n'})
    repo.commit("touch the file with the old leak", **{"a.py": f'OLD = "{old}"\nX = 1\n'})
    added = repo.commit("new leak", **{"b.py": f'NEW = "{new}"\n'})

    in_range = findings(repo, "--range", f"{base}..HEAD")

    assert [(f["location"]["path"], f["location"]["commit"]) for f in in_range] == [("b.py", added)]
    assert findings(repo, "--since", base) == in_range
    assert len(findings(repo)) == 2


def test_value_moved_within_a_file_is_one_finding(repo: GitRepo) -> None:
    token = fake_github_token("moved")
    first = repo.commit("add", **{"a.py": f'T = "{token}"\n'})
    repo.commit("move", **{"a.py": f'import os\n\n\nT = "{token}"\n'})

    [finding] = findings(repo)

    assert finding["location"]["commit"] == first


def test_merge_that_introduces_a_secret_is_scanned(repo: GitRepo) -> None:
    repo.commit("base", **{"a.txt": "one\n"})
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("side", **{"a.txt": "side\n"})
    repo.git("checkout", "-q", "main")
    repo.commit("main", **{"a.txt": "main\n"})
    result = subprocess_merge(repo)
    repo.write("a.txt", f"resolved {fake_github_token('merge')}\n")
    repo.git("add", "a.txt")
    repo.git("commit", "-q", "--no-edit")
    merge = repo.git("rev-parse", "HEAD")
    assert result != 0

    [finding] = findings(repo)

    assert finding["location"]["commit"] == merge


def subprocess_merge(repo: GitRepo) -> int:
    import subprocess

    return subprocess.run(
        ["git", "merge", "-q", "side"],
        cwd=repo.path,
        env=repo.env,
        capture_output=True,
        check=False,
    ).returncode


def test_clean_history_exits_zero(repo: GitRepo) -> None:
    repo.commit("clean", README="nothing to see\n")

    result = leakguard("git", str(repo.path))

    assert result.code == 0, result.stdout + result.stderr
    assert "0 findings" in result.stdout


def test_repository_without_commits_is_clean(repo: GitRepo) -> None:
    result = leakguard("git", str(repo.path))

    assert result.code == 0, result.stderr


def test_a_scan_of_a_hundred_blobs_reaches_every_worker(repo: GitRepo) -> None:
    repo.commit("files", **{f"f{index:03}.txt": f"{index}\n" for index in range(100)})
    history = GitHistory(open_repository(repo.path))

    def make_scanner() -> UnitScanner:
        scanner = UnitScanner(Detector([]), history.reader())
        scan = scanner.scan

        def scan_noting_the_worker(unit: ScanUnit) -> UnitResult:
            result = scan(unit)
            result.stats.fragments = os.getpid()
            return result

        scanner.scan = scan_noting_the_worker  # type: ignore[method-assign]
        return scanner

    results = list(scan_in_parallel(make_scanner, history.units(), jobs=2))

    assert len(results) == 100
    assert len({result.stats.fragments for result in results}) == 2


def test_same_findings_with_any_jobs_and_engine(repo: GitRepo) -> None:
    for index in range(40):
        repo.commit(f"c{index}", **{f"f{index}.py": f'T = "{fake_github_token(str(index))}"\n'})
    runs = [
        findings(repo, "--jobs", jobs, "--engine", engine)
        for jobs in ("1", "2")
        for engine in ("python", "hyperscan")
    ]
    keys = [
        [(f["fingerprint"], f["location"]["commit"], f["location"]["line"]) for f in run]
        for run in runs
    ]
    assert len(keys[0]) == 40
    assert all(k == keys[0] for k in keys)


def test_a_commit_is_listed_as_soon_as_git_writes_it() -> None:
    """`git log --reverse` writes its first commits only after walking the whole history, and
    the workers wait for them: the listing must not wait for more output on top of that (it
    waited for a full megabyte, a tenth of a second on Amsterdam/signals)."""
    read_end, write_end = os.pipe()
    sha = "a" * 40
    change = f":000000 100644 {'0' * 40} {'b' * 40} A".encode()
    os.write(write_end, b"\x01" + f"{sha}\x02Ann\x02ann@example.org\x022024-01-01".encode())
    os.write(write_end, b"\x00\n" + change + b"\x00src/app.py\x00")
    records: list[tuple[bytes | None, bytes | None, str | None]] = []
    with open(read_end, "rb") as stream:
        listing = _records(stream)
        reader = threading.Thread(target=lambda: records.extend([next(listing), next(listing)]))
        reader.start()
        reader.join(timeout=10)
        still_waiting = reader.is_alive()
        os.close(write_end)  # lets a reader that waits for more end, pass or fail
        reader.join()

    assert not still_waiting
    header = records[0][0]
    assert header is not None
    assert header.startswith(sha.encode())
    assert records[1] == (None, change, "src/app.py")
