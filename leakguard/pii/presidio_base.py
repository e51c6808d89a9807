"""The shape every Dutch detector has as a Presidio recognizer: patterns, a check, context words.

Imports presidio_analyzer: only `leakguard.pii.analyzer` imports this module, and only when a
window has passed the cheap checks (presidio_analyzer and spaCy cost ~2.5 s to import).

A recognizer's `validate_result` returns False when the value fails its check (Presidio drops
it) and None when it passes but the check alone does not make the value personal data (a
9-digit number that passes the 11-proef): its pattern score stays low, and only context words
(from the text, or passed in by leakguard from the structure around the value) lift it over the
rule's `min_score`. True (score 1.0) is for checks that do settle it, such as an IBAN's mod 97
with a known Dutch bank.

Class names carry the country, as Presidio's own country recognizers do (`NlBsnRecognizer`):
Presidio looks recognizers up by class name, and a plain `EmailRecognizer` would stand in for
its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import regex
from presidio_analyzer import Pattern, PatternRecognizer

# Passed as context when the value sits in a record with other personal fields (name, date of
# birth, address): every recognizer that accepts that as context lists this word.
RECORD_CONTEXT = "persoonsgegevens"
LANGUAGE = "nl"


class DutchPatternRecognizer(PatternRecognizer):
    ENTITY: ClassVar[str]
    # (name, regex, base score)
    PATTERNS: ClassVar[tuple[tuple[str, str, float], ...]]
    # Dutch (and English) words that, near a match, make it this entity.
    CONTEXT: ClassVar[tuple[str, ...]]
    # Case matters for names and codes; Presidio's default flags ignore case.
    FLAGS: ClassVar[int] = regex.MULTILINE

    def __init__(self, context: Sequence[str] = ()) -> None:
        words = list(dict.fromkeys([*self.CONTEXT, *context, RECORD_CONTEXT]))
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            supported_language=LANGUAGE,
            patterns=[Pattern(name, pattern, score) for name, pattern, score in self.PATTERNS],
            context=words,
            global_regex_flags=self.FLAGS,
        )
