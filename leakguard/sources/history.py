"""`GitHistory`: every blob a set of commits added, each scanned once.

`git log --raw` lists, commit by commit from the oldest, the blob each changed path got. Each
blob is scanned the first time it appears, whole, so that a CSV row is judged with its header
row; a value found in it is reported at that commit. A finding that recurs at the same path in
later blobs has the same fingerprint and is reported once, at the commit that introduced it.
With a range, a value that the path's previous version already held is not new, and is dropped.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from leakguard.errors import GitError, UsageError
from leakguard.models import Commit, IssueKind, Origin, ScanIssue
from leakguard.sources import ScanUnit, path_label
from leakguard.sources.git import (
    SUBMODULE_MODE,
    SYMLINK_MODE,
    GitContent,
    Repository,
    error_text,
    null_oid,
)

HEADER = b"\x01"
LOG_FORMAT = "--format=%x01%H%x02%an%x02%ae%x02%aI"
READ_SIZE = 1 << 20
OBJECT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")  # SHA-1 or SHA-256
MODE = re.compile(r"[0-7]{6}")
SINGLE_PARENT_CHANGE = re.compile(
    r":[0-7]{6} ([0-7]{6}) ([0-9a-f]{40}|[0-9a-f]{64}) ([0-9a-f]{40}|[0-9a-f]{64}) [A-Z][0-9]*"
)
NULL_OIDS = frozenset(("0" * 40, "0" * 64))


class RawChange(NamedTuple):
    """One path a commit changed: its new mode and blob, and the first parent's blob."""

    path: str
    mode: str
    blob: str
    parent_blob: str | None


@dataclass
class GitHistory:
    repository: Repository
    revisions: tuple[str, ...] = ("--all",)
    compare_with_parent: bool = False
    _issues: list[ScanIssue] = field(default_factory=list)
    _noted: set[tuple[IssueKind, str]] = field(default_factory=set)
    commits_seen: int = 0
    # Revisions given to `git log --stdin` as well (too many for a command line: submodules).
    stdin_revisions: tuple[str, ...] = ()
    # For each submodule path: the commits it was set to, each with the one it had before.
    submodule_links: dict[str, dict[str, str | None]] = field(default_factory=dict)

    def describe(self) -> str:
        what = "all refs" if self.revisions == ("--all",) else " ".join(self.revisions)
        return f"git history of {path_label(str(self.repository.root))} ({what})"

    def issues(self) -> list[ScanIssue]:
        return self._issues

    def reader(self) -> GitContent:
        return GitContent(self.repository)

    def units(self) -> Iterator[ScanUnit]:
        if self.repository.is_shallow():
            self._issues.append(
                ScanIssue(
                    IssueKind.SHALLOW,
                    str(self.repository.root),
                    "shallow clone: history before the oldest fetched commits is not present; "
                    "what they contain is reported at those commits",
                )
            )
        # No shortcut when HEAD has no commit: other refs may have them (a repository whose
        # HEAD names a branch that does not exist would otherwise hide its whole history), and
        # `git log --all` in an empty repository lists nothing and succeeds.
        seen: set[bytes] = set()
        sequence = 0
        for commit, changes in self._commits():
            self.commits_seen += 1
            for change in changes:
                if change.mode == SUBMODULE_MODE:
                    self._note(
                        IssueKind.SUBMODULE,
                        change.path,
                        "submodule not scanned (--recurse-submodules scans it)",
                        commit,
                    )
                    links = self.submodule_links.setdefault(change.path, {})
                    links.setdefault(change.blob, change.parent_blob)
                    continue
                if change.mode == SYMLINK_MODE:
                    # A link's blob is its target path, not content: listed, never followed.
                    self._note(IssueKind.SYMLINK, change.path, "symbolic link not followed", commit)
                    continue
                key = bytes.fromhex(change.blob)
                if key in seen:
                    continue
                seen.add(key)
                yield ScanUnit(
                    path=change.path,
                    origin=Origin.GIT,
                    sequence=sequence,
                    commit=commit,
                    blob=change.blob,
                    parent_blob=change.parent_blob if self.compare_with_parent else None,
                )
                sequence += 1

    def _note(self, kind: IssueKind, path: str, detail: str, commit: Commit) -> None:
        if (kind, path) not in self._noted:
            self._noted.add((kind, path))
            self._issues.append(ScanIssue(kind, path, detail, commit.sha))

    def _commits(self) -> Iterator[tuple[Commit, list[RawChange]]]:
        process = self.repository.popen(
            "log",
            "--reverse",
            "--date-order",
            "--raw",
            "-c",  # merges: paths that differ from every parent (a conflict resolved with new text)
            "--no-abbrev",
            "--root",  # the first commit's files are changes too, whatever log.showRoot says
            "--encoding=UTF-8",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            "--no-color",
            "-z",
            LOG_FORMAT,
            *self.revisions,
            *(("--stdin",) if self.stdin_revisions else ()),
            "--",
            stdin=subprocess.PIPE if self.stdin_revisions else None,
        )
        assert process.stdout is not None
        if process.stdin is not None:
            # git reads all of its standard input before it writes a line: no deadlock.
            with contextlib.suppress(BrokenPipeError):
                process.stdin.write("".join(f"{r}\n" for r in self.stdin_revisions).encode())
            with contextlib.suppress(BrokenPipeError):
                process.stdin.close()
        commit: Commit | None = None
        changes: list[RawChange] = []
        try:
            for header, meta, path in _records(process.stdout):
                if header is not None:
                    if commit is not None:
                        yield commit, changes
                    commit, changes = _parse_header(header), []
                elif meta is not None and path is not None:
                    change = _parse_change(meta, path)
                    if change is not None:
                        changes.append(change)
            if commit is not None:
                yield commit, changes
        finally:
            process.stdout.close()
            code = process.wait()
            message = error_text(process)
            if process.stderr is not None:
                process.stderr.close()
        if code != 0:
            raise GitError(f"`git log` failed in {self.repository.root}: {message or code}")


