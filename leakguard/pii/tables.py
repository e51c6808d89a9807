"""Tables in text: which column a value stands in, and the values under a header.

CSV/TSV files (the first line is the header; other text files when their first lines agree on
a delimiter), Markdown and psql tables (the line above the `---` rule), pg_dump data sections
(`COPY t (cols) FROM stdin`) and whitespace-aligned printouts (a pandas DataFrame in a
notebook's output).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from leakguard.detectors.text import decode
from leakguard.pii.lines import Lines

TABLE_SUFFIXES = {".csv": None, ".tsv": "\t", ".tab": "\t", ".psv": "|", ".ssv": ";"}
# Files whose first line may be a header although their name does not say so.
SNIFFED_SUFFIXES = frozenset({"", ".txt", ".dat", ".data", ".export", ".out"})
ALIGNED_SUFFIXES = (".ipynb", ".txt", ".log", ".out")
DELIMITERS = (",", ";", "\t", "|")
CELL_NAME = re.compile(r"[\w .\-/()#]{1,60}")
RULE_CHARS = frozenset("|+:- \t")
COPY = re.compile(rb"^COPY\s+[\w.\"]+\s*\(([^)\n]*)\)\s+FROM\s+stdin", re.MULTILINE)
IDENTIFIER = re.compile(r"[A-Za-z_][\w.\-]*")
ALIGNED_CELL = re.compile(r"[^\s\",\[\]]+")
FILE_HEADER = "file header"  # the fact (`Lines.fact`) of a CSV-like file's first line


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # header cells in the header line (aligned tables)
    delimiter: str | None  # None: cells are aligned on whitespace
    line: int  # index of the header line in the fragment
    kind: str = "file"  # file (CSV-like), pipe (Markdown, psql), copy (pg_dump), aligned


class Tables:
    """The tables of one fragment, found when a value asks."""

    def __init__(self, lines: Lines, suffix: str, line_offset: int) -> None:
        self.lines = lines
        self.suffix = suffix
        self.line_offset = line_offset  # a later window of a large file has no header line
        self._tables: dict[int, Table | None] = {}

    def column_of(self, index: int, text: str, start: int, end: int) -> tuple[Table, int] | None:
        """The table and column of the value at text[start:end] on line `index`."""
        table = self.table_for(index, text)
        if table is None:
            return None
        column = table_column(table, text, start, end)
        if column is None or column >= len(table.header):
            return None
        return table, column

    def table_for(self, index: int, text: str) -> Table | None:
        """The table whose row line `index` is, if any."""
        pipes = "|" in text and text.count("|") >= 2  # `in` first: a window may be megabytes
        if not (pipes or "\t" in text or self.suffix in ALIGNED_SUFFIXES):
            # A row of a CSV-like file, or of no table (most lines): only the header decides.
            table = self.header_of_file()
            return table if table is not None and index > table.line else None
        self.lines.read_everything()  # a table around the line, or a `COPY` anywhere above
        if index in self._tables:
            return self._tables[index]
        table = self._find_table(index, text)
        if len(self._tables) > 4096:
            self._tables.clear()
        self._tables[index] = table
        return table

    def _find_table(self, index: int, text: str) -> Table | None:
        if "|" in text and text.count("|") >= 2:
            table = self._pipe_table(index)
            if table is not None:
                return table
        if "\t" in text:
            copy = self._copy_header(index)
            if copy is not None:
                return copy
        table = self.file_table
        if table is not None and index > table.line:
            return table
        if self.suffix in ALIGNED_SUFFIXES:
            return self._aligned_table(index, text)
        return None

    def header_of_file(self) -> Table | None:
        return self.lines.fact(FILE_HEADER, lambda: self.file_table)

    @cached_property
    def file_table(self) -> Table | None:
        """The header of a CSV-like file: its first line, when the file starts here."""
        if self.line_offset != 0 or not self.lines.data:
            return None
        header = self.lines.line(0)
        if self.suffix in TABLE_SUFFIXES:
            delimiter = TABLE_SUFFIXES[self.suffix] or _likely_delimiter(header)
            if delimiter is None:
                return None
        elif self.suffix in SNIFFED_SUFFIXES:
            # Without a .csv name, the next lines must have as many delimiters as the header.
            delimiter = _likely_delimiter(header)
            rows = [self.lines.line(index) for index in range(1, min(self.lines.line_count(), 4))]
            if delimiter is None or not rows:
                return None
            if any(row.count(delimiter) != header.count(delimiter) for row in rows if row):
                return None
        else:
            return None
        cells = [header[a:b].strip().strip("\"'") for a, b in cell_spans(header, delimiter)]
        if not all(CELL_NAME.fullmatch(cell) for cell in cells if cell):
            return None
        return Table(tuple(cells), (), delimiter, 0)

    def _pipe_table(self, index: int) -> Table | None:
        for previous in range(index - 1, max(-1, index - 1 - 500), -1):
            line = self.lines.line(previous)
            if is_table_rule(line):
                return self._pipe_header(previous - 1) if previous > 0 else None
            if "|" not in line:
                return None
        return None

    def _pipe_header(self, index: int) -> Table:
        line = self.lines.line(index)
        cells = [line[a:b].strip().strip("*`") for a, b in cell_spans(line, "|", quotes=False)]
        return Table(tuple(cells), (), "|", index, "pipe")

    def header_at(self, index: int) -> Table | None:
        """The table whose header is line `index`: a CSV file's first line, a Markdown or psql
        header (the line above its rule), a pg_dump `COPY` line."""
        table = self.header_of_file()
        if table is not None and table.line == index:
            return table
        line = self.lines.line(index)
        if (
            "|" in line
            and index + 1 < self.lines.clamp(index + 2)
            and is_table_rule(self.lines.line(index + 1))
        ):
            return self._pipe_header(index)
        if line.startswith("COPY "):
            self.lines.read_everything()
            for copy_line, columns in self._copies:
                if copy_line == index:
                    return Table(columns, (), "\t", index, "copy")
        if self.suffix in ALIGNED_SUFFIXES and index + 1 < self.lines.clamp(index + 2):
            table = self._aligned_table(index + 1, self.lines.line(index + 1))
            if table is not None and table.line == index:
                return table
        return None

    def rows(self, table: Table) -> Iterator[tuple[int, str]]:
        """(index, text) of each row of a table, from its header down to where it ends."""
        self.lines.read_everything()
        first = table.line + (2 if table.kind == "pipe" else 1)
        for index in range(first, self.lines.line_count()):
            text = self.lines.line(index)
            if table.kind == "pipe" and "|" not in text:
                return
            if table.kind == "copy" and text == "\\.":
                return
            if table.kind == "aligned" and (len(text.split()) < 2 or text.lstrip()[:1] in "]}"):
                return
            if text.strip():
                yield index, text

    @cached_property
    def _copies(self) -> list[tuple[int, tuple[str, ...]]]:
        """pg_dump data sections: (line index of `COPY`, column names)."""
        if b"FROM stdin" not in self.lines.data:
            return []
        found = []
        for match in COPY.finditer(self.lines.data):
            line = bisect.bisect_right(self.lines.line_starts, match.start()) - 1
            columns = tuple(c.strip().strip('"') for c in decode(match.group(1)).split(","))
            found.append((line, columns))
        return found

    def _copy_header(self, index: int) -> Table | None:
        copies = self._copies
        if not copies:
            return None
        position = bisect.bisect_left(copies, (index,)) - 1
        if position < 0:
            return None
        line, columns = copies[position]
        return Table(columns, (), "\t", line, "copy")

    def _aligned_table(self, index: int, text: str) -> Table | None:
        """A printout aligned on whitespace: the nearest line above made of names only."""
        if len(text.split()) < 2:
            return None
        for previous in range(index - 1, max(-1, index - 1 - 30), -1):
            # A notebook holds the printout in JSON strings: `"   bsn   naam\\n",`.
            line = self.lines.line(previous).replace("\\n", "  ")
            spans = tuple(match.span() for match in ALIGNED_CELL.finditer(line))
            header = tuple(line[a:b] for a, b in spans)
            if len(header) >= 2 and all(IDENTIFIER.fullmatch(name) for name in header):
                return Table(header, spans, None, previous, "aligned")
        return None


def cell_spans(line: str, delimiter: str, *, quotes: bool = True) -> list[tuple[int, int]]:
    """Spans of the cells of a delimited line; quoted cells may hold the delimiter."""
    spans: list[tuple[int, int]] = []
    start = 0
    if not quotes or '"' not in line:  # the common case, at C speed
        for cell in line.split(delimiter):
            spans.append((start, start + len(cell)))
            start += len(cell) + 1
        return _without_pipe_edges(line, spans) if delimiter == "|" else spans
    quoted = False
    for position, char in enumerate(line):
        if quotes and char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            spans.append((start, position))
            start = position + 1
    spans.append((start, len(line)))
    return _without_pipe_edges(line, spans) if delimiter == "|" else spans


def _without_pipe_edges(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Markdown rows start and end with a pipe: the empty edges are not cells."""
    if spans and not line[spans[0][0] : spans[0][1]].strip():
        spans = spans[1:]
    if spans and not line[spans[-1][0] : spans[-1][1]].strip():
        spans = spans[:-1]
    return spans


def table_column(table: Table, text: str, start: int, end: int) -> int | None:
    """Which column of `table` the value at text[start:end] is in."""
    if table.delimiter is not None:
        for column, (a, b) in enumerate(cell_spans(text, table.delimiter)):
            if a <= start < b or (a <= start <= b and start == end):
                return column
        return None
    best, overlap = None, 0
    for column, (a, b) in enumerate(table.spans):
        shared = min(b, end) - max(a, start)
        if shared > overlap:
            best, overlap = column, shared
    return best


def _likely_delimiter(header: str) -> str | None:
    counts = [(header.count(delimiter), delimiter) for delimiter in DELIMITERS]
    count, delimiter = max(counts)
    return delimiter if count else None


def is_table_rule(line: str) -> bool:
    """`|---|:---:|` or `----+----`: the rule under a Markdown or psql table header."""
    return "--" in line and set(line) <= RULE_CHARS
