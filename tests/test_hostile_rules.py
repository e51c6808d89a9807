"""User-supplied rules: a pathological regex costs bounded time with either prefilter engine, and a
regex that does not compile is an error that names the rule."""

from __future__ import annotations

import time

import pytest

from leakguard.detectors.engine import Detector
from leakguard.errors import RuleError
from leakguard.models import Fragment, Origin
from leakguard.ruleset import Rule, parse_rule

ENGINES = ("hyperscan", "python")
BUDGET_SECONDS = 3.0  # for about 1 MB; before the fix the first case took minutes on 160 kB


def user_rule(regex: str, **extra: object) -> Rule:
    entry = {"id": "user-rule", "description": "a user's rule", "regex": regex, **extra}
    return parse_rule({"placeholder_check": False, **entry}, ".leakguard.yaml")


def timed_detect(rule: Rule, engine: str, data: bytes) -> tuple[float, int]:
    detector = Detector([rule], engine=engine)
    started = time.monotonic()
    detection = detector.detect(Fragment(data, "input.txt", Origin.FILE))
    return time.monotonic() - started, len(detection.candidates)


# (regex, content): each makes a naive engine backtrack, or a search run to the end of the text
PATHOLOGICAL = {
    # Each line starts a match that could only end at the very last byte.
    "dot-all-across-lines": (r"(?s)a(?P<secret>.*)b", b"a x\n" * 250_000 + b"b\n"),
    # Hyperscan refuses (?U): the prefilter falls back to an RE2 search for this rule.
    "ungreedy-hyperscan-rejects": (r"(?U)(?s)a(?P<secret>.*)b", b"a x\n" * 250_000 + b"b\n"),
    "nested-quantifiers": (r"(?P<secret>(a+)+)$", (b"a" * 60 + b"!\n") * 16_000),
    "overlapping-alternation": (r"(?P<secret>(x+x+)+y)", (b"x" * 200 + b"\n") * 5_000),
    "long-bounded-repeat": (r"(?P<secret>(?s).{1000}z)", b"y" * 1_000_000),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", sorted(PATHOLOGICAL))
def test_pathological_user_regex_costs_bounded_time(case: str, engine: str) -> None:
    regex, data = PATHOLOGICAL[case]

    elapsed, _ = timed_detect(user_rule(regex), engine, data)

    assert elapsed < BUDGET_SECONDS, f"{case} with {engine}: {elapsed:.1f}s for {len(data)} bytes"


@pytest.mark.parametrize("engine", ENGINES)
def test_both_engines_still_find_a_match_of_a_rule_hyperscan_rejects(engine: str) -> None:
    rule = user_rule(r"(?U)ticket=(?P<secret>[A-Z]{4}-[0-9]{6})")
    data = b"nothing\n" * 1000 + b"see ticket=ABCD-123456 here\n" + b"nothing\n" * 1000

    _, found = timed_detect(rule, engine, data)

    assert found == 1


def test_both_engines_confirm_every_match_on_a_long_line() -> None:
    # A rule without keywords on a minified line: matches far apart on the same line.
    rule = user_rule(r"ticket=(?P<secret>[A-Z]{4}-[0-9]{6})")
    data = b"".join(b"x" * 3000 + b" ticket=ABCD-%06d " % n for n in range(200))

    found = {engine: timed_detect(rule, engine, data)[1] for engine in ENGINES}

    assert found == {"hyperscan": 200, "python": 200}


def test_a_rule_matching_every_word_costs_time_in_proportion() -> None:
    rule = user_rule(r"(?P<secret>[a-z]{4})")
    line = b"abcd efgh " * 20_000  # one 200 kB line, 40,000 matches

    for engine in ENGINES:
        elapsed, found = timed_detect(rule, engine, line)
        assert found == 40_000
        assert elapsed < BUDGET_SECONDS  # quadratic before: minutes


def test_line_anchors_of_a_user_rule_match_at_line_ends_with_both_engines() -> None:
    rule = user_rule(r"secret: (?P<secret>[a-z]{12})$")
    data = b"x\nsecret: abcdefghijkl\ny\n"

    assert [timed_detect(rule, engine, data)[1] for engine in ENGINES] == [1, 1]


@pytest.mark.parametrize(
    "regex",
    [r"(?<=key=)(?P<secret>\w+)", r"(?P<secret>\w+)\1", r"(?P<secret>[a-z", r"(?P<secret>a{2000})"],
)
def test_a_rule_regex_that_does_not_compile_names_the_rule(regex: str) -> None:
    with pytest.raises(RuleError, match="user-rule"):
        user_rule(regex)
