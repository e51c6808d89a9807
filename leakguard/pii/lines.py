"""Lines of a fragment: found by offset or number, counted only as far as they are needed.

The detector hands a recognizer one window at a time; the Dutch detectors also look at the
lines around it (a JSON object's keys, a table's header). Large files (a 10 MB CSV) must not
cost a Python step per line, so lines are counted from a known line (the last one asked for),
from the top when near it, and in one pass only when far down.
"""

from __future__ import annotations

import bisect
from functools import cached_property

from leakguard.detectors.text import (
    WALK,
    FragmentText,
    Window,
    decode,
    line_starts_after,
    walk_to_line,
)


class Lines:
    def __init__(self, owner: FragmentText) -> None:
        self.owner = owner
        self.data = owner.data
        self._lines: dict[int, str] = {}
        self._starts = [0]
        self._scanned = 0  # bytes searched for line starts so far
        self._anchor = (0, 0)  # (index, start) of a line found on the way (a match's line)
        # Whether anything but the line being judged was read since `watch`: a verdict that
        # only its own text decided can be remembered for that text (`DutchPiiRecognizer`).
        self.looked_around = False
        self._watched = -1

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
        return self.data.count(b"\n") + 1

    def line_count(self) -> int:
        self.looked_around = True
        return self._line_count

    def holds(self, index: int) -> bool:
        """Whether line `index` is in the fragment (the line of a window always is)."""
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
        """Start telling (`looked_around`) whether lines other than `index` are read."""
        self._watched = index
        self.looked_around = False

    def line(self, index: int) -> str:
        """Line `index` (0-based in the fragment), decoded, without its line end."""
        if index != self._watched:
            self.looked_around = True
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
        self.looked_around = True
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index, len(decode(self.data[self.line_starts[index] : offset]))

    def window_for(self, index: int) -> Window:
        """A window over line `index`, for a candidate found on another line than the hit's.

        Made here, from the line's number, rather than by the fragment's `window()`: that one
        counts lines on from the last offset it was asked for, and a window on a line below
        the detector's made it count again from the top for the detector's next window.
        """
        self.looked_around = True
        start, end = self.line_bounds(index)
        fragment = self.owner.fragment
        column = 1 + (fragment.column_offset if start == 0 else 0)
        line = fragment.line_offset + index + 1
        return Window(decode(self.data[start:end]), line, column, self.owner, start)
