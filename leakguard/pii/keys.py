"""Keys on a line: the field name written before a value, and the keys a record holds."""

from __future__ import annotations

import re

# A separator between a key and its value, with only quotes, spaces and brackets after it.
SEPARATOR = re.compile(r"""(?:=>|:=|==|::|[:=>])[\s"'`(\[{]*$""")
# The key itself: one word before `=` and friends; up to three before a label's colon
# (`Telefoonnummer klant: ...`).
KEY_WORD = re.compile(r"[\w.\-/]+$")
LABEL_WORDS = re.compile(r"[\w.\-/]+(?: [\w.\-/]+){0,2}$")
# Markup tags say nothing about their content.
PLAIN_TAGS = frozenset(
    {"a", "b", "i", "p", "td", "th", "tr", "li", "em", "div", "span", "pre", "code", "strong"}
)
TAG_BEFORE = re.compile(r"<([A-Za-z_][\w:.\-]*)(?:\s[^<>]*)?>\s*$")
ARRAY_BEFORE = re.compile(r"""([\w][\w.\-]{0,60})["']?\s*[:=]\s*[\[(][^\])]*$""")
LINE_KEYS = re.compile(r"""["']?([A-Za-z_][\w.\-]{0,60})["']?\s*(?:=>|:(?!//)|=)""")
# The key a line of a JSON/YAML/ini record starts with (a quoted list item is not a key).
LEADING_KEY = re.compile(
    r"""^\s*(?:-\s+)?(?:"([\w.\-]{1,60})"|'([\w.\-]{1,60})'|([A-Za-z_][\w.\-]{0,60}))\s*(?:=>|:|=)"""
)
OPENS = re.compile(
    r"""["']?([\w][\w .\-]{0,60}?)["']?\s*(?:=>|:|=)\s*[\[{(]?\s*(?:[|>][-+]?)?\s*$"""
)
CODE_BLOCK = re.compile(
    r"\s*[}\]]?\s*(?:if|elif|else|for|while|with|try|except|finally|def|class|return|case|switch"
    r"|async|match|do|catch)\b"
)
# These regexes run on single lines that can be megabytes long (minified files): they only
# ever see a bounded stretch of a line, so that none of them costs more than linear time.
REACH = 160


def key_before(text: str, start: int) -> str | None:
    """The key written right before position `start`: `bsn: `, `"bsn": "`, `bsn=`, `<bsn>`."""
    head = text[max(0, start - 120) : start]
    tag = TAG_BEFORE.search(head)
    if tag is not None:
        name = tag.group(1)
        return None if name.lower() in PLAIN_TAGS else name
    separator = SEPARATOR.search(head)
    if separator is None:
        return None
    before = head[: separator.start()].rstrip(" \t\"'`*]")
    pattern = LABEL_WORDS if separator.group().startswith(":") else KEY_WORD
    match = pattern.search(before)
    return match.group() if match is not None else None


def line_keys(text: str) -> tuple[str, ...]:
    """Every `key:`/`key=` on a line (a log record, a one-line JSON object)."""
    return tuple(match.group(1) for match in LINE_KEYS.finditer(text))


def is_code_block(line: str) -> bool:
    """`def f(x) -> str:`, `if name in seen:`, `} else {`: a block of code opens here, not a
    value's key."""
    return "(" in line or ")" in line or CODE_BLOCK.match(line) is not None


def leading_key(line: str) -> str | None:
    match = LEADING_KEY.match(line)
    return next(group for group in match.groups() if group) if match is not None else None


def array_key(text: str, start: int) -> str | None:
    """The key of the list a value stands in on its line (`"bsns": ["1", "2"]`)."""
    head = text[max(0, start - REACH) : start]
    # The list must still be open: a `[` or `(` after the last `]` or `)`. Most heads have
    # none, and the regex, anchored at the end, tries every position of the head.
    closed = max(head.rfind("]"), head.rfind(")"))
    if head.find("[", closed + 1) == -1 and head.find("(", closed + 1) == -1:
        return None
    match = ARRAY_BEFORE.search(head)
    return match.group(1) if match is not None else None


def opening_key(line: str) -> str | None:
    """The key on a line that opens a nested value, unless the line opens a block of code."""
    if not _may_open(line) or is_code_block(line):
        return None
    match = OPENS.search(line[-REACH:])
    return match.group(1).strip() if match is not None else None


def opens_value(line: str) -> bool:
    """The line is a key whose value follows on the next lines (`geboorte:`, `"adres": {`)."""
    return _may_open(line) and not is_code_block(line) and OPENS.search(line[-REACH:]) is not None


def _may_open(line: str) -> bool:
    # Most lines end otherwise: a string test spares them the regex.
    return line.rstrip()[-1:] in OPENING_ENDS


OPENING_ENDS = frozenset(":{[(=>|-+")


def indent_of(line: str) -> int:
    """Indentation, counting a YAML list marker (`  - key: v`) as indentation of its item."""
    stripped = line.lstrip(" \t")
    while stripped.startswith("- "):
        stripped = stripped[2:].lstrip(" \t")
    return len(line) - len(stripped)
