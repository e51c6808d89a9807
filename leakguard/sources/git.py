"""Running git on a repository nobody vouched for.

Every git process leakguard starts goes through `git_command`: the repository's own
configuration may name programs (hooks, fsmonitor, external diff, textconv, pagers, the
`uploadpack` a partial clone runs to fetch a missing object) or change what git shows (replace
objects, grafts, `log.showRoot=false` hiding the first commit's files). The options below switch
each of those off, whatever the repository's `.git/config` says; `tests/test_hostile_git.py`
attacks each one.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from leakguard.errors import GitError, UsageError

if TYPE_CHECKING:
    from leakguard.sources import ScanUnit

# The file modes git gives a submodule (a commit id, not a blob) and a symbolic link.
SUBMODULE_MODE = "160000"
SYMLINK_MODE = "120000"
# Overrides on the command line win over every configuration file.
SAFE_CONFIG = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.untrackedCache=false",
    "core.sshCommand=false",
    "core.askPass=",
    "credential.helper=",
    "diff.external=",
    "diff.noprefix=false",
    "log.showSignature=false",
    "gc.auto=0",
    "maintenance.auto=false",
    "safe.bareRepository=all",
    # No transport at all: a partial clone would otherwise fetch a missing object on read,
    # running the repository's `remote.<name>.uploadpack` or an `ext::` command.
    "protocol.allow=never",
    "core.useReplaceRefs=false",
    # What `git log --raw` lists must not depend on the repository's configuration.
    "log.showRoot=true",
    "log.mailmap=false",
    "diff.relative=false",
    "diff.ignoreSubmodules=none",
    "i18n.logOutputEncoding=UTF-8",
    "advice.graftFileDeprecated=false",
    # Bounded memory per git process, whatever the size of the history (defaults: a 96 MiB
    # delta cache and pack windows of 1 GiB up to 8 GiB mapped, all counted in its RSS).
    "core.deltaBaseCacheLimit=16m",
    "core.packedGitWindowSize=32m",
    "core.packedGitLimit=128m",
)

SAFE_ENV = {
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
    "LC_ALL": "C",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_ASKPASS": "",
    "SSH_ASKPASS": "",
    # An empty allow-list forbids every transport, and wins over `protocol.<name>.allow`
    # in the repository's configuration (which `protocol.allow=never` does not).
    "GIT_ALLOW_PROTOCOL": "",
    "GIT_NO_LAZY_FETCH": "1",
    # `.git/info/grafts` can cut a commit's parents and hide them from `git log --all`.
    "GIT_GRAFT_FILE": "/dev/null",
}
# Variables that would point git at other repositories, configuration or programs.
UNSAFE_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_EXTERNAL_DIFF",
    "GIT_DIFF_OPTS",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_REPLACE_REF_BASE",
    "GIT_SHALLOW_FILE",
    "GIT_EXEC_PATH",
    "GIT_TRACE",
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_PROXY_COMMAND",
)


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in UNSAFE_ENV}
    env.update(SAFE_ENV)
    return env


def git_command(repo: Path, *args: str) -> list[str]:
    command = ["git", "--no-pager", "-C", str(repo)]
    for setting in SAFE_CONFIG:
        command += ["-c", setting]
    return [*command, *args]


class Repository(NamedTuple):
    """A git repository: its git directory and, unless bare, its work tree."""

    git_dir: Path
    work_tree: Path | None

    @property
    def root(self) -> Path:
        return self.work_tree or self.git_dir

    def run(self, *args: str, input: bytes | None = None, check: bool = True) -> str:
        """Run git, return its stdout as text; a failure is a `GitError` naming the command."""
        result = subprocess.run(
            git_command(self.root, *args),
            input=input,
            capture_output=True,
            env=git_env(),
            check=False,
        )
        if check and result.returncode != 0:
            raise GitError(
                f"`git {' '.join(args)}` failed in {self.root}: "
                f"{result.stderr.decode(errors='replace').strip() or f'exit {result.returncode}'}"
            )
        return result.stdout.decode("utf-8", errors="surrogateescape")

    def popen(self, *args: str, stdin: int | None = None) -> subprocess.Popen[bytes]:
        """git with its output on a pipe, and its messages in a file (see `error_text`).

        Not a second pipe: one that nobody reads while git writes its output fills at 64 KiB,
        and git then waits on it forever while we wait for its output.
        """
        with _message_file() as messages:
            process = subprocess.Popen(
                git_command(self.root, *args),
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=messages,
                env=git_env(),
            )
            process.stderr = os.fdopen(os.dup(messages.fileno()), "rb")
        return process

    def is_shallow(self) -> bool:
        return self.run("rev-parse", "--is-shallow-repository").strip() == "true"

    def has_commits(self) -> bool:
        result = subprocess.run(
            git_command(self.root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"),
            capture_output=True,
            env=git_env(),
            check=False,
        )
        return result.returncode == 0

    def resolve(self, revision: str) -> str:
        """The commit id a revision names; a `UsageError` that says why when it names none."""
        if revision.startswith("-"):
            raise UsageError(f"{revision!r} is not a revision")
        result = subprocess.run(
            git_command(
                self.root,
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                f"{revision}^{{commit}}",
            ),
            capture_output=True,
            env=git_env(),
            check=False,
        )
        if result.returncode != 0:
            hint = (
                " This is a shallow clone: the commit may be outside the fetched history; "
                "fetch more (e.g. `git fetch --deepen=100` or `fetch-depth: 0` in CI)."
                if self.is_shallow()
                else ""
            )
            raise UsageError(f"{revision!r} is not a commit in {self.root}.{hint}")
        return result.stdout.decode().strip()


def _message_file() -> BinaryIO:
    """An unnamed file for a process's messages: in memory where the system has such files
    (Linux), which also spares the pre-commit hook the import of `tempfile`."""
    if hasattr(os, "memfd_create"):
        return os.fdopen(os.memfd_create("git-messages"), "w+b")
    import tempfile

    return tempfile.TemporaryFile()


def open_repository(path: Path) -> Repository:
    """The repository at `path`; a `UsageError` with what to do when it is none."""
    if not path.exists():
        raise UsageError(f"{path} does not exist")
    if not path.is_dir():
        raise UsageError(f"{path} is not a directory; to scan files use `leakguard files`")
    # One git process for all three: `--show-toplevel`, last, fails in a bare repository and
    # inside `.git` ("must be run in a work tree") after git printed the first two answers.
    result = subprocess.run(
        git_command(
            path.resolve(),
            "rev-parse",
            "--absolute-git-dir",
            "--is-bare-repository",
            "--show-toplevel",
        ),
        capture_output=True,
        env=git_env(),
        check=False,
    )
    lines = result.stdout.decode("utf-8", errors="surrogateescape").splitlines()
    message = result.stderr.decode(errors="replace").strip()
    outside_work_tree = len(lines) == 2 and "work tree" in message
    if (result.returncode != 0 and not outside_work_tree) or len(lines) < 2:
        if "dubious ownership" in message:
            raise UsageError(
                f"git refuses to read {path}: it is owned by another user. If you trust it, "
                f"run `git config --global --add safe.directory {path.resolve()}`."
            )
        raise UsageError(
            f"{path} is not a git repository ({message or 'git rev-parse failed'}); "
            "to scan plain files use `leakguard files PATH`"
        )
    git_dir = Path(lines[0])
    bare = lines[1].strip() == "true"
    work_tree = Path(lines[2]) if len(lines) > 2 and not bare else None
    return Repository(git_dir=git_dir, work_tree=work_tree)


class BlobReader:
    """Reads objects through one long-lived `git cat-file --batch` process.

    Objects asked for with `prefetch` are requested at once, so that git finds and inflates
    the next ones while the current one is scanned, instead of one round trip per object.
    They must then be read in the order they were asked for.
    """

    def __init__(self, repo: Repository) -> None:
        self._repo = repo
        self._process: subprocess.Popen[bytes] | None = None
        self._requested: deque[str] = deque()  # asked for, answer not read yet

    def _start(self) -> subprocess.Popen[bytes]:
        # A git that died is noticed where it matters, on a read or write that fails, which
        # closes this reader (`_failure`): asking the kernel before every object cost 5 % of a
        # history scan.
        if self._process is None:
            self._requested.clear()
            self._process = self._repo.popen("cat-file", "--batch", stdin=subprocess.PIPE)
            assert self._process.stdout is not None
            _widen_pipe(self._process.stdout.fileno())
        return self._process

    def prefetch(self, oids: Sequence[str]) -> None:
        # Each request is a 41-byte line: a few hundred never fill the pipe to git, which
        # could otherwise block while its answers wait to be read.
        self._send([oid for oid in oids[:PREFETCH_LIMIT]])

    def chunks(self, oid: str, chunk_size: int = 8 << 20) -> Iterator[bytes]:
        """The object's content in chunks; stop early and the rest is skipped for you."""
        header = self._header(oid)
        remaining = int(header[2])
        process = self._start()
        stdout = process.stdout
        assert stdout is not None
        try:
            while remaining > 0:
                chunk = stdout.read(min(chunk_size, remaining))
                if not chunk:
                    raise GitError(self._failure(f"git cat-file ended while reading {oid}"))
                remaining -= len(chunk)
                yield chunk
        finally:
            if self._process is process:
                while remaining > 0:  # keep the batch protocol in step
                    skipped = stdout.read(min(chunk_size, remaining))
                    if not skipped:
                        break
                    remaining -= len(skipped)
                stdout.read(1)  # the newline after each object

    def read(self, oid: str) -> bytes:
        return b"".join(self.chunks(oid))

    def _header(self, oid: str) -> list[bytes]:
        if not self._requested or self._requested[0] != oid:
            if self._requested:
                # Asked out of order: the answers in the pipe belong to other objects.
                self.close()
            self._send([oid])
        self._requested.popleft()
        process = self._start()
        assert process.stdout is not None
        header = process.stdout.readline().split()
        if len(header) == 2 and header[1] == b"missing":
            raise GitError(
                f"object {oid} is missing from the repository (a partial or damaged clone?)"
            )
        if len(header) != 3:
            raise GitError(self._failure(f"git cat-file gave no object for {oid}"))
        return header

    def _send(self, oids: Sequence[str]) -> None:
        if not oids:
            return
        request = b"".join(oid.encode() + b"\n" for oid in oids)
        # A git that ended while nothing was asked of it (killed, say) owes us nothing: the
        # request goes to a new one. One that ended with answers owed is a failure.
        for attempt in (1, 2):
            process = self._start()
            assert process.stdin is not None
            try:
                process.stdin.write(request)
                process.stdin.flush()
                break
            except BrokenPipeError:
                if attempt == 2 or self._requested:
                    raise GitError(
                        self._failure(f"git cat-file stopped before reading {oids[0]}")
                    ) from None
                self.close()
        self._requested.extend(oids)

    def _failure(self, message: str) -> str:
        process = self._process
        detail = ""
        if process is not None and process.poll() is not None:
            detail = error_text(process)
        self.close()
        return f"{message}: {detail}" if detail else message

    def close(self) -> None:
        process, self._process = self._process, None
        self._requested.clear()
        if process is not None:
            for stream in (process.stdin, process.stdout, process.stderr):
                if stream is not None:
                    # Closing stdin flushes requests a dead git can no longer take.
                    with contextlib.suppress(OSError):
                        stream.close()
            process.kill()
            process.wait()


