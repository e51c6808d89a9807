"""The passport and identity card number detector as a Presidio recognizer."""

from __future__ import annotations

from leakguard.pii.scoring import DutchPatterns
from leakguard.validators.pii_nl import id_document


class NlIdDocumentRecognizer(DutchPatterns):
    """Nine characters: two letters, six letters or digits, a digit; never the letter O.

    Part numbers and codes have that shape too: it takes a paspoort/ID key or word.
    """

    ENTITY = "ID_DOCUMENT"
    PATTERNS = (("document number", r"(?<![\w\-])[A-NP-Z]{2}[A-NP-Z0-9]{6}[0-9](?![\w\-])", 0.05),)
    CONTEXT = (
        "paspoort", "identiteitskaart", "idkaart", "id-kaart", "identiteitsbewijs",
        "documentnummer", "reisdocument", "passport",
    )  # fmt: skip

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if id_document(pattern_text) else False
