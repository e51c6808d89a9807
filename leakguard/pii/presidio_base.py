"""Every Dutch detector as a Presidio recognizer: a `PatternRecognizer` made of its definition.

Imports presidio_analyzer: only `leakguard.pii.analyzer` imports this module, and only when a
value needs Presidio (presidio_analyzer and spaCy cost 1.5-3 s to import). The definitions
(`leakguard.pii.scoring.DutchPatterns` subclasses in bsn.py, iban.py, ...) import neither.

Class names carry the country, as Presidio's own country recognizers do (`NlBsnRecognizer`):
Presidio looks recognizers up by class name, and a plain `EmailRecognizer` would stand in for
its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from presidio_analyzer import Pattern, PatternRecognizer

from leakguard.pii.scoring import DutchPatterns

LANGUAGE = "nl"


class DutchPatternRecognizer(PatternRecognizer):
    """The Presidio side of a definition; `presidio_class` puts the definition first in the
    class's bases, so its patterns, words and `validate_result` are the recognizer's."""

    definition: type[DutchPatterns]

    def __init__(self, context: Sequence[str] = ()) -> None:
        definition = self.definition
        patterns = [Pattern(name, pattern, score) for name, pattern, score in definition.PATTERNS]
        super().__init__(
            supported_entity=definition.ENTITY,
            name=type(self).__name__,
            supported_language=LANGUAGE,
            patterns=patterns,
            context=definition.context_words(context),
            global_regex_flags=definition.FLAGS,
        )


@cache
def presidio_class(definition: type[DutchPatterns]) -> Any:
    """The Presidio recognizer class of a definition, with the definition's name."""
    return type(
        definition.__name__,
        (definition, DutchPatternRecognizer),
        {"definition": definition, "__module__": definition.__module__},
    )
