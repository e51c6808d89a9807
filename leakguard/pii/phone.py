"""The Dutch phone number detector as a Presidio recognizer (libphonenumber, region NL)."""

from __future__ import annotations

from leakguard.pii.scoring import DutchPatterns
from leakguard.validators.pii_nl import phone_kind

# National (0...), international (+31, 0031) and (0)-forms, with the separators people use.
PHONE_PATTERN = (
    r"(?<![\w+.\-/])(?:(?:\+31|0031)[ -]?(?:\(0\)[ -]?)?[1-9](?:[ ()\-]{0,2}\d){8}"
    r"|0[1-9](?:[ \-]{0,2}\d){8}|\(0\d{1,3}\)[ \-]?\d(?:[ \-]?\d){5,7})(?!\d)"
)


class NlPhoneRecognizer(DutchPatterns):
    """A valid Dutch number. Mobile numbers (06) belong to persons; a fixed line may be an
    office's, so it takes context (a `telefoon` key, words, a person record)."""

    ENTITY = "PHONE_NUMBER"
    PATTERNS = (("phone nl", PHONE_PATTERN, 0.1),)
    CONTEXT = ("telefoon", "telefoonnummer", "tel", "mobiel", "gsm", "bel", "phone", "mobile")

    def validate_result(self, pattern_text: str) -> bool | None:
        kind = phone_kind(pattern_text)
        if kind is None:
            return False
        return True if kind == "mobile" else None
