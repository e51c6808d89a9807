"""Exit codes: 0 clean, 1 findings, 2 usage, configuration or scan error; never 0 on error."""

from __future__ import annotations

from pathlib import Path

from conftest import GitRepo, fake_github_token, leakguard


def test_not_a_repository_is_a_usage_error(tmp_path: Path) -> None:
    result = leakguard("git", str(tmp_path))

    assert result.code == 2
    assert "not a git repository" in result.stderr
    assert "leakguard files" in result.stderr


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    assert leakguard("git", str(tmp_path / "nope")).code == 2
    assert leakguard("files", str(tmp_path / "nope")).code == 2


def test_unknown_revision_in_range(repo: GitRepo) -> None:
    repo.commit("one", README="x\n")

    result = leakguard("git", str(repo.path), "--range", "nonexistent..HEAD")

    assert result.code == 2
    assert "not a commit" in result.stderr


def test_malformed_range(repo: GitRepo) -> None:
    repo.commit("one", README="x\n")

    assert leakguard("git", str(repo.path), "--range", "HEAD").code == 2


def test_unknown_option_is_exit_2() -> None:
    assert leakguard("git", "--no-such-option").code == 2


def test_broken_config_is_exit_2(repo: GitRepo) -> None:
    repo.commit("one", README="x\n")
    repo.write(".leakguard.yaml", "rules: [unclosed\n")

    result = leakguard("git", str(repo.path))

    assert result.code == 2
    assert ".leakguard.yaml" in result.stderr


def test_unknown_config_key_is_exit_2(repo: GitRepo) -> None:
    repo.commit("one", README="x\n")
    config = repo.write("custom.yaml", "colour: blue\n")

    result = leakguard("git", str(repo.path), "--config", str(config))

    assert result.code == 2
    assert "colour" in result.stderr


def test_unreadable_file_is_exit_2_even_with_findings_elsewhere(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        import pytest

        pytest.skip("root reads every file")
    secret = tmp_path / "secret.txt"
    secret.write_text("x\n")
    secret.chmod(0)

    assert leakguard("files", str(tmp_path)).code == 2


def test_findings_exit_1(repo: GitRepo) -> None:
    repo.commit("leak", **{"a.py": f'T = "{fake_github_token("x")}"\n'})

    assert leakguard("git", str(repo.path)).code == 1
