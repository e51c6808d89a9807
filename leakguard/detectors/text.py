"""Line arithmetic over a fragment's bytes, computed only where a hit needs it."""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass

from leakguard.models import Fragment
from leakguard.sources.content import characters

# A line longer than twice this is read only at its two ends for `line_text`: a candidate on a
# 50 MB line needs the text around it and the end of the line (an allow comment), not all of it.
LINE_TEXT_END = 2048
WALK = 256  # lines walked one by one from a known line before counting them all


def decode(data: bytes) -> str:
    """UTF-8 where it is; otherwise the bytes are read as Windows-1252/Latin-1 text."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def name_suffix(path: str) -> str:
    """The suffix of the file name, lowercased (`.csv`), or "" for a name without one."""
    name = path.rsplit("/", 1)[-1].lower()
    return name[name.rfind(".") :] if "." in name else ""


def count_newlines(data: bytes, start: int = 0, end: int | None = None) -> int:
    """The newlines in `data[start:end]`. CPython 3.11's `bytes.count` of one byte steps through
    the bytes one at a time (1.2 GB/s on this project's VM), `replace` takes twice that: a
    history scan counts the lines of every version of every file."""
    end = len(data) if end is None else end
    if end - start < 512:  # below that, the copy costs more than it saves (0.50 vs 0.33 us at 120)
        return data.count(b"\n", start, end)
    part = data if start == 0 and end == len(data) else data[start:end]
    return len(part) - len(part.replace(b"\n", b""))


@dataclass(slots=True)
class Window:
    """A decoded slice of a fragment that starts at (line, column) in the real file."""

    text: str
    line: int  # 1-based line of text[0]
    column: int  # 1-based column of text[0]
    owner: FragmentText
    line_start: int  # byte offset in the fragment of the start of text[0]'s line
    # Newlines counted up to `_at`, and the last of them: matches come in text order, and
    # counting each from the window's start was quadratic on a long window with many matches
    # (a user rule matching every word of a 2 MB line ran for minutes).
    _at: int = 0
    _newlines: int = 0
    _last_newline: int = -1

    def position(self, index: int) -> tuple[int, int]:
        """(line, column) in the real file of character `index` of this window."""
        if index < self._at:
            self._at, self._newlines, self._last_newline = 0, 0, -1
        found = self.text.count("\n", self._at, index)
        if found:
            self._newlines += found
            self._last_newline = self.text.rfind("\n", self._at, index)
        self._at = index
        if self._newlines == 0:
            return self.line, self.column + index
        return self.line + self._newlines, index - self._last_newline

    def line_text(self, line: int) -> str:
        """The whole text of a line of the fragment (empty when out of range)."""
        return self.owner.line_text(line)


def line_starts_after(data: bytes, offset: int) -> Iterator[int]:
    """Offsets of the lines of `data` that start after byte `offset` (a line start).

    Line lengths are summed in C: a Python step per line cost more than the rest of a scan of
    a large file.
    """
    lengths = map(len, data[offset:].split(b"\n")[:-1])
    ends = itertools.islice(itertools.accumulate(lengths, initial=offset), 1, None)
    return map(operator.add, ends, itertools.count(1))


def walk_to_line(data: bytes, known: tuple[int, int], index: int) -> int | None:
    """Where line `index` starts, counted from a line whose (index, start) is `known`; None
    when the data ends before it.

    Lines below are skipped by one regex match, lines above by counting the newlines of a
    stretch before the known line (both in C): a step per line in Python made the walks over a
    JSON record's keys 4 % of a history scan. A few lines up are still stepped (faster there).
    """
    known_index, start = known
    if index > known_index:
        found = _lines(index - known_index).match(data, start)
        return None if found is None else found.end()
    above = known_index - index
    if above <= STEPPED_UP:
        for _ in range(above):
            if start == 0:
                return None
            start = data.rfind(b"\n", 0, start - 1) + 1
        return start
    # Line `index` starts after the (above + 1)-th newline before `start` (which ends the line
    # above the known one), or at 0 when there are exactly `above` of them.
    reach = GUESSED_LINE * (above + 1)
    while True:
        low = max(0, start - reach)
        newlines = data.count(b"\n", low, start)
        if newlines > above:
            found = _lines(newlines - above).match(data, low)
            assert found is not None  # the newlines were counted
            return found.end()
        if low == 0:
            return 0 if newlines == above else None
        reach *= 4


STEPPED_UP = 8
GUESSED_LINE = 64  # bytes a line is taken to hold when looking for the lines above


@functools.lru_cache(maxsize=1024)
def _lines(count: int) -> re.Pattern[bytes]:
    """`count` whole lines, each up to its newline (possessive: a failed match never goes
    back into a line)."""
    return re.compile(rb"(?:[^\n]*+\n){%d}" % count)


class FragmentText:
    """Maps byte offsets of a fragment to lines, incrementally for ascending offsets."""

    def __init__(self, fragment: Fragment) -> None:
        self.fragment = fragment
        self.data = fragment.data
        self._line_start = 0
        self._line_end = -1  # nothing cached yet
        self._counted_to = 0
        self._newlines_before = 0
        self._line_starts: list[int] | None = None
        # The column at a byte offset of the current line, advanced as windows move right.
        self._column_line = -1
        self._column_at = 0
        self._column = 1
        self._last_line: tuple[int, str] | None = None
        self._window_line: tuple[int, int] | None = None  # (index, start) of the last window's line
        self._keyword_lines: dict[tuple[int, tuple[str, ...]], bool] = {}

    @functools.cached_property
    def kind(self) -> str:
        """All that a verdict on its lines may know of the file's path: its name's suffix
        (`Verdicts`; a line of one PHP file says what it says in another)."""
        return name_suffix(self.fragment.path)

    def line_bounds(self, offset: int) -> tuple[int, int]:
        """[start, end) of the line holding byte `offset`, without its newline."""
        if self._line_start <= offset <= self._line_end:
            return self._line_start, self._line_end
        data = self.data
        start = data.rfind(b"\n", 0, offset) + 1
        end = data.find(b"\n", offset)
        if end == -1:
            end = len(data)
        self._line_start, self._line_end = start, end
        return start, end

    def line_has_keyword(self, offset: int, keywords: tuple[str, ...]) -> bool:
        """Whether the line holding byte `offset` holds one of the (lowercase) keywords.

        A rule is only tried on a line with one of its keywords, whichever trigger found the
        line; the answer is kept per line and keyword set, since a long line has many windows.
        """
        start, end = self.line_bounds(offset)
        key = (start, keywords)
        answer = self._keyword_lines.get(key)
        if answer is None:
            line = self.data[start:end].lower()
            answer = any(keyword.encode() in line for keyword in keywords)
            self._keyword_lines[key] = answer
        return answer

    def line_number(self, offset: int) -> int:
        """1-based line in the real file of byte `offset`."""
        if offset < self._counted_to:
            self._counted_to = 0
            self._newlines_before = 0
        self._newlines_before += self.data.count(b"\n", self._counted_to, offset)
        self._counted_to = offset
        return self.fragment.line_offset + self._newlines_before + 1

    def window(self, start: int, end: int) -> Window:
        line = self.line_number(start)
        line_start = self.line_bounds(start)[0]
        self._window_line = (line - self.fragment.line_offset - 1, line_start)
        return Window(decode(self.data[start:end]), line, self.column(start), self, line_start)

    def column(self, offset: int) -> int:
        """1-based column in the real file of byte `offset`.

        Counted on from the previous offset of the same line: windows come in file order, and
        counting each one from the line start made a long line with many hits quadratic (a
        4 MB minified line with 2,000 hits took 28 s).
        """
        line_start, _ = self.line_bounds(offset)
        if line_start != self._column_line or offset < self._column_at:
            self._column_line = line_start
            self._column_at = line_start
            # The fragment's first line may continue one that earlier windows began.
            self._column = 1 + (self.fragment.column_offset if line_start == 0 else 0)
        self._column += characters(self.data[self._column_at : offset])
        self._column_at = offset
        return self._column

    def line_text(self, line: int) -> str:
        """The text of a line of the fragment (empty when out of range), without its newline.

        The last line asked is kept: the candidates of one line share its text instead of
        each holding a copy (400,000 matches on a long line held 1.6 GB of copies).
        """
        if self._last_line is not None and self._last_line[0] == line:
            return self._last_line[1]
        text = self._line_text(line)
        self._last_line = (line, text)
        return text

    def _line_text(self, line: int) -> str:
        index = line - self.fragment.line_offset - 1
        if index < 0:
            return ""
        near = self._window_line
        if self._line_starts is None and near is not None and abs(index - near[0]) <= WALK:
            # A candidate's line is its window's or one close to it: splitting a whole file
            # for it cost 40 us a candidate in a history scan.
            found = walk_to_line(self.data, near, index)
            if found is None:
                return ""
            start = found
        else:
            if self._line_starts is None:
                self._line_starts = [0, *line_starts_after(self.data, 0)]
            if index >= len(self._line_starts):
                return ""
            start = self._line_starts[index]
        end = self.data.find(b"\n", start)
        end = end if end != -1 else len(self.data)
        if end - start > 2 * LINE_TEXT_END:
            head = decode(self.data[start : start + LINE_TEXT_END])
            return head + decode(self.data[end - LINE_TEXT_END : end]).rstrip("\r")
        return decode(self.data[start:end]).rstrip("\r")
