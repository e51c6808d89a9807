"""`--explain` and `leakguard explain FINGERPRINT`: every decision named, no value shown."""

from __future__ import annotations

import pytest

from leakguard.fingerprint import fingerprint, fingerprint_key
from leakguard.rule_examples import expand

from conftest import GitRepo, fake_github_token, leakguard

PLACEHOLDER = "ghp_" + "x" * 36


@pytest.fixture
def decided(repo: GitRepo) -> GitRepo:
    """One value of each fate: reported, placeholder, bad checksum, comment, allowlist, baseline."""
    repo.commit(
        "values",
        **{
            "reported.py": f'T = "{fake_github_token("reported")}"\n',
            "placeholder.py": f'T = "{PLACEHOLDER}"\n',
            "checksum.py": f'T = "{bad_checksum()}"\n',
            "comment.py": f'T = "{fake_github_token("comment")}"  # leakguard:allow\n',
            "vendor/lib.py": f'T = "{fake_github_token("vendor")}"\n',
            "known.py": f'T = "{fake_github_token("known")}"\n',
        },
    )
    repo.write(".leakguard.yaml", "allowlists:\n  - description: vendored\n    paths: [vendor/]\n")
    known = fingerprint("github-pat", "known.py", fake_github_token("known"), fingerprint_key())
    accepted = leakguard("baseline", "accept", known, str(repo.path), "--reason", "revoked")
    assert accepted.code == 0, accepted.stderr
    return repo


def bad_checksum() -> str:
    return "ghp_" + expand("${rand:alnum:36}", "bad-checksum")


def values() -> list[str]:
    return [fake_github_token(seed) for seed in ("reported", "comment", "vendor", "known")] + [
        PLACEHOLDER,
        bad_checksum(),
    ]


def test_explain_names_every_filter_and_check(decided: GitRepo) -> None:
    result = leakguard("git", str(decided.path), "--format", "json", "--explain", "--show-values")

    lines = result.stderr.splitlines()

    def line_for(path: str) -> str:
        return next(line for line in lines if f" at {path}:" in line)

    assert result.code == 1
    assert [f["location"]["path"] for f in result.json()["findings"]] == ["reported.py"]
    assert "placeholder" in line_for("placeholder.py")
    assert "failed github-checksum check" in line_for("checksum.py")
    assert "inline allow comment at line 1" in line_for("comment.py")
    assert "allowlist allowlists[0].paths[0] 'vendor/'" in line_for("vendor/lib.py")
    assert "baseline entry" in line_for("known.py")
    assert "revoked" in line_for("known.py")
    assert all("fingerprint github-pat:" in line_for(p) for p in ("checksum.py", "known.py"))
    # --show-values is for the report; explanations never show a value.
    assert not any(value in result.stderr for value in values())


def test_explain_fingerprint_follows_one_value(decided: GitRepo) -> None:
    key = fingerprint_key()

    def explain(path: str, value: str) -> tuple[int, str]:
        result = leakguard(
            "explain", fingerprint("github-pat", path, value, key), str(decided.path)
        )
        assert not any(v in result.stdout + result.stderr for v in values())
        return result.code, result.stdout

    code, text = explain("reported.py", fake_github_token("reported"))
    assert code == 0
    assert text.startswith("reported  github-pat at reported.py:1")
    code, text = explain("known.py", fake_github_token("known"))
    assert (code, text.split(":")[0]) == (0, "allowed   github-pat at known.py")
    assert "baseline entry" in text
    code, text = explain("checksum.py", bad_checksum())
    assert code == 0
    assert "rejected  github-pat at checksum.py:1:6: failed github-checksum check" in text
    code, text = explain("elsewhere.py", fake_github_token("reported"))
    assert (code, text) == (1, "")


def test_explain_rejects_what_is_not_a_fingerprint(decided: GitRepo) -> None:
    result = leakguard("explain", "github-pat", str(decided.path))

    assert result.code == 2
    assert "is not a fingerprint" in result.stderr


def test_explain_when_nothing_was_dropped(repo: GitRepo) -> None:
    repo.commit("clean", **{"app.py": "x = 1\n"})

    result = leakguard("git", str(repo.path), "--explain")

    assert result.code == 0
    assert "none was dropped or rejected" in result.stderr
