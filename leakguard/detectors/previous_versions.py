"""`PreviousVersions`: a file's next version is run through the prefilter only where it changed.

A history holds most files in many versions that differ in a few lines: 720 versions of one
`package-lock.json` in Amsterdam/signals-frontend, each a megabyte. The prefilter pass over
every byte of every version was the largest single cost of a history scan. A detector keeps
each path's last version and its hits; the next version is compared with it
(`unchanged_lines`), its stretches of lines that the last version holds too keep that version's
hits, moved to where they now stand, and only the lines between are scanned.

What the engine relies on is the prefilter's promise (`leakguard.detectors.prefilter`): a hit of
a rule on every line where its regex matches within that line, and on a long line at every
match end. A stretch kept holds the same whole lines in both versions, so the same matches
within them. The hits that can differ are those of a match that runs across a line end into a
changed line (prefilter mode lets `\\s` take a newline): a hit on a line without a match of its
own, which a rule confirms to nothing, as the Python prefilter shows, which never reports one
and finds the same. The signal of encoded text (`ENCODED`) is reported at the first match of
each of its patterns only: it is carried like any hit, and a version whose previous one had it
in a changed line only, and shows none in its own changed lines, is scanned whole.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import NamedTuple

from leakguard.detectors.decoding import Parts
from leakguard.detectors.prefilter import ENCODED, Hit, hit_offset
from leakguard.detectors.text import count_newlines

# The prefilter's hits of data[start:end] (whole lines), at offsets in data.
LineScan = Callable[[bytes, int, int], list[Hit]]

REMEMBERED_BYTES = 8 << 20  # versions and their hits kept per detector (one per process)
SMALLEST = 16 << 10  # smaller files are scanned whole: comparing costs what it would save
LARGEST = 4 << 20  # larger ones are not kept
HIT_BYTES = 72  # what a hit costs in memory: a tuple of two ints and its place in a list
FIRST_STEP = 4096  # bytes compared at once at first; doubled while they are the same
ANCHOR = 256  # bytes of a line (and those after it) looked for in the previous version
ANCHOR_PLACES = (0.5, 0.25, 0.75)  # where in a changed part an anchor line is taken
SMALLEST_PART = 16 << 10  # a smaller changed part is scanned as it is
NEWLINE = 0x0A


class Scanned(NamedTuple):
    """What a version's scan tells: the prefilter's hits and the newlines of its bytes."""

    hits: list[Hit]
    newlines: int
    # Where its encoded runs are to be looked for: the lines the last version did not hold,
    # when no run of that version decoded to text (`decodes_nothing`); None: everywhere.
    decode_within: Parts | None = None


class Version(NamedTuple):
    data: bytes
    hits: list[Hit]  # in offset order
    newlines: int
    decodes_nothing: bool = False  # no encoded run of it decodes to text


class PreviousVersions:
    """The last version of each path one detector scanned, and its hits, bounded in bytes."""

    def __init__(self, limit: int = REMEMBERED_BYTES) -> None:
        self._limit = limit
        self._size = 0
        self._versions: dict[str, Version] = {}

    @property
    def size(self) -> int:
        """Bytes held: the versions kept and their hits."""
        return self._size

    def scan(self, path: str, data: bytes, scan: LineScan) -> Scanned:
        """The hits and newlines of `data`, the content of `path`: scanned and counted where
        it differs from the last version of `path`, carried over from that version where it
        does not. (Counting every version's lines whole was a twentieth of a history scan.)"""
        if not SMALLEST <= len(data) <= LARGEST:
            return Scanned(scan(data, 0, len(data)), count_newlines(data))
        previous = self._versions.pop(path, None)
        scanned = None
        if previous is not None:
            self._size -= _cost(previous)
            scanned = _carried(previous, data, scan)
            if scanned is not None and not previous.decodes_nothing:
                scanned = scanned._replace(decode_within=None)
        if scanned is None:
            hits = sorted(scan(data, 0, len(data)), key=hit_offset)
            scanned = Scanned(hits, count_newlines(data))
        self._keep(path, Version(data, scanned.hits, scanned.newlines))
        return scanned

    def decodes_nothing(self, path: str, data: bytes) -> None:
        """No encoded run of `data`, the version of `path` scanned last, decodes to text: the
        runs of the lines the next version shares with it do not either (a run never holds a
        line end), so only its other lines are looked at. composer.lock in schulddossier holds
        some 800 runs (commit hashes) in each of its 102 versions."""
        version = self._versions.get(path)
        if version is not None and version.data is data:
            self._versions[path] = version._replace(decodes_nothing=True)

    def _keep(self, path: str, version: Version) -> None:
        cost = _cost(version)
        # The oldest go first: a history's paths come back in the order they were last changed.
        while self._versions and self._size + cost > self._limit:
            oldest = next(iter(self._versions))
            self._size -= _cost(self._versions.pop(oldest))
        if cost <= self._limit:
            self._versions[path] = version
            self._size += cost


def _cost(version: Version) -> int:
    return len(version.data) + HIT_BYTES * len(version.hits)


def _carried(previous: Version, data: bytes, scan: LineScan) -> Scanned | None:
    """The hits of `data`: its stretches of lines that `previous` holds too keep that
    version's hits, moved to where they now stand; the lines between are scanned. None when
    that cannot tell whether the kept lines hold encoded text (see below). Its newlines are
    the previous version's, less those of the lines it lost, plus those of the lines between."""
    old, old_hits = previous.data, previous.hits
    hits: list[Hit] = []
    newlines = previous.newlines
    scanned: list[tuple[int, int]] = []
    position = old_position = 0
    for stretch in unchanged_lines(old, data):
        if position < stretch.start:
            hits += scan(data, position, stretch.start)
            newlines += count_newlines(data, position, stretch.start)
            scanned.append((position, stretch.start))
        newlines -= count_newlines(old, old_position, stretch.old_start)
        shift = stretch.start - stretch.old_start
        first = bisect.bisect_left(old_hits, stretch.old_start, key=hit_offset)
        last = bisect.bisect_left(old_hits, stretch.old_start + stretch.size, key=hit_offset)
        hits += [(rule_index, offset + shift) for rule_index, offset in old_hits[first:last]]
        position = stretch.start + stretch.size
        old_position = stretch.old_start + stretch.size
    if position < len(data):
        hits += scan(data, position, len(data))
        newlines += count_newlines(data, position)
        scanned.append((position, len(data)))
    newlines -= count_newlines(old, old_position)
    # The signal of encoded text is reported at the first match of each of its patterns only:
    # when the previous version's fell in a changed line, whether a kept line holds another
    # is not known, unless the new version shows one anyway.
    if not any(rule_index == ENCODED for rule_index, _ in hits) and any(
        rule_index == ENCODED for rule_index, _ in old_hits
    ):
        return None
    hits.sort(key=hit_offset)
    return Scanned(hits, newlines, tuple(scanned))


class Stretch(NamedTuple):
    """Whole lines that two versions share: at `start` in the new one, `old_start` in the old."""

    start: int
    old_start: int
    size: int


def unchanged_lines(old: bytes, new: bytes) -> list[Stretch]:
    """Stretches of whole lines of `new` that `old` holds as well, in order, apart in both.

    Each starts a line in both versions, and ends a line in both (after a newline, or at the
    end of both). The first is the common start of the two, the last their common end; between
    them, a stretch of `ANCHOR` bytes at the start of a line in the middle of what is left is
    looked for in the old version, and, when found, widened both ways as far as the two agree:
    a dependency bumped in a lock file changes a few lines here and there.
    """
    shortest = min(len(old), len(new))
    start = new.rfind(b"\n", 0, common_prefix(old, new, shortest)) + 1
    shift = len(old) - len(new)
    end = len(new) - common_suffix(old, new, shortest - start)
    if end < len(new) and not (_line_starts(new, end) and _line_starts(old, end + shift)):
        newline = new.find(b"\n", end)
        end = len(new) if newline == -1 else newline + 1
    stretches = [Stretch(0, 0, start)] if start else []
    _anchored(old, new, (start, end), (start, end + shift), stretches)
    if end < len(new):
        stretches.append(Stretch(end, end + shift, len(new) - end))
    stretches.sort()
    return stretches


def _anchored(
    old: bytes,
    new: bytes,
    part: tuple[int, int],
    old_part: tuple[int, int],
    stretches: list[Stretch],
) -> None:
    """Stretches shared by `new[part]` and `old[old_part]`, both of whole lines, found
    around an anchor line and then on either side of what was found."""
    (start, end), (old_start, old_end) = part, old_part
    if end - start < SMALLEST_PART or old_end - old_start < ANCHOR:
        return
    for fraction in ANCHOR_PLACES:
        line = new.find(b"\n", start + int((end - start) * fraction), end) + 1
        if not line or line + ANCHOR > end:
            continue
        found = old.find(new[line : line + ANCHOR], old_start, old_end)
        if found != -1 and _line_starts(old, found):
            break
    else:
        return
    after = _common(
        lambda i, j: old[found + i : found + j] == new[line + i : line + j],
        min(old_end - found, end - line),
    )
    before = _common(
        lambda i, j: old[found - j : found - i] == new[line - j : line - i],
        min(found - old_start, line - start),
    )
    first = line - before
    if not (_line_starts(new, first) and _line_starts(old, found - before)):
        first = new.find(b"\n", first, line) + 1  # `line` starts a line in both
    last = new.rfind(b"\n", first, line + after) + 1
    if last <= first:
        return
    shared = Stretch(first, found - (line - first), last - first)
    stretches.append(shared)
    _anchored(old, new, (start, first), (old_start, shared.old_start), stretches)
    _anchored(old, new, (last, end), (shared.old_start + shared.size, old_end), stretches)


def _line_starts(data: bytes, offset: int) -> bool:
    return offset == 0 or data[offset - 1] == NEWLINE


def common_prefix(a: bytes, b: bytes, limit: int) -> int:
    """How many bytes `a` and `b` have in common at their start, at most `limit`.

    Compared a stretch at a time (each comparison a C `memcmp` of slices), the stretch doubled
    while it is the same, then halved to find the first difference: a few dozen comparisons
    for a megabyte, where a loop over bytes would take a million steps.
    """
    return _common(lambda i, j: a[i:j] == b[i:j], limit)


def common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """How many bytes `a` and `b` have in common at their end, at most `limit`."""
    size_a, size_b = len(a), len(b)
    return _common(lambda i, j: a[size_a - j : size_a - i] == b[size_b - j : size_b - i], limit)


def _common(same: Callable[[int, int], bool], limit: int) -> int:
    """The largest `n <= limit` such that `same(0, n)`, given `same(i, j)` that says whether
    the bytes from `i` to `j` (counted from the start, or from the end) are the same."""
    known, step = 0, FIRST_STEP
    while True:
        reach = min(limit, known + step)
        if reach == known:
            return known
        if not same(known, reach):
            break
        known = reach
        step *= 2
    # same(0, known) holds and same(0, reach) does not: halve the difference.
    while reach - known > 1:
        middle = (known + reach) // 2
        if same(known, middle):
            known = middle
        else:
            reach = middle
    return known
