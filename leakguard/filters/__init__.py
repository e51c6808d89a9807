"""The only place that decides a confirmed candidate is not a finding.

Each filter looks at one candidate (with its unit and rule) and either lets it pass or names the
reason it drops it; the first filter with a reason wins, and the reason is what `--explain`
shows. Filters never see more than the scan already holds, and never print values.

Filters run in the parent process, one candidate at a time, so they may remember which of their
entries matched: `unused()` lists the decisions (allowlist entries, baseline entries) that
matched nothing, for `--report-unused`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from leakguard.models import Candidate
from leakguard.ruleset import Rule
from leakguard.sources import ScanUnit


class Filter(Protocol):
    def drop_reason(self, candidate: Candidate, unit: ScanUnit, rule: Rule) -> str | None:
        """Why this candidate is not a finding, or None to keep it."""
        ...

    def unused(self) -> list[str]:
        """The entries of this filter that dropped nothing so far, described for people."""
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

    def unused(self) -> list[str]:
        return [entry for candidate_filter in self.filters for entry in candidate_filter.unused()]


class Uses:
    """Which entries of a filter matched something; entries are described once, up front."""

    def __init__(self, descriptions: Iterable[tuple[object, str]]) -> None:
        self._unused = dict(descriptions)

    def mark(self, key: object) -> None:
        self._unused.pop(key, None)

    def unused(self) -> list[str]:
        return list(self._unused.values())
