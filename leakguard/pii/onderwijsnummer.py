"""The onderwijsnummer detector (pupils without a BSN) as a Presidio recognizer."""

from __future__ import annotations

from leakguard.pii.scoring import DutchPatterns
from leakguard.validators.pii_nl import onderwijsnummer


class NlOnderwijsnummerRecognizer(DutchPatterns):
    """Nine digits from `10`, whose 11-proef sum leaves 5: never a valid BSN."""

    ENTITY = "ONDERWIJSNUMMER"
    PATTERNS = (("onderwijsnummer", r"(?<![\w.])10\d{7}(?!\w|\.\d)", 0.05),)
    CONTEXT = ("onderwijsnummer", "onderwijs nummer", "leerlingnummer", "pgn")

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if onderwijsnummer(pattern_text) else False
