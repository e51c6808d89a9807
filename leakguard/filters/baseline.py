"""The baseline as a filter, and the recorder that builds one from a scan.

Matching hashes the candidate's value with the baseline's own salt, only for candidates whose
rule and path the baseline names at all, so a scan with a baseline costs nothing extra on every
other file.
"""

from __future__ import annotations

from pathlib import Path

from leakguard.baseline import Baseline, Entry, EntryKey
from leakguard.filters import Uses
from leakguard.filters.paths import relative_path
from leakguard.fingerprint import fingerprint, fingerprint_key
from leakguard.models import Candidate
from leakguard.ruleset import Rule
from leakguard.sources import ScanUnit


class BaselineFilter:
    """Drops candidates whose rule, path and value hash a baseline entry holds."""

    def __init__(self, baseline: Baseline, root: Path | None) -> None:
        self.baseline = baseline
        self.root = root
        self.pairs = {(entry.rule_id, entry.path) for entry in baseline.entries.values()}
        label = str(baseline.path) if baseline.path else "baseline"
        self.uses = Uses(
            (key, f"{label}: {entry.describe()}") for key, entry in baseline.entries.items()
        )

    def drop_reason(self, candidate: Candidate, unit: ScanUnit, rule: Rule) -> str | None:
        path = relative_path(unit.path, self.root)
        if (rule.id, path) not in self.pairs:
            return None
        key = (rule.id, path, self.baseline.value_hash(candidate.value))
        entry = self.baseline.entries.get(key)
        if entry is None:
            return None
        self.uses.mark(key)
        reason = f": {entry.reason}" if entry.reason else ""
        return f"baseline entry [{entry.value_hash[:12]}]{reason}"

    def unused(self) -> list[str]:
        return self.uses.unused()


class BaselineRecorder:
    """Never drops anything: notes the baseline identity of every candidate that reaches it.

    Placed last in the chain it sees exactly the findings. With `fingerprints`, it keeps only the
    candidates whose report fingerprint is one of them (`baseline accept`), and remembers which.
    """

    def __init__(
        self, baseline: Baseline, root: Path | None, fingerprints: set[str] | None = None
    ) -> None:
        self.baseline = baseline
        self.root = root
        self.fingerprints = fingerprints
        self.key = fingerprint_key()
        self.found: dict[EntryKey, str] = {}  # entry key -> a report fingerprint of it

    def drop_reason(self, candidate: Candidate, unit: ScanUnit, rule: Rule) -> str | None:
        reported = fingerprint(rule.id, unit.path, candidate.value, self.key)
        if self.fingerprints is not None and reported not in self.fingerprints:
            return None
        path = relative_path(unit.path, self.root)
        self.found[(rule.id, path, self.baseline.value_hash(candidate.value))] = reported
        return None

    def unused(self) -> list[str]:
        return []

    def entries(self) -> list[Entry]:
        return [Entry(rule_id, path, value_hash) for rule_id, path, value_hash in self.found]
