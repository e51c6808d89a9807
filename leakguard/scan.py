"""One unit, scanned: content read, split into windows, detected, compared with its parent."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from leakguard.detectors.engine import Detector
from leakguard.detectors.recognizers import Rejection
from leakguard.errors import LeakguardError
from leakguard.models import Candidate, Fragment, IssueKind, ScanIssue, ScanStats
from leakguard.sources import ContentReader, ScanUnit
from leakguard.sources.content import text_pieces


@dataclass(slots=True)
class UnitResult:
    unit: ScanUnit
    candidates: list[Candidate] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    stats: ScanStats = field(default_factory=ScanStats)


class UnitScanner:
    """Scans units with one detector and one content reader (one per process)."""

    def __init__(
        self,
        detector: Detector,
        reader: ContentReader,
        *,
        compare_with_parent: bool = False,
        explain: bool = False,
    ) -> None:
        self.detector = detector
        self.reader = reader
        self.compare_with_parent = compare_with_parent
        self.explain = explain

    def scan(self, unit: ScanUnit) -> UnitResult:
        result = UnitResult(unit)
        try:
            candidates, rejections = self._detect(unit, self.reader.chunks(unit), result.stats)
        except (OSError, LeakguardError) as exc:
            kind = IssueKind.GIT_ERROR if unit.blob else IssueKind.UNREADABLE
            detail = getattr(exc, "strerror", None) or str(exc)
            commit = unit.commit.sha if unit.commit else None
            result.stats.issues.append(ScanIssue(kind, unit.path, detail, commit))
            return result
        if candidates is None:
            result.stats.issues.append(ScanIssue(IssueKind.BINARY, unit.path, "binary content"))
            return result
        if candidates and self.compare_with_parent and unit.parent_blob:
            candidates = self._new_since_parent(unit, candidates, result)
        result.candidates = candidates
        result.rejections = rejections
        return result

    def _detect(
        self, unit: ScanUnit, chunks: Iterable[bytes], stats: ScanStats | None
    ) -> tuple[list[Candidate] | None, list[Rejection]]:
        pieces = text_pieces(chunks)
        if pieces is None:
            return None, []
        found: dict[tuple[str, int, int, str], Candidate] = {}
        rejections: list[Rejection] = []
        for piece in pieces:
            fragment = Fragment(piece.data, unit.path, unit.origin, unit.commit, piece.line_offset)
            detection = self.detector.detect(fragment, explain=self.explain)
            for candidate in detection.candidates:
                # Windows overlap: a value in the overlap is found twice, at the same place.
                key = (candidate.rule_id, candidate.line, candidate.column, candidate.value)
                found.setdefault(key, candidate)
            rejections.extend(detection.rejections)
            if stats is not None:
                stats.bytes += len(piece.data)
                stats.lines += piece.data.count(b"\n")
        if stats is not None:
            stats.fragments += 1
        return list(found.values()), rejections

    def _new_since_parent(
        self, unit: ScanUnit, candidates: list[Candidate], result: UnitResult
    ) -> list[Candidate]:
        """Candidates whose rule and value the previous version of the path did not have."""
        try:
            previous, _ = self._detect(unit, self.reader.parent_chunks(unit), None)
        except (OSError, LeakguardError) as exc:
            # Without the parent every candidate counts as new: report more, never less.
            result.stats.issues.append(
                ScanIssue(IssueKind.DECODE, unit.path, f"previous version unreadable: {exc}")
            )
            return candidates
        old = {(c.rule_id, c.value) for c in previous or ()}
        return [c for c in candidates if (c.rule_id, c.value) not in old]


def scan_serially(scanner: UnitScanner, units: Iterable[ScanUnit]) -> Iterator[UnitResult]:
    for unit in units:
        yield scanner.scan(unit)
