"""Builders for example values whose format carries a checksum or structure.

Used by `rule_examples.expand` for `${gen:NAME}` templates: the rule-file examples, the test
suite and the recall benchmark all build their fake credentials and personal numbers here, so
that no literal in the repository looks real. Every value is drawn from the `rng` handed in, so
an example expands the same way every time.
"""

from __future__ import annotations

import base64
import json
import random
import urllib.parse
import uuid as uuid_module
import zlib

from leakguard.rule_examples import ALPHABETS, GENERATORS, ExampleError, generator
from leakguard.validators.credentials import BECH32, base62, github_fine_grained_checksum_part


def _random(rng: random.Random, alphabet: str, count: int) -> str:
    chars = ALPHABETS.get(alphabet, alphabet)
    return "".join(rng.choice(chars) for _ in range(count))


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@generator("github-token")
def github_token(rng: random.Random, argument: str) -> str:
    """`PREFIX_` + random characters + their CRC32 in base62 (GitHub's and npm's scheme).

    ARG is `PREFIX` or `PREFIX:LENGTH` (random characters before the checksum; 30 by default,
    70 for `ghr`).
    """
    prefix, _, length = argument.partition(":")
    body = _random(rng, "alnum", int(length or 30))
    return f"{prefix or 'ghp'}_{body}{base62(zlib.crc32(body.encode()), 6)}"


@generator("npm-token")
def npm_token(rng: random.Random, _: str) -> str:
    return github_token(rng, "npm")


@generator("github-fine-grained-pat")
def github_fine_grained_pat(rng: random.Random, _: str) -> str:
    """`github_pat_11` + 20 id characters + `_` + 43 random + 8 checksum + 8 random."""
    head = "github_pat_11" + _random(rng, "uppernum", 9) + _random(rng, "alnum", 11)
    body = f"{head}_{_random(rng, 'alnum', 43)}"
    return body + github_fine_grained_checksum_part(body) + _random(rng, "alnum", 8)


@generator("jwt")
def jwt(rng: random.Random, argument: str) -> str:
    """A signed-looking JWT; ARG adds claims as `key=value,key=value`."""
    claims: dict[str, object] = {"sub": _random(rng, "digits", 10), "iat": 1700000000}
    for pair in filter(None, argument.split(",")):
        key, _, value = pair.partition("=")
        claims[key] = value

    def part(obj: object) -> str:
        return _b64url(json.dumps(obj, separators=(",", ":")).encode())

    signature = _random(rng, "base64url", 43)
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.{signature}"


@generator("pypi-token")
def pypi_token(rng: random.Random, argument: str) -> str:
    """`pypi-` + a base64url macaroon (format 2) for pypi.org, or test.pypi.org with `test`."""
    location = b"test.pypi.org" if argument == "test" else b"pypi.org"
    identifier = json.dumps({"version": 1, "permissions": "user"}).encode()
    raw = (
        b"\x02\x01"
        + bytes([len(location)])
        + location
        + b"\x02"
        + bytes([len(identifier)])
        + identifier
        + bytes(rng.getrandbits(8) for _ in range(rng.randint(120, 160)))
    )
    return "pypi-" + _b64url(raw)


PEM_KINDS = {
    # kind: (armor label, body start, body length in base64 characters)
    "rsa": ("RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA", 1592),
    "dsa": ("DSA PRIVATE KEY", "MIIBuwIBAAKBgQD", 892),
    "ec": ("EC PRIVATE KEY", "MHcCAQEEI", 164),
    "pkcs8": ("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", 1624),
    "encrypted": ("ENCRYPTED PRIVATE KEY", "MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQww", 1776),
    "openssh": ("OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAA", 400),
}


@generator("pem-private-key")
def pem_private_key(rng: random.Random, argument: str) -> str:
    """A PEM block with a random body of realistic length.

    ARG is a kind (rsa, dsa, ec, pkcs8, encrypted, openssh, rsa-legacy-encrypted), optionally
    followed by `:json` for the one-line form with `\\n` escapes used in JSON files.
    """
    kind, _, form = argument.partition(":")
    headers: list[str] = []
    if kind == "rsa-legacy-encrypted":
        label, start, length = PEM_KINDS["rsa"]
        headers = ["Proc-Type: 4,ENCRYPTED", f"DEK-Info: AES-128-CBC,{_random(rng, 'HEX', 32)}", ""]
        start = ""
    elif kind in PEM_KINDS:
        label, start, length = PEM_KINDS[kind]
    else:
        raise ExampleError(f"pem-private-key: unknown kind {kind!r}")
    width = 70 if kind == "openssh" else 64
    body = start + _random(rng, "base64", length - len(start))
    if kind not in ("openssh",):
        body = body[:-2] + "=="
    lines = [f"-----BEGIN {label}-----", *headers]
    lines += [body[i : i + width] for i in range(0, len(body), width)]
    lines.append(f"-----END {label}-----")
    if form == "json":
        return "\\n".join(lines) + "\\n"
    return "\n".join(lines)


@generator("pgp-private-key")
def pgp_private_key(rng: random.Random, _: str) -> str:
    body = "lQVYBG" + _random(rng, "base64", 2600)
    lines = ["-----BEGIN PGP PRIVATE KEY BLOCK-----", ""]
    lines += [body[i : i + 64] for i in range(0, len(body), 64)]
    lines += ["=" + _random(rng, "base64", 4), "-----END PGP PRIVATE KEY BLOCK-----"]
    return "\n".join(lines)


