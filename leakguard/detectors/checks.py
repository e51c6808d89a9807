"""Checks every credential value passes: enough randomness, and not a placeholder.

`is_placeholder` must recognise what documentation, templates and tests put where a secret
goes (`<your-token>`, `${API_KEY}`, `changeme`, `sk_live_xxxxxxxx`, `...EXAMPLE`) and must never
call a real random token a placeholder. Random tokens contain short words by chance (`fake`
turns up in about one random 40-character base62 string in 200,000 when case is ignored), so a
word counts only:

- in one case (`example`, `EXAMPLE`, `Example`: random mixed case like `eXaMpLe` does not), and
- when it has at least six letters, or starts or ends the value or touches a separator (`_`,
  `-`, `.`, `/`, ...): `fake_token`, `your-key-here`, but not `aB3fakeQ`.

Filler is a run of six identical characters (other than `A`, which base64 writes for zero
bytes: an OpenSSH key body is full of them), a straight run through the alphabet or the digits,
an ellipsis, a mask of stars, or a value of at most two distinct characters.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

from leakguard.models import Candidate

# Words that mark documentation, templates and test values. Six letters or more: counted
# anywhere in one case. Shorter: counted at a boundary (see module docstring).
PLACEHOLDER_WORDS = (
    "example",
    "examplekey",
    "sample",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "changethis",
    "replaceme",
    "replace",
    "yourpassword",
    "yourtoken",
    "yoursecret",
    "yourkey",
    "insert",
    "redacted",
    "notasecret",
    "notsecret",
    "secretkey",
    "mysecret",
    "mypassword",
    "password123",
    "hunter2",
    "foobar",
    "lorem",
    "ipsum",
    "dummy",
    "fake",
    "todo",
    "fixme",
    "your",
    "mock",
    "bogus",
    "invalid",
    "masked",
)
SHORT_WORD = 6

# Example values that specifications and vendor documentation print, copied into code and docs
# everywhere (RFC 6749's access, refresh and client credentials, among others).
DOCUMENTED_EXAMPLES = frozenset(
    {
        "2YotnFZFEjr1zCsicMWpAA",
        "tGzv3JOkF0XG5Qx2TlKWIA",
        "SplxlOBeZQQYbYS6WxSbIA",
        "czZCaGRSa3F0MzpnWDFmQmF0M2JW",
        "gX1fBat3bV",
        "mF_9.B5f-4.1JqM",
        "8xLOxBtZp8",
    }
)

TEMPLATE_SYNTAX = re.compile(
    r"""
      \$\{[^}]*\}            # ${VAR}
    | \$\(.*\)               # $(command)
    | \{\{.*\}\}             # {{ template }}
    | \{%.*%\}               # {% jinja %}
    | <[^<>\s]{1,60}>        # <your-token>
    | %\([a-z_]+\)s          # %(name)s
    | %[sd]\b                # printf
    | ^\$[A-Z_][A-Z0-9_]*$   # $VAR
    | ^%[A-Z_]+%$            # %VAR%
    | ^@[a-z_.]+@$           # @maven.token@
    | ^\{[A-Za-z_][\w-]*\}$  # {placeholder}
    | \{\d+\}               # {0}: a format argument
    | ^\[[A-Za-z_ ][\w -]*\]$  # [placeholder]
    | \b(?:os\.environ|process\.env|getenv|env\(|ENV\[|System\.getenv|secrets\.)
    """,
    re.VERBOSE | re.IGNORECASE,
)

FILLER = re.compile(
    r"""
      ([^A])\1{5,}                    # six identical characters (not A: zero bits in base64)
    | \.\.\.|…                        # an ellipsis: an elided value
    | \*{3,}                          # a mask
    | qwerty|QWERTY
    """,
    re.VERBOSE,
)

# Seven characters straight through the alphabet or the digits, in any case: `abcdefg`,
# `RstUvwx`, `3456789`. A random base62 string holds one with a chance of about 1 in 900
# million per position; a hex string (letters a-f only) never through the letters.
_SEQUENCES = "abcdefghijklmnopqrstuvwxyz", "0123456789", "9876543210"
STRAIGHT = 7
STRAIGHT_RUNS = frozenset(
    seq[i : i + STRAIGHT] for seq in _SEQUENCES for i in range(len(seq) - STRAIGHT + 1)
)

PEM_ARMOR = re.compile(r"-{4,5} ?(?:BEGIN|END) [A-Z0-9 ]+?-{4,5}")


def shannon_entropy(value: str) -> float:
    """Bits per character of the value's character distribution."""
    if not value:
        return 0.0
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _word_pattern(word: str) -> re.Pattern[str]:
    lower = re.escape(word)
    forms = {lower, re.escape(word.upper()), re.escape(word.capitalize())}
    return re.compile("|".join(sorted(forms, key=len, reverse=True)))


@cache
def _words() -> tuple[tuple[str, re.Pattern[str]], ...]:
    # Compiled on the first candidate: a pre-commit run with none need not pay for them.
    return tuple((word, _word_pattern(word)) for word in PLACEHOLDER_WORDS)


def _at_boundary(value: str, start: int, end: int) -> bool:
    """Whether the word at value[start:end] starts or ends the value or touches a separator."""
    return (
        start == 0
        or end == len(value)
        or not value[start - 1].isalnum()
        or not value[end].isalnum()
    )


def _has_placeholder_word(value: str) -> bool:
    for word, pattern in _words():
        for match in pattern.finditer(value):
            if len(word) >= SHORT_WORD or _at_boundary(value, match.start(), match.end()):
                return True
    return False


def _straight_run(value: str) -> bool:
    lowered = value.lower()
    return any(
        lowered[i : i + STRAIGHT] in STRAIGHT_RUNS for i in range(len(lowered) - STRAIGHT + 1)
    )


def is_placeholder(value: str) -> bool:
    """True for template variables, documentation examples and filler."""
    if value in DOCUMENTED_EXAMPLES or TEMPLATE_SYNTAX.search(value):
        return True
    # A PEM block is judged by its body: the armor lines are dashes and capitals.
    value = PEM_ARMOR.sub("\n", value)
    if _has_placeholder_word(value) or FILLER.search(value) or _straight_run(value):
        return True
    stripped = value.strip()
    return len(stripped) >= 4 and len(set(stripped.lower())) <= 2


GENERIC_PROVIDER = "Generic"


def drop_shadowed(candidates: list[Candidate], generic_ids: frozenset[str]) -> list[Candidate]:
    """Without the generic findings (`password = ...`, `token: ...`, a password in a URL) whose
    span overlaps a finding of a specific rule: `GITHUB_TOKEN=ghp_...` is one GitHub token, not
    also a generic token."""
    if len(candidates) < 2 or not generic_ids:
        return candidates
    specific = [c for c in candidates if c.rule_id not in generic_ids]
    if not specific:
        return candidates
    return [c for c in candidates if c.rule_id not in generic_ids or not _overlaps(c, specific)]


def _overlaps(candidate: Candidate, others: Sequence[Candidate]) -> bool:
    start = (candidate.line, candidate.column)
    end = (candidate.end_line, candidate.end_column)
    return any(
        (other.line, other.column) < end and start < (other.end_line, other.end_column)
        for other in others
    )
