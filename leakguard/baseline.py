"""The baseline file: findings a team has decided to live with, by content, never by line.

An entry is `rule_id` + `path` + a salted hash of the value. The salt is random per baseline and
stored in it, so the same value has unrelated hashes in two repositories; the hash is
PBKDF2-SHA256, so that trying every possible value of a short personal number costs hours
rather than seconds. The file never holds a value, a part of one, or a line number: moving a
line, rebasing or squashing keeps an entry valid, and a different value on the same line is a
new finding.

The file is JSON written for code review: entries sorted by path, rule and hash, one block per
entry, fixed key order, so the same findings always give the same bytes and a diff shows only
the entries that changed.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from leakguard.errors import ConfigError

FORMAT_VERSION = 1
ALGORITHM = "pbkdf2-sha256"
DEFAULT_ITERATIONS = 2000
MIN_ITERATIONS = 1000
SALT_BYTES = 16
HASH_BYTES = 16

EntryKey = tuple[str, str, str]  # (rule_id, path, value_hash)


class Entry(NamedTuple):
    rule_id: str
    path: str
    value_hash: str
    reason: str = ""
    decided_by: str = ""

    @property
    def key(self) -> EntryKey:
        return (self.rule_id, self.path, self.value_hash)

    def describe(self) -> str:
        reason = f" ({self.reason})" if self.reason else ""
        return f"{self.rule_id} at {self.path} [{self.value_hash[:12]}]{reason}"


@dataclass
class Baseline:
    salt: str  # hex
    iterations: int = DEFAULT_ITERATIONS
    entries: dict[EntryKey, Entry] = field(default_factory=dict)
    path: Path | None = None  # where it was read from

    def __post_init__(self) -> None:
        self._hash = lru_cache(maxsize=8192)(self._compute_hash)

    @classmethod
    def new(cls) -> Baseline:
        return cls(salt=secrets.token_hex(SALT_BYTES))

    def value_hash(self, value: str) -> str:
        return self._hash(value)

    def _compute_hash(self, value: str) -> str:
        digest = hashlib.pbkdf2_hmac(
            "sha256", value.encode("utf-8"), bytes.fromhex(self.salt), self.iterations, HASH_BYTES
        )
        return digest.hex()

    def with_entries(self, entries: Iterable[Entry]) -> Baseline:
        """The same salt and hash parameters, holding `entries`."""
        return Baseline(self.salt, self.iterations, {e.key: e for e in entries}, self.path)

    def to_text(self) -> str:
        document = {
            "version": FORMAT_VERSION,
            "tool": "leakguard",
            "hash": {"algorithm": ALGORITHM, "iterations": self.iterations, "salt": self.salt},
            "entries": [
                _entry_object(self.entries[key]) for key in sorted(self.entries, key=_order)
            ],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _order(key: EntryKey) -> tuple[str, str, str]:
    rule_id, path, value_hash = key
    return (path, rule_id, value_hash)


def _entry_object(entry: Entry) -> dict[str, str]:
    item = {"rule_id": entry.rule_id, "path": entry.path, "value_hash": entry.value_hash}
    if entry.reason:
        item["reason"] = entry.reason
    if entry.decided_by:
        item["decided_by"] = entry.decided_by
    return item


def load_baseline(path: Path) -> Baseline:
    """Read and validate a baseline file; any defect is a `ConfigError` naming file and key."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"baseline file {path} does not exist; create it with `leakguard baseline create`"
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read baseline file {path}: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"baseline file {path} is not valid JSON: {exc}") from None

    def fail(key: str, reason: str) -> ConfigError:
        return ConfigError(f"baseline file {path}: {key}: {reason}")

    if not isinstance(document, dict):
        raise fail("(top)", "must be an object with version, hash and entries")
    if document.get("version") != FORMAT_VERSION:
        raise fail("version", f"must be {FORMAT_VERSION} (got {document.get('version')!r})")
    settings = document.get("hash")
    if not isinstance(settings, dict) or settings.get("algorithm") != ALGORITHM:
        raise fail("hash.algorithm", f"must be {ALGORITHM}")
    iterations = settings.get("iterations")
    if not isinstance(iterations, int) or isinstance(iterations, bool) or iterations < 1000:
        raise fail("hash.iterations", f"must be a whole number of at least {MIN_ITERATIONS}")
    salt = settings.get("salt")
    if not isinstance(salt, str) or not _is_hex(salt, SALT_BYTES):
        raise fail("hash.salt", f"must be {SALT_BYTES * 2} hexadecimal digits")
    items = document.get("entries")
    if not isinstance(items, list):
        raise fail("entries", "must be a list")
    entries: dict[EntryKey, Entry] = {}
    for index, item in enumerate(items):
        entry = _entry(item, lambda reason, i=index: fail(f"entries[{i}]", reason))
        entries[entry.key] = entry
    return Baseline(salt, iterations, entries, path)


def _entry(item: Any, fail: Any) -> Entry:
    if not isinstance(item, dict):
        raise fail("must be an object with rule_id, path and value_hash")
    unknown = sorted(set(item) - {"rule_id", "path", "value_hash", "reason", "decided_by"})
    if unknown:
        raise fail(f"unknown key(s) {', '.join(unknown)}")
    for key in ("rule_id", "path", "value_hash"):
        if not isinstance(item.get(key), str) or not item[key]:
            raise fail(f"{key} must be a non-empty string")
    for key in ("reason", "decided_by"):
        if not isinstance(item.get(key, ""), str):
            raise fail(f"{key} must be a string")
    if not _is_hex(item["value_hash"], HASH_BYTES):
        raise fail(f"value_hash must be {HASH_BYTES * 2} hexadecimal digits")
    return Entry(
        item["rule_id"],
        item["path"],
        item["value_hash"],
        item.get("reason", ""),
        item.get("decided_by", ""),
    )


def _is_hex(text: str, size: int) -> bool:
    return len(text) == size * 2 and all(c in "0123456789abcdef" for c in text)


def save_baseline(baseline: Baseline, path: Path) -> None:
    from leakguard.runner import write_atomically

    write_atomically(path, baseline.to_text())
