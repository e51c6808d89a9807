"""Secrets hidden in an encoding: base64 (standard and url-safe), hex and percent-encoding.

A Kubernetes Secret, a Docker `auth` field, a CI variable or a test fixture often holds a token
base64-encoded, where no rule keyword is visible. `decoded_candidates` finds encoded runs in a
fragment, decodes the few that can hold text, runs the detector on the decoded bytes (which may
decode again, to `MAX_DEPTH` levels) and reports what it finds at the line and column of the
encoded run, with a reason such as `base64-decoded`.

Most long base64 and hex runs are not encoded text: integrity hashes in lock files, digests,
key bodies, embedded images. The checks are ordered so those cost little:

1. a run must be long enough (`MIN_BASE64`, `MIN_HEX` characters) and at most `MAX_RUN`;
2. a run that lies inside a value the plain scan already reported (a part of a JWT, a
   provider token that happens to use the base64url alphabet) is skipped;
3. a run labelled as an integrity hash (`sha512-...`, `sha256:...`, `"integrity": "...`) is
   skipped without decoding a byte;
4. only the first few bytes are decoded first (`PEEK`): unless they are printable text, the
   run is dropped (a random digest passes with a chance of about 1 in 100,000);
5. whole runs are decoded only while the fragment's budget (`MAX_DECODED_BYTES`) lasts.
"""

from __future__ import annotations

import base64
import binascii
import re
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from leakguard.detectors.text import decode
from leakguard.models import Candidate, Fragment

if TYPE_CHECKING:
    from leakguard.detectors.engine import Detector

MIN_BASE64 = 32  # characters: 24 decoded bytes, the shortest token worth finding encoded
MIN_HEX = 40  # characters: 20 decoded bytes
MIN_PERCENT_ESCAPES = 3
MIN_PERCENT_RUN = 16
MAX_RUN = 64 * 1024  # longer runs are embedded files, not encoded credentials
MAX_DECODED_BYTES = 256 * 1024  # per fragment and level
MAX_DEPTH = 2  # levels of decoding: base64 inside base64 is found, deeper is not
PEEK = 16  # characters decoded first to judge a run

BASE64_RUN = re.compile(rb"[A-Za-z0-9+/_-]{%d,}={0,2}" % MIN_BASE64)
PERCENT_RUN = re.compile(rb"[A-Za-z0-9._~+!*'();:@&=$,/?#\[\]%-]*%[0-9A-Fa-f]{2}[^\s\"'<>`]*")
PERCENT_ESCAPE = re.compile(rb"%[0-9A-Fa-f]{2}")
HEX = re.compile(rb"[0-9A-Fa-f]+")
HASH_PREFIX = re.compile(rb"(?:sha(?:1|224|256|384|512)|md5|blake2b?)-", re.I)
HASH_LABEL = re.compile(
    rb"(?:sha(?:1|224|256|384|512)|md5|blake2b?|integrity|digest|checksum|hash)"
    rb"[\"']?[-:= ]{1,3}[\"']?$",
    re.I,
)
PRINTABLE = frozenset(b"\t\n\r" + bytes(range(0x20, 0x7F)))


@dataclass(frozen=True, slots=True)
class EncodedRun:
    start: int  # byte offsets of the encoded text in the fragment
    end: int
    encoding: str  # "base64", "hex" or "percent"
    decoded: bytes


def encoded_runs(
    data: bytes, found: Sequence[str] = (), budget: int = MAX_DECODED_BYTES
) -> Iterator[EncodedRun]:
    """Encoded runs of `data` that decode to text, in file order.

    `found` holds the values the plain scan reported: a run that is a proper part of one is
    left alone (a run equal to one, such as a Kubernetes `data:` value, is still decoded: the
    token inside may be more telling than the blob).
    """
    for match in BASE64_RUN.finditer(data):
        if budget <= 0:
            return
        start, end = match.span()
        run = match.group()
        if end - start > MAX_RUN or HASH_PREFIX.match(run):
            continue
        if HASH_LABEL.search(data, max(0, start - 16), start) or _inside(run, found):
            continue
        decoded = _decode_hex(run) if _is_hex(run) else _decode_base64(run)
        if decoded is None:
            continue
        budget -= len(decoded)
        yield EncodedRun(start, end, "hex" if _is_hex(run) else "base64", decoded)
    if data.count(b"%") < MIN_PERCENT_ESCAPES:
        return
    for match in PERCENT_RUN.finditer(data):
        if budget <= 0:
            return
        run = match.group()
        if len(run) < MIN_PERCENT_RUN or len(run) > MAX_RUN:
            continue
        if len(PERCENT_ESCAPE.findall(run)) < MIN_PERCENT_ESCAPES:
            continue
        decoded = urllib.parse.unquote_to_bytes(run)
        if not _printable(decoded):
            continue
        budget -= len(decoded)
        yield EncodedRun(match.start(), match.end(), "percent", decoded)


