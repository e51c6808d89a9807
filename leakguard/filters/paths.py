"""Allowlisted paths: gitignore-style globs, with gitignore's own semantics.

A small matcher of our own rather than a dependency (`pathspec`): the rules fit in a page, the
tests compare every case with `git check-ignore` itself, and a pre-commit hook pays for every
import. What gitignore does, this does:

- a pattern without a slash (but at its end) matches a name at any depth (`*.lock`, `fixtures`);
  with a slash at its start or in its middle it is anchored at the repository root
  (`/config.py`, `tests/data/*.csv`);
- a trailing slash matches directories only (`fixtures/`);
- `*` and `?` never match a slash, `[a-z]` and `[!a-z]` are classes, `\\` escapes;
- `**/` at the start matches in every directory, `/**` at the end everything inside, `/**/`
  zero or more directories; any other `**` is a plain `*`;
- a pattern matching a directory matches everything in it;
- `!pattern` re-includes what an earlier pattern matched, and the last matching pattern wins;
  as in git, a file inside a matched directory cannot be re-included.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from leakguard.config import Allowlist
from leakguard.filters import Uses
from leakguard.models import Candidate
from leakguard.ruleset import Rule
from leakguard.sources import ScanUnit


class GlobError(ValueError):
    pass


class Glob(NamedTuple):
    pattern: str  # as written
    regex: str  # what it matches, whole paths (compiled when a path needs this one pattern)
    negated: bool
    directory_only: bool


ANYWHERE = "(?:.*/)?"  # a pattern's start that matches in any directory


def compile_glob(pattern: str) -> Glob:
    text = pattern.strip()
    negated = text.startswith("!")
    if negated or text.startswith("\\!"):
        text = text[1:]
    directory_only = text.endswith("/") and not text.endswith("\\/")
    text = text.rstrip("/") if directory_only else text
    if not text or text == "/":
        raise GlobError(f"{pattern!r} is an empty pattern")
    # A slash at the start or in the middle anchors the pattern at the root.
    anchored = "/" in text
    text = text.removeprefix("/")
    body = _translate(text, pattern)
    prefix = "" if anchored or text.startswith("**/") else ANYWHERE
    return Glob(pattern, prefix + body + r"\Z", negated, directory_only)


def _translate(text: str, pattern: str) -> str:
    out: list[str] = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if text.startswith("**", index):
            at_start = index == 0 or text[index - 1] == "/"
            end = index + 2
            if at_start and end < length and text[end] == "/":
                out.append(ANYWHERE)  # `**/`: zero or more directories
                index = end + 1
                continue
            if at_start and end == length and index > 0:
                out.append(".*")  # `/**`: everything inside (the `/` is already written)
                index = end
                continue
            if at_start and end == length:
                out.append(".*")  # `**` alone: everything
                index = end
                continue
            out.append("[^/]*")  # any other `**` is a plain `*`
            index = end
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            index, klass = _character_class(text, index, pattern)
            out.append(klass)
            continue
        elif char == "\\":
            if index + 1 >= length:
                raise GlobError(f"{pattern!r} ends with a lone backslash")
            out.append(re.escape(text[index + 1]))
            index += 2
            continue
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


def _character_class(text: str, start: int, pattern: str) -> tuple[int, str]:
    index = start + 1
    negate = index < len(text) and text[index] in "!^"
    if negate:
        index += 1
    members: list[str] = []
    first = True
    while index < len(text) and (text[index] != "]" or first):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            index += 1
            char = text[index]
        if index + 2 < len(text) and text[index + 1] == "-" and text[index + 2] != "]":
            low, high = char, text[index + 2]
            if low > high:
                raise GlobError(f"{pattern!r}: the range {low}-{high} is reversed")
            members.append(f"{re.escape(low)}-{re.escape(high)}")
            index += 3
        else:
            members.append(re.escape(char))
            index += 1
        first = False
    if index >= len(text):
        raise GlobError(f"{pattern!r}: '[' without a closing ']'")
    body = "".join(members)
    # A class never matches a slash, negated or not.
    return index + 1, f"[^/{body}]" if negate else f"(?!/)[{body}]"


class GlobList:
    """Ordered patterns, the last match wins: `match` says which pattern excluded a path."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.globs = tuple(compile_glob(pattern) for pattern in patterns)
        # One regex for "does any pattern match": most paths match none, and a history holds
        # more distinct paths than the cache below. The patterns that match in any directory
        # share their `(?:.*/)?`: each one of them scanning the path on its own cost 15 us a
        # path in each worker (the default `pii.skip_paths`).
        # Only that regex is compiled up front: compiling every pattern of the default lists
        # cost a pre-commit hook 2 % of its instructions.
        anywhere = [g.regex for g in self.globs if g.regex.startswith(ANYWHERE)]
        rest = [g.regex for g in self.globs if not g.regex.startswith(ANYWHERE)]
        either = "|".join(f"(?:{pattern[len(ANYWHERE) :]})" for pattern in anywhere)
        combined = "|".join([*([f"{ANYWHERE}(?:{either})"] if anywhere else []), *rest])
        self._any = re.compile(combined or r"(?!)", re.DOTALL)
        self.match = lru_cache(maxsize=4096)(self._match)

    def _decide(self, path: str, is_directory: bool) -> int | None:
        """Index of the last pattern matching `path`, or None; negated patterns count too."""
        decided = None
        for index, glob in enumerate(self.globs):
            if glob.directory_only and not is_directory:
                continue
            if re.match(glob.regex, path, re.DOTALL):
                decided = index
        return decided

    def _excluding(self, path: str, is_directory: bool) -> int | None:
        if not self._any.match(path):
            return None
        decided = self._decide(path, is_directory)
        if decided is None or self.globs[decided].negated:
            return None
        return decided

    def _match(self, path: str) -> int | None:
        """The pattern that excludes the file `path` (or a directory above it), or None."""
        parts = path.split("/")
        for depth in range(1, len(parts)):
            excluded = self._excluding("/".join(parts[:depth]), True)
            if excluded is not None:
                return excluded
        return self._excluding(path, False)


def relative_path(path: str, root: Path | None) -> str:
    """A scanned path as the patterns see it: relative to the root, `/`-separated, no `./`."""
    pure = PurePosixPath(path)
    if pure.is_absolute() and root is not None:
        with contextlib.suppress(ValueError):  # outside the root: as it is
            pure = pure.relative_to(PurePosixPath(root.resolve().as_posix()))
    text = str(pure)
    while text.startswith("./"):
        text = text[2:]
    return text


class PathAllowFilter:
    """Drops candidates in files that an allowlist's `paths` match."""

    def __init__(self, allowlists: Sequence[Allowlist], source: str, root: Path | None) -> None:
        self.items = [(item, GlobList(item.paths)) for item in allowlists if item.paths]
        self.root = root
        self.uses = Uses(
            ((item.where, index), f"{source}: {item.where}.paths[{index}] {pattern!r}")
            for item, _ in self.items
            for index, pattern in enumerate(item.paths)
        )

    def drop_reason(self, candidate: Candidate, unit: ScanUnit, rule: Rule) -> str | None:
        if not self.items:
            return None
        path = relative_path(unit.path, self.root)
        for item, globs in self.items:
            if not item.applies_to(rule.id):
                continue
            index = globs.match(path)
            if index is not None:
                self.uses.mark((item.where, index))
                return f"allowlist {item.where}.paths[{index}] {item.paths[index]!r}"
        return None

    def unused(self) -> list[str]:
        return self.uses.unused()
