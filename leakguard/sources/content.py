"""From raw bytes to scannable text: binary detection, UTF-16, and windows over large content.

Content is scanned as UTF-8 bytes. UTF-16 (with a byte-order mark) is transcoded first; other
text is scanned as it is (Latin-1 decodes line by line when a match is confirmed). Content larger
than one window is scanned window by window, each overlapping the previous one by a tail, so that
memory stays bounded and a multi-line secret across a window edge is still seen whole.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

SNIFF = 8000  # bytes git itself looks at to call a file binary
WINDOW = 8 * 1024 * 1024
OVERLAP = 64 * 1024

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class Piece:
    """A window of text: its bytes and the number of lines before it in the whole content."""

    data: bytes
    line_offset: int


def sniff_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark announces, else None (bytes are scanned as they are)."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
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
    buffer = bytearray()
    line_offset = 0
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= window + OVERLAP:
            cut = _cut_point(buffer, window)
            piece = bytes(buffer[:cut])
            yield Piece(piece, line_offset)
            # Carry the last OVERLAP bytes (from a line start) into the next window.
            carry = _line_start_at_or_after(buffer, max(0, cut - OVERLAP), cut)
            line_offset += piece.count(b"\n", 0, carry)
            del buffer[:carry]
    if buffer or line_offset == 0:
        yield Piece(bytes(buffer), line_offset)


def _cut_point(buffer: bytearray, window: int) -> int:
    """End of the window: after the last newline before `window`, or at `window` in a long line."""
    newline = buffer.rfind(b"\n", 0, window)
    return newline + 1 if newline > window // 2 else window


def _line_start_at_or_after(buffer: bytearray, position: int, limit: int) -> int:
    if position == 0:
        return 0
    newline = buffer.find(b"\n", position - 1, limit)
    return newline + 1 if newline != -1 else position
