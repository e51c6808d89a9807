"""What the structure of a fragment says about a value: the field it sits in, and its record.

A value under a CSV column `bsn`, a JSON key `geboortedatum` or the third column of an
`INSERT INTO personen (id, naam, bsn)` is judged with that knowledge; it is the main weapon
against false positives. Nothing is parsed up front: a fragment's view is built on the first
question about it and cached (one fragment at a time, the one being scanned), and each kind of
structure is looked for only when a value needs it:

- the same line: `key: value`, `"key": "value"`, `key=value` (logs, .env, ini, URLs, kwargs),
  `<key>value`, `key => value` (`leakguard.pii.keys`);
- a table: CSV/TSV, Markdown and psql tables, pg_dump `COPY`, aligned printouts
  (`leakguard.pii.tables`), SQL `INSERT INTO t (cols) VALUES (...)` (`leakguard.pii.sql`);
- nesting: the keys of the enclosing JSON/YAML objects and lists (`geboorte: {datum: ...}`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from leakguard.detectors.text import FragmentText
from leakguard.pii.keys import array_key, indent_of, key_before, leading_key, line_keys, opening_key
from leakguard.pii.lines import Lines
from leakguard.pii.sql import STATEMENTS, Cells, Inserts
from leakguard.pii.tables import ALIGNED_SUFFIXES, FILE_HEADER, Table, Tables

LOOK_BACK = 40  # lines searched upwards for an enclosing key
SIBLINGS = 12  # lines either side searched for the keys of the same record


Keys = tuple[str, ...]


@dataclass(slots=True)
class Field:
    """The field a value sits in: its own key (if any), the keys around it, and its record.

    The enclosing keys and the record's keys are looked up when first asked for (a value under
    its own `email:` key needs neither, and reading the lines around it was most of the cost
    of a value's context in a history scan).
    """

    key: str | None
    source: str  # key, parent, insert, or the kind of table (file, pipe, copy, aligned)
    _parents: Keys | Callable[[], Keys] = ()
    _record: Keys | Callable[[], Keys] = ()

    @property
    def parents(self) -> Keys:
        if callable(self._parents):
            self._parents = self._parents()
        return self._parents

    @property
    def record(self) -> Keys:
        if callable(self._record):
            self._record = self._record()
        return self._record

    def keys(self) -> Keys:
        return ((self.key,) if self.key else ()) + self.parents


class FragmentView(Lines):
    """Lazily built structural facts about one fragment."""

    def __init__(self, owner: FragmentText) -> None:
        super().__init__(owner)
        self.suffix = owner.kind
        self.tables = Tables(self, self.suffix, owner.fragment.line_offset)
        self.inserts = Inserts(self)
        # What the lines around values say, per line: the values of a record, and the rules
        # that look at one value, ask about the same lines again and again.
        self._indents: dict[int, int] = {}  # -1: a blank line
        self._leading: dict[int, str | None] = {}
        self._opening: dict[int, str | None] = {}
        # (keys, the first line read to find them), by the line and its indentation
        self._parents: dict[tuple[int, int], tuple[Keys, int]] = {}
        self._siblings: dict[tuple[int, str], Keys] = {}

    def field_of(self, index: int, text: str, start: int, end: int) -> Field | None:
        """The field of the value at text[start:end], where `text` is line `index` (or the
        slice of a long line that a window holds)."""
        key = key_before(text, start)
        if key is not None:
            return Field(
                key,
                "key",
                lambda: self.parents(index, text),
                lambda: self.sibling_keys(index, text),
            )
        column = self.tables.column_of(index, text, start, end)
        if column is not None:
            table, number = column
            return Field(table.header[number], table.kind, (), table.header)
        insert = self.inserts.column_of(index, text, start)
        if insert is not None:
            names, number = insert
            return Field(names[number], "insert", (), names)
        array = array_key(text, start)
        if array is not None:
            return Field(array, "key", lambda: self.parents(index, text), lambda: line_keys(text))
        parents = self.parents(index, text)
        if parents:
            return Field(None, "parent", parents, lambda: self.sibling_keys(index, text))
        return None

    def parents(self, index: int, text: str) -> tuple[str, ...]:
        """Keys of the enclosing JSON/YAML objects and lists, nearest first (at most three)."""
        indent = indent_of(text)
        if indent == 0:
            return ()
        known = self._parents.get((index, indent))
        if known is not None:
            self.note(known[1])
            return known[0]
        found: list[str] = []
        first = max(0, index - LOOK_BACK)  # the first line read, unless the search ends above
        for previous, spaces in self._shallower(index, first, indent):
            if spaces >= indent:  # `indent` fell on the way up; the line is not shallower
                continue
            level = self._indent(previous)
            if level < 0 or level >= indent:  # blank, or inside the same object
                continue
            key = self._opening_key(previous)
            if key is not None:
                found.append(key)
            indent = level
            if level == 0 or len(found) == 3:
                first = previous
                break
        self.note(first)
        # Whether the search reached line 0 is the key's business (the first line read).
        return _remember(self._parents, (index, indent_of(text)), (tuple(found), first))[0]

    def _shallower(self, index: int, first: int, indent: int) -> Iterator[tuple[int, int]]:
        """(line, spaces and tabs before its first other character) of the lines from
        `index - 1` up to `first` with fewer than `indent` of them, nearest first: no other
        line can be indented less (a YAML list marker only adds to a line's indentation).
        Found by one regex over the lines' bytes: a Python step per line above made this walk
        4 % of a history scan of schulddossier."""
        if index <= first:
            return
        end = self.line_bounds(index - 1)[1]
        start = self.line_bounds(first)[0]
        found = [match.span() for match in _indented_below(indent).finditer(self.data, start, end)]
        line, newline_after = index - 1, end
        for position, after in reversed(found):
            line -= self.data.count(b"\n", position, newline_after)
            newline_after = position
            yield line, after - 1 - position

    def sibling_keys(self, index: int, text: str) -> tuple[str, ...]:
        """Keys on this line and on nearby lines at the same indentation: the record's fields."""
        first, stop = max(0, index - SIBLINGS), self.clamp(index + SIBLINGS + 1)
        self.note(first)
        known = self._siblings.get((index, text))
        if known is not None:
            return known
        indent = indent_of(text)
        keys = list(line_keys(text))
        for other in range(first, stop):
            if other != index and self._indent(other) == indent:
                key = self._leading_key(other)
                if key is not None:
                    keys.append(key)
        return _remember(self._siblings, (index, text), tuple(dict.fromkeys(keys)))

    def _indent(self, index: int) -> int:
        """Indentation of line `index` (`indent_of`), -1 for a blank line."""
        level = self._indents.get(index)
        self.note(index)
        if level is None:
            line = self.line(index)
            level = indent_of(line) if line.strip() else -1
            _remember(self._indents, index, level)
        return level

    def _leading_key(self, index: int) -> str | None:
        self.note(index)
        if index not in self._leading:
            _remember(self._leading, index, leading_key(self.line(index)))
        return self._leading[index]

    def _opening_key(self, index: int) -> str | None:
        self.note(index)
        if index not in self._opening:
            _remember(self._opening, index, opening_key(self.line(index)))
        return self._opening[index]

    # The tables and statements a recognizer reads whole (values under a header).

    def fact_value(self, name: str) -> object:
        """The value of a fact about the fragment (`Lines.fact`) by its name."""
        if name == FILE_HEADER:
            return self.tables.header_of_file()
        if name == STATEMENTS:
            return self.inserts.any()
        raise KeyError(name)

    def may_head_values(self, index: int, line: str) -> bool:
        """Whether line `index` (its text: `line`) may be a table header or the column list of
        an INSERT, by tests of its text alone: most lines with a field name are neither, and
        `header_at` and `insert_at` read the lines around them to say so."""
        return (
            index == 0  # a CSV file's header
            or "|" in line  # Markdown and psql
            or "(" in line  # INSERT INTO t (
            or line.startswith("COPY ")
            or self.suffix in ALIGNED_SUFFIXES  # its header is the line above a row
        )

    def header_at(self, index: int) -> Table | None:
        return self.tables.header_at(index)

    def table_rows(self, table: Table) -> Iterator[tuple[int, str]]:
        return self.tables.rows(table)

    def insert_at(self, index: int) -> tuple[tuple[str, ...], Cells] | None:
        return self.inserts.at(index)


MEMO_LINES = 16384  # answers remembered per kind and fragment (a huge file is read in parts)

_K = TypeVar("_K")
_V = TypeVar("_V")


@functools.lru_cache(maxsize=64)
def _indented_below(indent: int) -> re.Pattern[bytes]:
    """The start of each line with fewer than `indent` spaces and tabs before its first other
    character. A newline is not one (a blank line never matches); a CR or a form feed is, and
    `FragmentView._indent` then judges the line as the walk a line at a time did."""
    return re.compile(rb"^[ \t]{0,%d}[^ \t\n]" % (indent - 1), re.MULTILINE)


def _remember(memo: dict[_K, _V], key: _K, value: _V) -> _V:
    if len(memo) >= MEMO_LINES:
        memo.clear()
    memo[key] = value
    return value


# One view per fragment: the detector confirms one fragment at a time, so a single slot keeps
# the view alive exactly as long as it is useful.
_CURRENT: list[FragmentView] = []


def view_of(owner: FragmentText) -> FragmentView:
    if _CURRENT and _CURRENT[0].owner is owner:
        return _CURRENT[0]
    view = FragmentView(owner)
    _CURRENT[:] = [view]
    return view
