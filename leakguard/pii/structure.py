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

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from leakguard.detectors.text import FragmentText
from leakguard.pii.keys import array_key, indent_of, key_before, leading_key, line_keys, opening_key
from leakguard.pii.lines import Lines
from leakguard.pii.sql import Cells, Inserts
from leakguard.pii.tables import Table, Tables

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
        self.path = owner.fragment.path
        name = self.path.rsplit("/", 1)[-1].lower()
        self.suffix = name[name.rfind(".") :] if "." in name else ""
        self.tables = Tables(self, self.suffix, owner.fragment.line_offset)
        self.inserts = Inserts(self)

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
        found: list[str] = []
        for previous in range(index - 1, max(-1, index - 1 - LOOK_BACK), -1):
            line = self.line(previous)
            if not line.strip():
                continue
            level = indent_of(line)
            if level >= indent:
                continue
            key = opening_key(line)
            if key is not None:
                found.append(key)
            indent = level
            if level == 0 or len(found) == 3:
                break
        return tuple(found)

    def sibling_keys(self, index: int, text: str) -> tuple[str, ...]:
        """Keys on this line and on nearby lines at the same indentation: the record's fields."""
        indent = indent_of(text)
        keys = list(line_keys(text))
        for other in range(max(0, index - SIBLINGS), min(self.line_count(), index + SIBLINGS + 1)):
            line = self.line(other) if other != index else ""
            key = leading_key(line) if line and indent_of(line) == indent else None
            if key is not None:
                keys.append(key)
        return tuple(dict.fromkeys(keys))

    # The tables and statements a recognizer reads whole (values under a header).

    def header_at(self, index: int) -> Table | None:
        return self.tables.header_at(index)

    def table_rows(self, table: Table) -> Iterator[tuple[int, str]]:
        return self.tables.rows(table)

    def insert_at(self, index: int) -> tuple[tuple[str, ...], Cells] | None:
        return self.inserts.at(index)


# One view per fragment: the detector confirms one fragment at a time, so a single slot keeps
# the view alive exactly as long as it is useful.
_CURRENT: list[FragmentView] = []


def view_of(owner: FragmentText) -> FragmentView:
    if _CURRENT and _CURRENT[0].owner is owner:
        return _CURRENT[0]
    view = FragmentView(owner)
    _CURRENT[:] = [view]
    return view
