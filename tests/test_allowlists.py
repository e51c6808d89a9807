"""Every kind of allowlist entry, global and per rule, with `--explain` and `--report-unused`."""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.rule_examples import expand

from conftest import GitRepo, Result, fake_github_token, leakguard


def password_line(seed: str) -> str:
    return f"DB_PASSWORD={expand('${rand:alnum:12}', seed)}!2"


def scan(repo: GitRepo, config: str, *extra: str) -> Result:
    repo.write(".leakguard.yaml", config)
    return leakguard("git", str(repo.path), "--format", "json", *extra)


def reported(result: Result) -> set[tuple[str, str]]:
    return {(f["rule_id"], f["location"]["path"]) for f in result.json()["findings"]}


@pytest.fixture
def leaky(repo: GitRepo) -> GitRepo:
    """Two GitHub tokens and a password in three files, in two commits."""
    repo.commit(
        "fixtures",
        **{
            "tests/fixtures/tokens.txt": f"fixture_token = {fake_github_token('fixture')}\n",
            "src/settings.py": f'GITHUB = "{fake_github_token("real")}"\n{password_line("pw")}\n',
        },
    )
    repo.commit("more", **{"deploy/env.sh": f"export {password_line('deploy')}\n"})
    return repo


ALL = {
    ("github-pat", "tests/fixtures/tokens.txt"),
    ("github-pat", "src/settings.py"),
    ("generic-password-assignment", "src/settings.py"),
    ("generic-password-assignment", "deploy/env.sh"),
}


def test_without_allowlists_everything_is_reported(leaky: GitRepo) -> None:
    assert reported(scan(leaky, "fail_on: info\n")) == ALL


def test_paths(leaky: GitRepo) -> None:
    result = scan(
        leaky, "allowlists:\n  - paths: ['tests/fixtures/', 'deploy/*.sh']\n", "--explain"
    )

    assert reported(result) == ALL - {
        ("github-pat", "tests/fixtures/tokens.txt"),
        ("generic-password-assignment", "deploy/env.sh"),
    }
    assert "allowlist allowlists[0].paths[0] 'tests/fixtures/'" in result.stderr
    assert "allowlist allowlists[0].paths[1] 'deploy/*.sh'" in result.stderr


def test_negated_path_is_still_reported(leaky: GitRepo) -> None:
    result = scan(leaky, "allowlists:\n  - paths: ['*.txt', '*.sh', '!deploy/env.sh']\n")

    assert ("generic-password-assignment", "deploy/env.sh") in reported(result)
    assert ("github-pat", "tests/fixtures/tokens.txt") not in reported(result)


def test_values_regex_sees_only_the_value(leaky: GitRepo) -> None:
    token = fake_github_token("fixture")
    result = scan(leaky, f"allowlists:\n  - values: ['^{token[:12]}']\n")

    assert reported(result) == ALL - {("github-pat", "tests/fixtures/tokens.txt")}


def test_lines_regex_sees_the_line(leaky: GitRepo) -> None:
    result = scan(leaky, "allowlists:\n  - lines: ['^fixture_token = ']\n")

    assert reported(result) == ALL - {("github-pat", "tests/fixtures/tokens.txt")}


def test_stopwords_in_any_case(repo: GitRepo) -> None:
    secret = f"{expand('${rand:alnum:6}', 's')}AcmeDemo{expand('${rand:alnum:6}', 't')}"
    repo.commit("demo", **{"demo.env": f"DB_PASSWORD={secret}\n"})

    result = scan(repo, "allowlists:\n  - stopwords: [acmedemo]\n", "--explain")

    assert reported(result) == set()
    assert "allowlist allowlists[0].stopwords 'acmedemo'" in result.stderr
    assert secret not in result.stderr + result.stdout


def test_commits(leaky: GitRepo) -> None:
    first = leaky.git("rev-list", "--max-parents=0", "HEAD")

    short = scan(leaky, f"allowlists:\n  - commits: ['{first[:10]}']\n")
    full = scan(leaky, f"allowlists:\n  - commits: ['{first.upper()}']\n")

    assert reported(short) == {("generic-password-assignment", "deploy/env.sh")}
    assert reported(full) == reported(short)


def test_per_rule_allowlist_leaves_other_rules_alone(leaky: GitRepo) -> None:
    result = scan(
        leaky,
        "allowlists:\n"
        "  - description: passwords in settings are dummies\n"
        "    rules: [generic-password-assignment]\n"
        "    paths: [src/]\n",
    )

    assert reported(result) == ALL - {("generic-password-assignment", "src/settings.py")}


