"""Allowlisted commits: what a listed commit introduced is not reported (history scans only).

For a commit whose leak was dealt with (the credential revoked) but cannot be removed from a
published history. A later commit that keeps the value does not report it again either: a
value is reported only at the commit that introduced it.
"""

from __future__ import annotations

from collections.abc import Sequence

from leakguard.config import Allowlist
from leakguard.filters import Uses
from leakguard.models import Candidate
from leakguard.ruleset import Rule
from leakguard.sources import ScanUnit


class CommitAllowFilter:
    def __init__(self, allowlists: Sequence[Allowlist], source: str) -> None:
        self.items = [item for item in allowlists if item.commits]
        self.uses = Uses(
            ((item.where, commit), f"{source}: {item.where}.commits {commit!r}")
            for item in self.items
            for commit in item.commits
        )

    def drop_reason(self, candidate: Candidate, unit: ScanUnit, rule: Rule) -> str | None:
        if not self.items or unit.commit is None:
            return None
        sha = unit.commit.sha.lower()
        for item in self.items:
            if not item.applies_to(rule.id):
                continue
            for commit in item.commits:
                if sha.startswith(commit):
                    self.uses.mark((item.where, commit))
                    return f"allowlist {item.where}.commits {commit!r}"
        return None

    def unused(self) -> list[str]:
        return self.uses.unused()
