"""`leakguard staged`, `leakguard files` and `leakguard stdin`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from leakguard import cli, runner

from conftest import GitRepo, fake_github_token, leakguard


def test_staged_reports_what_is_staged_only(repo: GitRepo) -> None:
    repo.commit("base", **{"a.py": "x = 1\n"})
    staged, unstaged = fake_github_token("staged"), fake_github_token("unstaged")
    repo.write("b.py", f'T = "{staged}"\n')
    repo.git("add", "b.py")
    repo.write("c.py", f'T = "{unstaged}"\n')  # in the work tree, not in the index

    result = leakguard("staged", str(repo.path), "--format", "json")

    assert result.code == 1, result.stderr
    assert [f["location"]["path"] for f in result.json()["findings"]] == ["b.py"]
    assert result.json()["findings"][0]["location"]["commit"] is None


def test_staged_reads_the_index_not_the_work_tree(repo: GitRepo) -> None:
    repo.commit("base", **{"a.py": "x = 1\n"})
    repo.write("a.py", f'T = "{fake_github_token("index")}"\n')
    repo.git("add", "a.py")
    repo.write("a.py", "x = 2\n")  # the leak is still in the index

    assert leakguard("staged", str(repo.path)).code == 1


def test_staged_ignores_values_already_committed(repo: GitRepo) -> None:
    repo.commit("old leak", **{"a.py": f'T = "{fake_github_token("old")}"\n'})
    repo.write("a.py", f'T = "{fake_github_token("old")}"\nY = 2\n')
    repo.git("add", "a.py")

    assert leakguard("staged", str(repo.path)).code == 0


def test_staged_in_a_repository_without_commits(repo: GitRepo) -> None:
    repo.write("first.py", f'T = "{fake_github_token("first")}"\n')
    repo.git("add", "first.py")

    result = leakguard("staged", str(repo.path), "--format", "json")

    assert result.code == 1, result.stderr
    assert result.json()["findings"][0]["location"]["path"] == "first.py"


def test_nothing_staged_is_clean(repo: GitRepo) -> None:
    repo.commit("base", **{"a.py": "x = 1\n"})

    assert leakguard("staged", str(repo.path)).code == 0


# --- the hook's own command line, run without click -----------------------------------------


def test_hook_command_line_has_the_click_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[tuple[runner.Options, Path]] = []
    monkeypatch.setattr(cli, "scan_staged", lambda options, repo: parsed.append((options, repo)))

    cli.cli.main(["staged"], standalone_mode=False)

    assert parsed == [(runner.Options(), Path("."))]


def test_hook_command_line_does_not_import_click(repo: GitRepo) -> None:
    probe = (
        "import sys\n"
        "from leakguard.runner import main\n"
        "sys.argv = ['leakguard', 'staged']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    print('click' in sys.modules, exit.code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=repo.path, capture_output=True, text=True, check=False
    )

    assert result.stdout.splitlines()[-1] == "False 0", result.stderr  # after the report


@pytest.mark.parametrize("case", ["clean", "finding", "broken config", "not a repository"])
def test_hook_command_line_answers_as_the_click_command_line(
    repo: GitRepo, tmp_path: Path, case: str
) -> None:
    where = repo.path
    repo.commit("base", **{"a.py": "x = 1\n"})
    if case == "finding":
        repo.write("b.py", f'T = "{fake_github_token("hook")}"\n')
        repo.git("add", "b.py")
    elif case == "broken config":
        repo.write(".leakguard.yaml", "rules: [unclosed\n")
    elif case == "not a repository":
        where = tmp_path / "plain"
        where.mkdir()

    hook = leakguard("staged", cwd=where)  # exactly what the pre-commit hook runs
    parsed = leakguard("staged", ".", cwd=where)  # the same, through click

    assert hook.code == parsed.code == {"clean": 0, "finding": 1}.get(case, 2)
    assert _without_timing(hook.stdout) == _without_timing(parsed.stdout)
    assert _without_timing(hook.stderr) == _without_timing(parsed.stderr)


def _without_timing(text: str) -> str:
    return re.sub(r"in \d+\.\d+s", "in Ns", text)


def test_files_scans_directories_and_files(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "settings.py").write_text(f'T = "{fake_github_token("file")}"\n')
    (tmp_path / "notes.txt").write_text("nothing here\n")

    result = leakguard("files", str(tmp_path), "--format", "json")

    assert result.code == 1
    [finding] = result.json()["findings"]
    assert finding["location"]["path"].endswith("src/settings.py")
    assert leakguard("files", str(tmp_path / "notes.txt")).code == 0


def test_files_skips_binary_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01" + fake_github_token("bin").encode())

    result = leakguard("files", str(tmp_path), "--format", "json")

    assert result.code == 0
    assert result.json()["summary"]["skipped"] == {"binary": 1}


def test_files_reads_utf16(tmp_path: Path) -> None:
    text = f'T = "{fake_github_token("utf16")}"\n'
    (tmp_path / "win.txt").write_bytes(text.encode("utf-16"))

    result = leakguard("files", str(tmp_path), "--format", "json")

    assert result.code == 1
    assert result.json()["findings"][0]["location"]["line"] == 1


def test_stdin_with_a_name() -> None:
    text = f"line one\nexport TOKEN={fake_github_token('stdin')}\n"

    result = leakguard("stdin", "--name", "pasted.env", "--format", "json", stdin=text.encode())

    assert result.code == 1
    [finding] = result.json()["findings"]
    assert finding["location"]["path"] == "pasted.env"
    assert finding["location"]["line"] == 2


def test_stdin_clean() -> None:
    assert leakguard("stdin", stdin=b"hello\n").code == 0
