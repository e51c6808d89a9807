"""Shared fixtures: real git repositories in temporary directories, and leakguard as a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from leakguard.rule_examples import expand

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.invalid",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


class GitRepo:
    """A repository built commit by commit for a test."""

    def __init__(self, path: Path, home: Path) -> None:
        self.path = path
        self.env = {**os.environ, **GIT_IDENTITY, "HOME": str(home)}
        self._tick = 0
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        self._tick += 1
        date = f"2024-01-01T00:{self._tick // 60:02d}:{self._tick % 60:02d}+00:00"
        env = {**self.env, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        result = subprocess.run(
            ["git", *args], cwd=self.path, env=env, capture_output=True, text=True, check=True
        )
        return result.stdout.strip()

    def write(self, name: str, text: str | bytes) -> Path:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
        return target

    def commit(self, message: str, **files: str | bytes | None) -> str:
        """Write (or, for None, delete) files given as name=text, stage all, commit; the sha."""
        for name, text in files.items():
            name = name.replace("__", "/")
            if text is None:
                (self.path / name).unlink()
            else:
                self.write(name, text)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return GitRepo(tmp_path / "repo", tmp_path / "home")


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path_factory.getbasetemp() / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))


def leakguard(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> Result:
    """Run leakguard as a user would: a separate process, its exit code and both streams.
    After `timeout` seconds it is killed and `subprocess.TimeoutExpired` raised."""
    result = subprocess.run(
        [sys.executable, "-m", "leakguard", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=timeout,
    )
    return Result(
        result.returncode,
        result.stdout.decode("utf-8", errors="replace"),
        result.stderr.decode("utf-8", errors="replace"),
    )


def fake_github_token(seed: str = "test") -> str:
    """A token with a valid checksum, made at run time: no literal in the repository."""
    return expand("${gen:github-token:ghp}", seed)


def edited_versions(first: list[str], edits: list[tuple[str, int, str]]) -> list[str]:
    """The texts of a file's versions: its first lines, then after each edit (insert, replace,
    delete or join a line at a position, clamped to the lines there are)."""
    lines, texts = list(first), ["\n".join(first)]
    for kind, position, line in edits:
        position = min(position, len(lines))
        if kind == "insert":
            lines.insert(position, line)
        elif lines and kind == "replace":
            lines[min(position, len(lines) - 1)] = line
        elif lines and kind == "delete":
            del lines[min(position, len(lines) - 1)]
        elif position + 1 < len(lines):  # two lines become one
            lines[position : position + 2] = [lines[position] + lines[position + 1]]
        texts.append("\n".join(lines))
    return texts
