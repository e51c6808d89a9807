"""Submodules: listed as not scanned, or with `--recurse-submodules` scanned in their own
repository; a submodule that cannot be read makes the scan incomplete."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import GitRepo, fake_github_token, leakguard


def token_file(seed: str) -> str:
    return f'TOKEN = "{fake_github_token(seed)}"\n'


@pytest.fixture
def library(tmp_path: Path) -> GitRepo:
    lib = GitRepo(tmp_path / "lib", tmp_path / "home")
    lib.commit("leak", **{"key.py": token_file("in-submodule")})
    lib.commit("clean up", **{"key.py": None, "ok.txt": "ok\n"})
    return lib


def add_submodule(repo: GitRepo, lib: GitRepo, path: str = "vendor/lib") -> None:
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(lib.path), path)
    repo.git("commit", "-q", "-m", f"add {path}")


def paths(result_json: dict) -> list[str]:
    return [finding["location"]["path"] for finding in result_json["findings"]]


def test_without_the_option_a_submodule_is_listed_not_scanned(
    repo: GitRepo, library: GitRepo
) -> None:
    repo.commit("base", README="x\n")
    add_submodule(repo, library)

    result = leakguard("git", str(repo.path), "--format", "json")

    assert result.code == 0
    [issue] = result.json()["summary"]["issues"]
    assert (issue["kind"], issue["path"], issue["incomplete"]) == ("submodule", "vendor/lib", False)
    assert "--recurse-submodules" in issue["detail"]


def test_recurse_submodules_scans_the_submodule_history(repo: GitRepo, library: GitRepo) -> None:
    repo.commit("base", README="x\n")
    add_submodule(repo, library)
    leak_commit = library.git("rev-parse", "HEAD~1")

    result = leakguard("git", str(repo.path), "--recurse-submodules", "--format", "json")

    assert result.code == 1, result.stderr
    [finding] = result.json()["findings"]
    assert finding["location"]["path"] == "vendor/lib/key.py"
    assert finding["location"]["commit"] == leak_commit
    assert result.json()["summary"]["issues"] == []


def test_a_submodule_that_is_not_there_is_exit_2(
    repo: GitRepo, library: GitRepo, tmp_path: Path
) -> None:
    repo.commit("base", README="x\n")
    add_submodule(repo, library)
    clone = tmp_path / "clone"  # cloned without --recurse-submodules: no submodule repository
    subprocess.run(["git", "clone", "-q", str(repo.path), str(clone)], check=True)

    result = leakguard("git", str(clone), "--recurse-submodules", "--format", "json")

    assert result.code == 2
    [issue] = [i for i in result.json()["summary"]["issues"] if i["incomplete"]]
    assert issue["path"] == "vendor/lib"
    assert "submodule update --init" in issue["detail"]


def test_a_commit_missing_from_the_submodule_is_exit_2(repo: GitRepo, library: GitRepo) -> None:
    repo.commit("base", README="x\n")
    add_submodule(repo, library)
    missing = "1" * 40
    repo.git("update-index", "--cacheinfo", f"160000,{missing},vendor/lib")
    repo.git("commit", "-q", "-m", "point at a commit nobody fetched")

    result = leakguard("git", str(repo.path), "--recurse-submodules", "--format", "json")

    assert result.code == 2
    [issue] = [i for i in result.json()["summary"]["issues"] if i["incomplete"]]
    assert missing[:12] in issue["detail"]


def test_a_range_scans_only_what_the_submodule_update_adds(repo: GitRepo, library: GitRepo) -> None:
    repo.commit("base", README="x\n")
    add_submodule(repo, library)
    base = repo.git("rev-parse", "HEAD")
    library.commit("new leak", **{"new.py": token_file("added-in-range")})
    checkout = repo.path / "vendor" / "lib"
    subprocess.run(["git", "-C", str(checkout), "pull", "-q"], check=True, env=library.env)
    repo.git("add", "vendor/lib")
    repo.git("commit", "-q", "-m", "update lib")

    result = leakguard(
        "git",
        str(repo.path),
        "--range",
        f"{base}..HEAD",
        "--recurse-submodules",
        "--format",
        "json",
    )

    assert result.code == 1, result.stderr
    assert paths(result.json()) == ["vendor/lib/new.py"]  # the old leak is not in the range


def test_many_submodule_files_are_scanned_in_worker_processes(
    repo: GitRepo, library: GitRepo
) -> None:
    library.commit("many", **{f"m{index}.txt": f"{index}\n" for index in range(60)})
    repo.commit("base", README="x\n")
    add_submodule(repo, library)

    result = leakguard(
        "git", str(repo.path), "--recurse-submodules", "--jobs", "2", "--format", "json"
    )

    assert result.code == 1
    assert paths(result.json()) == ["vendor/lib/key.py"]
    assert result.json()["summary"]["scanned"]["fragments"] >= 62


def test_nested_submodules(repo: GitRepo, library: GitRepo, tmp_path: Path) -> None:
    middle = GitRepo(tmp_path / "middle", tmp_path / "home")
    middle.commit("base", README="middle\n")
    add_submodule(middle, library, "inner")
    repo.commit("base", README="x\n")
    repo.git(
        "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(middle.path), "outer"
    )
    repo.git(
        "-c", "protocol.file.allow=always", "submodule", "update", "-q", "--init", "--recursive"
    )
    repo.git("commit", "-q", "-m", "nested")

    result = leakguard("git", str(repo.path), "--recurse-submodules", "--format", "json")

    assert result.code == 1, result.stdout
    assert paths(result.json()) == ["outer/inner/key.py"]
