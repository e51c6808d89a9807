"""Baselines: content-based entries that survive line moves, rebases and squashes, never hold a
value, and let a new secret on a baselined line through to the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leakguard.baseline import load_baseline
from leakguard.fingerprint import fingerprint, fingerprint_key
from leakguard.rule_examples import expand

from conftest import GitRepo, Result, fake_github_token, leakguard

BASELINE = ".leakguard-baseline.json"


def password(seed: str) -> str:
    return f"{expand('${rand:alnum:12}', seed)}!2"


def scan(repo: GitRepo, *extra: str) -> Result:
    return leakguard("git", str(repo.path), "--format", "json", *extra)


def fingerprints(result: Result) -> list[str]:
    return [finding["fingerprint"] for finding in result.json()["findings"]]


@pytest.fixture
def legacy(repo: GitRepo) -> GitRepo:
    """A repository with two known leaks, and a baseline of them."""
    repo.commit(
        "legacy",
        **{
            "settings.py": f'GITHUB = "{fake_github_token("legacy")}"\n',
            "deploy/env.sh": f"export DB_PASSWORD={password('legacy')}\n",
        },
    )
    created = leakguard("baseline", "create", str(repo.path))
    assert created.code == 0, created.stderr
    assert "2 entries" in created.stderr
    return repo


def test_a_baselined_repository_passes(legacy: GitRepo) -> None:
    assert scan(legacy).code == 0
    # Without the baseline the findings are still there.
    (legacy.path / BASELINE).rename(legacy.path / "elsewhere.json")
    assert scan(legacy).code == 1
    assert scan(legacy, "--baseline", str(legacy.path / "elsewhere.json")).code == 0


def test_the_baseline_holds_no_value(legacy: GitRepo) -> None:
    text = (legacy.path / BASELINE).read_text()

    # Not the values, nor any recognisable part of one (no 8-character piece of either).
    for value in (fake_github_token("legacy"), password("legacy")):
        assert not any(value[i : i + 8] in text for i in range(len(value) - 7))
    document = json.loads(text)
    assert set(document) == {"version", "tool", "hash", "entries"}
    assert len(document["hash"]["salt"]) == 32
    for entry in document["entries"]:
        assert set(entry) == {"rule_id", "path", "value_hash"}  # no line, no fingerprint
    # The hash is salted per baseline: another baseline of the same value differs.
    other = leakguard("baseline", "create", str(legacy.path), "-o", str(legacy.path / "b.json"))
    assert other.code == 0
    hashes = {e["value_hash"] for e in document["entries"]}
    assert hashes.isdisjoint(
        e.value_hash for e in load_baseline(legacy.path / "b.json").entries.values()
    )


def test_a_committed_baseline_scans_clean(legacy: GitRepo) -> None:
    legacy.commit("add the baseline")

    result = scan(legacy)

    assert result.code == 0
    assert result.json()["findings"] == []


def test_moving_lines_keeps_entries(legacy: GitRepo) -> None:
    settings = (legacy.path / "settings.py").read_text()
    legacy.commit("move", **{"settings.py": "import os\n\n\n# moved down\n" + settings})

    assert scan(legacy).code == 0


def test_rebase_and_squash_keep_entries(repo: GitRepo) -> None:
    repo.commit("base", README="hello\n")
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("leak", **{"app.py": f'TOKEN = "{fake_github_token("rebase")}"\n'})
    repo.commit("more", **{"notes.txt": "x\n"})
    assert leakguard("baseline", "create", str(repo.path)).code == 0
    repo.git("checkout", "-q", "main")
    repo.commit("main moves on", **{"app.py": "# header\n# more header\n"})
    repo.git("checkout", "-q", "feature")
    before = repo.git("rev-parse", "HEAD")

    repo.git("rebase", "-q", "-X", "theirs", "main")
    rebased = repo.git("rev-parse", "HEAD")
    repo.git("reset", "-q", "--soft", "main")
    repo.git("commit", "-q", "-m", "squashed")

    assert rebased != before
    text = (repo.path / "app.py").read_text()
    assert fake_github_token("rebase") in text
    result = scan(repo)
    assert result.code == 0, result.stdout
    assert scan(repo, "--since", "main").code == 0


def test_a_new_secret_on_a_baselined_line_is_reported(legacy: GitRepo) -> None:
    new = fake_github_token("replacement")
    legacy.commit("rotate", **{"settings.py": f'GITHUB = "{new}"\n'})

    result = scan(legacy, "--report-unused")

    (finding,) = result.json()["findings"]
    assert result.code == 1
    assert (finding["rule_id"], finding["location"]["path"]) == ("github-pat", "settings.py")
    # The old entry still matches the old commit; in the working tree scan it is unused.
    files = leakguard("files", ".", "--report-unused", cwd=legacy.path)
    assert files.code == 1
    assert "unused: " in files.stderr
    assert "github-pat at settings.py" in files.stderr


def test_the_same_value_at_another_path_is_a_new_finding(legacy: GitRepo) -> None:
    token = fake_github_token("legacy")
    # Not a byte-identical copy: history reads each blob once, under the first path it had.
    legacy.commit("copy", **{"copy.py": f'# copied\nGITHUB = "{token}"\n'})

    result = scan(legacy)

    assert [f["location"]["path"] for f in result.json()["findings"]] == ["copy.py"]


def test_baseline_applies_to_staged_changes(legacy: GitRepo) -> None:
    settings = (legacy.path / "settings.py").read_text()
    legacy.write("settings.py", "# edited\n" + settings)
    legacy.write("new.py", f'T = "{fake_github_token("staged-new")}"\n')
    legacy.git("add", "-A")

    result = leakguard("staged", str(legacy.path), "--format", "json")

    assert [f["location"]["path"] for f in result.json()["findings"]] == ["new.py"]


def test_update_adds_drops_keeps_reasons_and_is_stable(legacy: GitRepo) -> None:
    key = fingerprint_key()
    github = fingerprint("github-pat", "settings.py", fake_github_token("legacy"), key)
    accepted = leakguard("baseline", "accept", github, str(legacy.path), "--reason", "revoked")
    assert accepted.code == 0, accepted.stderr
    # A history without the old password and with two new ones (the old branch is gone).
    legacy.git("checkout", "-q", "--orphan", "rewritten")
    legacy.git("rm", "-q", "--cached", "deploy/env.sh")
    legacy.commit(
        "rewritten",
        **{
            "deploy/env.sh": None,
            "new.env": f"DB_PASSWORD={password('new')}\n",
            "more.env": f"DB_PASSWORD={password('more')}\n",
        },
    )
    legacy.git("branch", "-D", "main")
    base = legacy.path / BASELINE

    updated = leakguard("baseline", "update", str(legacy.path))
    text = base.read_text()
    again = leakguard("baseline", "update", str(legacy.path))

    assert updated.code == 0, updated.stderr
    assert "2 added, 1 removed, 1 kept (3 entries)" in updated.stderr
    assert "0 added, 0 removed, 3 kept" in again.stderr
    assert base.read_text() == text  # byte-identical
    entries = json.loads(text)["entries"]
    order = [(e["path"], e["rule_id"], e["value_hash"]) for e in entries]
    assert order == sorted(order)
    kept = next(e for e in entries if e["rule_id"] == "github-pat")
    assert kept["reason"] == "revoked"
    assert scan(legacy).code == 0


def test_accept_records_reason_and_decider(repo: GitRepo) -> None:
    repo.commit("leak", **{"app.py": f'T = "{fake_github_token("accept")}"\n'})
    fingerprint = fingerprints(scan(repo))[0]

    result = leakguard(
        "baseline",
        "accept",
        fingerprint,
        str(repo.path),
        "--reason",
        "fictional token in a test fixture",
        "--by",
        "security officer",
    )

    assert result.code == 0, result.stderr
    (entry,) = load_baseline(repo.path / BASELINE).entries.values()
    assert entry.reason == "fictional token in a test fixture"
    assert entry.decided_by == "security officer"
    assert scan(repo).code == 0


def test_accept_from_the_staged_changes(repo: GitRepo) -> None:
    repo.commit("base", README="x\n")
    repo.write("fixture.py", f'T = "{fake_github_token("staged-accept")}"\n')
    repo.git("add", "fixture.py")
    blocked = leakguard("staged", str(repo.path), "--format", "json")
    fingerprint = fingerprints(blocked)[0]

    accepted = leakguard(
        "baseline", "accept", fingerprint, str(repo.path), "--staged", "--reason", "fixture"
    )

    assert blocked.code == 1
    assert accepted.code == 0, accepted.stderr
    assert leakguard("staged", str(repo.path)).code == 0


def test_accept_errors(repo: GitRepo) -> None:
    repo.commit("leak", **{"app.py": f'T = "{fake_github_token("errors")}"\n'})
    fingerprint = fingerprints(scan(repo))[0]
    other = fingerprint[:-4] + ("0000" if not fingerprint.endswith("0000") else "1111")

    missing = leakguard("baseline", "accept", other, str(repo.path), "--reason", "x")
    malformed = leakguard(
        "baseline", "accept", "not-a-fingerprint", str(repo.path), "--reason", "x"
    )
    no_reason = leakguard("baseline", "accept", fingerprint, str(repo.path))

    assert missing.code == 2
    assert "no finding with fingerprint" in missing.stderr
    assert malformed.code == 2
    assert "is not a fingerprint" in malformed.stderr
    assert no_reason.code == 2
    assert not (repo.path / BASELINE).exists()


def test_create_refuses_to_overwrite(legacy: GitRepo) -> None:
    again = leakguard("baseline", "create", str(legacy.path))
    forced = leakguard("baseline", "create", str(legacy.path), "--force")

    assert again.code == 2
    assert "baseline update" in again.stderr
    assert forced.code == 0


def test_create_to_a_configured_path(repo: GitRepo) -> None:
    repo.commit("leak", **{"app.py": f'T = "{fake_github_token("configured")}"\n'})
    repo.write(".leakguard.yaml", "baseline: ci/known-findings.json\n")
    (repo.path / "ci").mkdir()

    created = leakguard("baseline", "create", str(repo.path))

    assert created.code == 0
    assert (repo.path / "ci" / "known-findings.json").is_file()
    assert scan(repo).code == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "(top)"),
        ('{"version": 2}', "version"),
        ('{"version": 1, "hash": {"algorithm": "md5"}}', "hash.algorithm"),
        (
            '{"version": 1, "hash": {"algorithm": "pbkdf2-sha256", "iterations": 10,'
            ' "salt": "00"}}',
            "hash.iterations",
        ),
        (
            '{"version": 1, "hash": {"algorithm": "pbkdf2-sha256", "iterations": 2000,'
            ' "salt": "zz"}}',
            "hash.salt",
        ),
        (
            '{"version": 1, "hash": {"algorithm": "pbkdf2-sha256", "iterations": 2000,'
            ' "salt": "00112233445566778899aabbccddeeff"}, "entries": [{"rule_id": "x"}]}',
            "entries[0]",
        ),
        (
            '{"version": 1, "hash": {"algorithm": "pbkdf2-sha256", "iterations": 2000,'
            ' "salt": "00112233445566778899aabbccddeeff"}, "entries": [{"rule_id": "x",'
            ' "path": "a", "value_hash": "00112233445566778899aabbccddeeff", "line": 3}]}',
            "unknown key(s) line",
        ),
    ],
)
def test_a_damaged_baseline_is_exit_2(repo: GitRepo, text: str, message: str) -> None:
    repo.commit("one", README="x\n")
    repo.write(BASELINE, text)

    result = scan(repo)

    assert result.code == 2
    assert BASELINE in result.stderr
    assert message in result.stderr


def test_a_named_baseline_must_exist(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("one", README="x\n")

    option = scan(repo, "--baseline", str(tmp_path / "missing.json"))
    repo.write(".leakguard.yaml", "baseline: missing.json\n")
    configured = scan(repo)

    assert option.code == 2
    assert configured.code == 2
    assert "leakguard baseline create" in configured.stderr
