"""The RSIN detector (legal entities and partnerships) as a Presidio recognizer."""

from __future__ import annotations

from leakguard.pii.scoring import DutchPatterns
from leakguard.validators.pii_nl import rsin


class NlRsinRecognizer(DutchPatterns):
    """Nine digits with the BSN's 11-proef, under a name that says RSIN."""

    ENTITY = "RSIN"
    PATTERNS = (("rsin", r"(?<![\w.])\d{9}(?!\w|\.\d)", 0.05),)
    CONTEXT = ("rsin", "fiscaal nummer", "fiscaalnummer")

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if rsin(pattern_text) else False
