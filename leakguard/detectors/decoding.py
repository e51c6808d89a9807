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

In a history, a file's next version is searched for runs only in the lines its last version
did not hold, when no run of that version decoded to text (`PreviousVersions.decodes_nothing`):
finding the runs of every version whole was most of this module's cost.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import re
import urllib.parse
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

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
REMEMBERED_RUN_BYTES = 4 << 20  # what `RunDecodings` may hold, then it starts again
RUN_ENTRY_BYTES = 150  # a dictionary slot, a tuple and the bytes objects' headers

PERCENT_ESCAPE = re.compile(rb"%[0-9A-Fa-f]{2}")
HEX = re.compile(rb"[0-9A-Fa-f]+")
HASH_PREFIX = re.compile(rb"(?:sha(?:1|224|256|384|512)|md5|blake2b?)-", re.I)
HASH_LABEL = re.compile(
    rb"(?:sha(?:1|224|256|384|512)|md5|blake2b?|integrity|digest|checksum|hash)"
    rb"[\"']?[-:= ]{1,3}[\"']?$",
    re.I,
)
LABEL_END = frozenset(b"-:= \"'")
# The first base64 character of every 3-byte group holds the top 6 bits of a byte: for
# printable ASCII (0x20-0x7E) that character is one of these.
TEXT_LEADS = frozenset(b"IJKLMNOPQRSTUVWXYZabcdef")
PRINTABLE = b"\t\n\r" + bytes(range(0x20, 0x7F))


class EncodedRun(NamedTuple):
    start: int  # byte offsets of the encoded text in the fragment
    end: int
    encoding: str  # "base64", "hex" or "percent"
    decoded: bytes


class RunDecodings:
    """What each base64 or hex run decodes to, remembered, bounded in bytes (one per process).

    A history holds the same runs in every version of a file: each of composer.lock's 102
    versions in Amsterdam/schulddossier holds some 800 (commit hashes in URLs): finding and
    judging them took 6.1 ms a version, finding them alone 1.9 ms, and with what they decode to
    remembered 2.1 ms. What is remembered is what the run
    alone decides (its length, a hash prefix, text or not); what its place decides (a hash
    label before it, a value the plain scan found around it) is asked each time.
    """

    def __init__(self, limit: int = REMEMBERED_RUN_BYTES) -> None:
        self._limit = limit
        self._size = 0
        self._known: dict[bytes, tuple[str, bytes] | None] = {}

    @property
    def size(self) -> int:
        """Bytes held, as counted."""
        return self._size

    def decoded(self, run: bytes) -> tuple[str, bytes] | None:
        """(encoding, text) of a run that decodes to text, else None."""
        known = self._known.get(run, False)
        if known is not False:
            return known
        found = _decoded(run)
        if len(run) <= MAX_RUN:  # a longer one is refused at once: not worth its room
            if self._size > self._limit:
                self._known.clear()
                self._size = 0
            self._known[run] = found
            self._size += RUN_ENTRY_BYTES + len(run) + (len(found[1]) if found else 0)
        return found


def _decoded(run: bytes) -> tuple[str, bytes] | None:
    if len(run) > MAX_RUN or HASH_PREFIX.match(run):
        return None
    hex_run = _is_hex(run)
    if not hex_run and not _may_be_text(run):
        return None
    decoded = _decode_hex(run) if hex_run else _decode_base64(run)
    if decoded is None:
        return None
    return ("hex" if hex_run else "base64"), decoded


Parts = tuple[tuple[int, int], ...]  # (start, end) of stretches of whole lines of a fragment


def text_runs(
    data: bytes, within: Parts | None = None, decodings: RunDecodings | None = None
) -> Iterator[EncodedRun]:
    """The runs of `data` (or of its whole-line parts `within`) that decode to text, whatever
    their place: base64 and hex runs in file order, then percent-encoded ones. What a run
    decodes to is what its bytes alone decide; no run holds a line end."""
    parts = ((0, len(data)),) if within is None else within
    decode_run = _decoded if decodings is None else decodings.decoded
    for low, high in parts:
        for start, end in _base64_runs(data, low, high):
            known = decode_run(data[start:end])
            if known is not None:
                yield EncodedRun(start, end, *known)
    for low, high in parts:
        if data.count(b"%", low, high) < MIN_PERCENT_ESCAPES:
            continue
        for start, end in _percent_runs(data, low, high):
            decoded = urllib.parse.unquote_to_bytes(data[start:end])
            if _printable(decoded):
                yield EncodedRun(start, end, "percent", decoded)


def encoded_runs(
    data: bytes,
    found: Sequence[str] = (),
    budget: int = MAX_DECODED_BYTES,
    decodings: RunDecodings | None = None,
) -> Iterator[EncodedRun]:
    """Encoded runs of `data` that decode to text, in file order.

    `found` holds the values the plain scan reported: a run that is a proper part of one is
    left alone (a run equal to one, such as a Kubernetes `data:` value, is still decoded: the
    token inside may be more telling than the blob).
    """
    return _placed(data, text_runs(data, decodings=decodings), found, budget)


