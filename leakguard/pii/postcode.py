"""The Dutch postcode detector as a Presidio recognizer."""

from __future__ import annotations

from leakguard.pii.scoring import DutchPatterns
from leakguard.validators.pii_nl import postcode


class NlPostcodeRecognizer(DutchPatterns):
    """`1234 AB` (never SA, SD or SS). Alone it points at a street, so it takes a postcode key
    or a person's record; inside a full address the address detector reports it."""

    ENTITY = "POSTCODE"
    PATTERNS = (("postcode", r"(?<![\w\-])[1-9]\d{3} ?[A-Za-z]{2}(?!\w)", 0.05),)
    CONTEXT = ("postcode", "postal code", "zipcode", "zip")

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if postcode(pattern_text) else False
