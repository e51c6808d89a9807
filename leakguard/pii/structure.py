"""What the structure of a fragment says about a value: the field it sits in, and its record.

A value under a CSV column `bsn`, a JSON key `geboortedatum` or the third column of an
`INSERT INTO personen (id, naam, bsn)` is judged with that knowledge; it is the main weapon
against false positives. Nothing is parsed up front: a fragment's view is built on the first
question about it and cached (one fragment at a time, the one being scanned), and each kind of
structure is looked for only when a value needs it:

- the same line: `key: value`, `"key": "value"`, `key=value` (logs, .env, ini, URLs, kwargs),
  `<key>value`, `key => value`;
- a table: CSV/TSV (the first line is the header), Markdown and psql tables (the line above
  the `---` rule), pg_dump `COPY t (cols) FROM stdin`, SQL `INSERT INTO t (cols) VALUES (...)`,
  and whitespace-aligned printouts (a pandas DataFrame in a notebook output);
- nesting: the keys of the enclosing JSON/YAML objects and lists (`geboorte: {datum: ...}`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from leakguard.detectors.text import FragmentText, Window, decode

NEWLINE = re.compile(rb"\n")
TABLE_SUFFIXES = {".csv": None, ".tsv": "\t", ".tab": "\t", ".psv": "|", ".ssv": ";"}
# Files whose first line may be a header although their name does not say so.
SNIFFED_SUFFIXES = frozenset({"", ".txt", ".dat", ".data", ".export", ".out"})
DELIMITERS = (",", ";", "\t", "|")
CELL_NAME = re.compile(r"[\w .\-/()#]{1,60}")
# A separator between a key and its value, with only quotes, spaces and brackets after it.
SEPARATOR = re.compile(r"""(?:=>|:=|==|::|[:=>])[\s"'`(\[{]*$""")
# The key itself: one word before `=` and friends; up to three before a label's colon
# (`Telefoonnummer klant: ...`).
KEY_WORD = re.compile(r"[\w.\-/]+$")
LABEL_WORDS = re.compile(r"[\w.\-/]+(?: [\w.\-/]+){0,2}$")
# Markup tags say nothing about their content.
PLAIN_TAGS = frozenset(
    {"a", "b", "i", "p", "td", "th", "tr", "li", "em", "div", "span", "pre", "code", "strong"}
)
TAG_BEFORE = re.compile(r"<([A-Za-z_][\w:.\-]*)(?:\s[^<>]*)?>\s*$")
ARRAY_BEFORE = re.compile(r"""([\w][\w.\-]{0,60})["']?\s*[:=]\s*[\[(][^\])]*$""")
LINE_KEYS = re.compile(r"""["']?([A-Za-z_][\w.\-]{0,60})["']?\s*(?:=>|:(?!//)|=)""")
# The key a line of a JSON/YAML/ini record starts with (a quoted list item is not a key).
LEADING_KEY = re.compile(
    r"""^\s*(?:-\s+)?(?:"([\w.\-]{1,60})"|'([\w.\-]{1,60})'|([A-Za-z_][\w.\-]{0,60}))\s*(?:=>|:|=)"""
)
OPENS = re.compile(
    r"""["']?([\w][\w .\-]{0,60}?)["']?\s*(?:=>|:|=)\s*[\[{(]?\s*(?:[|>][-+]?)?\s*$"""
)
RULE_CHARS = frozenset("|+:- \t")
CODE_BLOCK = re.compile(
    r"\s*[}\]]?\s*(?:if|elif|else|for|while|with|try|except|finally|def|class|return|case|switch"
    r"|async|match|do|catch)\b"
)
# Python regexes here run on single lines that can be megabytes long (minified files): they
# only ever see a bounded stretch of a line, so that none of them costs more than linear time.
REACH = 160
COPY = re.compile(rb"^COPY\s+[\w.\"]+\s*\(([^)\n]*)\)\s+FROM\s+stdin", re.MULTILINE)
INSERT = re.compile(rb"(?i)\binsert\s+into\s+[\w.\"`\[\]]+\s*\(([^)]*)\)\s*values\b")
SQL_TOKEN = re.compile(rb"'(?:[^']|'')*'?|\"(?:[^\"]|\"\")*\"?|[(),;]|[^'\"(),;]+")
IDENTIFIER = re.compile(r"[A-Za-z_][\w.\-]*")
ALIGNED_SUFFIXES = (".ipynb", ".txt", ".log", ".out")
# Files of data rather than code: where personal data comes by the thousand.
DATA_SUFFIXES = frozenset(
    (
        ".csv", ".tsv", ".tab", ".psv", ".ssv", ".json", ".jsonl", ".ndjson", ".geojson", ".sql",
        ".dump", ".log", ".txt", ".xml", ".yaml", ".yml", ".ipynb", ".dat", ".out", ".md", ".html",
    )
)  # fmt: skip
LONG_LINE = 4096  # characters; values on longer lines are judged in a slice around them
LONG_LINE_REACH = 1024
ALIGNED_CELL = re.compile(r"[^\s\",\[\]]+")
LOOK_BACK = 40


