"""The BSN detector (burgerservicenummer) as a Presidio recognizer."""

from __future__ import annotations

from leakguard.pii.scoring import DutchPatterns
from leakguard.validators.pii_nl import bsn


class NlBsnRecognizer(DutchPatterns):
    """Nine digits, also written `1234.56.782` or `123 456 782`, that pass the 11-proef.

    One in eleven 9-digit numbers passes, so a bare one scores far below any rule's minimum:
    it takes a key, column or word for BSN nearby, or a record of personal fields.
    """

    ENTITY = "BSN"
    PATTERNS = (
        ("bsn", r"(?<![\w.])\d{9}(?!\w|\.\d)", 0.05),
        ("bsn dotted", r"(?<![\w.])\d{4}\.\d{2}\.\d{3}(?!\w|\.\d)", 0.15),
        ("bsn spaced", r"(?<![\w.])\d{3} \d{3} \d{3}(?!\w|\.\d)", 0.15),
    )
    CONTEXT = ("bsn", "burgerservicenummer", "sofinummer", "sofi", "citizen service number")

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if bsn(pattern_text) else False
