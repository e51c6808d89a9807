"""SQL `INSERT INTO t (columns) VALUES (...), (...)`: the column each value is in.

A statement is parsed once, when the first of its values asks (the values of one statement
are asked about one after another), into the byte spans of its cells.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from functools import cached_property

from leakguard.detectors.prefilter import AnyMatch
from leakguard.detectors.text import decode
from leakguard.pii.lines import Lines

INSERT = re.compile(rb"(?i)\binsert\s+into\s+[\w.\"`\[\]]+\s*\(([^)]*)\)\s*values\b")
SQL_TOKEN = re.compile(rb"'(?:[^']|'')*'?|\"(?:[^\"]|\"\")*\"?|[(),;]|[^'\"(),;]+")
Cells = list[tuple[int, int, int]]  # (start, end, column) in bytes
STATEMENTS = "insert statements"  # the fact (`Lines.fact`) that the fragment holds some


@functools.cache
def _statement() -> AnyMatch:
    return AnyMatch([INSERT.pattern.removeprefix(b"(?i)")])


class Inserts:
    def __init__(self, lines: Lines) -> None:
        self.lines = lines
        self.data = lines.data
        self._cache: tuple[int, tuple[str, ...], Cells] | None = None

    def at(self, index: int) -> tuple[tuple[str, ...], Cells] | None:
        """The columns and value cells of the INSERT whose column list is on line `index`."""
        if not self.any():
            return None
        self.lines.read_everything()
        start, end = self.lines.line_bounds(index)
        for position, match in enumerate(self._insert_matches):
            if start <= match.start(1) <= end:
                return self.parse(position)
            if match.start() > end:
                break
        return None

    def column_of(self, index: int, text: str, start: int) -> tuple[tuple[str, ...], int] | None:
        """The statement's columns and the column of the value at text[start] on line `index`."""
        if not self.any():
            return None
        self.lines.read_everything()
        statements = self._inserts
        line_start, _ = self.lines.line_bounds(index)
        offset = line_start + len(text[:start].encode("utf-8", "replace"))
        position = bisect.bisect_right(statements, (offset, float("inf"))) - 1
        if position < 0:
            return None
        columns, cells = self.parse(position)
        slot = bisect.bisect_right(cells, (offset, float("inf"))) - 1
        if slot < 0 or not cells[slot][0] <= offset < cells[slot][1]:
            return None
        column = cells[slot][2]
        return (columns, column) if column < len(columns) else None

    def any(self) -> bool:
        """Whether the fragment holds an INSERT statement (a fact, `Lines.fact`)."""
        return self.lines.fact(STATEMENTS, lambda: bool(self._insert_matches))

    @cached_property
    def _insert_matches(self) -> list[re.Match[bytes]]:
        # Asked of every version of a file with a field name in it: searched for at C speed
        # first (`re` with IGNORECASE tries each position in turn).
        if not _statement().search(self.data):
            return []
        return list(INSERT.finditer(self.data))

    @cached_property
    def _inserts(self) -> list[tuple[int, int]]:
        """(offset after VALUES, statement number) for each `INSERT INTO t (cols) VALUES`."""
        return [(match.end(), number) for number, match in enumerate(self._insert_matches)]

    def parse(self, position: int) -> tuple[tuple[str, ...], Cells]:
        """The statement's columns and its value cells; the last statement parsed is kept
        (the values of one statement are asked about one after another)."""
        if self._cache is None or self._cache[0] != position:
            match = self._insert_matches[position]
            columns = tuple(c.strip().strip('"`[]') for c in decode(match.group(1)).split(","))
            self._cache = (position, columns, list(_tuple_cells(self.data, match.end())))
        return self._cache[1], self._cache[2]


def _tuple_cells(data: bytes, start: int) -> Iterator[tuple[int, int, int]]:
    """(start, end, column) of each value in `VALUES (..), (..)` up to the statement's end."""
    depth = 0
    column = 0
    for token in SQL_TOKEN.finditer(data, start):
        text = token.group()
        if text == b"(":
            depth += 1
            if depth == 1:
                column = 0
        elif text == b")":
            depth -= 1
        elif text == b",":
            if depth == 1:
                column += 1
        elif text == b";":
            return
        elif depth == 1 and text.strip():
            left = token.start() + (len(text) - len(text.lstrip()))
            yield left, token.start() + len(text.rstrip()), column
        elif depth == 0 and text.strip():
            return  # the VALUES list ended without a semicolon
