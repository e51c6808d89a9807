"""Allowlist paths follow gitignore exactly: each case is checked against `git check-ignore`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from leakguard.filters.paths import GlobError, GlobList, compile_glob, relative_path

PATHS = [
    "app.py",
    "package-lock.json",
    "poetry.lock",
    "sub/poetry.lock",
    "docs/readme.md",
    "docs/api/readme.md",
    "tests/fixtures/users.csv",
    "tests/fixtures/deep/more.json",
    "tests/unit/test_app.py",
    "src/tests/fixtures/x.yaml",
    "src/app/settings.py",
    "config/dev.env",
    "config/prod.env",
    "a/b/c/d.txt",
    "fixtures",
    "data/fixtures/seed.sql",
    "weird[1].txt",
    "x?y.txt",
    "!important.txt",
    "space name.txt",
]

CASES = [
    ["*.lock"],
    ["poetry.lock"],
    ["/poetry.lock"],
    ["docs/"],
    ["docs"],
    ["docs/*.md"],
    ["docs/**/*.md"],
    ["**/fixtures/**"],
    ["tests/fixtures/"],
    ["fixtures/"],
    ["fixtures"],
    ["tests/**"],
    ["tests/**", "!tests/unit/**"],
    ["tests/*", "!tests/unit"],
    ["config/*.env", "!config/dev.env"],
    ["**/settings.py"],
    ["src/**/x.yaml"],
    ["a/**/d.txt"],
    ["a/**/b/c/d.txt"],
    ["a/*/c"],
    ["**"],
    ["*"],
    ["*.txt", "!a/**"],
    ["?pp.py"],
    ["[a-c]pp.py"],
    ["[!a]pp.py"],
    ["weird\\[1\\].txt"],
    ["x\\?y.txt"],
    ["\\!important.txt"],
    ["space name.txt"],
    ["a**b"],
    ["*/fixtures/*"],
    ["/tests/fixtures/deep"],
    ["te*/fix*/"],
    # Patterns for any directory share one prefix in `GlobList`'s first test; mixed with others.
    ["*.lock", "**/settings.py", "/tests/fixtures/deep", "[!a]pp.py", "x\\?y.txt", "docs/"],
    ["package-lock.json", "tests/**", "!tests/unit/**", "*.md", "a/*/c", "**/fixtures/**"],
]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("globs")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    for path in PATHS:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x\n")
    return root


def git_ignored(root: Path, patterns: list[str]) -> set[str]:
    (root / ".gitignore").write_text("\n".join(patterns) + "\n")
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin", "-z"],
        cwd=root,
        input="\0".join(PATHS) + "\0",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return {path for path in result.stdout.split("\0") if path}


@pytest.mark.parametrize("patterns", CASES, ids=[" ".join(case) for case in CASES])
def test_globs_match_what_git_ignores(tree: Path, patterns: list[str]) -> None:
    expected = git_ignored(tree, patterns)
    globs = GlobList(patterns)

    matched = {path for path in PATHS if globs.match(path) is not None}

    assert matched == expected


def test_the_deciding_pattern_is_named() -> None:
    globs = GlobList(["*.md", "docs/**", "!docs/keep.md"])

    assert globs.match("docs/api/readme.md") == 1  # inside an excluded directory: stays excluded
    assert globs.match("notes.md") == 0
    assert globs.match("docs/keep.md") is None
    assert globs.match("app.py") is None


@pytest.mark.parametrize("pattern", ["", "!", "/", "[abc", "foo\\", "[z-a].txt"])
def test_invalid_globs(pattern: str) -> None:
    with pytest.raises(GlobError):
        compile_glob(pattern)


def test_scanned_paths_are_made_relative_to_the_root(tmp_path: Path) -> None:
    assert relative_path("./src/app.py", tmp_path) == "src/app.py"
    assert relative_path(str(tmp_path / "src" / "app.py"), tmp_path) == "src/app.py"
    assert relative_path("/elsewhere/app.py", tmp_path) == "/elsewhere/app.py"
    assert relative_path("src/app.py", None) == "src/app.py"
