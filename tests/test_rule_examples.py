"""Every built-in rule proves itself: its examples match, its counter-examples do not.

The examples are templates expanded at run time (see `leakguard.rule_examples`), so the rule
files hold no literal that looks like a real credential or personal number.
"""

from __future__ import annotations

import pytest

from leakguard.detectors.engine import Detector
from leakguard.models import Fragment, Origin
from leakguard.rule_examples import expand
from leakguard.ruleset import Rule, compile_rule_regex, load_builtin_rules

RULES = load_builtin_rules()


def rule_detector(rule: Rule) -> Detector:
    return Detector([rule], engine="python")


def findings_of(detector: Detector, text: str) -> list[str]:
    fragment = Fragment(text.encode("utf-8"), "example.txt", Origin.FILE)
    return [candidate.rule_id for candidate in detector.detect(fragment).candidates]


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda rule: rule.id)
def test_rule_has_examples_and_counter_examples(rule: Rule) -> None:
    assert rule.examples, f"{rule.id} has no examples"
    assert rule.counter_examples, f"{rule.id} has no counter-examples"


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda rule: rule.id)
def test_examples_match(rule: Rule) -> None:
    detector = rule_detector(rule)
    for index, template in enumerate(rule.examples):
        text = expand(template, f"{rule.id}/{index}")
        assert rule.id in findings_of(detector, text), f"{rule.id} misses example {index}"


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda rule: rule.id)
def test_counter_examples_do_not_match(rule: Rule) -> None:
    detector = rule_detector(rule)
    for index, template in enumerate(rule.counter_examples):
        text = expand(template, f"{rule.id}/counter/{index}")
        assert rule.id not in findings_of(detector, text), (
            f"{rule.id} matches counter-example {index}"
        )


@pytest.mark.parametrize("engine", ["python", "hyperscan"])
def test_all_examples_through_full_ruleset(engine: str) -> None:
    """With every rule active at once, each example is still caught by its own rule."""
    pytest.importorskip("hyperscan") if engine == "hyperscan" else None
    detector = Detector(RULES.rules, engine=engine)
    missed = [
        f"{rule.id}/{index}"
        for rule in RULES
        for index, template in enumerate(rule.examples)
        if rule.id not in findings_of(detector, expand(template, f"{rule.id}/{index}"))
    ]
    assert not missed


TRIGGERED = [rule for rule in RULES.rules if rule.trigger is not None]


@pytest.mark.parametrize("rule", TRIGGERED, ids=lambda rule: rule.id)
def test_trigger_finds_every_line_the_regex_matches(rule: Rule) -> None:
    """A trigger stands in for the regex in the first pass, so it may never miss a line."""
    trigger = compile_rule_regex(rule.id, rule.trigger or "")
    templates = (*rule.examples, *rule.counter_examples)
    lines = [
        line
        for index, template in enumerate(templates)
        for line in expand(template, f"{rule.id}/trigger/{index}").splitlines()
    ]
    matched = [line for line in lines if rule.compiled.search(line)]
    assert matched, f"{rule.id}: no example line to check the trigger on"
    assert all(trigger.search(line) for line in matched)


def test_every_named_recognizer_is_defined_where_the_registry_says() -> None:
    """Recognizer modules are imported on first use, by the name a rule gives."""
    import importlib

    from leakguard.detectors.recognizers import RECOGNIZER_MODULES, RECOGNIZERS

    for module in set(RECOGNIZER_MODULES.values()):
        importlib.import_module(module)
    defined = {name: RECOGNIZERS[name].__module__ for name in RECOGNIZERS}
    assert {name: defined.get(name) for name in RECOGNIZER_MODULES} == RECOGNIZER_MODULES
    assert {rule.recognizer for rule in RULES if rule.recognizer} <= set(RECOGNIZER_MODULES)
