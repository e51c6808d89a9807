"""`StdinText`: text piped in, read in windows so that any length fits in bounded memory."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from leakguard.models import Origin, ScanIssue
from leakguard.sources import ScanUnit

CHUNK = 1 << 20


@dataclass
class StdinText:
    name: str = "<stdin>"
    stream: BinaryIO | None = None
    repository: None = None
    compare_with_parent: bool = False
    _issues: list[ScanIssue] = field(default_factory=list)

    def describe(self) -> str:
        return f"standard input ({self.name})"

    def issues(self) -> list[ScanIssue]:
        return self._issues

    def units(self) -> Iterator[ScanUnit]:
        yield ScanUnit(path=self.name, origin=Origin.STDIN, sequence=0)

    def reader(self) -> StdinContent:
        return StdinContent(self.stream or sys.stdin.buffer)


@dataclass
class StdinContent:
    """A `ContentReader` for the one unit of standard input."""

    stream: BinaryIO

    def chunks(self, unit: ScanUnit) -> Iterator[bytes]:
        while chunk := self.stream.read(CHUNK):
            yield chunk

    def parent_chunks(self, unit: ScanUnit) -> Iterator[bytes]:
        raise NotImplementedError("standard input has no previous version")

    def prefetch(self, units: Sequence[ScanUnit]) -> None:
        pass  # files are read on demand

    def close(self) -> None:
        pass
