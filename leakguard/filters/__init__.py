"""The only place that decides a confirmed candidate is not a finding.

Each filter looks at one candidate (with its unit and rule) and either lets it pass or names the
reason it drops it; the first filter with a reason wins, and the reason is what `--explain`
shows. Filters never see more than the scan already holds, and never print values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from leakguard.models import Candidate
from leakguard.ruleset import Rule
from leakguard.sources import ScanUnit


class Filter(Protocol):
    def drop_reason(self, candidate: Candidate, unit: ScanUnit, rule: Rule) -> str | None:
        """Why this candidate is not a finding, or None to keep it."""
        ...


class FilterChain:
    def __init__(self, filters: Sequence[Filter]) -> None:
        self.filters = tuple(filters)

    def drop_reason(self, candidate: Candidate, unit: ScanUnit, rule: Rule) -> str | None:
        for candidate_filter in self.filters:
            reason = candidate_filter.drop_reason(candidate, unit, rule)
            if reason is not None:
                return reason
        return None