def error_text(process: subprocess.Popen[bytes]) -> str:
    """What a process from `Repository.popen` wrote to its standard error, once it has ended."""
    if process.stderr is None:
        return ""
    process.stderr.seek(0)
    return process.stderr.read().decode(errors="replace").strip()


PREFETCH_LIMIT = 256
PIPE_SIZE = 1 << 20
F_SETPIPE_SZ = 1031  # Linux: fcntl.F_SETPIPE_SZ, missing from Python before 3.10 on some builds


def _widen_pipe(descriptor: int) -> None:
    """Let git run up to a megabyte ahead of the scan (Linux; elsewhere the default stays)."""
    try:
        import fcntl

        fcntl.fcntl(descriptor, getattr(fcntl, "F_SETPIPE_SZ", F_SETPIPE_SZ), PIPE_SIZE)
    except (ImportError, OSError):
        pass


def null_oid(oid: str) -> bool:
    return set(oid) == {"0"}


def check_arguments(values: Sequence[str]) -> None:
    for value in values:
        if value.startswith("-"):
            raise UsageError(f"{value!r} looks like an option, not a revision")


class GitContent:
    """A `ContentReader` for units that name git objects."""

    def __init__(self, repository: Repository) -> None:
        self._repository = repository
        self._blobs = BlobReader(repository)
        # Parents are read in the middle of prefetched objects: their own process keeps order.
        self._parents: BlobReader | None = None
        self._stores: dict[str, BlobReader] = {}  # submodules' git directories

    def chunks(self, unit: ScanUnit) -> Iterator[bytes]:
        assert unit.blob is not None
        return self._reader(unit).chunks(unit.blob)

    def parent_chunks(self, unit: ScanUnit) -> Iterator[bytes]:
        assert unit.parent_blob is not None
        if unit.store is not None:
            return self._reader(unit).chunks(unit.parent_blob)
        if self._parents is None:
            self._parents = BlobReader(self._repository)
        return self._parents.chunks(unit.parent_blob)

    def prefetch(self, units: Sequence[ScanUnit]) -> None:
        self._blobs.prefetch([u.blob for u in units if u.blob is not None and u.store is None])

    def _reader(self, unit: ScanUnit) -> BlobReader:
        if unit.store is None:
            return self._blobs
        if unit.store not in self._stores:
            self._stores[unit.store] = BlobReader(Repository(Path(unit.store), None))
        return self._stores[unit.store]

    def close(self) -> None:
        self._blobs.close()
        if self._parents is not None:
            self._parents.close()
        for reader in self._stores.values():
            reader.close()