@dataclass(frozen=True, slots=True)
class Field:
    """The field a value sits in: its own key (if any), the keys around it, and its record."""

    key: str | None
    source: str  # key, column, table, copy, insert, parent
    parents: tuple[str, ...] = ()
    record: tuple[str, ...] = ()

    def keys(self) -> tuple[str, ...]:
        return ((self.key,) if self.key else ()) + self.parents


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # header cells in the header line (aligned tables)
    delimiter: str | None  # None: cells are aligned on whitespace
    line: int  # index of the header line in the fragment
    kind: str = "file"  # file (CSV-like), pipe (Markdown, psql), copy (pg_dump), aligned


class FragmentView:
    """Lazily built structural facts about one fragment."""

    def __init__(self, owner: FragmentText) -> None:
        self.owner = owner
        self.data = owner.data
        self.path = owner.fragment.path
        name = self.path.rsplit("/", 1)[-1].lower()
        self.suffix = name[name.rfind(".") :] if "." in name else ""
        self._tables: dict[int, Table | None] = {}
        self._lines: dict[int, str] = {}
        self._insert_cache: tuple[int, tuple[str, ...], list[tuple[int, int, int]]] | None = None
        self.is_data = self.suffix in DATA_SUFFIXES
        self._starts = [0]
        self._scanned = 0  # bytes searched for line starts so far
        self._anchor = (0, 0)  # (index, start) of a line found on the way (a match's line)
        self.judged: set[str] = set()  # rules that have judged the whole fragment

    # --- lines ------------------------------------------------------------------------------

    @property
    def line_starts(self) -> list[int]:
        """Byte offsets of every line start (for bisection)."""
        if self._scanned < len(self.data):
            self._starts.extend(m.end() for m in NEWLINE.finditer(self.data, self._scanned))
            self._scanned = len(self.data)
        return self._starts

    def _start_of(self, index: int) -> int:
        """Where line `index` starts; lines are counted only as far as they are asked for (a
        hit near the top of a large file does not pay for the whole file)."""
        starts = self._starts
        if index < len(starts):
            return starts[index]
        known, start = self._anchor
        if abs(index - known) <= 256:  # near a line found before: walk from there
            for _ in range(index - known):
                start = self.data.find(b"\n", start) + 1
            for _ in range(known - index):
                start = self.data.rfind(b"\n", 0, start - 1) + 1
            return start
        if index - len(starts) > 256:
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
        return self._line_count

    def line_bounds(self, index: int) -> tuple[int, int]:
        """[start, end) of line `index` in bytes, without its line end (LF or CRLF)."""
        start = self._start_of(index)
        end = self.data.find(b"\n", start)
        end = end if end != -1 else len(self.data)
        if end > start and self.data[end - 1] == 13:
            end -= 1
        return start, end

    def line(self, index: int) -> str:
        """Line `index` (0-based in the fragment), decoded, without its line end."""
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
        return window.line - self.owner.fragment.line_offset - 1

    def locate(self, offset: int) -> tuple[int, int]:
        """(line index, character in that line) of byte `offset`."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index, len(decode(self.data[self.line_starts[index] : offset]))

    def windows_matching(self, regex: Any, group: int) -> Iterator[tuple[int, Window]]:
        """(line index, window) for every line where `regex` matches: the line, or for a long
        line a slice around each match (as the detector's own windows are). One search of the
        whole text, and lines and bytes counted from match to match: the cost follows the
        matches, not the lines."""
        try:
            text, utf8 = self.data.decode("utf-8"), True
        except UnicodeDecodeError:
            text, utf8 = decode(self.data), False  # a one-byte encoding: characters are bytes
        index, position, offset = 0, 0, 0
        last = -1
        for match in regex.finditer(text):
            start = match.start(group)
            index += text.count("\n", position, start)
            offset += len(text[position:start].encode()) if utf8 else start - position
            position = start
            if index == last:
                continue
            last = index
            line_start = self.data.rfind(b"\n", 0, offset) + 1
            self._anchor = (index, line_start)
            _, line_end = self.line_bounds(index)
            if line_end - line_start <= LONG_LINE:
                yield index, self.owner.window(line_start, line_end)
            else:
                yield from self._slices(index, line_start, line_end, regex)

    def _slices(self, index: int, start: int, end: int, regex: Any) -> Iterator[tuple[int, Window]]:
        text = decode(self.data[start:end])
        position, offset = 0, start
        for match in regex.finditer(text):
            offset += len(text[position : match.start()].encode("utf-8", "replace"))
            position = match.start()
            low = max(start, offset - LONG_LINE_REACH)
            yield index, self.owner.window(low, min(end, offset + LONG_LINE_REACH))

    def window_for(self, index: int) -> Window:
        """A window over line `index`, for a candidate found on another line than the hit's."""
        start, end = self.line_bounds(index)
        return self.owner.window(start, end)

    # --- the field of a value ---------------------------------------------------------------

    def field_of(self, index: int, text: str, start: int, end: int) -> Field | None:
        """The field of the value at text[start:end], where `text` is line `index` (or the
        slice of a long line that a window holds)."""
        key = key_before(text, start)
        if key is not None:
            return Field(key, "key", self.parents(index, text), self.sibling_keys(index, text))
        for finder in (self._table_field, self._sql_field):
            field = finder(index, text, start, end)
            if field is not None:
                return field
        array = ARRAY_BEFORE.search(text[max(0, start - REACH) : start])
        if array is not None:
            return Field(array.group(1), "key", self.parents(index, text), tuple(line_keys(text)))
        parents = self.parents(index, text)
        if parents:
            return Field(None, "parent", parents, self.sibling_keys(index, text))
        return None

    def parents(self, index: int, text: str) -> tuple[str, ...]:
        """Keys of the enclosing JSON/YAML objects and lists, nearest first (at most three)."""
        indent = _indent(text)
        if indent == 0 and not text.lstrip().startswith("-"):
            return ()
        found: list[str] = []
        for previous in range(index - 1, max(-1, index - 1 - LOOK_BACK), -1):
            line = self.line(previous)
            if not line.strip():
                continue
            level = _indent(line)
            if level >= indent:
                continue
            match = None if _is_code_block(line) else OPENS.search(line[-REACH:])
            if match is not None:
                found.append(match.group(1).strip())
            indent = level
            if level == 0 or len(found) == 3:
                break
        return tuple(found)

    def sibling_keys(self, index: int, text: str) -> tuple[str, ...]:
        """Keys on this line and on nearby lines at the same indentation: the record's fields."""
        indent = _indent(text)
        keys = line_keys(text)
        for other in range(max(0, index - 12), min(self.line_count(), index + 13)):
            if other != index:
                line = self.line(other)
                match = LEADING_KEY.match(line) if _indent(line) == indent else None
                if match is not None:
                    keys.append(next(group for group in match.groups() if group))
        return tuple(dict.fromkeys(keys))

    # --- tables -----------------------------------------------------------------------------

    def _table_field(self, index: int, text: str, start: int, end: int) -> Field | None:
        table = self.table_for(index, text)
        if table is None:
            return None
        column = table_column(table, text, start, end)
        if column is None or column >= len(table.header):
            return None
        return Field(table.header[column], table.kind, (), table.header)

    def table_for(self, index: int, text: str) -> Table | None:
        """The table whose row line `index` is, if any."""
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

    @cached_property
    def file_table(self) -> Table | None:
        """The header of a CSV-like file: its first line, when the file starts here."""
        if self.owner.fragment.line_offset != 0 or not self.data:
            return None
        header = self.line(0)
        if self.suffix in TABLE_SUFFIXES:
            delimiter = TABLE_SUFFIXES[self.suffix] or _likely_delimiter(header)
            if delimiter is None:
                return None
        elif self.suffix in SNIFFED_SUFFIXES:
            # Without a .csv name, the next lines must have as many delimiters as the header.
            delimiter = _likely_delimiter(header)
            rows = [self.line(index) for index in range(1, min(self.line_count(), 4))]
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
            line = self.line(previous)
            if is_table_rule(line):
                return self._pipe_header(previous - 1) if previous > 0 else None
            if "|" not in line:
                return None
        return None

    def _pipe_header(self, index: int) -> Table:
        line = self.line(index)
        cells = [line[a:b].strip().strip("*`") for a, b in cell_spans(line, "|", quotes=False)]
        return Table(tuple(cells), (), "|", index, "pipe")

    def header_at(self, index: int) -> Table | None:
        """The table whose header is line `index`: a CSV file's first line, a Markdown or psql
        header (the line above its rule), a pg_dump `COPY` line."""
        table = self.file_table
        if table is not None and table.line == index:
            return table
        line = self.line(index)
        if "|" in line and index + 1 < self.line_count() and is_table_rule(self.line(index + 1)):
            return self._pipe_header(index)
        if line.startswith("COPY "):
            for copy_line, columns in self._copies:
                if copy_line == index:
                    return Table(columns, (), "\t", index, "copy")
        if self.suffix in ALIGNED_SUFFIXES and index + 1 < self.line_count():
            table = self._aligned_table(index + 1, self.line(index + 1))
            if table is not None and table.line == index:
                return table
        return None

    def table_rows(self, table: Table) -> Iterator[tuple[int, str]]:
        """(index, text) of each row of a table, from its header down to where it ends."""
        first = table.line + (2 if table.kind == "pipe" else 1)
        for index in range(first, self.line_count()):
            text = self.line(index)
            if table.kind == "pipe" and "|" not in text:
                return
            if table.kind == "copy" and text == "\\.":
                return
            if table.kind == "aligned" and (len(text.split()) < 2 or text.lstrip()[:1] in "]}"):
                return
            if text.strip():
                yield index, text

    def insert_at(self, index: int) -> tuple[tuple[str, ...], list[tuple[int, int, int]]] | None:
        """The columns and value cells of the INSERT whose column list is on line `index`."""
        start, end = self.line_bounds(index)
        for position, match in enumerate(self._insert_matches):
            if start <= match.start(1) <= end:
                return self._parse_insert(position)
            if match.start() > end:
                break
        return None

    @cached_property
    def _copies(self) -> list[tuple[int, tuple[str, ...]]]:
        """pg_dump data sections: (line index of `COPY`, column names)."""
        if b"FROM stdin" not in self.data:
            return []
        found = []
        for match in COPY.finditer(self.data):
            line = bisect.bisect_right(self.line_starts, match.start()) - 1
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
            line = self.line(previous).replace("\\n", "  ")
            spans = tuple(match.span() for match in ALIGNED_CELL.finditer(line))
            header = tuple(line[a:b] for a, b in spans)
            if len(header) >= 2 and all(IDENTIFIER.fullmatch(name) for name in header):
                return Table(header, spans, None, previous, "aligned")
        return None

    # --- SQL INSERT -------------------------------------------------------------------------

    def _sql_field(self, index: int, text: str, start: int, end: int) -> Field | None:
        statements = self._inserts
        if not statements:
            return None
        line_start, _ = self.line_bounds(index)
        offset = line_start + len(text[:start].encode("utf-8", "replace"))
        position = bisect.bisect_right(statements, (offset, float("inf"))) - 1
        if position < 0:
            return None
        columns, cells = self._parse_insert(position)
        slot = bisect.bisect_right(cells, (offset, float("inf"))) - 1
        if slot < 0 or not cells[slot][0] <= offset < cells[slot][1]:
            return None
        column = cells[slot][2]
        if column >= len(columns):
            return None
        return Field(columns[column], "insert", (), columns)

    @cached_property
    def _insert_matches(self) -> list[re.Match[bytes]]:
        if b"nsert into" not in self.data and b"NSERT INTO" not in self.data:
            return []  # `list.insert(` is everywhere in code: look for the statement
        return list(INSERT.finditer(self.data))

    @cached_property
    def _inserts(self) -> list[tuple[int, int]]:
        """(offset after VALUES, statement number) for each `INSERT INTO t (cols) VALUES`."""
        return [(match.end(), number) for number, match in enumerate(self._insert_matches)]

    def _parse_insert(self, position: int) -> tuple[tuple[str, ...], list[tuple[int, int, int]]]:
        """The statement's columns and its value cells; the last statement parsed is kept
        (the values of one statement are asked about one after another)."""
        if self._insert_cache is None or self._insert_cache[0] != position:
            match = self._insert_matches[position]
            columns = tuple(c.strip().strip('"`[]') for c in decode(match.group(1)).split(","))
            self._insert_cache = (position, columns, list(_tuple_cells(self.data, match.end())))
        return self._insert_cache[1], self._insert_cache[2]


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


# --- line-level helpers ---------------------------------------------------------------------


def key_before(text: str, start: int) -> str | None:
    """The key written right before position `start`: `bsn: `, `"bsn": "`, `bsn=`, `<bsn>`."""
    head = text[max(0, start - 120) : start]
    tag = TAG_BEFORE.search(head)
    if tag is not None:
        name = tag.group(1)
        return None if name.lower() in PLAIN_TAGS else name
    separator = SEPARATOR.search(head)
    if separator is None:
        return None
    before = head[: separator.start()].rstrip(" \t\"'`*]")
    pattern = LABEL_WORDS if separator.group().startswith(":") else KEY_WORD
    match = pattern.search(before)
    return match.group() if match is not None else None


def line_keys(text: str) -> list[str]:
    """Every `key:`/`key=` on a line (a log record, a one-line JSON object)."""
    return [match.group(1) for match in LINE_KEYS.finditer(text)]


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


def _is_code_block(line: str) -> bool:
    """`def f(x) -> str:`, `if name in seen:`, `} else {`: a block of code opens here, not a
    value's key."""
    return "(" in line or ")" in line or CODE_BLOCK.match(line) is not None


def opens_value(line: str) -> bool:
    """The line is a key whose value follows on the next lines (`geboorte:`, `"adres": {`)."""
    return not _is_code_block(line) and OPENS.search(line[-REACH:]) is not None


def _indent(line: str) -> int:
    """Indentation, counting a YAML list marker (`  - key: v`) as indentation of its item."""
    stripped = line.lstrip(" \t")
    while stripped.startswith("- "):
        stripped = stripped[2:].lstrip(" \t")
    return len(line) - len(stripped)


# One view per fragment: the detector confirms one fragment at a time, so a single slot keeps
# the view alive exactly as long as it is useful.
_CURRENT: list[FragmentView] = []


def view_of(owner: FragmentText) -> FragmentView:
    if _CURRENT and _CURRENT[0].owner is owner:
        return _CURRENT[0]
    view = FragmentView(owner)
    _CURRENT[:] = [view]
    return view
