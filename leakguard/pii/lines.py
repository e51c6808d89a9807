"""Lines of a fragment: found by offset or number, counted only as far as they are needed.

The detector hands a recognizer one window at a time; the Dutch detectors also look at the
lines around it (a JSON object's keys, a table's header). Large files (a 10 MB CSV) must not
cost a Python step per line, so lines are counted from a known line (the last one asked for),
from the top when near it, and in one pass only when far down.

Since `watch`, the lines record which of them were read: a verdict that read lines 10 to 14
says the same wherever those five lines stand again, below the same number of lines above
(the detector's verdict memo, `leakguard.detectors.verdicts`). A fact about the whole
fragment (its CSV header, whether it holds SQL statements) is read by name with `fact`: the memo
holds its value. Whatever reads more (the line count, a table found anywhere in the file) says
so with `read_everything`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from functools import cached_property
from typing import TypeVar

from leakguard.detectors.text import (
    WALK,
    FragmentText,
    Window,
    count_newlines,
    decode,
    line_starts_after,
    walk_to_line,
)

_T = TypeVar("_T")


class Lines:
    def __init__(self, owner: FragmentText) -> None:
        self.owner = owner
        self.data = owner.data
        self._lines: dict[int, str] = {}
        self._starts = [0]
        self._scanned = 0  # bytes searched for line starts so far
        self._anchor = (0, 0)  # (index, start) of a line found on the way (a match's line)
        # The lines read since `watch`, first and last, or None once more than lines was read;
        # and the facts read, by name.
        self._read: tuple[int, int] | None = (0, 0)
        self._facts: list[str] = []

    @property
    def line_starts(self) -> list[int]:
        """Byte offsets of every line start (for bisection)."""
        if self._scanned < len(self.data):
            self._starts.extend(line_starts_after(self.data, self._scanned))
            self._scanned = len(self.data)
        return self._starts

    def _start_of(self, index: int) -> int:
        """Where line `index` starts; lines are counted only as far as they are asked for (a
        hit near the top of a large file does not pay for the whole file)."""
        starts = self._starts
        if index < len(starts):
            return starts[index]
        if abs(index - self._anchor[0]) <= WALK:  # near a line found before: walk from there
            start = walk_to_line(self.data, self._anchor, index)
            if start is None:
                return len(self.data)  # past the end: an empty line there
            # Lines are asked for in runs (the keys above a value, then below it): the next
            # one is a step from this one.
            self._anchor = (index, start)
            return start
        if index - len(starts) > WALK:
            return self.line_starts[index]  # far down: one pass over the rest is cheaper
        while len(starts) <= index and self._scanned < len(self.data):
            newline = self.data.find(b"\n", self._scanned)
            self._scanned = len(self.data) if newline == -1 else newline + 1
            if newline != -1:
                starts.append(newline + 1)
        return starts[index]

    @cached_property
    def _line_count(self) -> int:
        return count_newlines(self.data) + 1

    def line_count(self) -> int:
        self.read_everything()
        return self._line_count

    def clamp(self, stop: int) -> int:
        """`min(stop, line_count())`, which reads only whether the lines before `stop` exist."""
        self.note(stop - 1)
        return min(stop, self._line_count)

    def holds(self, index: int) -> bool:
        """Whether line `index` is in the fragment (the line of a window always is)."""
        self.note(index)
        return 0 <= index < self._line_count

    def line_bounds(self, index: int) -> tuple[int, int]:
        """[start, end) of line `index` in bytes, without its line end (LF or CRLF)."""
        start = self._start_of(index)
        end = self.data.find(b"\n", start)
        end = end if end != -1 else len(self.data)
        if end > start and self.data[end - 1] == 13:
            end -= 1
        return start, end

    def watch(self, index: int) -> None:
        """Start recording the lines read, from line `index` (a window's, read already)."""
        self._read = (index, index)
        self._facts = []

    def note(self, index: int) -> None:
        """Line `index` (or whether it exists) was read."""
        read = self._read
        if read is not None and not read[0] <= index <= read[1]:
            self._read = (min(read[0], index), max(read[1], index))

    def read_everything(self) -> None:
        self._read = None

    def fact(self, name: str, value: Callable[[], _T]) -> _T:
        """A fact about the whole fragment, read by its name; the lines it reads are its own
        business (its value stands for them)."""
        read = self._read
        found = value()
        self._read = read
        if read is not None and name not in self._facts:
            self._facts.append(name)
        return found

    def lines_read(self) -> tuple[int, int, tuple[str, ...]] | None:
        """The first and last line and the facts read since `watch`; None when more was."""
        read = self._read
        return None if read is None else (*read, tuple(self._facts))

    def line(self, index: int) -> str:
        """Line `index` (0-based in the fragment), decoded, without its line end."""
        self.note(index)
        text = self._lines.get(index)
        if text is None:
            start, end = self.line_bounds(index)
            text = decode(self.data[start:end])
            if len(self._lines) > 4096:
                self._lines.clear()
            self._lines[index] = text
        return text

    def index_of(self, window: Window) -> int:
        """The fragment line index of a window's first line."""
        index = window.line - self.owner.fragment.line_offset - 1
        if index >= len(self._starts):
            # The window knows where its line starts: lines asked for next (the keys around
            # a value) are a step from there, not a walk from the last line asked for.
            self._anchor = (index, window.line_start)
        return index

    def locate(self, offset: int) -> tuple[int, int]:
        """(line index, character in that line) of byte `offset`."""
        self.read_everything()
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index, len(decode(self.data[self.line_starts[index] : offset]))

    def window_for(self, index: int) -> Window:
        """A window over line `index`, for a candidate found on another line than the hit's.

        Made here, from the line's number, rather than by the fragment's `window()`: that one
        counts lines on from the last offset it was asked for, and a window on a line below
        the detector's made it count again from the top for the detector's next window.
        """
        self.note(index)
        start, end = self.line_bounds(index)
        fragment = self.owner.fragment
        column = 1 + (fragment.column_offset if start == 0 else 0)
        line = fragment.line_offset + index + 1
        return Window(decode(self.data[start:end]), line, column, self.owner, start)
