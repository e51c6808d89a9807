"""The values that flow through the pipeline: source -> detectors -> filters -> reports.

A `Fragment` is text to scan, a `Candidate` is something a detector found in it (it still holds
the raw value), and a `Finding` is what reports receive: redacted, fingerprinted and located.

Records that never change are `NamedTuple`s, state that does is a `dataclass(slots=True)`. A
frozen dataclass costs about ten times as much to define (its methods are generated and compiled
when the module is imported), and a pre-commit hook pays that for every class at every start.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import NamedTuple


class Severity(enum.IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {text!r} (one of: {names})") from None

    def __str__(self) -> str:
        return self.name.lower()


class Category(enum.StrEnum):
    SECRET = "secret"
    PII = "pii"


class Origin(enum.StrEnum):
    """Which kind of source a fragment came from."""

    GIT = "git"
    STAGED = "staged"
    FILE = "file"
    STDIN = "stdin"


class Commit(NamedTuple):
    sha: str
    author_name: str
    author_email: str
    date: str  # ISO 8601, author date


class Fragment(NamedTuple):
    """Bytes to scan, and where they live.

    `line_offset` is the number of lines that precede `data` in the real file, so that a window
    of a huge file reports true line numbers; `column_offset` the characters of its first line
    that precede `data` (a window that starts inside a long line), for true columns.
    """

    data: bytes
    path: str
    origin: Origin
    commit: Commit | None = None
    line_offset: int = 0
    column_offset: int = 0


class Candidate(NamedTuple):
    """A match a detector confirmed. Holds the raw value: never hand it to a report."""

    rule_id: str
    value: str
    line: int  # 1-based, in the real file
    column: int  # 1-based, in characters
    end_line: int
    end_column: int
    reasons: tuple[str, ...] = ()
    entity: str | None = None
    score: float = 1.0
    # The line(s) the value sits on and the line before, for inline allow comments.
    line_text: str = ""
    previous_line_text: str = ""


class Location(NamedTuple):
    path: str
    line: int
    end_line: int
    column: int
    end_column: int
    commit: Commit | None = None
    origin: Origin = Origin.FILE


class Finding(NamedTuple):
    """A reported leak. `value` is None unless the user asked to see values."""

    rule_id: str
    category: Category
    severity: Severity
    description: str
    location: Location
    redacted: str
    fingerprint: str
    value_length: int
    entity: str | None = None
    reasons: tuple[str, ...] = ()
    value: str | None = None


class IssueKind(enum.StrEnum):
    """Why something was not (completely) scanned."""

    BINARY = "binary"
    TOO_LARGE = "too-large"
    SYMLINK = "symlink"
    SUBMODULE = "submodule"
    UNREADABLE = "unreadable"
    GIT_ERROR = "git-error"
    TIMEOUT = "timeout"
    WORKER_FAILED = "worker-failed"
    DECODE = "decode"
    SHALLOW = "shallow"


# Kinds that mean content was skipped on purpose and the scan is still complete.
INFORMATIONAL_ISSUES = frozenset(
    {IssueKind.BINARY, IssueKind.SYMLINK, IssueKind.SUBMODULE, IssueKind.DECODE, IssueKind.SHALLOW}
)


class ScanIssue(NamedTuple):
    kind: IssueKind
    path: str
    detail: str
    commit: str | None = None

    @property
    def incomplete(self) -> bool:
        """True when content that may hold a leak was not scanned."""
        return self.kind not in INFORMATIONAL_ISSUES


@dataclass(slots=True)
class ScanStats:
    fragments: int = 0
    bytes: int = 0
    lines: int = 0
    commits: int = 0
    issues: list[ScanIssue] = field(default_factory=list)

    def merge(self, other: ScanStats) -> None:
        self.fragments += other.fragments
        self.bytes += other.bytes
        self.lines += other.lines
        self.commits += other.commits
        self.issues.extend(other.issues)
