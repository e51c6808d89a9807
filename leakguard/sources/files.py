"""`WorkingFiles`: files and directories as they are on disk; no git needed.

Directories are walked without following symbolic links, so a link can never lead the scan out
of the tree it was given; links are listed as not followed. `.git` directories are skipped: their
objects are compressed, and `leakguard git` reads history properly.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from leakguard.errors import UsageError
from leakguard.models import IssueKind, Origin, ScanIssue
from leakguard.sources import ScanUnit, path_label

SKIPPED_DIRECTORIES = frozenset({".git"})
CHUNK = 1 << 20


@dataclass
class WorkingFiles:
    paths: tuple[Path, ...]
    repository: None = None
    compare_with_parent: bool = False
    _issues: list[ScanIssue] = field(default_factory=list)

    def __post_init__(self) -> None:
        for path in self.paths:
            if not os.path.lexists(path):
                raise UsageError(f"{path} does not exist")

    def describe(self) -> str:
        return "files " + ", ".join(path_label(str(p)) for p in self.paths)

    def issues(self) -> list[ScanIssue]:
        return self._issues

    def reader(self) -> FileContent:
        return FileContent()

    def units(self) -> Iterator[ScanUnit]:
        sequence = 0
        for root in self.paths:
            for path in self._walk(root):
                yield ScanUnit(
                    path=path_label(str(path)), origin=Origin.FILE, sequence=sequence, file=path
                )
                sequence += 1

    def _walk(self, root: Path) -> Iterator[Path]:
        try:
            mode = os.lstat(root).st_mode
        except OSError as exc:
            self._issues.append(
                ScanIssue(IssueKind.UNREADABLE, path_label(str(root)), exc.strerror or str(exc))
            )
            return
        if stat.S_ISLNK(mode):
            self._issues.append(
                ScanIssue(IssueKind.SYMLINK, path_label(str(root)), "symbolic link not followed")
            )
        elif stat.S_ISREG(mode):
            yield root
        elif stat.S_ISDIR(mode):
            try:
                entries = sorted(os.scandir(root), key=lambda entry: entry.name)
            except OSError as exc:
                self._issues.append(
                    ScanIssue(IssueKind.UNREADABLE, path_label(str(root)), exc.strerror or str(exc))
                )
                return
            for entry in entries:
                if entry.name in SKIPPED_DIRECTORIES and entry.is_dir(follow_symlinks=False):
                    continue
                yield from self._walk(Path(entry.path))
        else:
            self._issues.append(
                ScanIssue(
                    IssueKind.UNREADABLE,
                    path_label(str(root)),
                    "not a regular file (device, socket or pipe)",
                )
            )


class FileContent:
    """A `ContentReader` for files on disk."""

    def chunks(self, unit: ScanUnit) -> Iterator[bytes]:
        assert unit.file is not None
        # The path was a regular file when listed. O_NOFOLLOW refuses a link swapped in since;
        # O_NONBLOCK keeps a FIFO swapped in from blocking the open, and fstat refuses it.
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        descriptor = os.open(unit.file, flags)
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            raise OSError(errno.EINVAL, "no longer a regular file (replaced since it was listed)")
        with os.fdopen(descriptor, "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    def parent_chunks(self, unit: ScanUnit) -> Iterator[bytes]:
        raise NotImplementedError("files have no previous version")

    def prefetch(self, units: Sequence[ScanUnit]) -> None:
        pass  # files are read on demand

    def close(self) -> None:
        pass
