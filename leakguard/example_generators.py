"""Builders for example values whose format carries a checksum or structure.

Used by `rule_examples.expand` for `${gen:NAME}` templates: the rule-file examples, the test
suite and the recall benchmark all build their fake credentials and personal numbers here, so
that no literal in the repository looks real.
"""

from __future__ import annotations

import base64
import json
import random
import zlib

from leakguard.rule_examples import ALPHABETS, generator
from leakguard.validators.credentials import base62


@generator("github-token")
def github_token(rng: random.Random, prefix: str) -> str:
    """`ghp_` (or the given prefix) + 30 random characters + their CRC32 in base62."""
    body = "".join(rng.choice(ALPHABETS["alnum"]) for _ in range(30))
    return f"{prefix or 'ghp'}_{body}{base62(zlib.crc32(body.encode()), 6)}"


@generator("jwt")
def jwt(rng: random.Random, _: str) -> str:
    def part(obj: object) -> str:
        raw = json.dumps(obj, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    subject = "".join(rng.choice(ALPHABETS["digits"]) for _ in range(10))
    signature = "".join(rng.choice(ALPHABETS["base64url"]) for _ in range(43))
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'sub': subject, 'iat': 1700000000})}.{signature}"
