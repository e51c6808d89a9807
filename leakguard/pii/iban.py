"""The IBAN detector as a Presidio recognizer: Dutch and foreign account numbers."""

from __future__ import annotations

from leakguard.pii.scoring import DutchPatterns
from leakguard.validators.pii_nl import iban, iban_nl_bank


class NlIbanRecognizer(DutchPatterns):
    """ISO 13616 with its mod 97 check; a Dutch IBAN must name a bank on the Dutch list.

    Both together settle it (1 in 97 random strings passes mod 97, and the bank list cuts the
    Dutch ones further), so a valid IBAN needs no context.
    """

    ENTITY = "IBAN"
    PATTERNS = (
        ("iban", r"(?<![\w])[A-Z]{2}\d{2}[A-Z0-9]{11,30}(?!\w)", 0.3),
        (
            "iban grouped",
            r"(?<![\w])[A-Z]{2}\d{2}(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?(?!\w)",
            0.3,
        ),
    )
    CONTEXT = ("iban", "rekeningnummer", "bankrekening", "rekening", "tenaamstelling", "account")

    def validate_result(self, pattern_text: str) -> bool | None:
        return iban(pattern_text) and iban_nl_bank(pattern_text)
