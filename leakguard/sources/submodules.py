"""`--recurse-submodules`: the history of each submodule a scanned history points to.

A submodule is a commit id in the superproject's tree; its files live in another repository:
a checkout at the submodule's path, or `.git/modules/<name>` of the superproject. Without the
option a submodule is listed as not scanned. With it, every commit the superproject's history
set a submodule to is scanned in the submodule's own repository (with a range: only what those
commits add since the ones they replaced), paths shown under the submodule's path. A submodule
whose repository or commits are not there is reported as not scanned: the scan is incomplete.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field

from leakguard.errors import UsageError
from leakguard.models import IssueKind, ScanIssue
from leakguard.sources import ScanUnit
from leakguard.sources.git import GitContent, Repository, git_command, git_env, open_repository
from leakguard.sources.history import GitHistory

MAX_DEPTH = 8  # submodules of submodules...; deeper nesting is reported, not followed
SHOWN_MISSING = 3


@dataclass
class WithSubmodules:
    """A git history, then the history of every submodule it references."""

    history: GitHistory
    depth: int = 0
    _issues: list[ScanIssue] = field(default_factory=list)
    _handled: set[str] = field(default_factory=set)
    _nested: list[WithSubmodules] = field(default_factory=list)

    @property
    def repository(self) -> Repository:
        return self.history.repository

    @property
    def compare_with_parent(self) -> bool:
        return self.history.compare_with_parent

    @property
    def commits_seen(self) -> int:
        return self.history.commits_seen + sum(nested.commits_seen for nested in self._nested)

    def describe(self) -> str:
        return f"{self.history.describe()} and its submodules"

    def reader(self) -> GitContent:
        return GitContent(self.repository)

    def issues(self) -> list[ScanIssue]:
        own = [
            issue
            for issue in self.history.issues()
            if not (issue.kind is IssueKind.SUBMODULE and issue.path in self._handled)
        ]
        return own + self._issues

    def units(self) -> Iterator[ScanUnit]:
        sequence = 0
        for unit in self.history.units():
            yield unit
            sequence = unit.sequence + 1
        for path, links in self.history.submodule_links.items():
            self._handled.add(path)
            nested = self._submodule(path, links)
            if nested is None:
                continue
            self._nested.append(nested)
            store = str(nested.repository.git_dir)
            for unit in nested.units():
                yield unit._replace(
                    path=f"{path}/{unit.path}",
                    sequence=sequence,
                    store=unit.store or store,
                )
                sequence += 1
            self._issues.extend(
                issue._replace(path=f"{path}/{issue.path}") for issue in nested.issues()
            )

    def _submodule(self, path: str, links: dict[str, str | None]) -> WithSubmodules | None:
        """The submodule's history to scan, or None (and an issue saying why)."""
        first = next(iter(links))
        if self.depth >= MAX_DEPTH:
            self._not_scanned(path, f"nested more than {MAX_DEPTH} submodules deep", first)
            return None
        repository = locate_submodule(self.repository, path)
        if repository is None:
            self._not_scanned(
                path,
                "submodule repository not found: run `git submodule update --init "
                "--recursive`, or scan the submodule's own repository",
                first,
            )
            return None
        present = existing_commits(repository, [*links, *filter(None, links.values())])
        missing = [commit for commit in links if commit not in present]
        if missing:
            shown = ", ".join(commit[:12] for commit in missing[:SHOWN_MISSING])
            extra = len(missing) - SHOWN_MISSING
            more = f" and {extra} more" if extra > 0 else ""
            self._not_scanned(
                path,
                f"{len(missing)} commit(s) the superproject points to are not in the "
                f"submodule's repository ({shown}{more}): fetch them and scan again",
                missing[0],
            )
        wanted = [commit for commit in links if commit in present]
        if not wanted:
            return None
        revisions = list(wanted)
        if self.compare_with_parent:
            # Only what the range's submodule updates bring: not what the old commits had.
            revisions += [f"^{old}" for old in links.values() if old is not None and old in present]
        history = GitHistory(
            repository,
            revisions=(),
            compare_with_parent=self.compare_with_parent,
            stdin_revisions=tuple(revisions),
        )
        return WithSubmodules(history, depth=self.depth + 1)

    def _not_scanned(self, path: str, detail: str, commit: str) -> None:
        self._issues.append(ScanIssue(IssueKind.UNREADABLE, path, detail, commit))


def locate_submodule(parent: Repository, path: str) -> Repository | None:
    """The repository of the submodule at `path`: its checkout, or `.git/modules/<name>`."""
    if parent.work_tree is not None:
        checkout = parent.work_tree / path
        if (checkout / ".git").exists():
            try:
                repository = open_repository(checkout)
            except UsageError:
                repository = None
            if repository is not None and repository.git_dir != parent.git_dir:
                return repository
    modules = (parent.git_dir / "modules").resolve()
    for name in dict.fromkeys([*submodule_names(parent, path), path]):
        candidate = (modules / name).resolve()
        # A name in a hostile .gitmodules may climb out of .git/modules: never follow it.
        if not candidate.is_relative_to(modules) or not (candidate / "objects").is_dir():
            continue
        return Repository(git_dir=candidate, work_tree=None)
    return None


def submodule_names(parent: Repository, path: str) -> list[str]:
    """Names that `.gitmodules` (at HEAD) gives the submodule at `path`; usually the path."""
    result = subprocess.run(
        git_command(
            parent.root, "config", "--blob", "HEAD:.gitmodules", "--get-regexp", r"\.path$"
        ),
        capture_output=True,
        env=git_env(),
        check=False,
    )
    names = []
    for line in result.stdout.decode("utf-8", errors="replace").splitlines():
        key, _, value = line.partition(" ")
        if value == path and key.startswith("submodule.") and key.endswith(".path"):
            names.append(key[len("submodule.") : -len(".path")])
    return names


def existing_commits(repository: Repository, commits: list[str]) -> set[str]:
    """Which of `commits` the repository has (one `git cat-file --batch-check`)."""
    if not commits:
        return set()
    result = subprocess.run(
        git_command(repository.root, "cat-file", "--batch-check=%(objectname) %(objecttype)"),
        input="".join(f"{commit}\n" for commit in commits).encode(),
        capture_output=True,
        env=git_env(),
        check=False,
    )
    present = set()
    for line in result.stdout.decode("ascii", errors="replace").splitlines():
        name, _, kind = line.partition(" ")
        if kind == "commit":
            present.add(name)
    return present