def _placed(
    data: bytes, runs: Iterator[EncodedRun], found: Sequence[str], budget: int
) -> Iterator[EncodedRun]:
    """The runs their place leaves to decode (no hash label before one, no value found around
    it), while the budget lasts: none is decoded once it is spent."""
    while budget > 0:
        run = next(runs, None)
        if run is None:
            return
        if run.encoding != "percent":
            start = run.start
            if (
                start
                and data[start - 1] in LABEL_END
                and HASH_LABEL.search(data, start - 16, start)
            ):
                continue
            if _inside(data[start : run.end], found):
                continue
        budget -= len(run.decoded)
        yield run


# Byte classes as translation tables, so that runs are found with bytes.find (C speed) rather
# than a regex tried at every position.
_B64_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-"
_B64_CLASS = bytes(0x61 if byte in _B64_CHARS else 0x20 for byte in range(256))
_URL_CHARS = _B64_CHARS + b"%.~!*'();:@&=$,?#[]"
_URL_CLASS = bytes(0x75 if byte in _URL_CHARS else 0x20 for byte in range(256))


def _base64_runs(data: bytes, low: int = 0, high: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of every run of at least `MIN_BASE64` base64 characters, with up to two
    `=` of padding, in data[low:high]."""
    part = _part(data, low, high)
    classes = part.translate(_B64_CLASS)
    needle = b"a" * MIN_BASE64
    position = classes.find(needle)
    while position != -1:
        end = classes.find(b" ", position)
        if end == -1:
            end = len(part)
        stop = end
        while stop < len(part) and stop - end < 2 and part[stop] == 0x3D:  # "="
            stop += 1
        yield low + position, low + stop
        position = classes.find(needle, end)


def _percent_runs(data: bytes, low: int = 0, high: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of URL-like runs holding at least `MIN_PERCENT_ESCAPES` escapes, in
    data[low:high]."""
    part = _part(data, low, high)
    classes = part.translate(_URL_CLASS)
    done = 0
    for match in PERCENT_ESCAPE.finditer(part):
        if match.start() < done:
            continue
        start = classes.rfind(b" ", 0, match.start()) + 1
        end = classes.find(b" ", match.start())
        if end == -1:
            end = len(part)
        done = end
        if not MIN_PERCENT_RUN <= end - start <= MAX_RUN:
            continue
        if len(PERCENT_ESCAPE.findall(part, start, end)) >= MIN_PERCENT_ESCAPES:
            yield low + start, low + end


def _part(data: bytes, low: int, high: int | None) -> bytes:
    if low == 0 and (high is None or high == len(data)):
        return data
    return data[low:high]


class Decoded(NamedTuple):
    candidates: list[Candidate]
    text_found: bool  # a run decoded to text, whether or not its place or the budget let it be


def decoded_candidates(
    detector: Detector,
    fragment: Fragment,
    plain: Sequence[Candidate],
    depth: int,
    decodings: RunDecodings | None = None,
    within: Parts | None = None,
) -> Decoded:
    """Candidates found in the encoded runs of `fragment` (or of its whole-line parts
    `within`: the other lines hold no run that decodes to text), located at the runs.

    `plain` are the candidates the plain scan of the same fragment found.
    """
    if depth >= MAX_DEPTH:
        return Decoded([], text_found=False)
    data = fragment.data
    texts = text_runs(data, within, decodings)
    first = next(texts, None)
    if first is None:
        return Decoded([], text_found=False)
    values = [candidate.value for candidate in plain]
    known = {(candidate.rule_id, candidate.value) for candidate in plain}
    found: list[Candidate] = []
    runs = itertools.chain([first], texts)
    for run in _placed(data, runs, values, MAX_DECODED_BYTES):
        inner = Fragment(run.decoded, fragment.path, fragment.origin, fragment.commit)
        detection = detector.detect(inner, depth=depth + 1)
        if not detection.candidates:
            continue
        line, column, line_start = _position(fragment, run.start)
        end_line, end_column, _ = _position(fragment, run.end)
        line_text = decode(data[line_start : _line_end(data, run.start)]).rstrip("\r")
        previous = _previous_line(data, line_start)
        for candidate in detection.candidates:
            if (candidate.rule_id, candidate.value) in known:
                continue  # the plain scan reported it already (a key left readable in a URL)
            found.append(
                candidate._replace(
                    line=line,
                    column=column,
                    end_line=end_line,
                    end_column=end_column,
                    reasons=(*candidate.reasons, f"{run.encoding}-decoded"),
                    line_text=line_text[:4096],
                    previous_line_text=previous[:4096],
                )
            )
    return Decoded(found, text_found=True)


def _inside(run: bytes, found: Sequence[str]) -> bool:
    if not found:
        return False
    text = run.decode("ascii")
    return any(text in value and text != value for value in found)


def _may_be_text(run: bytes) -> bool:
    """Cheap test before any decoding: base64 of text has a printable-range lead character at
    every fourth position (an identifier such as `some_long_function_name` does not)."""
    return all(lead in TEXT_LEADS for lead in run[0 : PEEK * 2 : 4])


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
    outside = len(decoded.translate(None, PRINTABLE))  # counted in C, not byte by byte
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
