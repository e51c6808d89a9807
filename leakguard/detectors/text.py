"""Line arithmetic over a fragment's bytes, computed only where a hit needs it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from leakguard.models import Fragment

NEWLINE = re.compile(rb"\n")


def decode(data: bytes) -> str:
    """UTF-8 where it is; otherwise the bytes are read as Windows-1252/Latin-1 text."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


@dataclass(frozen=True, slots=True)
class Window:
    """A decoded slice of a fragment that starts at (line, column) in the real file."""

    text: str
    line: int  # 1-based line of text[0]
    column: int  # 1-based column of text[0]
    owner: FragmentText

    def position(self, index: int) -> tuple[int, int]:
        """(line, column) in the real file of character `index` of this window."""
        newlines = self.text.count("\n", 0, index)
        if newlines == 0:
            return self.line, self.column + index
        return self.line + newlines, index - self.text.rfind("\n", 0, index)

    def line_text(self, line: int) -> str:
        """The whole text of a line of the fragment (empty when out of range)."""
        return self.owner.line_text(line)


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

    def line_number(self, offset: int) -> int:
        """1-based line in the real file of byte `offset`."""
        if offset < self._counted_to:
            self._counted_to = 0
            self._newlines_before = 0
        self._newlines_before += self.data.count(b"\n", self._counted_to, offset)
        self._counted_to = offset
        return self.fragment.line_offset + self._newlines_before + 1

    def window(self, start: int, end: int) -> Window:
        line_start, _ = self.line_bounds(start)
        column = 1 if line_start == start else len(decode(self.data[line_start:start])) + 1
        return Window(decode(self.data[start:end]), self.line_number(start), column, self)

    def line_text(self, line: int) -> str:
        """The text of a line of the fragment (empty when out of range), without its newline."""
        index = line - self.fragment.line_offset - 1
        if self._line_starts is None:
            self._line_starts = [0, *(m.end() for m in NEWLINE.finditer(self.data))]
        if not 0 <= index < len(self._line_starts):
            return ""
        start = self._line_starts[index]
        end = self.data.find(b"\n", start)
        return decode(self.data[start : end if end != -1 else len(self.data)]).rstrip("\r")