@generator("ssh2-private-key")
def ssh2_private_key(rng: random.Random, _: str) -> str:
    """The SSH.com / Tectia format: `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----`."""
    body = "P2/56wAAA" + _random(rng, "base64", 1100)
    lines = ["---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----", 'Comment: "rsa-key-20240101"']
    lines += [body[i : i + 70] for i in range(0, len(body), 70)]
    lines.append("---- END SSH2 ENCRYPTED PRIVATE KEY ----")
    return "\n".join(lines)


@generator("putty-private-key")
def putty_private_key(rng: random.Random, argument: str) -> str:
    """A PuTTY `.ppk` file (format 3, or 2 with ARG `2`), unencrypted ed25519."""
    version = argument or "3"
    public = "AAAAC3NzaC1lZDI1NTE5AAAAI" + _random(rng, "base64", 43)
    private = "AAAAI" + _random(rng, "base64", 43)
    lines = [
        f"PuTTY-User-Key-File-{version}: ssh-ed25519",
        "Encryption: none",
        "Comment: eddsa-key-20240101",
        "Public-Lines: 2",
        public[:64],
        public[64:],
        "Private-Lines: 1",
        private,
        f"Private-MAC: {_random(rng, 'hex', 64 if version == '3' else 40)}",
    ]
    return "\n".join(lines)


@generator("basic-auth-base64")
def basic_auth_base64(rng: random.Random, _: str) -> str:
    """Base64 of `user:password`, as Docker's `config.json` stores registry logins."""
    text = f"{_random(rng, 'lower', 8)}:{_random(rng, 'alnum', 20)}"
    return base64.b64encode(text.encode()).decode()


@generator("base64-text")
def base64_text(rng: random.Random, argument: str) -> str:
    """Base64 of N random letters and digits (a Kubernetes `data:` value)."""
    return base64.b64encode(_random(rng, "alnum", int(argument or 24)).encode()).decode()


def _inner(rng: random.Random, argument: str) -> str:
    """The output of another generator: ARG is `NAME` or `NAME:ARG`."""
    name, _, inner_argument = argument.partition(":")
    build = GENERATORS.get(name)
    if build is None:
        raise ExampleError(f"unknown example generator {name!r}")
    return build(rng, inner_argument)


@generator("b64")
def b64(rng: random.Random, argument: str) -> str:
    """Standard base64 of another generator's value: `${gen:b64:github-token:ghp}`."""
    return base64.b64encode(_inner(rng, argument).encode()).decode()


@generator("hex")
def hex_encoded(rng: random.Random, argument: str) -> str:
    return _inner(rng, argument).encode().hex()


@generator("pct")
def percent_encoded(rng: random.Random, argument: str) -> str:
    """Every character percent-encoded (as some tools write values into URLs)."""
    return "".join(f"%{byte:02X}" for byte in _inner(rng, argument).encode())


@generator("uuid")
def uuid(rng: random.Random, _: str) -> str:
    return str(uuid_module.UUID(int=rng.getrandbits(128), version=4))


@generator("age-secret-key")
def age_secret_key(rng: random.Random, _: str) -> str:
    """`AGE-SECRET-KEY-1` + 52 bech32 data characters + a valid 6-character checksum."""
    from leakguard.validators.credentials import _bech32_polymod

    hrp = "age-secret-key-"
    data = [rng.randrange(32) for _ in range(52)]
    expanded = [ord(ch) >> 5 for ch in hrp] + [0] + [ord(ch) & 31 for ch in hrp]
    polymod = _bech32_polymod([*expanded, *data, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return (hrp + "1" + "".join(BECH32[d] for d in data + checksum)).upper()


@generator("discord-bot-token")
def discord_bot_token(rng: random.Random, _: str) -> str:
    """base64(user id) . 6 timestamp characters . 38 HMAC characters."""
    user_id = str(rng.randint(10**17, 10**19 - 1))
    first = _b64url(user_id.encode())
    return f"{first}.{_random(rng, 'base64url', 6)}.{_random(rng, 'base64url', 38)}"


@generator("onepassword-service-account")
def onepassword_service_account(rng: random.Random, _: str) -> str:
    document = {
        "signInAddress": "my.1password.eu",
        "userAuth": {"method": "SRPg-4096", "alg": "PBES2g-HS256", "iterations": 650000},
        "email": f"{_random(rng, 'lower', 12)}@1passwordserviceaccounts.eu",
        "srpX": _random(rng, "hex", 64),
        "muk": {"alg": "A256GCM", "k": _random(rng, "base64url", 43), "kty": "oct"},
        "secretKey": f"A3-{_random(rng, 'uppernum', 6)}-{_random(rng, 'uppernum', 6)}",
        "deviceUuid": _random(rng, "lowernum", 26),
    }
    return "ops_" + _b64url(json.dumps(document, separators=(",", ":")).encode())


@generator("sentry-org-token")
def sentry_org_token(rng: random.Random, _: str) -> str:
    document = {
        "iat": 1700000000.0,
        "url": "https://sentry.io",
        "region_url": "https://de.sentry.io",
        "org": _random(rng, "lower", 10),
    }
    encoded = base64.b64encode(json.dumps(document, separators=(",", ":")).encode()).decode()
    return f"sntrys_{encoded.rstrip('=')}_{_random(rng, 'base64', 43)}"


@generator("url-quote")
def url_quote(rng: random.Random, argument: str) -> str:
    """Another generator's value, percent-encoded where a URL requires it."""
    return urllib.parse.quote(_inner(rng, argument), safe="")


# Dutch personal data (BSN, IBAN, phone, ...) registers its own generators.
from leakguard.pii import example_values as _pii_examples  # noqa: E402, F401
