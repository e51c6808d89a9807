"""Structural checks for credential formats whose issuers publish them."""

from __future__ import annotations

import base64
import binascii
import json
import zlib

from leakguard.validators import validator

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, rest = divmod(number, 62)
        digits.append(BASE62[rest])
    return "".join(reversed(digits))


def crc32_base62_tail_ok(body: str, tail: str) -> bool:
    return base62(zlib.crc32(body.encode()), len(tail)) == tail


@validator("github-checksum")
def github_checksum(value: str) -> bool:
    """GitHub's `ghp_`-style tokens end in the CRC32 of their random part, in base62."""
    prefix, sep, rest = value.partition("_")
    if not sep or len(rest) != 36:
        return False
    return crc32_base62_tail_ok(rest[:30], rest[30:])


@validator("jwt")
def jwt_structure(value: str) -> bool:
    """Three base64url parts, and a header that decodes to JSON naming an algorithm."""
    parts = value.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        return False
    try:
        header = json.loads(_b64url(parts[0]))
        json.loads(_b64url(parts[1]))
    except (ValueError, binascii.Error):
        return False
    return isinstance(header, dict) and "alg" in header


def _b64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