def test_a_new_secret_on_a_line_allowed_by_value_is_reported(repo: GitRepo) -> None:
    old = fake_github_token("old")
    repo.commit("old", **{"app.py": f'TOKEN = "{old}"\n'})
    repo.commit("new", **{"app.py": f'TOKEN = "{fake_github_token("new")}"\n'})

    result = scan(repo, f"allowlists:\n  - values: ['^{old}$']\n")

    assert len(result.json()["findings"]) == 1
    assert result.code == 1


def test_report_unused_lists_entries_that_matched_nothing(leaky: GitRepo) -> None:
    result = scan(
        leaky,
        "allowlists:\n"
        "  - paths: ['tests/fixtures/', 'vendor/**']\n"
        "    values: ['^never-matches$']\n"
        "    stopwords: [zzzunusedword]\n"
        "    commits: ['0000000000']\n"
        "  - rules: [github-pat]\n"
        "    lines: ['DB_PASSWORD']\n",
        "--report-unused",
    )

    unused = [line for line in result.stderr.splitlines() if "unused:" in line]
    assert len(unused) == 5
    text = "\n".join(unused)
    for entry in (
        "allowlists[0].paths[1] 'vendor/**'",
        "allowlists[0].values[0] '^never-matches$'",
        "allowlists[0].stopwords 'zzzunusedword'",
        "allowlists[0].commits '0000000000'",
        "allowlists[1].lines[0] 'DB_PASSWORD'",  # scoped to another rule: matched nothing
    ):
        assert entry in text
    assert "paths[0]" not in text


def test_report_unused_counts_an_entry_that_matched_a_later_sighting_only(repo: GitRepo) -> None:
    """A value seen twice at one path is one finding, where it was first seen; the scan does
    not ask the filters about later sightings, except for `--report-unused`, to which an entry
    matching only the second line is in use."""
    token = fake_github_token("twice")
    repo.commit("twice", **{"app.py": f'TOKEN = "{token}"\nBACKUP = "{token}"  # rotated\n'})
    config = "allowlists:\n  - lines: ['# rotated']\n"

    result = scan(repo, config, "--report-unused")
    plain = scan(repo, config)

    assert "unused:" not in result.stderr
    for outcome in (result, plain):
        (finding,) = outcome.json()["findings"]
        assert finding["location"]["line"] == 1


def test_report_unused_on_part_of_the_history_says_so(leaky: GitRepo) -> None:
    leaky.write(".leakguard.yaml", "allowlists:\n  - paths: ['vendor/**']\n")

    result = leakguard("git", str(leaky.path), "--since", "HEAD~1", "--report-unused")

    assert "did not read the whole history" in result.stderr


def test_files_scan_paths_are_relative_to_the_current_directory(leaky: GitRepo) -> None:
    leaky.write(".leakguard.yaml", "allowlists:\n  - paths: ['/tests/fixtures/']\n")

    relative = leakguard("files", "tests", "--format", "json", cwd=leaky.path)
    absolute = leakguard("files", str(leaky.path / "tests"), "--format", "json", cwd=leaky.path)

    assert relative.json()["findings"] == []
    assert absolute.json()["findings"] == []


def test_pii_allowlists_reach_the_recognizers(tmp_path: Path) -> None:
    bsn = expand("${gen:bsn}", "allow-pii")
    iban = expand("${gen:iban:NL}", "allow-pii")
    email = expand("${gen:email}", "allow-pii")
    domain = email.rpartition("@")[2]
    people = tmp_path / "people.yaml"
    people.write_text(
        f"bsn: {bsn}\niban: {iban}\nemail: {email}\ncontact_email: team-data@elders.invalid\n"
    )
    spaced_iban = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)).lower()

    before = leakguard("files", str(people), "--format", "json", cwd=tmp_path)
    (tmp_path / ".leakguard.yaml").write_text(
        "pii:\n"
        f"  test_identifiers: ['{bsn}']\n"
        f"  organisation_ibans: ['{spaced_iban}']\n"
        f"  organisation_domains: [{domain}]\n"
        "  role_mailboxes: [team-data]\n"
    )
    after = leakguard("files", str(people), "--format", "json", "--explain", cwd=tmp_path)

    assert {f["rule_id"] for f in before.json()["findings"]} >= {
        "pii-nl-bsn",
        "pii-nl-iban",
        "pii-nl-email",
    }
    assert after.json()["findings"] == []
    assert after.code == 0
    assert not any(value in after.stderr for value in (bsn, iban, email))
