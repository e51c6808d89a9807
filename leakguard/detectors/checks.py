"""Checks every credential value passes: enough randomness, and not a placeholder."""

from __future__ import annotations

import math
import re
from collections import Counter

# Values that documentation, templates and tests put where a secret goes.
PLACEHOLDER_WORDS = (
    "example",
    "sample",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "your_",
    "your-",
    "yourpassword",
    "yourtoken",
    "insert",
    "redacted",
    "dummy",
    "fake",
    "notasecret",
    "not_a_secret",
    "secretkey",
    "mysecret",
    "mypassword",
    "password123",
    "hunter2",
    "foobar",
    "lorem",
    "replace",
    "todo",
    "fixme",
    "xxxx",
    "****",
    "....",
    "----",
    "____",
    "0000000",
    "1234567",
    "abcdefg",
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
    | \b(?:os\.environ|process\.env|getenv|env\(|ENV\[|System\.getenv|secrets\.)
    """,
    re.VERBOSE | re.IGNORECASE,
)


def shannon_entropy(value: str) -> float:
    """Bits per character of the value's character distribution."""
    if not value:
        return 0.0
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def is_placeholder(value: str) -> bool:
    """True for template variables, documentation examples and filler."""
    if TEMPLATE_SYNTAX.search(value):
        return True
    lowered = value.lower()
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return True
    # One character repeated, or a run through the alphabet: filler, not a key.
    return len(set(lowered)) <= 2 and len(value) >= 4
