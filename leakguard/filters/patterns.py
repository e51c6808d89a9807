"""Allowlisted values and lines: RE2 regexes searched in the value, or in the line around it.

A `values` regex sees only the value, so a new secret on a line that held an allowed one is
still reported; a `lines` regex sees the whole line (a known test fixture's assignment, say),
and allows whatever that line holds: prefer `values`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from leakguard.config import Allowlist
from leakguard.filters import Uses
from leakguard.models import Candidate
from leakguard.ruleset import Rule, compile_rule_regex
from leakguard.sources import ScanUnit


class PatternAllowFilter:
    """Drops candidates whose value (`values`) or line (`lines`) an allowlist regex matches."""

    KINDS = ("values", "lines")

    def __init__(self, allowlists: Sequence[Allowlist], source: str) -> None:
        self.entries: list[tuple[Allowlist, str, int, Any]] = []
        descriptions: list[tuple[object, str]] = []
        for item in allowlists:
            for kind in self.KINDS:
                for index, pattern in enumerate(getattr(item, kind)):
                    label = f"{item.where}.{kind}[{index}]"
                    self.entries.append((item, kind, index, compile_rule_regex(label, pattern)))
                    descriptions.append((label, f"{source}: {label} {pattern!r}"))
        self.uses = Uses(descriptions)

    def drop_reason(self, candidate: Candidate, unit: ScanUnit, rule: Rule) -> str | None:
        for item, kind, index, regex in self.entries:
            if not item.applies_to(rule.id):
                continue
            text = candidate.value if kind == "values" else candidate.line_text
            if regex.search(text):
                label = f"{item.where}.{kind}[{index}]"
                self.uses.mark(label)
                return f"allowlist {label} {getattr(item, kind)[index]!r}"
        return None

    def unused(self) -> list[str]:
        return self.uses.unused()
