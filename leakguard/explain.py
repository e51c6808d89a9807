"""Why a candidate was not reported, and which decisions matched nothing: lines for people.

Every line names a rule, a place and a reason, and a fingerprint where there is one; none
shows a value, whatever `--show-values` says: these lines are for deciding, not for triage.
"""

from __future__ import annotations

from leakguard.detectors.recognizers import Rejection
from leakguard.models import Finding
from leakguard.pipeline import Dropped, ScanOutcome
from leakguard.reports.escaping import printable


def rejection_fingerprint(path: str, rejection: Rejection) -> str:
    return f"{rejection.rule_id}:{path}:{rejection.digest}" if rejection.digest else ""


def decision_lines(outcome: ScanOutcome, fingerprint: str | None = None) -> list[str]:
    """One line per decision of the scan (with `fingerprint`: only that value's)."""
    lines: list[str] = []
    if fingerprint is not None:
        lines.extend(_reported(f) for f in outcome.findings if f.fingerprint == fingerprint)
    lines.extend(
        _dropped(dropped)
        for dropped in outcome.dropped
        if fingerprint is None or dropped.fingerprint == fingerprint
    )
    for path, rejection in outcome.rejections:
        if fingerprint is None or rejection_fingerprint(path, rejection) == fingerprint:
            lines.append(_rejected(path, rejection))
    return lines


def _reported(finding: Finding) -> str:
    location = finding.location
    commit = f" (commit {location.commit.sha[:12]})" if location.commit else ""
    return (
        f"reported  {finding.rule_id} at {printable(location.path)}:{location.line}{commit}: "
        f"no filter dropped it   fingerprint {printable(finding.fingerprint)}"
    )


def _dropped(dropped: Dropped) -> str:
    return (
        f"allowed   {dropped.rule_id} at {printable(dropped.path)}:{dropped.line}: "
        f"{printable(dropped.reason)}   fingerprint {printable(dropped.fingerprint)}"
    )


def _rejected(path: str, rejection: Rejection) -> str:
    shown = rejection_fingerprint(path, rejection)
    tail = f"   fingerprint {printable(shown)}" if shown else ""
    # A check on a whole window (names in prose without NER) has no value to measure.
    size = f" (value of {rejection.value_length} characters)" if rejection.value_length else ""
    return (
        f"rejected  {rejection.rule_id} at {printable(path)}:{rejection.line}:{rejection.column}: "
        f"{printable(rejection.reason)}{size}{tail}"
    )


def explanation(outcome: ScanOutcome) -> str:
    lines = decision_lines(outcome)
    head = f"leakguard: {len(lines)} candidate(s) not reported, and why (values never shown):"
    if not lines:
        return "leakguard: every candidate was reported: none was dropped or rejected\n"
    return "\n".join([head, *(f"  {line}" for line in lines)]) + "\n"


def unused_report(unused: list[str], complete_history: bool) -> str:
    if not unused:
        return "leakguard: every allowlist entry and baseline entry matched something\n"
    note = (
        ""
        if complete_history
        else " (this scan did not read the whole history: entries for what it did not read "
        "show as unused too)"
    )
    head = f"leakguard: {len(unused)} decision(s) matched nothing{note}:"
    return "\n".join([head, *(f"  unused: {printable(entry)}" for entry in unused)]) + "\n"
