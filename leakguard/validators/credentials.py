"""Structural checks for credential formats whose issuers publish them.

Each check answers one question about the value a rule captured: does its checksum hold, does
its structure decode? None of them contacts a service.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib

from leakguard.validators import validator

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def base62(number: int, width: int) -> str:
    """`number` in base62 (digits, then A-Z, then a-z), left-padded with zeros to `width`."""
    digits = []
    for _ in range(width):
        number, rest = divmod(number, 62)
        digits.append(BASE62[rest])
    return "".join(reversed(digits))


def crc32_base62_tail_ok(body: str, tail: str) -> bool:
    return base62(zlib.crc32(body.encode()), len(tail)) == tail


@validator("github-checksum")
def github_checksum(value: str) -> bool:
    """GitHub's `ghp_`/`gho_`/`ghu_`/`ghr_` tokens end in the CRC32 of their random part.

    Checked against revoked tokens published in public code: the CRC32 (IEEE) covers only the
    random characters between the `xxx_` prefix and the last six characters (not the prefix),
    and is written in base62 with the alphabet 0-9, A-Z, a-z, left-padded with zeros to six.
    npm's `npm_` tokens use the same scheme.
    """
    _prefix, sep, rest = value.partition("_")
    if not sep or len(rest) < 36 or not rest.isascii() or not rest.isalnum():
        return False
    return crc32_base62_tail_ok(rest[:-6], rest[-6:])


@validator("npm-checksum")
def npm_checksum(value: str) -> bool:
    """`npm_` + 30 random characters + their CRC32 in base62 (GitHub's scheme)."""
    return value.startswith("npm_") and len(value) == 40 and github_checksum(value)


def github_fine_grained_checksum_part(body: str) -> str:
    import hashlib  # OpenSSL's, loaded for this format alone

    return base64.b32encode(hashlib.sha256(body.encode()).digest())[:8].decode()


@validator("github-fine-grained-checksum")
def github_fine_grained_checksum(value: str) -> bool:
    """`github_pat_` tokens: 82 characters after the prefix; of the last 16, the first 8 are
    the base32 (RFC 4648) of the SHA-256 of everything before them, prefix included.

    Verified on revoked fine-grained tokens found in public code.
    """
    if not value.startswith("github_pat_") or len(value) != 93:
        return False
    return github_fine_grained_checksum_part(value[:-16]) == value[-16:-8]


@validator("jwt")
def jwt_structure(value: str) -> bool:
    """Three base64url parts, a header that decodes to a JSON object naming an algorithm and a
    payload that decodes to a JSON object."""
    parts = value.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        return False
    try:
        header = json.loads(_b64url(parts[0]))
        payload = json.loads(_b64url(parts[1]))
    except (ValueError, binascii.Error):
        return False
    return isinstance(header, dict) and "alg" in header and isinstance(payload, dict)


@validator("jwt-signed")
def jwt_signed(value: str) -> bool:
    """A JWT whose algorithm is not `none` and that carries a signature: a usable token."""
    if not jwt_structure(value):
        return False
    header = json.loads(_b64url(value.split(".")[0]))
    return str(header.get("alg", "")).lower() != "none" and len(value.split(".")[2]) >= 16


@validator("supabase-service-role")
def supabase_service_role(value: str) -> bool:
    """A JWT whose payload says `"role": "service_role"` (Supabase's full-access key)."""
    if not jwt_structure(value):
        return False
    payload = json.loads(_b64url(value.split(".")[1]))
    return payload.get("role") == "service_role"


@validator("pypi-macaroon")
def pypi_macaroon(value: str) -> bool:
    """`pypi-` + a base64url macaroon (format 2) whose location is pypi.org or test.pypi.org."""
    if not value.startswith("pypi-"):
        return False
    try:
        raw = _b64url(value[5:])
    except (ValueError, binascii.Error):
        return False
    return raw.startswith((b"\x02\x01\x08pypi.org", b"\x02\x01\x0dtest.pypi.org"))


@validator("basic-auth-base64")
def basic_auth_base64(value: str) -> bool:
    """Base64 of `user:password`, as in a Docker `config.json` `auth` field."""
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
        text = raw.decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    user, sep, password = text.partition(":")
    return bool(sep and user and len(password) >= 4 and text.isprintable())


@validator("discord-bot-token")
def discord_bot_token(value: str) -> bool:
    """The first part of a Discord bot token is the base64 of the bot's numeric user id."""
    first = value.split(".", 1)[0]
    try:
        user_id = _b64url(first).decode("ascii")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return user_id.isdigit() and 17 <= len(user_id) <= 20


@validator("age-bech32")
def age_bech32(value: str) -> bool:
    """`AGE-SECRET-KEY-1...`: a bech32 string (human part `age-secret-key-`) whose checksum
    holds."""
    text = value.lower()
    hrp, sep, data = text.rpartition("1")
    if not sep or hrp != "age-secret-key-" or len(data) < 7:
        return False
    if any(ch not in BECH32 for ch in data):
        return False
    values = [ord(ch) >> 5 for ch in hrp] + [0] + [ord(ch) & 31 for ch in hrp]
    values += [BECH32.index(ch) for ch in data]
    return _bech32_polymod(values) == 1


def _bech32_polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            checksum ^= generator[i] if (top >> i) & 1 else 0
    return checksum


@validator("base64-64-bytes")
def base64_64_bytes(value: str) -> bool:
    """Base64 of exactly 64 bytes: an Azure storage account or Cosmos DB key."""
    try:
        return len(base64.b64decode(value, validate=True)) == 64
    except (ValueError, binascii.Error):
        return False


@validator("base64-32-bytes")
def base64_32_bytes(value: str) -> bool:
    """Base64 of exactly 32 bytes: an Azure Service Bus / Event Hubs shared access key."""
    try:
        return len(base64.b64decode(value, validate=True)) == 32
    except (ValueError, binascii.Error):
        return False


@validator("onepassword-service-account")
def onepassword_service_account(value: str) -> bool:
    """`ops_` + base64url JSON that names the account's secret key."""
    if not value.startswith("ops_"):
        return False
    try:
        document = json.loads(_b64url(value[4:]))
    except (ValueError, binascii.Error):
        return False
    return isinstance(document, dict) and "secretKey" in document


@validator("sentry-org-token")
def sentry_org_token(value: str) -> bool:
    """`sntrys_` + base64 JSON with the issuing `iat` and `url`, then `_` and the secret."""
    if not value.startswith("sntrys_"):
        return False
    body = value[7:].rsplit("_", 1)[0]
    try:
        document = json.loads(_b64url(body))
    except (ValueError, binascii.Error):
        return False
    return isinstance(document, dict) and "iat" in document


MIXED = (re.compile(r"[0-9]"), re.compile(r"[A-Z]"), re.compile(r"[a-z]"))


@validator("mixed-alnum")
def mixed_alnum(value: str) -> bool:
    """A digit, an upper- and a lowercase letter: random, not an identifier like
    `test_something_long`."""
    return all(pattern.search(value) for pattern in MIXED)


# Names in one case, made of letter words with at most trailing digits: `password_field`,
# `kv-gemeente-app-secrets`, `DB_PASSWORD`, `settings.secret_key2`.
IDENTIFIER = re.compile(
    r"^_*(?:[a-z]+\d*(?:[._:/-]+[a-z]+\d*)*|[A-Z]+\d*(?:[._:/-]+[A-Z]+\d*)*)[._-]?$"
)
CODE_SHAPE = re.compile(
    r"""^(?:
        [A-Za-z_][\w.]*\([^)]*\)?      # a call
      | [A-Za-z_][\w]*(?:\.[\w]+)+     # an attribute path
      | (?:/|\./|\.\./|~/|[A-Za-z]:\\)\S*   # a file path
      | [a-z][a-z0-9+.-]*://\S*        # a URL
      | \d+(?:\.\d+)*                  # a number or version
      | [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}  # a UUID
      | _?(?:[A-Z]+[a-z]{2,}\d*|[A-Z]{2,}\d*){2,}(?:Ids?|ID)?  # CamelCase words, acronyms
      | arn:[\w-]+:\S*                # an AWS ARN
      | [a-z][\w-]*:[A-Za-z][\w-]*     # a namespaced name: serverlessrepo:applicationId

      | [a-z]+(?:[A-Z][a-z]+)+         # camelCase words
      | [\w.+-]+@[\w-]+(?:\.[\w-]+)+   # an e-mail address
      | [A-Za-z0-9]*[%$@]\{?\w+\}?\S*  # an interpolation
      | [a-z]+(?:[ _-][a-z]+)+         # words
    )$""",
    re.VERBOSE,
)


SHELL_VARIABLE = re.compile(r"\$\{?[A-Z_][A-Z0-9_]{2,}")
BASE64_VALUE = re.compile(r"[A-Za-z0-9+/]{6,}={1,2}")


def _encoded_placeholder(value: str) -> bool:
    """A padded base64 value that decodes to a placeholder (`Y2hhbmdlbWU=` is `changeme`)."""
    from leakguard.detectors.checks import is_placeholder

    if len(value) % 4 or not BASE64_VALUE.fullmatch(value):
        return False
    try:
        text = base64.b64decode(value, validate=True).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return text.isprintable() and is_placeholder(text)


@validator("generic-secret-value")
def generic_secret_value(value: str) -> bool:
    """A value next to a `password=`/`token:`-style key that looks like a secret, not code.

    Turned down: identifiers, dotted or slashed paths, calls, URLs, numbers, UUIDs, words and
    camelCase names. Kept: strings that mix at least three character classes (lower, upper,
    digit, symbol), or two when long (>= 20) and not a hex digest of common length.
    """
    if len(value) < 8 or IDENTIFIER.match(value) or CODE_SHAPE.match(value):
        return False
    if value.endswith("$") or SHELL_VARIABLE.search(value) or _encoded_placeholder(value):
        return False
    classes = sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
            any(not c.isalnum() for c in value),
        )
    )
    if classes >= 3:
        return True
    if re.fullmatch(r"[0-9a-f]+|[0-9A-F]+", value) and len(value) in (56, 64, 96, 128):
        return False  # a SHA-2 digest far more often than a secret
    return classes == 2 and len(value) >= 20


def _b64url(part: str) -> bytes:
    part = part.rstrip("=")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


@validator("kubernetes-secret-value")
def kubernetes_secret_value(value: str) -> bool:
    """A Secret's `data:` value: valid base64 of at least 6 bytes that is not a placeholder
    once decoded (`Y2hhbmdlbWU=` is `changeme`)."""
    from leakguard.detectors.checks import is_placeholder

    try:
        raw = base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error):
        return False
    if len(raw) < 6:
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return True  # binary: a key, a keystore, a certificate bundle
    return not is_placeholder(text.strip())
