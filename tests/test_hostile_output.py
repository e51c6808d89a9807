"""Names from a scanned repository cannot forge, hide or recolour output lines, and names that
are not UTF-8 keep every report valid."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GitRepo, fake_github_token, leakguard

# name on disk (bytes) -> how the text report shows it
HOSTILE_NAMES = {
    b"a\nHIGH     forged-rule  Forged finding": "a\\x0aHIGH     forged-rule  Forged finding",
    b"b\x1b[2K\rclean": "b\\x1b[2K\\x0dclean",
    b"c\x1b[31mred\x1b[0m": "c\\x1b[31mred\\x1b[0m",
    b"[red]d[bold]": "[red]d[bold]",
    "e\u202egnp.exe".encode(): "e\\u202egnp.exe",
    "f\u200bzero-width".encode(): "f\\u200bzero-width",
    b"g\xff\xfe-latin.txt": "g\\xff\\xfe-latin.txt",
}
HOSTILE_AUTHOR = "Eve\x1b[2K\rMallory\nHIGH"


def plant(directory: Path) -> None:
    for index, name in enumerate(HOSTILE_NAMES):
        token = fake_github_token(f"name-{index}")
        with open(os.fsencode(directory) + b"/" + name, "wb") as handle:
            handle.write(f'T = "{token}"\n'.encode())


def check_text(stdout: bytes) -> None:
    text = stdout.decode("utf-8")  # strict: the report is valid UTF-8
    assert "\x1b" not in text
    assert "\r" not in text
    assert "\u202e" not in text
    assert "\u200b" not in text
    at_lines = [line for line in text.splitlines() if line.strip().startswith("at ")]
    assert len(at_lines) == len(HOSTILE_NAMES)
    for shown in HOSTILE_NAMES.values():
        assert any(shown in line for line in at_lines), shown
    # Every block starts with a severity line of a real rule: none was forged.
    severity_lines = [line for line in text.splitlines() if line.startswith("HIGH")]
    assert all("github-pat" in line for line in severity_lines)
    assert len(severity_lines) == len(HOSTILE_NAMES)


def check_json(stdout: bytes) -> None:
    document = json.loads(stdout.decode("utf-8"))
    paths = {Path(f["location"]["path"]).name for f in document["findings"]}
    assert "g\\xff\\xfe-latin.txt" in paths
    assert len(paths) == len(HOSTILE_NAMES)


def run_bytes(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "leakguard", *args], capture_output=True, check=False
    )


@pytest.mark.parametrize("kind", ["git", "staged", "files"])
def test_hostile_names_are_escaped_in_every_source(repo: GitRepo, kind: str) -> None:
    repo.env["GIT_AUTHOR_NAME"] = HOSTILE_AUTHOR
    plant(repo.path)
    repo.git("add", "-A")
    if kind == "git":
        repo.git("commit", "-q", "-m", "names")

    text = run_bytes(kind, str(repo.path))
    report = run_bytes(kind, str(repo.path), "--format", "json")

    assert text.returncode == 1, text.stderr
    check_text(text.stdout)
    check_json(report.stdout)
    if kind == "git":
        assert b"Eve\\x1b[2K\\x0dMallory" in text.stdout  # git drops the newline itself


def test_hostile_names_in_issue_lines_and_error_messages(repo: GitRepo) -> None:
    name = "gone\n\x1b[32mOK: all clean"
    repo.write(name, "text\n")
    repo.commit("one")
    blob = repo.git("rev-parse", f"HEAD:{name}")
    (repo.path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()

    result = leakguard("git", str(repo.path))

    assert result.code == 2
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream
        assert "\nOK" not in stream
    assert "gone\\x0a\\x1b[32mOK: all clean" in result.stdout
    assert "gone\\x0a\\x1b[32mOK: all clean" in result.stderr


def test_revision_in_a_usage_error_is_escaped(repo: GitRepo) -> None:
    repo.commit("one", README="x\n")

    result = leakguard("git", str(repo.path), "--range", "main\x1b[2J..HEAD")

    assert result.code == 2
    assert "\x1b" not in result.stderr


def test_symlinks_are_listed_and_never_followed(repo: GitRepo, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(f'T = "{fake_github_token("outside")}"\n')
    (repo.path / "link-to-dir").symlink_to(outside)
    (repo.path / "link-to-file").symlink_to(outside / "secret.py")
    repo.commit("links", README="x\n")

    for kind in ("git", "staged", "files"):
        if kind == "staged":
            (repo.path / "staged-link").symlink_to(outside / "secret.py")
            repo.git("add", "staged-link")
        result = leakguard(kind, str(repo.path), "--format", "json")
        assert result.code == 0, (kind, result.stdout)
        skipped = {
            Path(i["path"]).name
            for i in result.json()["summary"]["issues"]
            if i["kind"] == "symlink"
        }
        expected = {"staged-link"} if kind == "staged" else {"link-to-dir", "link-to-file"}
        assert expected <= skipped, kind


def test_output_to_a_fifo_writes_into_it_and_leaves_it_a_fifo(
    repo: GitRepo, tmp_path: Path
) -> None:
    # As `--output /dev/null` or `/dev/stdout`: a rename over it, as root, would put a file
    # where the device was.
    repo.commit("token", **{"settings.py": f"TOKEN = '{fake_github_token('fifo')}'\n"})
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)

    result = leakguard("git", str(repo.path), "--format", "json", "--output", str(fifo))

    received, _ = reader.communicate(timeout=60)
    assert result.code == 1, result.stderr
    assert json.loads(received)["findings"]
    assert fifo.is_fifo()


def test_output_through_a_symlink_replaces_the_report_it_names(
    repo: GitRepo, tmp_path: Path
) -> None:
    repo.commit("token", **{"settings.py": f"TOKEN = '{fake_github_token('link')}'\n"})
    report = tmp_path / "reports" / "leakguard.json"
    report.parent.mkdir()
    report.write_text("old report\n")
    link = tmp_path / "latest.json"
    link.symlink_to(report)

    result = leakguard("git", str(repo.path), "--format", "json", "--output", str(link))

    assert result.code == 1, result.stderr
    assert link.is_symlink()
    assert json.loads(report.read_text())["findings"]
    assert sorted(path.name for path in report.parent.iterdir()) == ["leakguard.json"]
