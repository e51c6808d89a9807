"""The e-mail address detector as a Presidio recognizer, in place of Presidio's own.

Presidio's EmailRecognizer validates domains with tldextract, which downloads the public suffix
list on first use; a scan must not touch the network, and the address shape with a plausible
top-level domain is enough here (role and organisation addresses are decided by leakguard).
"""

from __future__ import annotations

from leakguard.pii.patterns import EMAIL_PATTERN, plausible_email
from leakguard.pii.scoring import DutchPatterns


class NlEmailRecognizer(DutchPatterns):
    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = (("email", EMAIL_PATTERN, 0.6),)
    CONTEXT = ("email", "e-mail", "mail", "emailadres", "contact")

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if plausible_email(pattern_text) else False
