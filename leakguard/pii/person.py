"""The detector of person names in structured data (a `naam` field) as a Presidio recognizer."""

from __future__ import annotations

from leakguard.pii.patterns import NAME
from leakguard.pii.scoring import DutchPatterns


class NlPersonNameRecognizer(DutchPatterns):
    """Capitalised name words with initials and particles (initials, `van der`,
    `el`, double names).

    Capitalised words are everywhere: a name takes its field (naam, voornaam, achternaam,
    first_name, contactpersoon) or a record of personal fields.
    """

    ENTITY = "PERSON"
    PATTERNS = (("person name", rf"(?<![\w.]){NAME}(?!\w)", 0.1),)
    CONTEXT = (
        "naam", "voornaam", "voornamen", "achternaam", "geslachtsnaam", "contactpersoon",
        "name", "firstname", "lastname", "surname",
    )  # fmt: skip
