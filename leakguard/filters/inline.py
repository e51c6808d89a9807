"""Allow comments written next to a value: `leakguard:allow` and the markers of other tools.

`leakguard:allow` on the line allows every rule there; `leakguard:allow RULE-ID[,RULE-ID]`
only those rules; `leakguard:allow-next-line` (with or without rule ids) on the line before.
`gitleaks:allow` and detect-secrets' `pragma: allowlist secret` are honoured too, so
repositories that already use them keep working.
"""

from __future__ import annotations

import re

from leakguard.models import Candidate
from leakguard.ruleset import Rule
from leakguard.sources import ScanUnit

MARKER = re.compile(r"leakguard:allow(?P<next>-next-line)?(?:[ \t]+(?P<rules>[a-z0-9.,-]+))?")
FOREIGN_MARKERS = ("gitleaks:allow", "pragma: allowlist secret", "pragma:allowlist secret")


class InlineAllowFilter:
    def drop_reason(self, candidate: Candidate, unit: ScanUnit, rule: Rule) -> str | None:
        if _allows(candidate.line_text, rule.id, next_line=False):
            return f"inline allow comment at line {candidate.line}"
        if candidate.line > 1 and _allows(candidate.previous_line_text, rule.id, next_line=True):
            return f"inline allow-next-line comment at line {candidate.line - 1}"
        if any(marker in candidate.line_text for marker in FOREIGN_MARKERS):
            return f"inline allow comment at line {candidate.line}"
        return None


def _allows(line: str, rule_id: str, *, next_line: bool) -> bool:
    if "leakguard:allow" not in line:
        return False
    for match in MARKER.finditer(line):
        if bool(match.group("next")) != next_line:
            continue
        rules = match.group("rules")
        if rules is None or rule_id in rules.split(","):
            return True
    return False
