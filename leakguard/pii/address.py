"""The street address detector as a Presidio recognizer."""

from __future__ import annotations

from leakguard.pii.patterns import CITY, HOUSE_NUMBER, POSTCODE, STREET
from leakguard.pii.scoring import DutchPatterns


class NlAddressRecognizer(DutchPatterns):
    """Street name and house number (with an addition), optionally postcode and city.

    With a postcode the match is an address on its own; a street and number alone take an
    address key or word (a README's shop on a high street is no person's address).
    """

    ENTITY = "ADDRESS"
    PATTERNS = (
        (
            "street number postcode",
            rf"(?<!\w){STREET}\s+{HOUSE_NUMBER},?\s+{POSTCODE}(?:\s+{CITY})?",
            0.6,
        ),
        ("street number", rf"(?<!\w){STREET}\s+{HOUSE_NUMBER}(?!\w)", 0.1),
        # Any capitalised name and a number: only an address under an address key.
        ("name number", rf"(?<!\w)(?:[A-Z][\w'\u2019.\-]*\s){{1,4}}{HOUSE_NUMBER}(?!\w)", 0.01),
    )
    CONTEXT = ("adres", "woonadres", "straat", "woont", "wonende", "address", "verblijf")
