"""Recognizers confirm a rule on a window: the rule regex, then the value's checks.

`PatternRecognizer` is the declarative case (regex, validators, entropy, placeholder check) that
nearly every credential rule uses. A rule names another class with `recognizer:` when its
decision needs more than the value: the Dutch personal-data detectors judge a number by the key,
column or words around it. Such classes register themselves with `@recognizer("name")`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple, Protocol

from leakguard.detectors.checks import is_placeholder, shannon_entropy
from leakguard.detectors.settings import DetectionSettings
from leakguard.detectors.text import FragmentText, Window
from leakguard.fingerprint import fingerprint_key, value_digest
from leakguard.models import Candidate
from leakguard.ruleset import Rule, match_spans
from leakguard.validators import VALIDATORS

LINE_TEXT_LIMIT = 4096


class Rejection(NamedTuple):
    """A match that a check turned down: what `--explain` shows. Holds no value."""

    rule_id: str
    line: int
    column: int
    reason: str
    value_length: int
    # Keyed hash of the value, as in a fingerprint (`rule:path:digest`), so that `leakguard
    # explain FINGERPRINT` can find what became of a value; empty where a recognizer gives none.
    digest: str = ""


Reject = Callable[[Rejection], None] | None


class Reach(NamedTuple):
    """What a verdict read besides its window's line: lines above and below it, and facts
    about the whole fragment by name (`Recognizer.facts` gives their values)."""

    above: int = 0
    below: int = 0
    facts: tuple[str, ...] = ()


LINE_ALONE = Reach()


class Recognizer(Protocol):
    """Confirms its rule on a window. One that judges only some files may also have
    `applies_to(path) -> bool`: the engine then builds no window for its hits elsewhere."""

    rule: Rule

    def confirm(self, window: Window, reject: Reject) -> Iterator[Candidate]: ...

    def lines_read(self) -> Reach | None:
        """After a `confirm` on a whole line: how many lines above and below it its verdict
        read and which facts about the fragment, or None when it may have read more (the
        whole text, a table). Besides them only the lines' place (the fragment's first line,
        its start in the file) and the file's kind (`FragmentText.kind`, its name's suffix)
        may decide a verdict: the engine gives the same lines in the same place of a file of
        the same kind, with the same facts, the same verdict without a window
        (`leakguard.detectors.verdicts`)."""
        ...

    def facts(self, text: FragmentText, names: tuple[str, ...]) -> tuple[object, ...]:
        """The values of facts about the fragment that `lines_read` named. A fact's name says
        what it is, whichever recognizer reads it: a fragment's facts are read once."""
        ...


RECOGNIZERS: dict[str, Callable[[Rule, DetectionSettings], Recognizer]] = {}


def recognizer(name: str) -> Callable[[type], type]:
    def register(cls: type) -> type:
        if name in RECOGNIZERS:
            raise ValueError(f"recognizer {name!r} registered twice")
        RECOGNIZERS[name] = cls
        return cls

    return register


def check_recognizer(rule: Rule) -> None:
    """A rule that names a recognizer nobody defines fails when the rules load, not mid-scan."""
    if rule.recognizer is None or rule.recognizer in RECOGNIZERS:
        return
    if rule.recognizer not in RECOGNIZER_MODULES:
        from leakguard.errors import RuleError

        known = sorted({*RECOGNIZERS, *RECOGNIZER_MODULES})
        raise RuleError(
            f"rule {rule.id!r}: unknown recognizer {rule.recognizer!r} (known: {', '.join(known)})"
        )


def make_recognizer(rule: Rule, settings: DetectionSettings) -> Recognizer:
    if rule.recognizer is None:
        return PatternRecognizer(rule, settings)
    check_recognizer(rule)
    if rule.recognizer not in RECOGNIZERS:
        import importlib

        importlib.import_module(RECOGNIZER_MODULES[rule.recognizer])
    return RECOGNIZERS[rule.recognizer](rule, settings)


# The module that defines each recognizer: imported when a rule that names it is first needed
# (the Dutch personal-data detectors are a tenth of a pre-commit run that needs none of them).
RECOGNIZER_MODULES: dict[str, str] = {
    **dict.fromkeys(
        (
            "nl-bsn",
            "nl-rsin",
            "nl-onderwijsnummer",
            "nl-a-nummer",
            "nl-iban",
            "nl-phone",
            "nl-email",
            "nl-birthdate",
            "nl-id-document",
            "nl-kenteken",
            "nl-postcode",
            "nl-address",
            "nl-address-field",
            "nl-person",
            "nl-person-title",
        ),
        "leakguard.pii.recognizers",
    ),
    "nl-prose": "leakguard.pii.prose",
}


class PatternRecognizer:
    """Regex + validators + entropy + placeholder check, as the rule file declares them."""

    def __init__(self, rule: Rule, settings: DetectionSettings | None = None) -> None:
        self.rule = rule
        self._validators = [VALIDATORS[name] for name in rule.validators]

    def confirm(self, window: Window, reject: Reject) -> Iterator[Candidate]:
        # The regex is compiled on the rule's first hit: most rules never fire in a small scan
        # (a pre-commit hook).
        for span in match_spans(self.rule.compiled, window.text, self.rule.value_group):
            if span[0] < 0 or span[0] == span[1]:
                continue
            value = window.text[span[0] : span[1]]
            reason = self.refusal(value)
            if reason is not None:
                if reject is not None:
                    line, column = window.position(span[0])
                    digest = value_digest(value, fingerprint_key())
                    reject(Rejection(self.rule.id, line, column, reason, len(value), digest))
                continue
            yield candidate_at(self.rule, window, span, value, self.reasons())

    def lines_read(self) -> Reach:
        return LINE_ALONE  # the regex and the value's checks read the window's text alone

    def facts(self, text: FragmentText, names: tuple[str, ...]) -> tuple[object, ...]:
        return ()

    def refusal(self, value: str) -> str | None:
        """Why the value is not a finding, or None when it is."""
        rule = self.rule
        for pattern in rule.compiled_allow:
            if pattern.search(value):
                return "rule allowlist"
        if rule.placeholder_check and is_placeholder(value):
            return "placeholder"
        if rule.entropy is not None and shannon_entropy(value) < rule.entropy:
            return f"entropy below {rule.entropy:g}"
        for name, check in zip(rule.validators, self._validators, strict=True):
            if not check(value):
                return f"failed {name} check"
        return None

    def reasons(self) -> tuple[str, ...]:
        reasons = ["pattern"]
        if self.rule.validators:
            reasons.extend(self.rule.validators)
        if self.rule.entropy is not None:
            reasons.append("entropy")
        return tuple(reasons)


def candidate_at(
    rule: Rule,
    window: Window,
    span: tuple[int, int],
    value: str,
    reasons: tuple[str, ...],
    **extra: Any,
) -> Candidate:
    """A candidate for `value` at `span` of the window, located in the real file."""
    line, column = window.position(span[0])
    end_line, end_column = window.position(span[1])
    return Candidate(
        rule_id=rule.id,
        value=value,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        reasons=reasons,
        entity=extra.pop("entity", rule.entity),
        line_text=_clip(window.line_text(line)),
        previous_line_text=_clip(window.line_text(line - 1)) if line > 1 else "",
        **extra,
    )


def _clip(line: str) -> str:
    if len(line) <= LINE_TEXT_LIMIT:
        return line
    half = LINE_TEXT_LIMIT // 2
    return line[:half] + line[-half:]
