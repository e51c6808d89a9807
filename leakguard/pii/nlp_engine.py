"""The NLP engine Presidio runs on, configured for offline scans.

Presidio's default engine loads (and downloads) an English spaCy model. This one needs no
model: tokens come from a regular expression and their lemmas are the lowercase words, which is
all that context words need. When a spaCy pipeline is configured for NER, `process_prose` runs
it on prose and maps its labels onto Presidio's PERSON and LOCATION.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from leakguard.pii.presidio_base import LANGUAGE

TOKEN = re.compile(r"\w+|[^\w\s]")
# Words that are never context (Presidio leaves them out of a match's surroundings).
STOPWORDS = frozenset(
    """
    de het een en van is in op te dat die voor met aan als bij of uit om er ook naar maar
    dan the a an and of to in is on for with at by or as from
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# spaCy labels (Dutch pipelines use OntoNotes names, others PER/LOC) -> Presidio entities.
LABELS = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
}


class LeakguardNlpEngine(NlpEngine):
    def __init__(self, ner: Any = None) -> None:
        self.ner = ner
        self.vocab = ner.vocab if ner is not None else Vocab()

    def load(self) -> None:
        pass  # built loaded: there is nothing to fetch

    def is_loaded(self) -> bool:
        return True

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        matches = list(TOKEN.finditer(text))
        words = [match.group() for match in matches]
        ends = [match.end() for match in matches]
        starts = [match.start() for match in matches]
        spaces = [end < len(text) and text[end].isspace() for end in ends]
        doc = Doc(self.vocab, words=words, spaces=spaces)
        return NlpArtifacts(
            entities=[],
            tokens=doc,
            tokens_indices=starts,
            lemmas=[word.lower() for word in words],
            nlp_engine=self,
            language=language,
        )

    def process_prose(self, docs: Iterable[Any]) -> Iterator[NlpArtifacts]:
        """Artifacts for texts the NER pipeline has processed (`nlp.pipe`)."""
        for doc in docs:
            entities = [
                Span(doc, entity.start, entity.end, label=LABELS[entity.label_])
                for entity in doc.ents
                if entity.label_ in LABELS
            ]
            yield NlpArtifacts(
                entities=entities,
                tokens=doc,
                tokens_indices=[token.idx for token in doc],
                lemmas=[token.lemma_.lower() or token.lower_ for token in doc],
                nlp_engine=self,
                language=LANGUAGE,
            )

    def process_batch(
        self,
        texts: Iterable[str],
        language: str,
        batch_size: int = 1,
        n_process: int = 1,
        **kwargs: Any,
    ) -> Iterator[tuple[str, NlpArtifacts]]:
        for text in texts:
            yield text, self.process_text(text, language)

    def is_stopword(self, word: str, language: str) -> bool:
        return word.lower() in STOPWORDS

    def is_punct(self, word: str, language: str) -> bool:
        return not any(char.isalnum() for char in word)

    def get_supported_entities(self) -> list[str]:
        return ["PERSON", "LOCATION"] if self.ner is not None else []

    def get_supported_languages(self) -> list[str]:
        return [LANGUAGE]
