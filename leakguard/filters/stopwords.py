"""Allowlisted stopwords: a value that contains one of these words (in any case) is not a
secret. For words a team knows mark its test and demo values (`acmedemo`, `testtenant`); the
built-in placeholder check already knows the common ones (`example`, `changeme`, ...)."""

from __future__ import annotations

from collections.abc import Sequence

from leakguard.config import Allowlist
from leakguard.filters import Uses
from leakguard.models import Candidate
from leakguard.ruleset import Rule
from leakguard.sources import ScanUnit


class StopwordFilter:
    def __init__(self, allowlists: Sequence[Allowlist], source: str) -> None:
        self.items = [item for item in allowlists if item.stopwords]
        self.uses = Uses(
            ((item.where, word), f"{source}: {item.where}.stopwords {word!r}")
            for item in self.items
            for word in item.stopwords
        )

    def drop_reason(self, candidate: Candidate, unit: ScanUnit, rule: Rule) -> str | None:
        if not self.items:
            return None
        value = candidate.value.lower()
        for item in self.items:
            if not item.applies_to(rule.id):
                continue
            for word in item.stopwords:
                if word in value:
                    self.uses.mark((item.where, word))
                    return f"allowlist {item.where}.stopwords {word!r}"
        return None

    def unused(self) -> list[str]:
        return self.uses.unused()
