"""The street address detector as a Presidio recognizer."""

from __future__ import annotations

from leakguard.pii.presidio_base import DutchPatternRecognizer

# Endings of Dutch street names (Kalverstraat, Stadhouderskade, Bijlmerdreef, ...).
STREET_ENDINGS = (
    "straat|laan|weg|gracht|plein|kade|singel|dijk|dreef|hof|park|pad|steeg|markt|plantsoen"
    "|boulevard|baan|burgwal|dam|haven|wal|veld|erf|hoek|pier|zijde|kanaal|oord|rak|gaarde"
)
STREET = (
    r"(?:[A-Z][\w'\u2019.]*\s|(?:van|de|der|den|het|ter|ten|'t)\s){0,3}[A-Z][\w'\u2019\-]*(?:"
    + STREET_ENDINGS
    + r")"
)
HOUSE_NUMBER = r"[1-9]\d{0,4}(?:[ \-]?(?:[A-Za-z]{1,2}|\d{1,3}|hs|bis|huis|[IV]{1,3})(?![\w]))?"
POSTCODE = r"[1-9]\d{3} ?[A-Z]{2}"
CITY = r"[A-Z][a-z'\u2019]+(?:[ \-][A-Z][a-z'\u2019]+)?"


class AddressRecognizer(DutchPatternRecognizer):
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
