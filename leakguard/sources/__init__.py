"""What to scan. Each source lists `ScanUnit`s lazily; a `ContentReader` turns one into bytes.

A unit names its content (a git object, a file, or inline bytes) without holding it, so that a
history of any size is described unit by unit, and units can be sent to worker processes that
read the content themselves.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple, Protocol

from leakguard.models import Commit, Origin, ScanIssue
from leakguard.sources.git import Repository


def path_label(path: str | bytes) -> str:
    """A path as reports show it: valid Unicode, with bytes that are not UTF-8 as `\\xNN`.

    git and the file system hand out names that need not be UTF-8; such a name, kept as
    surrogate escapes, would make a JSON report invalid or a write to the terminal fail.
    """
    raw = path if isinstance(path, bytes) else path.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "backslashreplace")


class ScanUnit(NamedTuple):
    path: str  # a `path_label`: what reports show
    origin: Origin
    sequence: int  # position in the source's order; the earliest occurrence is the one reported
    commit: Commit | None = None
    blob: str | None = None  # a git object to read
    parent_blob: str | None = None  # the previous version: what was already there is not new
    file: Path | None = None  # a file on disk to read
    store: str | None = None  # the git directory holding `blob`, when not the source's (submodule)
    data: bytes | None = None  # inline content


class ContentReader(Protocol):
    """Reads a unit's content, chunk by chunk; one per process, never shared."""

    def chunks(self, unit: ScanUnit) -> Iterator[bytes]: ...

    def parent_chunks(self, unit: ScanUnit) -> Iterator[bytes]:
        """The content of the unit's parent version (only asked when it has one)."""
        ...

    def prefetch(self, units: Sequence[ScanUnit]) -> None:
        """Units about to be read, in this order: a reader may start fetching them."""
        ...

    def close(self) -> None: ...


class Source(Protocol):
    """A place to scan: yields units, and notes what it passed over on purpose."""

    repository: Repository | None
    # True when a value already present in a unit's parent version is not new (range, staged).
    compare_with_parent: bool

    def units(self) -> Iterator[ScanUnit]: ...

    def reader(self) -> ContentReader: ...

    def issues(self) -> list[ScanIssue]:
        """Things seen while listing units (links, submodules...), complete once units ran."""
        ...

    def describe(self) -> str:
        """One line for progress and reports: what is being scanned."""
        ...
