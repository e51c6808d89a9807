"""Text from a scanned repository, made safe to print.

File names and author names come from the repository under scan. A name with a newline could
forge an extra output line, an ANSI escape could recolour or hide one, and `[red]` would be
rich markup. Everything from a repository passes through `printable` before it reaches a
terminal.
"""

from __future__ import annotations

import re

# C0 and C1 controls (newline, ESC, CSI), line and paragraph separators, bidirectional marks,
# embeddings, overrides and isolates, invisible format characters (zero width, BOM) that can
# hide text, and lone surrogates (a name that was not UTF-8).
CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept as a surrogate escape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Control, bidirectional and invisible characters shown as escapes; nothing else changes."""
    return CONTROL.sub(_escape, text)
