"""The date-of-birth detector as a Presidio recognizer."""

from __future__ import annotations

from leakguard.pii.scoring import DutchPatterns
from leakguard.validators.pii_nl import date_of_birth

MONTH_NAMES = (
    r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    r"|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec|january|february|march|may|june|july"
    r"|august|october)"
)


class NlBirthDateRecognizer(DutchPatterns):
    """A date (Dutch, ISO, `jjjjmmdd`, with month names) that a living person can be born on.

    Any date is only a date: it takes a birth key or word (geboortedatum, geb., date_of_birth).
    """

    ENTITY = "DATE_OF_BIRTH"
    PATTERNS = (
        ("date dmy", r"(?<![\w.\-/])\d{1,2}[-/.]\d{1,2}[-/.]\d{4}(?![\w/])", 0.05),
        ("date iso", r"(?<![\w.\-/])\d{4}-\d{2}-\d{2}(?![\w/])", 0.05),
        ("date compact", r"(?<![\w.\-/])(?:19|20)\d{6}(?!\w)", 0.01),
        ("date worded", r"(?i)(?<!\w)\d{1,2}\s+" + MONTH_NAMES + r"\.?\s+\d{4}(?!\w)", 0.05),
    )
    CONTEXT = ("geboortedatum", "geboren", "geb", "geboorte", "date of birth", "dob", "verjaardag")

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if date_of_birth(pattern_text) else False
