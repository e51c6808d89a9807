"""Text from a scanned repository, made safe to print.

File names and author names come from the repository under scan. A name with a newline could
forge an extra output line, an ANSI escape could recolour or hide one, and `[red]` would be
rich markup. Everything from a repository passes through `printable` before it reaches a
terminal.
"""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Control and bidirectional-override characters shown as escapes; nothing else changes."""
    return CONTROL.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )
