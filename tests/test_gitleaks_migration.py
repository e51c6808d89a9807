"""`leakguard init --from-gitleaks`: what converts exactly is carried over, the rest is listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leakguard.config import load_config
from leakguard.filters.paths import GlobList
from leakguard.gitleaks import regex_to_glob
from leakguard.rule_examples import expand

from conftest import GitRepo, leakguard

PATHS = [
    "yarn.lock",
    "web/yarn.lock",
    "lock",
    "package-lock.json",
    "web/package-lock.json",
    "web/my-package-lock.json",
    "vendor/lib.js",
    "src/vendor/lib.js",
    "vendored.txt",
    "go.sum",
    "x/ago.sum",
    "docs/a.md",
    "docsite/b.md",
    "a/b/c",
]


@pytest.mark.parametrize(
    "regex",
    [
        r"\.lock$",
        r"^vendor/",
        r"(^|/)vendor/",
        r"(^|/)package-lock\.json$",
        r"(?:^|/)b/c$",
        r"go\.sum$",
        r"^docs",
        r"^go\.sum$",
    ],
)
def test_converted_path_regexes_match_the_same_paths(regex: str) -> None:
    glob = regex_to_glob(regex)
    assert glob is not None

    globs = GlobList([glob])

    for path in PATHS:
        assert (globs.match(path) is not None) == bool(re.search(regex, path)), (glob, path)


@pytest.mark.parametrize(
    "regex", [r"(test|spec)", r"fixtures", r"\d+\.json$", r".*\.md$", "^a[bc]"]
)
def test_path_regexes_without_an_exact_glob_are_not_converted(regex: str) -> None:
    assert regex_to_glob(regex) is None


GITLEAKS = """
title = "team config"

[extend]
useDefault = true

[allowlist]
description = "global"
paths = ['''\\.lock$''', '''^vendor/''', '''(test|spec)''']
regexTarget = "line"
regexes = ['''FIXTURE''']
stopwords = ["acmedemo"]
commits = ["0123456789abcdef0123", "not-a-commit"]

[[allowlists]]
description = "for a gitleaks rule we do not have"
targetRules = ["generic-api-key-v2"]
regexes = ['''x''']

[[allowlists]]
condition = "AND"
paths = ['''^a/''']
regexes = ['''b''']

[[rules]]
id = "Acme_Key"
description = "ACME key"
regex = '''(acme|ACME)_key\\s*=\\s*"(acme_[a-z0-9]{24})"'''
secretGroup = 2
keywords = ["acme_"]
entropy = 2.5
path = '''\\.env$'''

  [[rules.allowlists]]
  regexes = ['''^acme_test''']
"""


def test_init_from_gitleaks(repo: GitRepo, tmp_path: Path) -> None:
    source = tmp_path / ".gitleaks.toml"
    source.write_text(GITLEAKS)

    result = leakguard("init", str(repo.path), "--from-gitleaks", str(source))

    assert result.code == 0, result.stderr
    config = load_config(repo.path / ".leakguard.yaml")
    text = (repo.path / ".leakguard.yaml").read_text()
    (rule,) = config.custom_rules
    assert rule.id == "acme-key"
    assert rule.keywords == ("acme_",)
    first = config.allowlists[0]
    assert first.paths == ("*.lock", "/vendor/")
    assert first.lines == ("FIXTURE",)
    assert first.stopwords == ("acmedemo",)
    assert first.commits == ("0123456789abcdef0123",)
    assert config.allowlists[1].rules == frozenset({"acme-key"})
    assert len(config.allowlists) == 2
    for left_out in ("(test|spec)", "not-a-commit", "generic-api-key-v2", "condition AND", "path"):
        assert left_out in result.stderr
        assert left_out in text

    value = "acme_" + expand("${rand:lowernum:24}", "gitleaks")
    repo.commit("key", **{"app.env": f'acme_key = "{value}"\n', "test.env": 'acme_key = "x"\n'})
    scanned = leakguard("git", str(repo.path), "--format", "json")
    assert [f["rule_id"] for f in scanned.json()["findings"]] == ["acme-key"]
