"""Named checks that a matched value must pass, referenced from rule files by name.

A validator takes the value a rule's `secret` group captured and says whether it is real in
form: a checksum holds, a structure decodes. Registering is explicit: each module below adds its
checks with `@validator("name")`, and this package imports them all.
"""

from __future__ import annotations

from collections.abc import Callable

Validator = Callable[[str], bool]

VALIDATORS: dict[str, Validator] = {}


def validator(name: str) -> Callable[[Validator], Validator]:
    def register(check: Validator) -> Validator:
        if name in VALIDATORS:
            raise ValueError(f"validator {name!r} registered twice")
        VALIDATORS[name] = check
        return check

    return register


from leakguard.validators import credentials as _credentials  # noqa: E402, F401
from leakguard.validators import pii_nl as _pii_nl  # noqa: E402, F401
