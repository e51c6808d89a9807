"""Allow comments written next to a value: `leakguard:allow` and the markers of other tools.

- `leakguard:allow` on the line of a value allows every rule there;
- `leakguard:allow RULE-ID[, RULE-ID...]` only those rules;
- `leakguard:allow-next-line` (with or without rule ids) on the line before.

The marker is found in any comment syntax (`#`, `//`, `/* */`, `--`, `<!-- -->`, `;`, `%`,
`REM`...), since it is looked for as text on the line. Rule ids follow the marker after a space,
separated by commas; text after them is free (`# leakguard:allow github-pat -- fixture`).
A comment that names a rule id that does not exist allows nothing (a typo must not turn a
one-rule decision into an everything decision); `leakguard:allow -- reason` allows every rule.

`gitleaks:allow` and detect-secrets' `pragma: allowlist secret` (on the line) and
`pragma: allowlist nextline secret` (on the line before) are honoured too, so repositories that
already use them keep working.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from leakguard.models import Candidate
from leakguard.ruleset import Rule
from leakguard.sources import ScanUnit

_ID = r"[a-z0-9][a-z0-9.-]*"
MARKER = re.compile(
    rf"leakguard:allow(?P<next>-next-line)?(?![\w-])"
    rf"(?:[ \t]+(?P<rules>{_ID}(?:[ \t]*,[ \t]*{_ID})*))?",
    re.IGNORECASE,
)
FOREIGN_SAME_LINE = re.compile(r"gitleaks:allow|pragma:[ \t]*allowlist[ \t-]secret", re.IGNORECASE)
FOREIGN_NEXT_LINE = re.compile(r"pragma:[ \t]*allowlist[ \t-]nextline[ \t-]secret", re.IGNORECASE)


class InlineAllowFilter:
    def __init__(self, known_rules: Collection[str] = ()) -> None:
        # Every rule id leakguard knows (active or not); empty: any id-like word counts as one.
        self.known_rules = frozenset(known_rules)

    def drop_reason(self, candidate: Candidate, unit: ScanUnit, rule: Rule) -> str | None:
        line = candidate.line
        if _may_allow(candidate.line_text) and (
            self._allows(candidate.line_text, rule.id, next_line=False)
            or FOREIGN_SAME_LINE.search(candidate.line_text)
        ):
            return f"inline allow comment at line {line}"
        previous = candidate.previous_line_text
        if line > 1 and _may_allow(previous):
            if self._allows(previous, rule.id, next_line=True):
                return f"inline allow-next-line comment at line {line - 1}"
            if FOREIGN_NEXT_LINE.search(previous):
                return f"inline allow-next-line comment at line {line - 1}"
        return None

    def unused(self) -> list[str]:
        return []  # comments live in the files: `--report-unused` covers configured decisions

    def _allows(self, text: str, rule_id: str, *, next_line: bool) -> bool:
        if "leakguard:allow" not in text.lower():
            return False
        for match in MARKER.finditer(text):
            if bool(match.group("next")) != next_line:
                continue
            listed = match.group("rules")
            if listed is None:
                return True
            # `github-pat-->` and `github-pat.`: an HTML comment's or a sentence's end.
            names = [name.strip().lower().rstrip(".-") for name in listed.split(",")]
            if self.known_rules and any(name not in self.known_rules for name in names):
                continue  # names something that is no rule: allows nothing
            if rule_id in names:
                return True
        return False


def _may_allow(text: str) -> bool:
    """Every marker holds `allow`: a line without it (nearly all) is not searched with the
    case-blind regexes, which cost 11 % of the parent's time on a history with long lines."""
    return "allow" in text.lower()
