"""The A-nummer detector (BRP administration number) as a Presidio recognizer."""

from __future__ import annotations

from leakguard.pii.scoring import DutchPatterns
from leakguard.validators.pii_nl import a_nummer


class NlANummerRecognizer(DutchPatterns):
    """Ten digits that keep the BRP rules (see `leakguard.validators.pii_nl.a_nummer`)."""

    ENTITY = "A_NUMMER"
    PATTERNS = (("a-nummer", r"(?<![\w.])[1-9]\d{9}(?!\w|\.\d)", 0.05),)
    CONTEXT = ("anummer", "a-nummer", "a_nummer", "administratienummer")

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if a_nummer(pattern_text) else False
