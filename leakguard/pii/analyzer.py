"""Presidio, configured explicitly and offline, built on first use.

- No default registry: each leakguard rule gets an `AnalyzerEngine` whose registry holds only
  its own recognizer(s) (Presidio's predefined ones, English and US formats, never load).
- No default NLP engine: `LeakguardNlpEngine` tokenizes without a model, and runs a spaCy
  pipeline only when one is configured for NER, so no model is downloaded.
- No tldextract: leakguard's NlEmailRecognizer replaces Presidio's (which fetches the public
  suffix list on first use).

Everything Presidio is imported here, lazily: this module is imported by the first value that
needs Presidio (see `leakguard.pii.scoring.needs_presidio`) or by prose with NER, never by a scan
of ordinary code.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from typing import Any

from leakguard.pii.scoring import CONTEXT_FACTOR, MIN_WITH_CONTEXT, definition

# Presidio logs a warning per request for things leakguard does on purpose (entities without a
# recognizer in an engine, context words it cannot find): keep a scan's output clean.
logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)

CONTEXT_WORDS_BEFORE = 6
CONTEXT_WORDS_AFTER = 2


@cache
def nlp_engine(ner_model: str | None = None) -> Any:
    from leakguard.pii.nlp_engine import LeakguardNlpEngine

    if ner_model is None:
        return LeakguardNlpEngine()
    from leakguard.pii.ner import load_model

    return LeakguardNlpEngine(load_model(ner_model))


def presidio_recognizer(spec: str, context: Sequence[str] = ()) -> Any:
    """The Presidio recognizer of the definition `module:Class` (a leakguard.pii detector),
    with extra context words."""
    from leakguard.pii.presidio_base import presidio_class

    return presidio_class(definition(spec))(context)


def analyzer_engine(recognizers: Sequence[Any], ner_model: str | None = None) -> Any:
    """An AnalyzerEngine for Dutch text with exactly these recognizers."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    from leakguard.pii.enhancer import BisectingContextEnhancer
    from leakguard.pii.presidio_base import LANGUAGE

    registry = RecognizerRegistry(recognizers=list(recognizers), supported_languages=[LANGUAGE])
    enhancer = BisectingContextEnhancer(
        context_similarity_factor=CONTEXT_FACTOR,
        min_score_with_context_similarity=MIN_WITH_CONTEXT,
        context_prefix_count=CONTEXT_WORDS_BEFORE,
        context_suffix_count=CONTEXT_WORDS_AFTER,
    )
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine(ner_model),
        supported_languages=[LANGUAGE],
        context_aware_enhancer=enhancer,
    )


def ner_recognizer() -> Any:
    """Presidio's spaCy recognizer: it reads the entities `LeakguardNlpEngine` found."""
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    from leakguard.pii.presidio_base import LANGUAGE

    return SpacyRecognizer(supported_language=LANGUAGE, supported_entities=["PERSON", "LOCATION"])
