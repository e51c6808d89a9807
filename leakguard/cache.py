"""The on-disk cache: derived data (parsed rules, compiled pattern databases), keyed by input.

Everything here can be rebuilt from the rule files; a missing, stale or damaged entry only costs
the time to rebuild it. Entries are written atomically and named by a digest of their input, so
a changed rule set never reads an old entry. Nothing in the cache is executable (JSON and a
checksummed Hyperscan database): a cache restored from elsewhere cannot run code.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "leakguard"


def read_entry(name: str) -> bytes | None:
    try:
        return (cache_dir() / name).read_bytes()
    except OSError:
        return None


def write_entry(name: str, payload: bytes) -> None:
    target = cache_dir() / name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        temporary.write_bytes(payload)
        os.replace(temporary, target)
    except OSError:
        pass  # a read-only home only costs the rebuild on the next run
