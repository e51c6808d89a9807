"""`PreviousVersions`: which lines of a file's next version are scanned, and which keep hits.

That the candidates stay the same is a property test (`test_properties.py`,
`test_a_version_scanned_where_it_changed_finds_what_a_whole_scan_finds`); here, that the parts
it relies on are what they say.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leakguard.detectors import previous_versions
from leakguard.detectors.prefilter import ENCODED, Hit
from leakguard.detectors.previous_versions import (
    SMALLEST,
    PreviousVersions,
    Stretch,
    common_prefix,
    common_suffix,
    unchanged_lines,
)

lines = st.lists(st.sampled_from(["", "a", "ab", "b", "aab", "x" * 5000, "\r"]), max_size=12)


def joined(parts: list[str], trailing: bool) -> bytes:
    return ("\n".join(parts) + "\n" * trailing).encode()


def assert_shared(before: bytes, after: bytes, stretches: list[Stretch]) -> None:
    """Each stretch: the same bytes in both versions, whole lines in both, in order and apart."""
    ends = [0, 0]
    for stretch in stretches:
        start, old_start, size = stretch
        assert size > 0
        assert start >= ends[0]  # in order, apart in both versions
        assert old_start >= ends[1]
        assert after[start : start + size] == before[old_start : old_start + size]
        for data, first in ((after, start), (before, old_start)):
            assert first == 0 or data[first - 1 : first] == b"\n"  # starts a line
        last_byte = after[start + size - 1 : start + size]
        at_ends = start + size == len(after) and old_start + size == len(before)
        assert last_byte == b"\n" or at_ends  # ends a line in both
        ends = [start + size, old_start + size]


def test_a_line_grown_at_its_start_is_not_kept() -> None:
    """The widest agreement around an anchor may start inside a line ("ab" in the old
    version, "aab" in the new): only from the next line on is it kept."""
    rows = [b"row %03d\n" % n for n in range(300)]
    before = b"".join([*rows[:100], b"ab\n", *rows[100:]])
    after = b"".join([b"changed\n", *rows[1:100], b"aab\n", *rows[100:299], b"changed\n"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(previous_versions, "SMALLEST_PART", 0)
        patch.setattr(previous_versions, "ANCHOR", 16)
        stretches = unchanged_lines(before, after)

    assert_shared(before, after, stretches)
    kept = b"".join(after[s.start : s.start + s.size] for s in stretches)
    assert kept == b"".join(rows[1:100] + rows[100:299])


@settings(max_examples=300, deadline=None)
@given(old=lines, new=lines, old_trailing=st.booleans(), new_trailing=st.booleans())
def test_unchanged_lines_are_whole_lines_both_versions_share(
    old: list[str], new: list[str], old_trailing: bool, new_trailing: bool
) -> None:
    before, after = joined(old, old_trailing), joined(new, new_trailing)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(previous_versions, "SMALLEST_PART", 0)  # anchor down to single lines
        patch.setattr(previous_versions, "ANCHOR", 2)
        stretches = unchanged_lines(before, after)

    assert_shared(before, after, stretches)
    if before == after:
        assert sum(stretch.size for stretch in stretches) == len(after)


@settings(max_examples=300, deadline=None)
@given(versions=st.lists(st.tuples(lines, st.booleans()), min_size=1, max_size=6))
def test_each_version_has_its_newlines_counted_where_carried(
    versions: list[tuple[list[str], bool]],
) -> None:
    """A carried version's newlines are its previous version's, less those of the lines it
    lost, plus those of the lines scanned: they must be what counting them all gives."""
    previous = PreviousVersions()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(previous_versions, "SMALLEST", 0)
        patch.setattr(previous_versions, "SMALLEST_PART", 0)
        patch.setattr(previous_versions, "ANCHOR", 2)
        for parts, trailing in versions:
            data = joined(parts, trailing)
            assert previous.scan("f.txt", data, CountingScan()).newlines == data.count(b"\n")


@given(a=st.binary(max_size=300), b=st.binary(max_size=300), limit=st.integers(0, 300))
def test_common_ends_are_the_longest_within_the_limit(a: bytes, b: bytes, limit: int) -> None:
    def expected(x: bytes, y: bytes) -> int:
        most = min(limit, len(x), len(y))
        return next((i for i in range(most) if x[i] != y[i]), most)

    assert common_prefix(a, b, min(limit, len(a), len(b))) == expected(a, b)
    assert common_suffix(a, b, min(limit, len(a), len(b))) == expected(a[::-1], b[::-1])


def test_common_ends_of_a_megabyte_are_found_to_the_byte() -> None:
    data = bytes(range(256)) * 4096
    for place in (0, 1, 4095, 4096, 700_001, len(data) - 1):
        changed = bytearray(data)
        changed[place] ^= 0xFF
        assert common_prefix(data, bytes(changed), len(data)) == place
        assert common_suffix(data, bytes(changed), len(data)) == len(data) - place - 1


class CountingScan:
    """A prefilter stand-in: a hit at each `k`, and a record of the bytes it was given."""

    def __init__(self) -> None:
        self.scanned: list[bytes] = []

    def __call__(self, data: bytes, start: int, end: int) -> list[Hit]:
        self.scanned.append(data[start:end])
        hits: list[Hit] = [(0, i) for i in range(start, end) if data[i : i + 1] == b"k"]
        if b"=" in data[start:end]:
            hits.append((ENCODED, start))
        return hits


def test_a_changed_line_of_a_large_file_is_the_only_line_scanned() -> None:
    lines_of_file = [f"line {n} k".encode() for n in range(SMALLEST // 2)]
    first = b"\n".join(lines_of_file) + b"\n"
    lines_of_file[len(lines_of_file) // 3] = b"changed line k k"
    second = b"\n".join(lines_of_file) + b"\n"
    scan = CountingScan()
    versions = PreviousVersions()

    versions.scan("big.txt", first, scan)
    carried = versions.scan("big.txt", second, scan).hits

    assert scan.scanned[-1] == b"changed line k k\n"
    assert sorted(carried) == sorted(scan(second, 0, len(second)))


def test_inserted_and_removed_lines_move_the_hits_after_them() -> None:
    scan = CountingScan()
    versions = PreviousVersions()
    body = b"".join(b"row %d with k\n" % n for n in range(SMALLEST // 4))
    for text in (body, b"new k\nnew\n" + body, body[: len(body) // 2] + body, body[5000:]):
        assert sorted(versions.scan("f.txt", text, scan).hits) == sorted(scan(text, 0, len(text)))


def test_the_encoded_signal_is_carried_with_its_line() -> None:
    """Encoded text is reported at its first match only (the stand-in reports it at the start
    of what it scans, when that holds a `=`): kept with its line, it stays."""
    scan = CountingScan()
    versions = PreviousVersions()
    body = b"plain line\n" * (SMALLEST // 4)
    versions.scan("f.txt", b"token=abc\n" + body, scan)

    carried = versions.scan("f.txt", b"token=abc\n" + body + b"more\n", scan).hits

    assert scan.scanned[-1] == b"more\n"
    assert (ENCODED, 0) in carried


def test_a_version_whose_kept_lines_may_hold_encoded_text_is_scanned_whole() -> None:
    """When the previous version's first encoded text lay in a line that changed, a later
    one in the lines kept would go unseen: the new version is scanned whole."""
    scan = CountingScan()
    versions = PreviousVersions()
    body = b"plain line\n" * (SMALLEST // 4)
    versions.scan("f.txt", b"token=abc\n" + body, scan)
    second = b"other\n" + body

    hits = versions.scan("f.txt", second, scan).hits

    assert scan.scanned[-1] == second
    assert hits == sorted(scan(second, 0, len(second)), key=lambda hit: hit[1])


def test_small_files_are_scanned_whole_and_memory_stays_bounded() -> None:
    scan = CountingScan()
    versions = PreviousVersions(limit=5 * SMALLEST)
    small = b"k\n" * 10
    versions.scan("small.txt", small, scan)
    versions.scan("small.txt", small, scan)
    assert scan.scanned == [small, small]

    files = {f"{n}.txt": b"%02d line\n" % n * (SMALLEST // 8) for n in range(20)}
    for path, data in files.items():
        versions.scan(path, data, scan)
        assert 0 < versions.size <= 5 * SMALLEST
    scanned = len(scan.scanned)
    versions.scan("19.txt", files["19.txt"], scan)  # the latest are kept: nothing to scan
    versions.scan("0.txt", files["0.txt"], scan)  # the first were let go: scanned whole
    assert scan.scanned[scanned:] == [files["0.txt"]]
