"""The hooks, run for real: `git commit` and `git push` through pre-commit, with the hook
definitions this repository publishes in `.pre-commit-hooks.yaml`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import GitRepo, fake_github_token

HOOKS_FILE = Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml"


def local_hooks_config() -> str:
    """Our published hooks as `repo: local` hooks. `language: system` runs the leakguard of this
    checkout instead of installing one from the network; the rest is as published."""
    hooks = []
    for hook in yaml.safe_load(HOOKS_FILE.read_text()):
        hooks.append(
            {
                **{key: value for key, value in hook.items() if key != "language"},
                "language": "system",
                "args": ["--verbose"],
                "verbose": True,  # show the output of a hook that passed too
            }
        )
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]})


@pytest.fixture
def hooked(repo: GitRepo, tmp_path: Path) -> GitRepo:
    repo.env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    repo.env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{repo.env['PATH']}"
    repo.commit("base", README="hello\n", **{".pre-commit-config.yaml": local_hooks_config()})
    pre_commit(repo, "install", "--hook-type", "pre-commit", "--hook-type", "pre-push")
    return repo


def pre_commit(repo: GitRepo, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo.path,
        env=repo.env,
        check=True,
        capture_output=True,
    )


def git(repo: GitRepo, *args: str) -> subprocess.CompletedProcess[str]:
    """git as a developer runs it: hooks enabled, output and exit code kept."""
    return subprocess.run(
        ["git", *args], cwd=repo.path, env=repo.env, capture_output=True, text=True, check=False
    )


def test_a_staged_secret_is_caught_by_the_real_pre_commit_hook(hooked: GitRepo) -> None:
    head = hooked.git("rev-parse", "HEAD")
    hooked.write("settings.py", f'TOKEN = "{fake_github_token("hook")}"\n')
    hooked.git("add", "settings.py")

    result = git(hooked, "commit", "-m", "add settings")

    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "github-pat" in output
    assert "settings.py" in output
    assert "scanned 1 file(s)/blob(s), 1 line(s)" in output
    assert hooked.git("rev-parse", "HEAD") == head  # nothing was committed


def test_a_clean_commit_passes_and_says_what_it_scanned(hooked: GitRepo) -> None:
    hooked.write("notes.txt", "one\ntwo\nthree\n")
    hooked.git("add", "notes.txt")

    result = git(hooked, "commit", "-m", "notes")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "scanned 1 file(s)/blob(s), 3 line(s)" in result.stdout + result.stderr


def test_a_pushed_secret_is_caught_by_the_real_pre_push_hook(
    hooked: GitRepo, tmp_path: Path
) -> None:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    hooked.git("remote", "add", "origin", str(remote))
    assert git(hooked, "push", "-q", "origin", "main").returncode == 0
    # Committed past the pre-commit hook (--no-verify): the push must still stop it.
    hooked.write("deploy.sh", f"export TOKEN={fake_github_token('push')}\n")
    hooked.git("add", "deploy.sh")
    hooked.git("commit", "-q", "--no-verify", "-m", "deploy")

    result = git(hooked, "push", "origin", "main")

    assert result.returncode != 0
    assert "deploy.sh" in result.stdout + result.stderr
    remote_head = subprocess.run(
        ["git", "-C", str(remote), "rev-parse", "main"], capture_output=True, text=True
    ).stdout.strip()
    assert remote_head != hooked.git("rev-parse", "HEAD")
