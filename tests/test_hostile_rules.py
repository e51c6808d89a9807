"""User-supplied rules: a pathological regex compiles with RE2 and costs work in proportion to the
input with either prefilter engine, and a regex RE2 cannot run in linear time is an error that
names the rule.

Work is counted, not timed (speed is measured in benchmarks/): the bytes the prefilter's RE2
searches cover, the bytes confirmed by the rule regex, and the characters walked to place its
matches at their lines and columns (Hyperscan's own pass is an automaton, linear by
construction). A count past its bound fails at once, so a regression fails fast instead of
running for minutes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import re2

from leakguard.detectors import prefilter
from leakguard.detectors.engine import Detector
from leakguard.detectors.text import FragmentText, Window
from leakguard.errors import RuleError
from leakguard.models import Candidate, Fragment, Origin
from leakguard.ruleset import Rule, parse_rule

from hostile import leakguard_unless_hung

ENGINES = ("hyperscan", "python")
RE2_REGEX = type(re2.compile(""))
# Before any test replaces them with counting ones.
COMPILE_TRIGGER = prefilter._latin1_re2
MAKE_WINDOW = FragmentText.window
USER_RULE = {"id": "user-rule", "description": "a user's rule", "placeholder_check": False}


def user_rule(regex: str) -> Rule:
    return parse_rule({**USER_RULE, "regex": regex}, ".leakguard.yaml")


@dataclass
class Work:
    """What one detection did, counted."""

    size: int  # bytes scanned
    regex_triggers: int = 0  # rule regexes the prefilter searches with RE2
    searched: int = 0  # bytes those searches covered, each from its start to its match's end
    confirmed: int = 0  # bytes of the windows the rule regex was run on
    placed: int = 0  # characters of those windows walked to place matches at (line, column)

    def search(self, start: int, end: int) -> None:
        self.searched += end - start
        # Each byte searched at most twice; before the fix, once per line that follows it.
        assert self.searched <= 2 * self.size, f"{self.searched} bytes searched"

    def confirm(self, start: int, end: int) -> None:
        self.confirmed += end - start
        assert self.confirmed <= self.size, f"{self.confirmed} bytes confirmed"

    def place(self, start: int, end: int) -> None:
        self.placed += end - start
        # Counted on from the previous match (a count and a find); before the fix, each match
        # was counted from its window's start.
        assert self.placed <= 2 * self.confirmed, f"{self.placed} characters walked"


class CountingRegex:
    """A prefilter regex that reports each search to `Work`: a search that finds nothing covers
    the rest of the text."""

    def __init__(self, regex: Any, work: Work) -> None:
        self._regex = regex
        self._work = work

    def search(self, data: bytes, position: int) -> Any:
        match = self._regex.search(data, position)
        self._work.search(position, len(data) if match is None else match.end())
        return match


class CountingText(str):
    """A window's text that reports to `Work` the characters its newline counts and searches
    walk: placing a match at its line and column."""

    work: Work

    def count(self, sub: str, start: int | None = None, end: int | None = None) -> int:
        self.work.place(start or 0, len(self) if end is None else end)
        return super().count(sub, start, end)

    def rfind(self, sub: str, start: int | None = None, end: int | None = None) -> int:
        self.work.place(start or 0, len(self) if end is None else end)
        return super().rfind(sub, start, end)


def counted_detect(
    monkeypatch: pytest.MonkeyPatch, rule: Rule, engine: str, data: bytes
) -> tuple[Work, list[Candidate]]:
    work = Work(len(data))

    def counting_compile(pattern: str) -> CountingRegex:
        regex = COMPILE_TRIGGER(pattern)
        assert isinstance(regex, RE2_REGEX)  # linear time, whatever the pattern
        work.regex_triggers += 1
        return CountingRegex(regex, work)

    def counting_window(self: FragmentText, start: int, end: int) -> Window:
        work.confirm(start, end)
        window = MAKE_WINDOW(self, start, end)
        window.text = CountingText(window.text)
        window.text.work = work
        return window

    monkeypatch.setattr(prefilter, "_latin1_re2", counting_compile)
    monkeypatch.setattr(FragmentText, "window", counting_window)
    detector = Detector([rule], engine=engine)
    return work, detector.detect(Fragment(data, "input.txt", Origin.FILE)).candidates


# name: (regex, content, a last line it matches). Each content makes a backtracking engine
# blow up, or a search run to the end of the text from every line.
PATHOLOGICAL = {
    # Each line starts a match that could only end at the very last byte.
    "dot-all-across-lines": (r"(?s)a(?P<secret>.*)b", b"a x\n" * 250_000 + b"b\n", b"a-tail-b\n"),
    # Hyperscan refuses (?U): the prefilter falls back to an RE2 search for this rule.
    "ungreedy-hyperscan-rejects": (
        r"(?U)(?s)a(?P<secret>.*)b",
        b"a x\n" * 250_000 + b"b\n",
        b"a-tail-b\n",
    ),
    "nested-quantifiers": (r"(?P<secret>(a+)+)$", (b"a" * 60 + b"!\n") * 16_000, b"aaaa\n"),
    "overlapping-alternation": (r"(?P<secret>(x+x+)+y)", (b"x" * 200 + b"\n") * 5_000, b"xxy\n"),
    "long-bounded-repeat": (
        r"(?P<secret>(?s).{1000}z)",
        b"y" * 1_000_000,
        b"\n" + b"y" * 1000 + b"z\n",
    ),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", sorted(PATHOLOGICAL))
def test_pathological_user_regex_costs_work_in_proportion(
    monkeypatch: pytest.MonkeyPatch, case: str, engine: str
) -> None:
    regex, content, last_line = PATHOLOGICAL[case]
    data = content + last_line
    rule = user_rule(regex)

    work, candidates = counted_detect(monkeypatch, rule, engine, data)

    assert isinstance(rule.compiled, RE2_REGEX)
    if engine == "python" or case == "ungreedy-hyperscan-rejects":
        assert work.regex_triggers == 1  # searched with RE2, and counted
    assert [candidate.line for candidate in candidates] == [data.count(b"\n")]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", ["nested-quantifiers", "ungreedy-hyperscan-rejects"])
def test_a_pathological_rule_in_the_configuration_scans_to_the_end(
    tmp_path: Path, case: str, engine: str
) -> None:
    regex, content, last_line = PATHOLOGICAL[case]
    data = content + last_line
    config = tmp_path / "leakguard.yaml"
    rules = {"builtin": "replace", "custom": [{**USER_RULE, "regex": regex}]}
    config.write_text(json.dumps({"rules": rules}))  # JSON is YAML
    options = ("--config", str(config), "--engine", engine, "--format", "json")

    result = leakguard_unless_hung("stdin", *options, stdin=data)

    assert result.code == 1, result.stderr
    [finding] = result.json()["findings"]
    assert finding["location"]["line"] == data.count(b"\n")


def test_a_backtracking_only_construct_in_the_configuration_is_exit_2_pointing_at_the_rule(
    tmp_path: Path,
) -> None:
    config = tmp_path / "leakguard.yaml"
    rules = {"custom": [{**USER_RULE, "regex": r"(?P<secret>\w+)\1"}]}  # a backreference
    config.write_text(json.dumps({"rules": rules}))

    result = leakguard_unless_hung("stdin", "--config", str(config), stdin=b"abcabc\n")

    assert result.code == 2
    assert f"rules.custom[0] ({USER_RULE['id']}).regex" in result.stderr
    assert "does not compile with RE2 (invalid escape sequence" in result.stderr
    assert "re2.cc" not in result.stderr  # RE2's own log line is not printed over ours


@pytest.mark.parametrize("engine", ENGINES)
def test_both_engines_still_find_a_match_of_a_rule_hyperscan_rejects(
    monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    rule = user_rule(r"(?U)ticket=(?P<secret>[A-Z]{4}-[0-9]{6})")
    data = b"nothing\n" * 1000 + b"see ticket=ABCD-123456 here\n" + b"nothing\n" * 1000

    work, candidates = counted_detect(monkeypatch, rule, engine, data)

    assert work.regex_triggers == 1  # RE2 searches for it, whatever the engine
    assert len(candidates) == 1


def test_both_engines_confirm_every_match_on_a_long_line(monkeypatch: pytest.MonkeyPatch) -> None:
    # A rule without keywords on a minified line: matches far apart on the same line.
    rule = user_rule(r"ticket=(?P<secret>[A-Z]{4}-[0-9]{6})")
    data = b"".join(b"x" * 3000 + b" ticket=ABCD-%06d " % n for n in range(200))

    found = {engine: len(counted_detect(monkeypatch, rule, engine, data)[1]) for engine in ENGINES}

    assert found == {"hyperscan": 200, "python": 200}


def test_a_rule_matching_every_word_costs_work_in_proportion(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rule = user_rule(r"(?P<secret>[a-z]{4})")
    line = b"abcd efgh " * 20_000  # one 200 kB line, 40,000 matches

    for engine in ENGINES:
        work, candidates = counted_detect(monkeypatch, rule, engine, line)
        assert len(candidates) == 40_000
        assert work.confirmed <= len(line)
        assert work.placed <= 2 * len(line)  # each match placed from the one before it


def test_line_anchors_of_a_user_rule_match_at_line_ends_with_both_engines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rule = user_rule(r"secret: (?P<secret>[a-z]{12})$")
    data = b"x\nsecret: abcdefghijkl\ny\n"

    found = [len(counted_detect(monkeypatch, rule, engine, data)[1]) for engine in ENGINES]

    assert found == [1, 1]


@pytest.mark.parametrize(
    "regex",
    [r"(?<=key=)(?P<secret>\w+)", r"(?P<secret>\w+)\1", r"(?P<secret>[a-z", r"(?P<secret>a{2000})"],
)
def test_a_rule_regex_that_does_not_compile_names_the_rule(regex: str) -> None:
    with pytest.raises(RuleError, match="user-rule"):
        user_rule(regex)
