"""The kenteken (Dutch licence plate) detector as a Presidio recognizer."""

from __future__ import annotations

from leakguard.pii.scoring import DutchPatterns
from leakguard.validators.pii_nl import kenteken


class NlKentekenRecognizer(DutchPatterns):
    """Six letters and digits in one of the RDW sidecodes (`AB-12-CD`, `1-ABC-23`, ...)."""

    ENTITY = "KENTEKEN"
    PATTERNS = (
        ("kenteken", r"(?<![\w\-])[A-Z0-9]{1,3}-[A-Z0-9]{2,3}-[A-Z0-9]{1,3}(?![\w\-])", 0.05),
        ("kenteken compact", r"(?<![\w\-])[A-Z0-9]{6}(?![\w\-])", 0.01),
    )
    CONTEXT = ("kenteken", "nummerbord", "voertuig", "license plate", "licence plate")

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if kenteken(pattern_text) else False