def decoded_candidates(
    detector: Detector, fragment: Fragment, plain: Sequence[Candidate], depth: int
) -> list[Candidate]:
    """Candidates found in the encoded runs of `fragment`, located at the runs.

    `plain` are the candidates the plain scan of the same fragment found.
    """
    if depth >= MAX_DEPTH:
        return []
    data = fragment.data
    values = [candidate.value for candidate in plain]
    found: list[Candidate] = []
    for run in encoded_runs(data, values):
        inner = Fragment(run.decoded, fragment.path, fragment.origin, fragment.commit)
        detection = detector.detect(inner, depth=depth + 1)
        if not detection.candidates:
            continue
        line, column, line_start = _position(fragment, run.start)
        end_line, end_column, _ = _position(fragment, run.end)
        line_text = decode(data[line_start : _line_end(data, run.start)]).rstrip("\r")
        previous = _previous_line(data, line_start)
        for candidate in detection.candidates:
            found.append(
                replace(
                    candidate,
                    line=line,
                    column=column,
                    end_line=end_line,
                    end_column=end_column,
                    reasons=(*candidate.reasons, f"{run.encoding}-decoded"),
                    line_text=line_text[:4096],
                    previous_line_text=previous[:4096],
                )
            )
    return found


def _inside(run: bytes, found: Sequence[str]) -> bool:
    if not found:
        return False
    text = run.decode("ascii")
    return any(text in value and text != value for value in found)


def _is_hex(run: bytes) -> bool:
    return len(run) >= MIN_HEX and len(run) % 2 == 0 and HEX.fullmatch(run) is not None


def _decode_hex(run: bytes) -> bytes | None:
    try:
        if not _printable(bytes.fromhex(run[:PEEK].decode())):
            return None
        decoded = bytes.fromhex(run.decode())
    except ValueError:
        return None
    return decoded if _printable(decoded) else None


def _decode_base64(run: bytes) -> bytes | None:
    body = run.rstrip(b"=")
    urlsafe = b"-" in body or b"_" in body
    if urlsafe and (b"+" in body or b"/" in body):
        return None  # two alphabets: not one base64 value
    if len(body) % 4 == 1:
        body = body[:-1]
    try:
        peek = _b64(body[:PEEK], urlsafe)
        if not _printable(peek):
            return None
        decoded = _b64(body, urlsafe)
    except (ValueError, binascii.Error):
        return None
    return decoded if len(decoded) >= MIN_BASE64 * 3 // 4 - 2 and _printable(decoded) else None


def _b64(body: bytes, urlsafe: bool) -> bytes:
    padded = body + b"=" * (-len(body) % 4)
    if urlsafe:
        return base64.urlsafe_b64decode(padded)
    return base64.b64decode(padded, validate=True)


def _printable(decoded: bytes) -> bool:
    """Text: at most 1 in 20 bytes outside printable ASCII, and never a NUL."""
    if not decoded or b"\x00" in decoded:
        return False
    outside = sum(1 for byte in decoded if byte not in PRINTABLE)
    return outside * 20 <= len(decoded)


def _position(fragment: Fragment, offset: int) -> tuple[int, int, int]:
    """(line, column, start of that line) of byte `offset` in the real file."""
    data = fragment.data
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = fragment.line_offset + data.count(b"\n", 0, offset) + 1
    return line, len(decode(data[line_start:offset])) + 1, line_start


def _line_end(data: bytes, offset: int) -> int:
    end = data.find(b"\n", offset)
    return len(data) if end == -1 else end


def _previous_line(data: bytes, line_start: int) -> str:
    if line_start == 0:
        return ""
    start = data.rfind(b"\n", 0, line_start - 1) + 1
    return decode(data[start : line_start - 1]).rstrip("\r")
