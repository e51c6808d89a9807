"""`StagedChanges`: what `git commit` is about to record.

The index holds the exact blobs the commit will contain (not the work tree, which may differ).
Each staged blob is scanned whole; a value that the `HEAD` version of the path already held is
not new, so an old, already-decided finding does not block an unrelated change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from leakguard.errors import UsageError
from leakguard.models import IssueKind, Origin, ScanIssue
from leakguard.sources import ScanUnit, path_label
from leakguard.sources.git import SUBMODULE_MODE, SYMLINK_MODE, GitContent, Repository, null_oid


@dataclass
class StagedChanges:
    repository: Repository
    compare_with_parent: bool = True
    _issues: list[ScanIssue] = field(default_factory=list)

    def describe(self) -> str:
        return f"staged changes in {path_label(str(self.repository.root))}"

    def issues(self) -> list[ScanIssue]:
        return self._issues

    def reader(self) -> GitContent:
        return GitContent(self.repository)

    def units(self) -> Iterator[ScanUnit]:
        if self.repository.work_tree is None:
            raise UsageError(
                f"{self.repository.root} is a bare repository: it has no staged changes"
            )
        # Without commits there is no HEAD: `diff --cached` then compares with the empty tree.
        output = self.repository.run(
            "diff",
            "--cached",
            "--raw",
            "-z",
            "--no-renames",
            "--no-abbrev",
            "--no-ext-diff",
            "--no-textconv",
            "--no-color",
            "--diff-filter=ACMTU",
        )
        tokens = output.split("\x00")
        sequence = 0
        for meta, raw_path in zip(tokens[0::2], tokens[1::2], strict=False):
            if not meta.startswith(":"):
                continue
            path = path_label(raw_path)
            _, new_mode, old_blob, new_blob, status = meta[1:].split()
            if status.startswith("U") or null_oid(new_blob):
                self._issues.append(
                    ScanIssue(
                        IssueKind.UNREADABLE,
                        path,
                        "unmerged path: resolve the conflict and stage the result",
                    )
                )
                continue
            if new_mode == SUBMODULE_MODE:
                self._issues.append(ScanIssue(IssueKind.SUBMODULE, path, "submodule not scanned"))
                continue
            if new_mode == SYMLINK_MODE:
                self._issues.append(
                    ScanIssue(IssueKind.SYMLINK, path, "symbolic link not followed")
                )
                continue
            yield ScanUnit(
                path=path,
                origin=Origin.STAGED,
                sequence=sequence,
                blob=new_blob,
                parent_blob=None if null_oid(old_blob) else old_blob,
            )
            sequence += 1
