"""The one place a raw value becomes what may be shown: every finding is made here.

Reports, logs and messages only ever receive `Finding`s, whose `value` is None unless the user
opted in with `--show-values`. A secret shows at most its first four characters and its length;
personal data shows only its last two characters (a BSN as `*******82`), or none when short.
"""

from __future__ import annotations

from leakguard.fingerprint import fingerprint
from leakguard.models import Candidate, Category, Finding, Location
from leakguard.ruleset import Rule
from leakguard.sources import ScanUnit

MASK = "*"


def redact(value: str, category: Category) -> str:
    if category is Category.PII:
        return redact_personal(value)
    return redact_secret(value)


def redact_secret(value: str) -> str:
    # Never more than a quarter of the value, and never more than 4 characters.
    shown = value[: min(4, len(value) // 4)]
    return f"{shown}…({len(value)} chars)"


def redact_personal(value: str) -> str:
    if len(value) < 6:
        return MASK * len(value)
    return MASK * (len(value) - 2) + value[-2:]


def make_finding(
    candidate: Candidate,
    unit: ScanUnit,
    rule: Rule,
    *,
    key: bytes,
    show_values: bool,
) -> Finding:
    location = Location(
        path=unit.path,
        line=candidate.line,
        end_line=candidate.end_line,
        column=candidate.column,
        end_column=candidate.end_column,
        commit=unit.commit,
        origin=unit.origin,
    )
    return Finding(
        rule_id=rule.id,
        category=rule.category,
        severity=rule.severity,
        description=rule.description,
        location=location,
        redacted=redact(candidate.value, rule.category),
        fingerprint=fingerprint(rule.id, unit.path, candidate.value, key),
        value_length=len(candidate.value),
        entity=candidate.entity,
        reasons=candidate.reasons,
        value=candidate.value if show_values else None,
    )
