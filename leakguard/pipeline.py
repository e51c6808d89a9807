"""source -> detectors -> filters -> findings: a whole scan, from units to redacted findings."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain, islice
from typing import NamedTuple

from leakguard.detectors.engine import Detector
from leakguard.detectors.recognizers import Rejection
from leakguard.errors import ScanError
from leakguard.filters import FilterChain
from leakguard.fingerprint import fingerprint_key
from leakguard.interrupts import ScanTimeout, deadline
from leakguard.models import Finding, IssueKind, ScanIssue, ScanStats
from leakguard.redact import make_finding
from leakguard.scan import DEFAULT_MAX_FILE_SIZE, UnitResult, UnitScanner, scan_serially
from leakguard.sources import ScanUnit, Source

# Below this many units, forking workers costs more than it saves (a pre-commit hook).
PARALLEL_THRESHOLD = 32


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


class Dropped(NamedTuple):
    """A candidate a filter turned down, for `--explain`; holds the fingerprint, not the value."""

    fingerprint: str
    rule_id: str
    path: str
    line: int
    reason: str


@dataclass
class ScanOutcome:
    source: str
    findings: list[Finding]
    stats: ScanStats
    engine: str
    elapsed: float
    dropped: list[Dropped] = field(default_factory=list)
    rejections: list[tuple[str, Rejection]] = field(default_factory=list)  # (path, rejection)
    # Wall-clock UTC times for reports that carry them (GitLab's scan.start_time, SARIF's
    # invocation); `elapsed` is measured on the monotonic clock.
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def complete(self) -> bool:
        return not any(issue.incomplete for issue in self.stats.issues)


class ScanRequest(NamedTuple):
    source: Source
    detector: Detector
    filters: FilterChain
    jobs: int = 1
    show_values: bool = False
    explain: bool = False
    max_file_size: int | None = DEFAULT_MAX_FILE_SIZE  # None: no limit
    # The filters are asked about every sighting of a finding, not only those that could be
    # its first (`--report-unused`: an allowlist entry may match a later line or commit only).
    every_sighting: bool = False
    timeout: float | None = None  # seconds; what is not scanned by then is reported


class Ledger:
    """The units taken from the source whose results have not come back yet.

    When a scan stops early (its timeout, or its last worker died), this is what names the
    units that were not scanned, and the rest of the source that was never listed. A source
    whose listing fails half-way (`git log` on a damaged repository) ends the listing with an
    issue instead of losing the units already listed.
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        self.pending: dict[int, ScanUnit] = {}
        self.last: ScanUnit | None = None
        self.exhausted = False
        self.issues: list[ScanIssue] = []
        self._units = iter(source.units())

    def __iter__(self) -> Iterator[ScanUnit]:
        while True:
            try:
                unit = next(self._units)
            except StopIteration:
                self.exhausted = True
                return
            except ScanError as exc:
                self.exhausted = True
                self.issues.append(
                    ScanIssue(
                        IssueKind.GIT_ERROR,
                        self.source.describe(),
                        f"listing stopped{self._after()}: {exc}; what it did not list was "
                        "not scanned",
                    )
                )
                return
            self.pending[unit.sequence] = unit
            self.last = unit
            yield unit

    def done(self, unit: ScanUnit) -> None:
        self.pending.pop(unit.sequence, None)

    def not_scanned(self, kind: IssueKind, reason: str) -> list[ScanIssue]:
        issues = [
            ScanIssue(kind, unit.path, reason, _sha(unit))
            for unit in sorted(self.pending.values(), key=lambda unit: unit.sequence)
        ]
        if not self.exhausted:
            issues.append(
                ScanIssue(
                    kind,
                    self.source.describe(),
                    f"everything not yet listed{self._after()}: {reason}",
                )
            )
        return issues

    def close(self) -> None:
        close = getattr(self._units, "close", None)
        if close is not None:
            close()

    def _after(self) -> str:
        if self.last is None:
            return ""
        commit = f" in commit {self.last.commit.sha[:12]}" if self.last.commit else ""
        return f" after {self.last.path}{commit}"


def _sha(unit: ScanUnit) -> str | None:
    return unit.commit.sha if unit.commit else None


