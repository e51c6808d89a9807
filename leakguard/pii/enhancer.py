"""Presidio's lemma context enhancer, made linear in the size of the text it is given.

Presidio walks every token of the text to find the one a result starts at, and looks each
nearby word up in the list of the text's keywords, for every result: quadratic in a batch of
many values (a CSV column), where it cost more than everything else. Here the tokens (in text
order) are searched by bisection and the keywords are a set, with the same outcome.
"""

from __future__ import annotations

from typing import Any

from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer


class BisectingContextEnhancer(LemmaContextAwareEnhancer):
    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._keywords: list[str] | None = None
        self._keyword_set: frozenset[str] = frozenset()

    @staticmethod
    def _find_index_of_match_token(
        word: str, start: int, tokens: Any, tokens_indices: list[int]
    ) -> int:
        low, high = 0, len(tokens_indices)
        while low < high:  # the first token that ends after `start`
            middle = (low + high) // 2
            if tokens_indices[middle] + len(tokens[middle]) > start:
                high = middle
            else:
                low = middle + 1
        if low == len(tokens_indices):
            raise ValueError("the match is not among the tokens")  # as Presidio's own
        return low

    def _as_set(self, keywords: list[str]) -> Any:
        # One text's keywords serve all its results: convert them once.
        if keywords is not self._keywords:
            self._keywords = keywords
            self._keyword_set = frozenset(keywords)
        return self._keyword_set

    def _add_n_words_backward(
        self, index: int, n_words: int, lemmas: list[str], keywords: list[str]
    ) -> list[str]:
        return self._add_n_words(index, n_words, lemmas, self._as_set(keywords), True)

    def _add_n_words_forward(
        self, index: int, n_words: int, lemmas: list[str], keywords: list[str]
    ) -> list[str]:
        return self._add_n_words(index, n_words, lemmas, self._as_set(keywords), False)
