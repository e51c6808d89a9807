"""Scanning a repository nobody vouched for: its configuration must neither run a program nor
change what git shows us.

Each attack is set up the way a hostile repository would ship it (`.git/config`,
`.gitattributes`, `.git/hooks`, `.git/info/grafts`, replace refs, a promisor remote); a program
it manages to run would create a marker file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import GitRepo, fake_github_token, leakguard
from hostile import as_nobody, leakguard_unless_hung, shared_directory


@pytest.fixture
def markers(tmp_path: Path) -> Path:
    directory = tmp_path / "markers"
    directory.mkdir()
    return directory


def marker_command(markers: Path, name: str) -> str:
    return f"touch {markers / name}"


def arm(repo: GitRepo, markers: Path) -> None:
    """Every way a repository's own configuration could make git run a program."""
    hooks = repo.path / "evil-hooks"
    hooks.mkdir()
    for hook in (
        "pre-commit",
        "post-checkout",
        "post-index-change",
        "reference-transaction",
        "fsmonitor-watchman",
        "pre-auto-gc",
        "post-rewrite",
    ):
        for directory in (hooks, repo.path / ".git" / "hooks"):
            script = directory / hook
            script.write_text(f"#!/bin/sh\n{marker_command(markers, 'hook-' + hook)}\n")
            script.chmod(0o755)
    settings = {
        "core.hooksPath": str(hooks),
        "core.fsmonitor": marker_command(markers, "fsmonitor"),
        "filter.evil.smudge": marker_command(markers, "smudge") + "; cat",
        "filter.evil.clean": marker_command(markers, "clean") + "; cat",
        "filter.evil.process": marker_command(markers, "process"),
        "filter.evil.required": "true",
        "diff.evil.textconv": marker_command(markers, "textconv") + "; cat",
        "diff.evil.command": marker_command(markers, "diff-command"),
        "diff.external": marker_command(markers, "diff-external"),
        "core.pager": marker_command(markers, "pager") + "; cat",
        "pager.log": marker_command(markers, "pager-log") + "; cat",
        "core.sshCommand": marker_command(markers, "ssh"),
        "core.askPass": marker_command(markers, "askpass"),
        "credential.helper": "!" + marker_command(markers, "credential"),
        "gpg.program": marker_command(markers, "gpg"),
        "log.showSignature": "true",
        "remote.origin.url": f"ext::sh -c touch% {markers / 'ext'}",
        "remote.origin.uploadpack": marker_command(markers, "uploadpack") + "; false",
        "protocol.ext.allow": "always",
        "protocol.file.allow": "always",
    }
    for key, value in settings.items():
        repo.git("config", key, value)


def many_files(prefix: str, count: int) -> dict[str, str]:
    return {f"{prefix}{index}.txt": f"line {index}\n" for index in range(count)}


def test_repository_configuration_runs_nothing(repo: GitRepo, markers: Path) -> None:
    token = fake_github_token("hostile-config")
    repo.write(".gitattributes", "* filter=evil diff=evil\n")
    base = repo.commit("base", **many_files("a", 40))  # enough blobs for worker processes
    repo.commit("leak", **{"app.py": f'T = "{token}"\n'})
    repo.write("staged.py", f'S = "{fake_github_token("staged")}"\n')
    repo.git("add", "staged.py")
    arm(repo, markers)

    scans = [
        ("git", str(repo.path)),
        ("git", str(repo.path), "--jobs", "1"),
        ("git", str(repo.path), "--range", f"{base}..HEAD"),
        ("git", str(repo.path), "--pushed"),
        ("staged", str(repo.path)),
    ]
    for arguments in scans:
        result = leakguard(*arguments)
        assert result.code == 1, (arguments, result.stderr)
    assert sorted(os.listdir(markers)) == []


