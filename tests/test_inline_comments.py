"""Inline allow comments in the comment syntax of each language, and what they must not allow."""

from __future__ import annotations

import pytest

from leakguard.filters.inline import InlineAllowFilter
from leakguard.models import Candidate, Category, Origin, Severity
from leakguard.ruleset import Rule
from leakguard.sources import ScanUnit

from conftest import GitRepo, fake_github_token, leakguard

KNOWN = {"github-pat", "generic-password-assignment", "aws-access-key-id"}
UNIT = ScanUnit(path="x", origin=Origin.FILE, sequence=0)
VALUE = "VALUE"  # the filter never looks at the value: a stand-in is enough


def rule(rule_id: str = "github-pat") -> Rule:
    return Rule(rule_id, "d", "(?P<secret>x)", Severity.HIGH, Category.SECRET)


def reason(line: str, previous: str = "", rule_id: str = "github-pat") -> str | None:
    candidate = Candidate(rule_id, VALUE, 2, 1, 2, 6, line_text=line, previous_line_text=previous)
    return InlineAllowFilter(KNOWN).drop_reason(candidate, UNIT, rule(rule_id))


SAME_LINE = {
    "python": 'TOKEN = "VALUE"  # leakguard:allow',
    "shell": "export TOKEN=VALUE # leakguard:allow",
    "yaml": "token: VALUE  # leakguard:allow github-pat",
    "javascript": 'const token = "VALUE"; // leakguard:allow',
    "c-block": 'char *t = "VALUE"; /* leakguard:allow github-pat */',
    "sql": "INSERT INTO t VALUES ('VALUE'); -- leakguard:allow",
    "html": '<meta content="VALUE"> <!-- leakguard:allow -->',
    "html-with-rule": '<meta content="VALUE"><!--leakguard:allow github-pat-->',
    "jsx": '<Key value="VALUE" /> {/* leakguard:allow */}',
    "ini": "token = VALUE ; leakguard:allow",
    "tex": "\\newcommand{\\token}{VALUE} % leakguard:allow",
    "batch": "set TOKEN=VALUE & REM leakguard:allow",
    "rule-list": "t = VALUE  # leakguard:allow generic-password-assignment, github-pat",
    "with-reason": "t = VALUE  # leakguard:allow github-pat -- fixture, revoked 2024",
    "reason-only": "t = VALUE  # leakguard:allow -- fixture from the vendor's docs",
    "colon-reason": "t = VALUE  # leakguard:allow: fixture",
    "upper-case": "t = VALUE  # LEAKGUARD:ALLOW",
    "gitleaks": 't = "VALUE" # gitleaks:allow',
    "detect-secrets": "t = VALUE  # pragma: allowlist secret",
    "detect-secrets-compact": "t = VALUE  // pragma:allowlist secret",
}


@pytest.mark.parametrize("line", SAME_LINE.values(), ids=SAME_LINE.keys())
def test_same_line_comment_allows(line: str) -> None:
    assert reason(line) == "inline allow comment at line 2"


NEXT_LINE = {
    "python": "# leakguard:allow-next-line",
    "javascript": "// leakguard:allow-next-line github-pat",
    "html": "<!-- leakguard:allow-next-line -->",
    "sql": "-- leakguard:allow-next-line",
    "css": "/* leakguard:allow-next-line github-pat */",
    "detect-secrets": "# pragma: allowlist nextline secret",
}


@pytest.mark.parametrize("previous", NEXT_LINE.values(), ids=NEXT_LINE.keys())
def test_next_line_comment_allows_the_line_below(previous: str) -> None:
    assert reason("token = VALUE", previous) == "inline allow-next-line comment at line 1"


NOT_ALLOWED = {
    "other-rule-only": ("t = VALUE  # leakguard:allow generic-password-assignment", ""),
    "unknown-rule": ("t = VALUE  # leakguard:allow github-pta", ""),
    "words-not-rules": ("t = VALUE  # leakguard:allow test data", ""),
    "one-unknown-in-list": ("t = VALUE  # leakguard:allow github-pat, nope", ""),
    "longer-word": ("t = VALUE  # leakguard:allowed", ""),
    "next-line-on-same-line": ("t = VALUE  # leakguard:allow-next-line", ""),
    "same-line-marker-above": ("t = VALUE", "x = 1  # leakguard:allow"),
    "next-line-for-other-rule": ("t = VALUE", "# leakguard:allow-next-line aws-access-key-id"),
    "misspelt": ("t = VALUE  # leakguard-allow", ""),
    "pragma-next-on-same-line": ("t = VALUE  # pragma: allowlist nextline secret", ""),
    "nothing": ("t = VALUE", "# an ordinary comment"),
}


@pytest.mark.parametrize(("line", "previous"), NOT_ALLOWED.values(), ids=NOT_ALLOWED.keys())
def test_what_a_comment_does_not_allow(line: str, previous: str) -> None:
    assert reason(line, previous) is None


def test_a_comment_on_line_one_has_no_line_before() -> None:
    candidate = Candidate("github-pat", VALUE, 1, 1, 1, 6, previous_line_text="# leakguard:allow")
    assert InlineAllowFilter(KNOWN).drop_reason(candidate, UNIT, rule()) is None


def test_comments_in_real_files_of_several_languages(repo: GitRepo) -> None:
    tokens = [fake_github_token(f"inline-{n}") for n in range(8)]
    files = {
        "app.py": f'A = "{tokens[0]}"  # leakguard:allow github-pat\nB = "{tokens[1]}"\n',
        "web/app.js": f'// leakguard:allow-next-line\nconst a = "{tokens[2]}";\n',
        "config.yaml": f"token: {tokens[3]}  # gitleaks:allow\n",
        "db/seed.sql": f"INSERT INTO t VALUES ('{tokens[4]}'); -- leakguard:allow\n",
        "site/index.html": f'<meta name="t" content="{tokens[5]}"> <!-- leakguard:allow -->\n',
        "deploy.sh": f"# pragma: allowlist nextline secret\nexport T={tokens[6]}\n",
        "other.py": f'C = "{tokens[7]}"  # leakguard:allow generic-password-assignment\n',
    }
    repo.commit("many languages", **files)

    result = leakguard("git", str(repo.path), "--format", "json", "--explain")

    paths = sorted(
        (f["location"]["path"], f["location"]["line"]) for f in result.json()["findings"]
    )
    assert paths == [("app.py", 2), ("other.py", 1)]
    assert result.stderr.count("inline allow") == 6
    assert not any(token in result.stdout + result.stderr for token in tokens)
