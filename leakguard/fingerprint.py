"""Content-based identities of findings, holding hashes, never values.

A fingerprint is `rule:path:digest`: the same secret at the same path keeps its fingerprint
when lines move, commits are rebased or squashed, and a different secret on the same line gets
another. The digest is a keyed BLAKE2b of the value. The key defaults to a fixed string, which
makes fingerprints stable everywhere; for personal data (a BSN has only ~10^8 possible values)
set `LEAKGUARD_FINGERPRINT_KEY` to a secret of your own so that a fingerprint cannot be reversed
by trying every value.
"""

from __future__ import annotations

import os

from leakguard.digests import blake2b

DEFAULT_KEY = b"leakguard fingerprint v1"
KEY_VARIABLE = "LEAKGUARD_FINGERPRINT_KEY"


def fingerprint_key() -> bytes:
    configured = os.environ.get(KEY_VARIABLE)
    return configured.encode("utf-8") if configured else DEFAULT_KEY


def value_digest(value: str, key: bytes) -> str:
    return blake2b(value.encode("utf-8"), key=key[:64], digest_size=10).hexdigest()


def fingerprint(rule_id: str, path: str, value: str, key: bytes) -> str:
    return f"{rule_id}:{path}:{value_digest(value, key)}"