def test_partial_clone_never_fetches_a_missing_object(
    repo: GitRepo, markers: Path, tmp_path: Path
) -> None:
    # A promisor remote makes git fetch a missing object on read, running the remote's
    # `uploadpack` (here a local repository, with `protocol.file.allow=always`).
    repo.commit("one", **{"s.txt": "some text\n"})
    blob = repo.git("rev-parse", "HEAD:s.txt")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(remote)], check=True)
    (repo.path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    for key, value in {
        "core.repositoryFormatVersion": "1",
        "extensions.partialClone": "origin",
        "remote.origin.promisor": "true",
        "remote.origin.url": str(remote),
        "remote.origin.uploadpack": f"{marker_command(markers, 'uploadpack')}; git-upload-pack",
        "protocol.file.allow": "always",
    }.items():
        repo.git("config", key, value)

    result = leakguard("git", str(repo.path), "--format", "json")

    assert result.code == 2
    assert os.listdir(markers) == []
    [issue] = [i for i in result.json()["summary"]["issues"] if i["incomplete"]]
    assert issue["path"] == "s.txt"
    assert blob in issue["detail"]


def test_replace_refs_do_not_substitute_content(repo: GitRepo) -> None:
    repo.commit("leak", **{"app.py": f'T = "{fake_github_token("replaced")}"\n'})
    leaked = repo.git("rev-parse", "HEAD:app.py")
    innocent = repo.path / "innocent.txt"
    innocent.write_text("nothing to see\n")
    clean = repo.git("hash-object", "-w", str(innocent))
    innocent.unlink()
    repo.git("replace", leaked, clean)
    assert "nothing to see" in repo.git("show", "HEAD:app.py")  # what a checkout would show

    result = leakguard("git", str(repo.path), "--format", "json")

    assert result.code == 1
    assert [f["location"]["path"] for f in result.json()["findings"]] == ["app.py"]


def test_grafts_do_not_hide_commits(repo: GitRepo) -> None:
    repo.commit("leak", **{"app.py": f'T = "{fake_github_token("grafted")}"\n'})
    repo.commit("remove", **{"app.py": None, "other.txt": "x\n"})
    # Declares HEAD a root commit: `git log --all` no longer reaches the leak.
    (repo.path / ".git" / "info").mkdir(exist_ok=True)
    (repo.path / ".git" / "info" / "grafts").write_text(repo.git("rev-parse", "HEAD") + "\n")

    assert leakguard("git", str(repo.path)).code == 1


def test_show_root_false_does_not_hide_the_first_commit(repo: GitRepo) -> None:
    repo.commit("leak", **{"app.py": f'T = "{fake_github_token("root")}"\n'})
    repo.commit("more", **{"other.txt": "x\n"})
    repo.git("config", "log.showRoot", "false")

    assert leakguard("git", str(repo.path)).code == 1


def test_log_output_encoding_does_not_break_the_listing(repo: GitRepo) -> None:
    repo.commit("leak", **{"app.py": f'T = "{fake_github_token("enc")}"\n'})
    repo.git("config", "i18n.logOutputEncoding", "UTF-16")

    assert leakguard("git", str(repo.path)).code == 1


def test_ignore_submodules_does_not_hide_a_submodule(repo: GitRepo, tmp_path: Path) -> None:
    sub = GitRepo(tmp_path / "sub", tmp_path / "home")
    sub.commit("sub", **{"lib.py": "x = 1\n"})
    repo.commit("base", README="x\n")
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub.path), "lib")
    repo.git("commit", "-q", "-m", "add submodule")
    repo.git("config", "diff.ignoreSubmodules", "all")

    result = leakguard("git", str(repo.path), "--format", "json", "--verbose")

    assert result.code == 0
    assert result.json()["summary"]["skipped"] == {"submodule": 1}


def test_git_environment_of_the_caller_does_not_redirect_the_scan(
    repo: GitRepo, tmp_path: Path
) -> None:
    repo.commit("leak", **{"app.py": f'T = "{fake_github_token("env")}"\n'})
    decoy = GitRepo(tmp_path / "decoy", tmp_path / "home")
    decoy.commit("clean", README="x\n")
    env = {
        "GIT_DIR": str(decoy.path / ".git"),
        "GIT_OBJECT_DIRECTORY": str(decoy.path / ".git" / "objects"),
        "GIT_REPLACE_REF_BASE": "refs/evil/",
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "log.showRoot",
        "GIT_CONFIG_VALUE_0": "false",
    }

    assert leakguard("git", str(repo.path), env=env).code == 1


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    with shared_directory() as directory:
        yield directory


def test_repository_owned_by_another_user_is_refused_with_advice(shared_dir: Path) -> None:
    # leakguard keeps git's ownership check (safe.directory): README, Security model.
    repo = GitRepo(shared_dir / "repo", shared_dir / "root-home")
    repo.commit("one", README="x\n")
    repo.path.chmod(0o755)

    result = as_nobody("git", str(repo.path), home=shared_dir / "home")

    assert result.returncode == 2, result.stderr
    assert "owned by another user" in result.stderr
    assert "safe.directory" in result.stderr


def test_git_that_writes_much_to_its_error_stream_does_not_stall_the_scan(
    repo: GitRepo, tmp_path: Path
) -> None:
    # Messages enough to fill a pipe (64 KiB) before the first line of output, as git gives for
    # a damaged graft file (a line for each bad entry); real git then runs as usual.
    repo.commit("token", **{"settings.py": f"TOKEN = '{fake_github_token('noisy')}'\n"})
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(
        "#!/bin/sh\n"
        "head -c 300000 /dev/zero | tr '\\000' w >&2\n"
        f'exec {shutil.which("git")} "$@"\n'
    )
    wrapper.chmod(0o755)
    noisy = {"PATH": f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}"}

    for args in (("git", str(repo.path)), ("staged", str(repo.path))):
        result = leakguard_unless_hung(*args, "--format", "json", env=noisy)
        assert result.code in (0, 1), result.stderr
    assert leakguard_unless_hung("git", str(repo.path), env=noisy).code == 1
