"""A Dutch detector's definition, and the score its Presidio recognizer gives a value.

Each detector is defined once, without Presidio (`DutchPatterns` subclasses in bsn.py, iban.py,
...): its entity, its patterns with their base scores, its check and its context words.
`leakguard.pii.presidio_base` makes a Presidio `PatternRecognizer` of a definition;
`pattern_results` and `settled_score` here give the scores that recognizer gives, so that the
cheap stage can settle a value without importing Presidio (and spaCy: 1.5-3 s per process).

What the two share and where they could differ:

- pattern scores: Presidio's rules exactly (every pattern matched in the text, a check that
  settles gives 1.0, a failed check no result; the best result over the value counts);
- context: a value that reaches this stage with context that leakguard found (a key, column,
  word or record) is passed to Presidio with that context, which lifts its score once by
  `CONTEXT_FACTOR` to at least `MIN_WITH_CONTEXT`; Presidio's own search of the words around
  the value cannot lift it further, so the settled score is Presidio's;
- a value without such context: Presidio may still find one of its context words near the
  value and lift the score. `needs_presidio` says when that could change the verdict (the
  pattern score is below the rule's minimum and a lift would reach it); only those values go
  to Presidio. Elsewhere the settled score is the pattern score.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from functools import cache
from typing import Any, ClassVar

# Context raises a pattern's score by this much, to at least MIN_WITH_CONTEXT: one key, column
# or word is enough to lift a checksum-valid value over the default `min_score` of 0.5.
CONTEXT_FACTOR = 0.45
MIN_WITH_CONTEXT = 0.5
MAX_SCORE = 1.0
# Passed as context when the value sits in a record with other personal fields (name, date of
# birth, address): every recognizer that accepts that as context lists this word.
RECORD_CONTEXT = "persoonsgegevens"

Result = tuple[int, int, float]  # start, end, score


class DutchPatterns:
    """The definition of one Dutch detector (subclasses set the class attributes).

    `validate_result` returns False when the value fails its check (no result) and None when it
    passes but the check alone does not make the value personal data (a 9-digit number that
    passes the 11-proef): its pattern score stays low, and only context lifts it over the
    rule's `min_score`. True (score 1.0) is for checks that do settle it, such as an IBAN's
    mod 97 with a known Dutch bank.
    """

    ENTITY: ClassVar[str]
    # (name, regex, base score)
    PATTERNS: ClassVar[tuple[tuple[str, str, float], ...]]
    # Dutch (and English) words that, near a match, make it this entity.
    CONTEXT: ClassVar[tuple[str, ...]]
    # Case matters for names and codes; Presidio's default flags ignore case. (Flags of `re`:
    # `regex`, Presidio's engine, has the same values and is imported only to match.)
    FLAGS: ClassVar[int] = re.MULTILINE

    def validate_result(self, pattern_text: str) -> bool | None:
        return None

    @classmethod
    def context_words(cls, extra: Sequence[str] = ()) -> list[str]:
        """The words its Presidio recognizer takes as context (each once, in order)."""
        return list(dict.fromkeys([*cls.CONTEXT, *extra, RECORD_CONTEXT]))


def definition(spec: str) -> type[DutchPatterns]:
    """The definition that `module:Class` names (`leakguard.pii.bsn:NlBsnRecognizer`)."""
    module_name, _, class_name = spec.partition(":")
    found = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(found, type) and issubclass(found, DutchPatterns)):
        raise TypeError(f"{spec} is not a Dutch detector definition")
    return found


@cache
def _compiled(definition: type[DutchPatterns]) -> tuple[tuple[Any, float], ...]:
    import regex

    return tuple(
        (regex.compile(pattern, flags=definition.FLAGS), score)
        for _, pattern, score in definition.PATTERNS
    )


@cache
def _instance(definition: type[DutchPatterns]) -> DutchPatterns:
    return definition()


def pattern_results(definition: type[DutchPatterns], text: str) -> list[Result]:
    """Every match of the definition's patterns in `text` with the score Presidio's
    `PatternRecognizer` gives it before context (matches that fail the check left out)."""
    check = _instance(definition).validate_result
    found: list[Result] = []
    for compiled, base in _compiled(definition):
        for match in compiled.finditer(text):
            start, end = match.span()
            if start == end:
                continue
            verdict = check(text[start:end])
            score = base if verdict is None else (MAX_SCORE if verdict else 0.0)
            if score > 0:
                found.append((start, end, score))
    return found


def lifted(score: float) -> float:
    """A score after context: Presidio's context enhancer, applied once."""
    return min(MAX_SCORE, max(score + CONTEXT_FACTOR, MIN_WITH_CONTEXT))


def pattern_score(definition: type[DutchPatterns], text: str, start: int, end: int) -> float:
    """The best pattern score over text[start:end] (0.0: no pattern matches it)."""
    return max(
        (score for a, b, score in pattern_results(definition, text) if a < end and start < b),
        default=0.0,
    )


def settled_score(score: float, has_context: bool) -> float:
    """The score of a value whose pattern score is `score`, with or without passed context."""
    return lifted(score) if has_context and score > 0 else score


def needs_presidio(score: float, has_context: bool, min_score: float) -> bool:
    """Whether Presidio's own search for context words could change the verdict on a value:
    it has no context from leakguard, its pattern score is below the minimum, and a lift by
    context would reach it."""
    return not has_context and 0 < score < min_score <= lifted(score)
