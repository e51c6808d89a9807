"""The hooks exactly as published in `.pre-commit-hooks.yaml` (`language: python`), run by
pre-commit itself: it clones the hook repository, builds its own virtualenv and pip-installs
leakguard into it, as it does for every user. (`test_hostile_hook.py` runs the same hook
definitions as `language: system`, against this checkout's leakguard.)

Building that virtualenv installs leakguard and its dependencies from the package index once
per test session: about 50 s with a warm pip cache, hence `slow`. The hook repository is a
snapshot of this checkout's files as they are, committed or not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import GIT_IDENTITY, GitRepo, fake_github_token

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
HOOK_IDS = [hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())]


@pytest.fixture(scope="session")
def hook_repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    target = tmp_path_factory.mktemp("hook-repository")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        source = ROOT / os.fsdecode(name)
        if source.is_file() and not source.is_symlink():
            destination = target / os.fsdecode(name)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    env = {**os.environ, **GIT_IDENTITY}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(["git", *command], cwd=target, env=env, check=True, capture_output=True)
    sha = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=target, capture_output=True, text=True, check=True
    ).stdout.strip()
    return target, sha


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by the tests: the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(repo: GitRepo, hook_repository: tuple[Path, str], pre_commit_home: Path) -> GitRepo:
    path, sha = hook_repository
    config = {"repos": [{"repo": str(path), "rev": sha, "hooks": [{"id": i} for i in HOOK_IDS]}]}
    repo.env["PRE_COMMIT_HOME"] = str(pre_commit_home)
    # The test's HOME is a temporary directory: keep pip's cache where it always is.
    repo.env["PIP_CACHE_DIR"] = os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    repo.env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{repo.env['PATH']}"
    repo.commit("base", README="hello\n", **{".pre-commit-config.yaml": yaml.safe_dump(config)})
    installed = pre_commit(repo, "install", "--hook-type", "pre-commit", "--hook-type", "pre-push")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return repo


def pre_commit(repo: GitRepo, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo.path,
        env=repo.env,
        capture_output=True,
        text=True,
        check=False,
    )


def git(repo: GitRepo, *args: str) -> subprocess.CompletedProcess[str]:
    """git as a developer runs it: hooks enabled."""
    return subprocess.run(
        ["git", *args], cwd=repo.path, env=repo.env, capture_output=True, text=True, check=False
    )


def test_the_shipped_hooks_are_the_two_stages() -> None:
    assert HOOK_IDS == ["leakguard", "leakguard-push"]


def test_commit_stage_blocks_a_staged_secret(project: GitRepo) -> None:
    head = project.git("rev-parse", "HEAD")
    project.write("settings.py", f'TOKEN = "{fake_github_token("shipped")}"\n')
    project.git("add", "settings.py")

    result = git(project, "commit", "-m", "settings")

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "github-pat" in output
    assert "settings.py" in output
    assert fake_github_token("shipped") not in output
    assert project.git("rev-parse", "HEAD") == head


def test_commit_stage_passes_a_clean_change(project: GitRepo) -> None:
    project.write("notes.txt", "nothing to see\n")
    project.git("add", "notes.txt")

    result = git(project, "commit", "-m", "notes")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "leakguard (staged secrets and personal data)" in result.stdout + result.stderr


def test_push_stage_with_from_and_to_refs(project: GitRepo) -> None:
    base = project.git("rev-parse", "HEAD")
    project.write("deploy.sh", f"export TOKEN={fake_github_token('range')}\n")
    project.git("add", "deploy.sh")
    project.git("commit", "-q", "--no-verify", "-m", "deploy")
    leaky = project.git("rev-parse", "HEAD")
    project.git("rm", "-q", "deploy.sh")
    project.git("commit", "-q", "--no-verify", "-m", "remove it again")
    clean_base = project.git("rev-parse", "HEAD")
    project.write("notes.txt", "fine\n")
    project.git("add", "notes.txt")
    project.git("commit", "-q", "--no-verify", "-m", "notes")
    clean_head = project.git("rev-parse", "HEAD")

    def push_stage(from_ref: str, to_ref: str) -> subprocess.CompletedProcess[str]:
        return pre_commit(
            project,
            "run",
            "--hook-stage",
            "pre-push",
            "--from-ref",
            from_ref,
            "--to-ref",
            to_ref,
        )

    caught = push_stage(base, leaky)
    clean = push_stage(clean_base, clean_head)

    assert caught.returncode != 0
    assert "deploy.sh" in caught.stdout
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_a_real_push_is_stopped(project: GitRepo, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    project.git("remote", "add", "origin", str(remote))
    first = git(project, "push", "-q", "origin", "main")
    assert first.returncode == 0, first.stdout + first.stderr
    project.write("deploy.sh", f"export TOKEN={fake_github_token('pushed')}\n")
    project.git("add", "deploy.sh")
    project.git("commit", "-q", "--no-verify", "-m", "deploy")

    result = git(project, "push", "origin", "main")

    assert result.returncode != 0
    assert "deploy.sh" in result.stdout + result.stderr
    remote_head = subprocess.run(
        ["git", "-C", str(remote), "rev-parse", "main"], capture_output=True, text=True
    ).stdout.strip()
    assert remote_head != project.git("rev-parse", "HEAD")
