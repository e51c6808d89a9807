"""The parsed built-in rules and the compiled pattern database are cached on disk; the cache
must never serve a stale rule set, nor a damaged database."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from leakguard import ruleset
from leakguard.detectors.prefilter import AnyMatch, build_prefilter
from leakguard.ruleset import load_builtin_rules

from conftest import fake_github_token


@pytest.fixture
def rules_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the built-in rules and an empty cache."""
    copy = tmp_path / "rules"
    shutil.copytree(ruleset.builtin_rules_dir(), copy)
    monkeypatch.setattr(ruleset, "builtin_rules_dir", lambda: copy)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return copy


def cache_entries(rules_copy: Path) -> list[Path]:
    return sorted((rules_copy.parent / "cache" / "leakguard").glob("rules-*.json"))


def described(rule_id: str) -> str:
    return next(rule.description for rule in load_builtin_rules() if rule.id == rule_id)


def test_second_load_comes_from_the_cache_and_equals_the_first(rules_copy: Path) -> None:
    parsed = load_builtin_rules()
    assert len(cache_entries(rules_copy)) == 1
    assert load_builtin_rules() == parsed


def test_an_edited_rule_file_is_parsed_again(rules_copy: Path) -> None:
    path = rules_copy / "pii-nl" / "bsn.yaml"
    load_builtin_rules()
    text = path.read_text()
    rule_id = "pii-nl-bsn"
    before = described(rule_id)
    path.write_text(text.replace(before, before + " (edited)", 1))
    assert described(rule_id) == before + " (edited)"


def test_an_edit_that_keeps_the_size_is_seen_by_its_time(rules_copy: Path) -> None:
    path = rules_copy / "pii-nl" / "bsn.yaml"
    load_builtin_rules()
    rule_id = "pii-nl-bsn"
    before = described(rule_id)
    edited = before[:-1] + ("X" if before[-1] != "X" else "Y")
    status = path.stat()
    path.write_text(path.read_text().replace(before, edited, 1))
    assert path.stat().st_size == status.st_size
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))
    assert described(rule_id) == edited


def test_a_damaged_cache_entry_is_parsed_again(rules_copy: Path) -> None:
    parsed = load_builtin_rules()
    (entry,) = cache_entries(rules_copy)
    entry.write_bytes(b'[{"id": "truncated')
    assert load_builtin_rules() == parsed


@pytest.mark.parametrize("where", [0, 4, 1000, -1])
def test_a_damaged_pattern_database_is_compiled_again(rules_copy: Path, where: int) -> None:
    pytest.importorskip("hyperscan")
    rules = list(load_builtin_rules())
    text = f'TOKEN = "{fake_github_token()}"\n'.encode()
    found = build_prefilter(rules, "hyperscan").scan(text)
    (entry,) = (rules_copy.parent / "cache" / "leakguard").glob("hs-*.db")
    damaged = bytearray(entry.read_bytes())
    damaged[where] ^= 0x20
    entry.write_bytes(bytes(damaged))

    assert found
    assert build_prefilter(rules, "hyperscan").scan(text) == found
    assert entry.read_bytes() != bytes(damaged)  # compiled and written again


def test_a_small_database_is_cached_and_a_pattern_hyperscan_refuses_is_searched_with_re(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`AnyMatch` (whether a fragment holds an INSERT statement) compiles once per machine, not
    once per worker; a regex Hyperscan cannot take is left to `re`."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    statement = [rb"insert\s+into"]
    compiled, loaded = AnyMatch(statement), AnyMatch(statement)
    assert len(list((tmp_path / "cache" / "leakguard").glob("hs-*.db"))) == 1
    for finder in (compiled, loaded):
        assert [finder.search(text) for text in (b"INSERT\n INTO t", b"insert", b"")] == [
            True,
            False,
            False,
        ]
    refused = AnyMatch([rb"(?<=a)b"])  # a lookbehind: RE2 and Hyperscan have none
    assert [refused.search(text) for text in (b"ab", b"cb")] == [True, False]