def _records(stream: object) -> Iterator[tuple[bytes | None, bytes | None, str | None]]:
    """(header, None, None) for a commit, (None, meta, path) for each raw change line."""
    # `read1`, not `read`: `read` waits for a full megabyte, and `git log --reverse` writes its
    # first commits only after walking the whole history, so the workers waited on both.
    read = stream.read1  # type: ignore[attr-defined]
    pending = b""
    meta: bytes | None = None
    while True:
        chunk = read(READ_SIZE)
        if not chunk:
            break
        tokens = (pending + chunk).split(b"\x00")
        pending = tokens.pop()
        for token in tokens:
            if meta is not None:
                yield None, meta, path_label(token)
                meta = None
                continue
            token = token.lstrip(b"\n")
            if token.startswith(HEADER):
                yield token[1:], None, None
            elif token.startswith(b":"):
                meta = token
    if pending.strip(b"\n").startswith(HEADER):
        yield pending.strip(b"\n")[1:], None, None


def _parse_header(header: bytes) -> Commit:
    parts = header.decode("utf-8", errors="replace").split("\x02", 3)
    if len(parts) != 4 or not OBJECT_ID.fullmatch(parts[0]):
        raise GitError(f"unexpected `git log` commit header: {header[:80]!r}")
    sha, name, email, date = parts
    return Commit(sha=sha, author_name=name, author_email=email, date=date.strip())


def _parse_change(meta: bytes, path: str) -> RawChange | None:
    """`:old new oldsha newsha S`, or `::m1 m2 new sha1 sha2 newsha SS` for a merge."""
    text = meta.decode("ascii", errors="replace")
    single = SINGLE_PARENT_CHANGE.fullmatch(text)  # nearly every line: one regex, no loop
    if single is not None:
        mode, first_parent, blob = single.group(1, 2, 3)
    else:
        fields = text.lstrip(":").split()
        parents = len(text) - len(text.lstrip(":"))
        modes, oids = fields[: parents + 1], fields[parents + 1 : 2 * parents + 2]
        if (
            len(oids) != parents + 1
            or not all(MODE.fullmatch(mode) for mode in modes)
            or not all(OBJECT_ID.fullmatch(oid) for oid in oids)
        ):
            raise GitError(f"unexpected `git log --raw` line: {meta[:200]!r}")
        mode, first_parent, blob = modes[-1], oids[0], oids[-1]
    if blob in NULL_OIDS:
        return None  # deleted
    return RawChange(
        path=path,
        mode=mode,
        blob=blob,
        parent_blob=None if first_parent in NULL_OIDS else first_parent,
    )


def revisions_for_range(repository: Repository, range_spec: str) -> tuple[str, ...]:
    """`BASE..HEAD` (or `BASE...HEAD`) checked, as arguments for `git log`."""
    separator = "..." if "..." in range_spec else ".."
    base, found, head = range_spec.partition(separator)
    if not found or not base or not head:
        raise UsageError(f"--range takes BASE..HEAD, got {range_spec!r}")
    base_id = repository.resolve(base)
    head_id = repository.resolve(head)
    return (f"{base_id}{separator}{head_id}",)


def revisions_for_push(repository: Repository) -> tuple[str, ...]:
    """What a push sends: pre-commit's refs when it runs us, else commits no remote has."""
    import os

    from_ref = os.environ.get("PRE_COMMIT_FROM_REF")
    to_ref = os.environ.get("PRE_COMMIT_TO_REF")
    if from_ref and to_ref and not null_oid(from_ref):
        return (f"{repository.resolve(from_ref)}..{repository.resolve(to_ref)}",)
    head = repository.resolve(to_ref or "HEAD")
    return (head, "--not", "--remotes")
