"""From raw bytes to scannable text: binary detection, UTF-16, and windows over large content.

Content is scanned as UTF-8 bytes. UTF-16 (with a byte-order mark) is transcoded first; other
text is scanned as it is (Latin-1 decodes line by line when a match is confirmed). Content larger
than one window is scanned window by window, each overlapping the previous one by a tail, so that
memory stays bounded and a multi-line secret across a window edge is still seen whole.
"""

from __future__ import annotations

import codecs
import itertools
from collections.abc import Iterable, Iterator
from typing import NamedTuple

SNIFF = 8000  # bytes git itself looks at to call a file binary
WINDOW = 8 * 1024 * 1024
OVERLAP = 64 * 1024

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class Piece(NamedTuple):
    """A window of text: its bytes, the number of lines before it in the whole content, and
    the number of characters of its first line that the previous windows hold (a window that
    starts inside a long line)."""

    data: bytes
    line_offset: int
    column_offset: int = 0


def sniff_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark announces, else None (bytes are scanned as they are).

    A UTF-16 or UTF-32 mark is believed only when NUL bytes follow it: such text always has
    some (every newline, space and digit has a zero byte). Two bytes `FF FE` in front of plain
    text would otherwise turn it into CJK characters, and hide whatever the file holds.
    """
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding if b"\x00" in head[len(bom) : SNIFF] else None
    return None


def looks_binary(head: bytes) -> bool:
    return b"\x00" in head[:SNIFF]


def text_pieces(chunks: Iterable[bytes], window: int = WINDOW) -> Iterator[Piece] | None:
    """The content as overlapping windows of UTF-8 text, or None when it is binary.

    `chunks` is consumed lazily; the first chunk decides text or binary.
    """
    iterator = iter(chunks)
    first = b""
    for chunk in iterator:
        first += chunk
        if len(first) >= SNIFF:
            break
    encoding = sniff_encoding(first)
    if encoding is None and looks_binary(first):
        for _ in iterator:  # drain, so a shared reader stays in step
            pass
        return None
    if encoding is None and first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8) :]  # not a character of the first line
    return _windows(_transcoded(first, iterator, encoding), window)


def _transcoded(first: bytes, rest: Iterator[bytes], encoding: str | None) -> Iterator[bytes]:
    if encoding is None:
        yield first
        yield from rest
        return
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(first)
    yield text.lstrip("\ufeff").encode("utf-8")
    for chunk in rest:
        yield decoder.decode(chunk).encode("utf-8")
    yield decoder.decode(b"", final=True).encode("utf-8")


def _windows(chunks: Iterator[bytes], window: int) -> Iterator[Piece]:
    # Nearly all content fits one window: hand it on as it came, without copying it.
    head: list[bytes] = []
    size = 0
    for chunk in chunks:
        head.append(chunk)
        size += len(chunk)
        if size >= window + OVERLAP:
            break
    else:
        yield Piece(head[0] if len(head) == 1 else b"".join(head), 0, 0)
        return
    buffer = bytearray()
    line_offset = 0
    column_offset = 0
    for chunk in itertools.chain(head, chunks):
        buffer += chunk
        while len(buffer) >= window + OVERLAP:
            cut = _cut_point(buffer, window)
            piece = bytes(buffer[:cut])
            yield Piece(piece, line_offset, column_offset)
            # Carry the last OVERLAP bytes (from a line start) into the next window.
            carry = _line_start_at_or_after(buffer, max(0, cut - OVERLAP), cut)
            newlines = piece.count(b"\n", 0, carry)
            line_start = piece.rfind(b"\n", 0, carry) + 1
            column_offset = (column_offset if newlines == 0 else 0) + characters(
                piece[line_start:carry]
            )
            line_offset += newlines
            del buffer[:carry]
    if buffer or line_offset == 0:
        yield Piece(bytes(buffer), line_offset, column_offset)


CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


def characters(data: bytes) -> int:
    """How many characters `data` holds: UTF-8 continuation bytes are not characters (exact for
    UTF-8; for Latin-1 text it may count a few too few)."""
    if data.isascii():
        return len(data)
    return len(data.translate(None, CONTINUATION_BYTES))


def _cut_point(buffer: bytearray, window: int) -> int:
    """End of the window: after the last newline before `window`, or at `window` in a long line."""
    newline = buffer.rfind(b"\n", 0, window)
    return newline + 1 if newline > window // 2 else window


def _line_start_at_or_after(buffer: bytearray, position: int, limit: int) -> int:
    if position == 0:
        return 0
    newline = buffer.find(b"\n", position - 1, limit)
    return newline + 1 if newline != -1 else position
