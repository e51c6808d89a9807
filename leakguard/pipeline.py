"""source -> detectors -> filters -> findings: a whole scan, from units to redacted findings."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice

from leakguard.detectors.engine import Detector
from leakguard.detectors.recognizers import Rejection
from leakguard.filters import FilterChain
from leakguard.fingerprint import fingerprint_key
from leakguard.models import Finding, ScanStats
from leakguard.parallel import BATCH, scan_in_parallel
from leakguard.redact import make_finding
from leakguard.scan import UnitResult, UnitScanner, scan_serially
from leakguard.sources import Source

# Below this many units, forking workers costs more than it saves (a pre-commit hook).
PARALLEL_THRESHOLD = 4 * BATCH


@dataclass(frozen=True, slots=True)
class Dropped:
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

    @property
    def complete(self) -> bool:
        return not any(issue.incomplete for issue in self.stats.issues)


@dataclass
class ScanRequest:
    source: Source
    detector: Detector
    filters: FilterChain
    jobs: int = 1
    show_values: bool = False
    explain: bool = False


def run_scan(
    request: ScanRequest, progress: Callable[[UnitResult], None] | None = None
) -> ScanOutcome:
    started = time.monotonic()
    source = request.source
    rules = {rule.id: rule for rule in request.detector.rules}
    key = fingerprint_key()
    stats = ScanStats()
    best: dict[str, tuple[tuple[int, int, int], Finding]] = {}
    dropped: list[Dropped] = []
    rejections: list[tuple[str, Rejection]] = []

    for result in _results(request):
        stats.merge(result.stats)
        unit = result.unit
        rejections.extend((unit.path, rejection) for rejection in result.rejections)
        for candidate in result.candidates:
            rule = rules[candidate.rule_id]
            finding = make_finding(candidate, unit, rule, key=key, show_values=request.show_values)
            reason = request.filters.drop_reason(candidate, unit, rule)
            if reason is not None:
                dropped.append(
                    Dropped(finding.fingerprint, rule.id, unit.path, candidate.line, reason)
                )
                continue
            # The same value at the same path is one finding: where it first appeared.
            order = (unit.sequence, candidate.line, candidate.column)
            current = best.get(finding.fingerprint)
            if current is None or order < current[0]:
                best[finding.fingerprint] = (order, finding)
        if progress is not None:
            progress(result)

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
    )


def _results(request: ScanRequest) -> Iterator[UnitResult]:
    source = request.source

    def make_scanner() -> UnitScanner:
        return UnitScanner(
            request.detector,
            source.reader(),
            compare_with_parent=source.compare_with_parent,
            explain=request.explain,
        )

    units = iter(source.units())
    head = list(islice(units, PARALLEL_THRESHOLD))
    all_units = chain(head, units)
    if request.jobs <= 1 or len(head) < PARALLEL_THRESHOLD:
        scanner = make_scanner()
        try:
            yield from scan_serially(scanner, all_units)
        finally:
            scanner.reader.close()
    else:
        yield from scan_in_parallel(make_scanner, all_units, request.jobs)
