"""Dutch bank identifiers (positions 5-8 of a Dutch IBAN), from the data file beside this one.

`nl_banks.json` says where the list comes from and when it was compiled. An IBAN with an
identifier that is not on it (`NL..TEST...`) is not a real Dutch account.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("nl_banks.json")


@cache
def dutch_bank_codes() -> dict[str, str]:
    """Identifier -> bank name."""
    return dict(json.loads(DATA.read_text(encoding="utf-8"))["banks"])


def is_dutch_bank_code(code: str) -> bool:
    return code.upper() in dutch_bank_codes()
