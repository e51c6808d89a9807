"""BLAKE2b, without loading OpenSSL.

`import hashlib` loads OpenSSL's library first (3 % of a pre-commit hook's instructions), but
every digest leakguard takes for itself (cache keys, fingerprints, remembered verdicts) is
BLAKE2b, which CPython builds in, and which `hashlib` takes from the same module.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # a Python without the built-in module
    from hashlib import blake2b

__all__ = ["blake2b"]