def run_scan(
    request: ScanRequest, progress: Callable[[UnitResult], None] | None = None
) -> ScanOutcome:
    started = time.monotonic()
    started_at = datetime.now(UTC)
    source = request.source
    rules = {rule.id: rule for rule in request.detector.rules}
    key = fingerprint_key()
    stats = ScanStats()
    best: dict[str, tuple[tuple[int, int, int], Finding]] = {}
    # Where each finding kept so far was seen, by what its fingerprint stands for (rule, path,
    # value): a history shows a value again in later versions of its file, and making a
    # finding of each sighting only to keep the first was a tenth of the parent's CPU time on
    # mijn-amsterdam-frontend (15,138 findings made for 1,706 kept; now about 1,708).
    kept_at: dict[tuple[str, str, str], tuple[int, int, int]] = {}
    every_sighting = request.every_sighting or request.explain  # `--explain` lists the dropped
    dropped: list[Dropped] = []
    rejections: list[tuple[str, Rejection]] = []

    ledger = Ledger(source)
    stopped: list[ScanIssue] = []
    try:
        with deadline(request.timeout):
            for result in _results(request, ledger):
                stats.merge(result.stats)
                unit = result.unit
                rejections.extend((unit.path, rejection) for rejection in result.rejections)
                for candidate in result.candidates:
                    order = (unit.sequence, candidate.line, candidate.column)
                    identity = (candidate.rule_id, unit.path, candidate.value)
                    earlier = kept_at.get(identity)
                    if earlier is not None and earlier <= order and not every_sighting:
                        continue
                    rule = rules[candidate.rule_id]
                    finding = make_finding(
                        candidate, unit, rule, key=key, show_values=request.show_values
                    )
                    reason = request.filters.drop_reason(candidate, unit, rule)
                    if reason is not None:
                        # Kept only to be explained: a baseline can drop millions of candidates.
                        if request.explain:
                            dropped.append(
                                Dropped(
                                    finding.fingerprint, rule.id, unit.path, candidate.line, reason
                                )
                            )
                        continue
                    # The same value at the same path is one finding: where it first appeared.
                    current = best.get(finding.fingerprint)
                    if current is None or order < current[0]:
                        best[finding.fingerprint] = (order, finding)
                        kept_at[identity] = order
                ledger.done(unit)
                if progress is not None:
                    progress(result)
    except ScanTimeout:
        reason = f"the scan reached its --timeout of {request.timeout:g} s"
        stopped = ledger.not_scanned(IssueKind.TIMEOUT, reason)
    except ScanError as exc:
        stopped = ledger.not_scanned(IssueKind.WORKER_FAILED, str(exc))
    finally:
        ledger.close()

    stats.issues.extend(ledger.issues)
    stats.issues.extend(stopped)
    stats.issues.extend(source.issues())
    stats.commits = getattr(source, "commits_seen", 0)
    findings = [finding for _, finding in sorted(best.values(), key=lambda item: item[0])]
    return ScanOutcome(
        source=source.describe(),
        findings=findings,
        stats=stats,
        engine=request.detector.prefilter.name,
        elapsed=time.monotonic() - started,
        dropped=dropped,
        rejections=rejections,
        started_at=started_at,
        finished_at=datetime.now(UTC),
    )


def _results(request: ScanRequest, ledger: Ledger) -> Iterator[UnitResult]:
    source = request.source

    def make_scanner() -> UnitScanner:
        return UnitScanner(
            request.detector,
            source.reader(),
            compare_with_parent=source.compare_with_parent,
            explain=request.explain,
            max_size=request.max_file_size,
        )

    units = iter(ledger)
    head = list(islice(units, PARALLEL_THRESHOLD))
    all_units = chain(head, units)
    if request.jobs <= 1 or len(head) < PARALLEL_THRESHOLD:
        scanner = make_scanner()
        try:
            yield from scan_serially(scanner, all_units)
        finally:
            scanner.reader.close()
    else:
        from leakguard.parallel import scan_in_parallel  # a small scan never forks

        yield from scan_in_parallel(make_scanner, all_units, request.jobs)
