"""`leakguard ci`: the commits a CI job should scan, found from the CI system's own variables.

GitHub Actions describes its event in the JSON file at `GITHUB_EVENT_PATH` (push: `before` and
`after`; pull request: `pull_request.base.sha` and `head.sha`); GitLab CI in variables (a
merge-request pipeline: `CI_MERGE_REQUEST_DIFF_BASE_SHA`; a push: `CI_COMMIT_BEFORE_SHA`). A
push whose previous commit is the all-zero SHA created a branch or tag: then the commits on no
other branch or tag are scanned. `--range` wins over all of them.

CI jobs usually run in shallow clones. A range is only scanned when all of it is present: the
head, the base, and every commit in between down to where it meets the base. When the clone's
history stops short of that, leakguard says so and how to fetch more (exit 2), or deepens the
clone itself with `--fetch`. It never scans the part that happens to be present and passes.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leakguard.errors import GitError, UsageError
from leakguard.models import ScanIssue
from leakguard.sources import ScanUnit
from leakguard.sources.git import (
    SAFE_CONFIG,
    GitContent,
    Repository,
    git_command,
    git_env,
    null_oid,
)
from leakguard.sources.history import GitHistory

# Each --fetch step deepens by this many commits more than the last; then the rest at once.
DEEPEN_STEPS = (50, 200, 1000)
# Transports a fetch may use: those CI checkouts use. Others stay refused (sources/git.py).
FETCH_PROTOCOLS = "https:http:file"

FETCH_ADVICE = (
    "Fetch more history: in GitHub Actions set `fetch-depth: 0` on actions/checkout; in GitLab "
    "CI set the variable `GIT_DEPTH: 0`; or let leakguard deepen the clone with `leakguard ci "
    "--fetch`."
)


@dataclass(frozen=True)
class Plan:
    """What the CI job asks to scan, read from the environment, before git is asked anything."""

    system: str  # GitHub Actions, GitLab CI, --range
    event: str  # words for the messages: "pull request #4 (feature into main)"
    head: str | None = None
    base: str | None = None  # None: a new branch or tag, compared with every other ref
    ref: str | None = None  # the full ref pushed (refs/heads/x, refs/tags/v1): not "other"
    default_branch: str | None = None
    nothing: str | None = None  # why there is nothing to scan (a deleted branch)
    base_may_vanish: bool = False  # a push: a force push can leave the old tip unreachable


@dataclass(frozen=True)
class ChosenRange:
    head: str
    excluded: tuple[str, ...]  # commits whose history is not scanned (the base, other refs)
    reason: str

    def history(self, repository: Repository) -> GitHistory:
        if len(self.excluded) == 1:
            revisions = (f"{self.excluded[0]}..{self.head}",)
            return GitHistory(repository, revisions, compare_with_parent=True)
        return GitHistory(
            repository,
            (self.head,),
            compare_with_parent=True,
            stdin_revisions=tuple(f"^{commit}" for commit in self.excluded),
        )


class MissingHistory(Exception):
    """Part of the range is not in this (shallow) clone."""


class NoOtherRef(MissingHistory):
    """A new branch, and no other branch or tag in the clone to tell which commits are new."""


def detect(environ: Mapping[str, str], range_spec: str | None) -> Plan:
    if range_spec:
        base, separator, head = range_spec.partition("..")
        if not separator or not base or not head or head.startswith("."):
            raise UsageError(f"--range takes BASE..HEAD, got {range_spec!r}")
        return Plan(system="--range", event=f"the range {range_spec}", head=head, base=base)
    if environ.get("GITHUB_ACTIONS") == "true":
        return github_plan(environ)
    if environ.get("GITLAB_CI") == "true":
        return gitlab_plan(environ)
    raise UsageError(
        "no CI system found (GitHub Actions or GitLab CI) and no --range given: pass "
        "--range BASE..HEAD, or scan everything with `leakguard git`"
    )


def github_plan(environ: Mapping[str, str]) -> Plan:
    system = "GitHub Actions"
    name = environ.get("GITHUB_EVENT_NAME", "")
    payload = _event_payload(environ.get("GITHUB_EVENT_PATH"))
    if name == "push":
        ref = _text(payload, "ref")
        before, after = _text(payload, "before"), _text(payload, "after")
        default_branch = _text(payload.get("repository", {}), "default_branch") or None
        if payload.get("deleted") or (after and null_oid(after)):
            return Plan(system, f"push deleting {ref}", nothing=f"{ref} was deleted")
        if not after:
            raise UsageError(f"the push event in {environ.get('GITHUB_EVENT_PATH')} has no `after`")
        if not before or null_oid(before) or payload.get("created"):
            return Plan(
                system,
                f"push creating {ref}",
                head=after,
                ref=ref,
                default_branch=default_branch,
            )
        return Plan(
            system,
            f"push to {ref}",
            head=after,
            base=before,
            ref=ref,
            default_branch=default_branch,
            base_may_vanish=True,
        )
    if name in ("pull_request", "pull_request_target"):
        pull = payload.get("pull_request")
        if not isinstance(pull, dict):
            raise UsageError(f"the {name} event payload has no `pull_request`")
        base, head = pull.get("base", {}), pull.get("head", {})
        into = f"{_text(head, 'ref')} into {_text(base, 'ref')}"
        return Plan(
            system,
            f"pull request #{pull.get('number', '?')} ({into})",
            head=_required(head, "sha", name),
            base=_required(base, "sha", name),
        )
    if name == "merge_group":
        group = payload.get("merge_group", {})
        return Plan(
            system,
            f"merge queue group for {_text(group, 'base_ref')}",
            head=_required(group, "head_sha", name),
            base=_required(group, "base_sha", name),
        )
    raise UsageError(
        f"the GitHub event {name or '(none)'!r} names no commits to scan: pass --range "
        "BASE..HEAD, or scan everything with `leakguard git`"
    )


def gitlab_plan(environ: Mapping[str, str]) -> Plan:
    system = "GitLab CI"
    head = environ.get("CI_COMMIT_SHA", "")
    if not head:
        raise UsageError("GitLab CI without CI_COMMIT_SHA: cannot tell which commit to scan")
    diff_base = environ.get("CI_MERGE_REQUEST_DIFF_BASE_SHA", "")
    if diff_base:
        # In a merged-results pipeline CI_COMMIT_SHA is the merge GitLab made; the source
        # branch's own head is what the merge request adds.
        source_head = environ.get("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA") or head
        into = (
            f"{environ.get('CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', '?')} into "
            f"{environ.get('CI_MERGE_REQUEST_TARGET_BRANCH_NAME', '?')}"
        )
        return Plan(
            system,
            f"merge request !{environ.get('CI_MERGE_REQUEST_IID', '?')} ({into})",
            head=source_head,
            base=diff_base,
        )
    tag = environ.get("CI_COMMIT_TAG")
    branch = environ.get("CI_COMMIT_BRANCH") or environ.get("CI_COMMIT_REF_NAME", "")
    ref = f"refs/tags/{tag}" if tag else f"refs/heads/{branch}" if branch else None
    source = environ.get("CI_PIPELINE_SOURCE", "push")
    default_branch = environ.get("CI_DEFAULT_BRANCH") or None
    before = environ.get("CI_COMMIT_BEFORE_SHA", "")
    if before and not null_oid(before):
        return Plan(
            system,
            f"{source} pipeline for {ref}",
            head=head,
            base=before,
            ref=ref,
            default_branch=default_branch,
            base_may_vanish=True,
        )
    what = f"new {'tag' if tag else 'branch'}" if source == "push" else f"{source} pipeline"
    return Plan(
        system,
        f"{what} {ref} (no previous commit)",
        head=head,
        ref=ref,
        default_branch=default_branch,
    )


def choose(
    repository: Repository,
    plan: Plan,
    *,
    fetch: bool,
    say: Callable[[str], None],
) -> ChosenRange:
    """The range to scan, complete in this clone; deepens it first with `fetch`."""
    steps = list(DEEPEN_STEPS)
    fetched_default = False
    while True:
        try:
            # With --fetch, a new branch is compared with the default branch, fetched if need be.
            can_fetch_default = fetch and plan.default_branch is not None
            compare_all = not can_fetch_default or fetched_default
            return _choose(repository, plan, compare_all=compare_all)
        except NoOtherRef:
            if fetch and plan.default_branch and not fetched_default:
                fetch_default_branch(repository, plan.default_branch, say)
                fetched_default = True
                continue
            missing = "no other branch or tag is in this clone to tell which commits are new"
            if not repository.is_shallow():
                raise UsageError(f"{plan.system}, {plan.event}: {missing}") from None
            if not fetch:
                raise UsageError(
                    f"{plan.system}, {plan.event}: {missing}, and this is a shallow clone. "
                    f"{FETCH_ADVICE}"
                ) from None
            deepen(repository, steps.pop(0) if steps else None, say)
        except MissingHistory as missing:
            if not repository.is_shallow():
                raise UsageError(f"{plan.system}, {plan.event}: {missing}") from None
            if not fetch:
                raise UsageError(
                    f"{plan.system}, {plan.event}: {missing}, and this is a shallow clone; "
                    f"scanning only the part present could miss a leak. {FETCH_ADVICE}"
                ) from None
            deepen(repository, steps.pop(0) if steps else None, say)


def _choose(repository: Repository, plan: Plan, *, compare_all: bool) -> ChosenRange:
    assert plan.head is not None
    head = _commit(repository, plan.head)
    if head is None:
        raise MissingHistory(f"the head commit {plan.head} is not in this clone")
    shallow = repository.is_shallow()
    if plan.base is not None:
        base = _commit(repository, plan.base)
        if base is not None:
            chosen = ChosenRange(
                head,
                (base,),
                f"{plan.system}, {plan.event}: scanning {base[:12]}..{head[:12]}, the commits it "
                "adds",
            )
            _check_complete(repository, chosen)
            return chosen
        if shallow:
            raise MissingHistory(f"the base commit {plan.base} is not in this clone")
        if not plan.base_may_vanish:
            raise UsageError(
                f"{plan.system}, {plan.event}: the base commit {plan.base} is not in this "
                "repository; fetch the target branch before scanning"
            )
        note = f"the previous tip {plan.base[:12]} is gone (a force push?), so "
    else:
        note = ""
    others = other_ref_commits(repository, plan.ref)
    if not others:
        if shallow or not compare_all:
            raise NoOtherRef()
        return ChosenRange(
            head,
            (),
            f"{plan.system}, {plan.event}: {note}no other branch or tag in this clone: scanning "
            f"every commit reachable from {head[:12]}",
        )
    chosen = ChosenRange(
        head,
        tuple(sorted(others)),
        f"{plan.system}, {plan.event}: {note}scanning the commits of {head[:12]} that are on no "
        f"other branch or tag ({len(others)} compared)",
    )
    _check_complete(repository, chosen)
    return chosen


def _check_complete(repository: Repository, chosen: ChosenRange) -> None:
    """A commit of the range at the clone's boundary has parents that are not here: the range
    may go on below it, unseen."""
    boundary = shallow_commits(repository)
    if not boundary:
        return
    process = subprocess.run(
        git_command(repository.root, "rev-list", "--stdin"),
        input="".join(f"{line}\n" for line in _rev_list_input(chosen)).encode(),
        capture_output=True,
        env=git_env(),
        check=False,
    )
    if process.returncode != 0:
        message = process.stderr.decode(errors="replace").strip()
        raise GitError(f"`git rev-list` failed in {repository.root}: {message}")
    for line in process.stdout.decode().split():
        if line in boundary:
            raise MissingHistory(
                f"the clone's history stops inside the range (at commit {line[:12]}), before "
                "the range meets its base"
            )


def _rev_list_input(chosen: ChosenRange) -> list[str]:
    return [chosen.head, *(f"^{commit}" for commit in chosen.excluded)]


def shallow_commits(repository: Repository) -> set[str]:
    path = Path(repository.run("rev-parse", "--git-path", "shallow").strip())
    if not path.is_absolute():
        path = repository.root / path
    try:
        return set(path.read_text(encoding="ascii").split())
    except FileNotFoundError:
        return set()


def other_ref_commits(repository: Repository, own_ref: str | None) -> set[str]:
    """The commits every branch and tag but the pushed one point at (local and remote)."""
    remotes = repository.run("remote").split()
    own = {own_ref} if own_ref else set()
    if own_ref and own_ref.startswith("refs/heads/"):
        name = own_ref.removeprefix("refs/heads/")
        own |= {f"refs/remotes/{remote}/{name}" for remote in remotes}
    # One listing for all refs (a repository can have thousands of tags); an annotated tag's
    # commit is its peeled object. Ref names hold no spaces.
    listing = repository.run(
        "for-each-ref",
        "--format=%(objectname) %(objecttype) %(*objectname) %(*objecttype) %(symref) %(refname)",
        "refs/heads",
        "refs/remotes",
        "refs/tags",
    )
    commits = set()
    for line in listing.splitlines():
        fields = line.split(" ")
        if len(fields) != 6 or fields[5] in own or fields[4]:
            continue  # the pushed ref itself, or a symbolic ref (origin/HEAD) naming another
        if fields[1] == "commit":
            commits.add(fields[0])
        elif fields[3] == "commit":
            commits.add(fields[2])
    return commits


def deepen(repository: Repository, step: int | None, say: Callable[[str], None]) -> None:
    """One `git fetch` that brings more history: `--deepen=step`, or all of it for None."""
    depth = f"--deepen={step}" if step else "--unshallow"
    _fetch(repository, say, depth)


def fetch_default_branch(repository: Repository, branch: str, say: Callable[[str], None]) -> None:
    """A new branch is compared with the others; a CI clone may hold none of them."""
    remote = _remote(repository)
    refspec = f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"
    depth = (f"--depth={DEEPEN_STEPS[0]}",) if repository.is_shallow() else ()
    _fetch(repository, say, *depth, refspec)


def _fetch(repository: Repository, say: Callable[[str], None], *arguments: str) -> None:
    remote = _remote(repository)
    shown = " ".join(arguments)
    say(f"leakguard ci: fetching more history from {remote} (git fetch {shown})")
    command = [
        "git",
        "--no-pager",
        "-C",
        str(repository.root),
        *fetch_config(),
        "-c",
        "fetch.recurseSubmodules=false",
        "-c",
        "submodule.recurse=false",
        "fetch",
        "--quiet",
        "--no-tags",
        "--no-recurse-submodules",
        # Never the repository's configured `remote.<name>.uploadpack`: a program it names.
        "--upload-pack=git-upload-pack",
        remote,
        *arguments,
    ]
    env = {**git_env(), "GIT_ALLOW_PROTOCOL": FETCH_PROTOCOLS}
    result = subprocess.run(command, capture_output=True, env=env, check=False)
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()
        raise GitError(
            f"`git fetch {remote} {shown}` failed in {repository.root}: {message}. "
            "Fetch the history in the CI configuration instead (fetch-depth: 0, GIT_DEPTH: 0)."
        )


def fetch_config() -> list[str]:
    """The hardened settings of every git process, but for a fetch: transports allowed, and the
    credentials the CI runner set up for its checkout (a helper, a token in the remote's URL or
    an extra header) kept. It runs only with --fetch, in the job's own checkout."""
    kept = [
        setting
        for setting in SAFE_CONFIG
        if not setting.startswith(("protocol.allow=", "credential.helper=", "core.askPass="))
    ]
    return [argument for setting in kept for argument in ("-c", setting)] + [
        "-c",
        "protocol.allow=always",
    ]


