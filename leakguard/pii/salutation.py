"""The detector of person names after a title or salutation as a Presidio recognizer."""

from __future__ import annotations

from leakguard.pii.patterns import SALUTATION_NAME
from leakguard.pii.scoring import DutchPatterns


class NlSalutationRecognizer(DutchPatterns):
    """A title, then a name: initials or a first name, particles (`Van den` after a title is
    capitalised), a surname."""

    ENTITY = "PERSON"
    PATTERNS = (("title and name", rf"(?<!\w){SALUTATION_NAME}(?!\w)", 0.7),)
    CONTEXT = ()
