"""`PreviousVersions`: a file's next version is run through the prefilter only where it changed.

A history holds most files in many versions that differ in a few lines: 604 versions of one
`package-lock.json` in Amsterdam/mijn-amsterdam-frontend, each a megabyte. The prefilter pass
over every byte of every version was the largest single cost of a history scan. A detector keeps
each path's last version and its hits; the next version is compared with it, and only its
changed lines are scanned:

- the lines before the first difference (the common prefix, cut back to a line start) keep the
  previous version's hits. A multi-pattern engine decides a hit from the bytes up to the hit
  and the one after it, and those are the same;
- the lines after the last difference (the common suffix, from a line start in both versions)
  keep the previous version's hits, moved by the change in length;
- the lines between are scanned.

What the engine relies on is the prefilter's promise (`leakguard.detectors.prefilter`): a hit of
a rule on every line where its regex matches within that line, and on a long line at every
match. The lines kept hold the same bytes from a line start to a line end, so their matches are
the same. The only hits that can differ are those of a match that runs across a line end from a
changed line (prefilter mode lets `\\s` take a newline): such a hit is a line with no match of its
own, which a rule confirms to nothing, as the Python prefilter, which never reports one, shows by
finding the same. The signal of encoded text (`ENCODED`, reported once per scan) is kept when
the previous version had it: decoding looks for the runs itself, so a signal too many costs a
search and finds nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from leakguard.detectors.prefilter import ENCODED, Hit

# The prefilter's hits of data[start:end] (whole lines), at offsets in data.
LineScan = Callable[[bytes, int, int], list[Hit]]

REMEMBERED_BYTES = 16 << 20  # versions and their hits kept per detector (one per process)
SMALLEST = 32 << 10  # smaller files are scanned whole: comparing costs what it would save
LARGEST = 8 << 20  # larger ones are not kept
HIT_BYTES = 72  # what a hit costs in memory: a tuple of two ints and its place in a list
FIRST_STEP = 4096  # bytes compared at once at first; doubled while they are the same
NEWLINE = 0x0A


class Version(NamedTuple):
    data: bytes
    hits: list[Hit]


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

    def hits(self, path: str, data: bytes, scan: LineScan) -> list[Hit]:
        """The hits of `data`, the content of `path`: scanned where it differs from the last
        version of `path`, carried over from that version where it does not."""
        if not SMALLEST <= len(data) <= LARGEST:
            return scan(data, 0, len(data))
        previous = self._versions.pop(path, None)
        if previous is None:
            hits = scan(data, 0, len(data))
        else:
            self._size -= _cost(previous)
            hits = _carried(previous, data, scan)
        self._keep(path, Version(data, hits))
        return hits

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


def _carried(previous: Version, data: bytes, scan: LineScan) -> list[Hit]:
    start, end = changed_lines(previous.data, data)
    shift = len(data) - len(previous.data)
    after = end - shift  # where the kept lines after the change start in the previous version
    had_encoded = False
    hits: list[Hit] = []
    for rule_index, offset in previous.hits:
        if rule_index == ENCODED:
            had_encoded = True
        elif offset + 1 < start:  # the hit and the byte after it lie before the change
            hits.append((rule_index, offset))
        elif offset >= after:
            hits.append((rule_index, offset + shift))
    scanned = scan(data, start, end) if start < end else []
    hits.extend(scanned)
    if had_encoded and not any(rule_index == ENCODED for rule_index, _ in scanned):
        hits.append((ENCODED, 0))
    return hits


def changed_lines(old: bytes, new: bytes) -> tuple[int, int]:
    """The lines of `new` that differ from `old`, as offsets `(start, end)` in `new`.

    `new[:start]` equals `old[:start]` and ends at a line end (or is empty). `new[end:]` equals
    the same number of bytes at the end of `old`, and starts a line in both (or is empty).
    The two parts do not overlap in either version: `start <= end` and `start <= end - len(new)
    + len(old)`.
    """
    shortest = min(len(old), len(new))
    start = new.rfind(b"\n", 0, common_prefix(old, new, shortest)) + 1
    shift = len(old) - len(new)
    end = len(new) - common_suffix(old, new, shortest - start)
    if end < len(new) and not (_line_starts(new, end) and _line_starts(old, end + shift)):
        newline = new.find(b"\n", end)
        end = len(new) if newline == -1 else newline + 1
    return start, end


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