def _remote(repository: Repository) -> str:
    remotes = repository.run("remote").split()
    if "origin" in remotes:
        return "origin"
    if len(remotes) == 1:
        return remotes[0]
    raise UsageError(
        f"--fetch needs one remote to fetch from; {repository.root} has "
        f"{', '.join(remotes) or 'none'}"
    )


def _commit(repository: Repository, revision: str) -> str | None:
    """The commit a revision names, or None when this clone does not have it."""
    try:
        return repository.resolve(revision)
    except UsageError:
        return None


def _event_payload(path: str | None) -> dict[str, Any]:
    if not path:
        raise UsageError("GitHub Actions without GITHUB_EVENT_PATH: cannot tell what to scan")
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read the GitHub event payload {path}: {exc}") from None
    if not isinstance(payload, dict):
        raise UsageError(f"the GitHub event payload {path} is not a JSON object")
    return payload


def _text(mapping: Any, key: str) -> str:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value if isinstance(value, str) else ""


def _required(mapping: Any, key: str, event: str) -> str:
    value = _text(mapping, key)
    if not value:
        raise UsageError(f"the {event} event payload has no `{key}`")
    return value


@dataclass
class EmptyHistory:
    """Nothing to scan (a deleted branch); still a source, so that the report is written."""

    repository: Repository
    why: str
    compare_with_parent: bool = True
    commits_seen: int = 0

    def describe(self) -> str:
        return f"nothing: {self.why}"

    def units(self) -> Iterator[ScanUnit]:
        return iter(())

    def reader(self) -> GitContent:
        return GitContent(self.repository)

    def issues(self) -> list[ScanIssue]:
        return []
