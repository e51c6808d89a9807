"""One unit, scanned: content read, split into windows, detected, compared with its parent."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from leakguard.detectors.engine import Detector
from leakguard.detectors.recognizers import Rejection
from leakguard.errors import LeakguardError
from leakguard.models import Candidate, Fragment, IssueKind, ScanIssue, ScanStats
from leakguard.sources import ContentReader, ScanUnit
from leakguard.sources.content import text_pieces

# Content beyond this many bytes is not scanned (and reported): windows keep memory bounded at
# any size, but a scan should not spend minutes on one database dump. GitHub refuses files over
# 100 MiB, so a repository pushed there never reaches it.
DEFAULT_MAX_FILE_SIZE = 256 << 20


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
        max_size: int | None = None,
    ) -> None:
        self.detector = detector
        self.reader = reader
        self.compare_with_parent = compare_with_parent
        self.explain = explain
        self.max_size = max_size  # bytes of a unit's content that are scanned; None: all

    def scan(self, unit: ScanUnit) -> UnitResult:
        """The unit's candidates, or an issue saying why it was not (completely) scanned.

        Never raises for one unit's sake: an error in a detector or a worker out of memory
        becomes an issue naming the unit, and the other units are still scanned.
        """
        try:
            return self._scan(unit)
        except MemoryError:
            detail = "ran out of memory while scanning it"
        except Exception as exc:
            detail = f"internal error ({describe_exception(exc)}); please report it"
        # The reader may have stopped half-way through the content: start it afresh.
        self.reader.close()
        return _failed(unit, detail)

    def _scan(self, unit: ScanUnit) -> UnitResult:
        result = UnitResult(unit)
        limited = SizeLimit(self.max_size)
        try:
            chunks = limited.apply(self.reader.chunks(unit))
            candidates, rejections = self._detect(unit, chunks, result.stats)
        except (OSError, LeakguardError) as exc:
            kind = IssueKind.GIT_ERROR if unit.blob else IssueKind.UNREADABLE
            detail = getattr(exc, "strerror", None) or str(exc)
            commit = unit.commit.sha if unit.commit else None
            result.stats.issues.append(ScanIssue(kind, unit.path, detail, commit))
            return result
        if candidates is None:
            result.stats.issues.append(ScanIssue(IssueKind.BINARY, unit.path, "binary content"))
            return result
        if limited.exceeded:
            result.stats.issues.append(
                ScanIssue(
                    IssueKind.TOO_LARGE,
                    unit.path,
                    f"larger than the {format_size(self.max_size or 0)} limit: only its first "
                    f"{format_size(self.max_size or 0)} were scanned (raise --max-file-size, "
                    "0 for no limit)",
                    unit.commit.sha if unit.commit else None,
                )
            )
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
            fragment = Fragment(
                piece.data,
                unit.path,
                unit.origin,
                unit.commit,
                piece.line_offset,
                piece.column_offset,
            )
            detection = self.detector.detect(fragment, explain=self.explain)
            for candidate in detection.candidates:
                # Windows overlap: a value in the overlap is found twice, at the same place.
                key = (candidate.rule_id, candidate.line, candidate.column, candidate.value)
                found.setdefault(key, candidate)
            rejections.extend(detection.rejections)
            if stats is not None:
                stats.bytes += len(piece.data)
                stats.lines += detection.newlines
        if stats is not None:
            stats.fragments += 1
        return list(found.values()), rejections

    def _new_since_parent(
        self, unit: ScanUnit, candidates: list[Candidate], result: UnitResult
    ) -> list[Candidate]:
        """Candidates whose rule and value the previous version of the path did not have."""
        try:
            parent = SizeLimit(self.max_size).apply(self.reader.parent_chunks(unit))
            previous, _ = self._detect(unit, parent, None)
        except (OSError, LeakguardError) as exc:
            # Without the parent every candidate counts as new: report more, never less.
            result.stats.issues.append(
                ScanIssue(IssueKind.DECODE, unit.path, f"previous version unreadable: {exc}")
            )
            return candidates
        old = {(c.rule_id, c.value) for c in previous or ()}
        return [c for c in candidates if (c.rule_id, c.value) not in old]


def scan_serially(scanner: UnitScanner, units: Iterable[ScanUnit]) -> Iterator[UnitResult]:
    iterator = iter(units)
    while batch := list(islice(iterator, SERIAL_BATCH)):
        scanner.reader.prefetch(batch)
        for unit in batch:
            yield scanner.scan(unit)


SERIAL_BATCH = 32


def _failed(unit: ScanUnit, detail: str) -> UnitResult:
    commit = unit.commit.sha if unit.commit else None
    issue = ScanIssue(IssueKind.WORKER_FAILED, unit.path, detail, commit)
    return UnitResult(unit, stats=ScanStats(issues=[issue]))


def describe_exception(exc: BaseException) -> str:
    """The exception's type and where it was raised, never its message: a message may quote
    the content being scanned (a validator's ValueError holding the value, say)."""
    import traceback  # only on an error: the hook does not pay for its import

    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return type(exc).__name__
    last = frames[-1]
    where = f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno}"
    return f"{type(exc).__name__} at {where} in {last.name}"


class SizeLimit:
    """Passes on at most `limit` bytes of a unit's chunks and notes when there was more."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.exceeded = False

    def apply(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        if self.limit is None:
            yield from chunks
            return
        remaining = self.limit
        iterator = iter(chunks)
        try:
            for chunk in iterator:
                if len(chunk) > remaining:
                    self.exceeded = True
                    if remaining:
                        yield chunk[:remaining]
                    return
                remaining -= len(chunk)
                yield chunk
        finally:
            # Close the reader's generator now: a git reader skips the rest of the object then,
            # and is ready for the next one.
            close = getattr(iterator, "close", None)
            if close is not None:
                close()


def parse_size(text: str) -> int | None:
    """`512K`, `100M`, `1G` or plain bytes; `0` means no limit (None)."""
    units = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    cleaned = text.strip().upper().removesuffix("IB").removesuffix("B")
    number, unit = (cleaned[:-1], cleaned[-1]) if cleaned[-1:].isalpha() else (cleaned, "")
    if unit not in units or not number.replace(".", "", 1).isdigit():
        raise ValueError(f"{text!r} is not a size (examples: 500K, 100M, 1G, 0 for no limit)")
    size = int(float(number) * units[unit])
    return size or None


def format_size(size: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} bytes"
