"""Checks for Dutch personal numbers and codes: pure functions of the value, no context.

A check that holds does not make a value personal data (about 1 in 11 nine-digit numbers passes
the 11-proef); the recognizers in `leakguard.pii` add the context. What a check rules out,
though, is never a finding: these checks run first because they are the cheapest.
"""

from __future__ import annotations

import datetime
import itertools
import re

from leakguard.validators import validator

BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
SEPARATORS = str.maketrans("", "", " .-")

# Length of the IBAN per country (ISO 13616 registry, SWIFT release 2024). A foreign IBAN is
# checked on its length and mod 97 only; its national bank codes are not known here.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip
NL_BBAN = re.compile(r"[A-Z]{4}[0-9]{10}")


def digits_of(value: str) -> str:
    """The value without the separators people write numbers with (`1234.56.782`)."""
    return value.translate(SEPARATORS)


def eleven_test_sum(number: str) -> int:
    """The 11-proef sum of a 9-digit number: weights 9..2 and -1 for the last digit."""
    return sum(weight * (ord(ch) - 48) for weight, ch in zip(BSN_WEIGHTS, number, strict=True))


def _nine_digits(value: str) -> str | None:
    number = digits_of(value.strip())
    if len(number) == 8:  # an 8-digit BSN is one whose leading zero was dropped
        number = "0" + number
    if len(number) != 9 or not number.isascii() or not number.isdigit():
        return None
    return number


@validator("bsn")
def bsn(value: str) -> bool:
    """Burgerservicenummer: 9 digits (or 8, a leading zero lost), 11-proef, not all zeros."""
    number = _nine_digits(value)
    return number is not None and number != "000000000" and eleven_test_sum(number) % 11 == 0


@validator("rsin")
def rsin(value: str) -> bool:
    """RSIN (legal entities and partnerships): the same 9 digits and 11-proef as a BSN."""
    return bsn(value)


@validator("onderwijsnummer")
def onderwijsnummer(value: str) -> bool:
    """Onderwijsnummer (pupils without a BSN): 9 digits starting `10`, 11-proef sum = 5 mod 11."""
    number = _nine_digits(value)
    return number is not None and number.startswith("10") and eleven_test_sum(number) % 11 == 5


@validator("a-nummer")
def a_nummer(value: str) -> bool:
    """A-nummer (BRP administration number), the rules of the Logisch Ontwerp BRP/GBA:

    10 digits, the first not 0, no two adjacent digits equal, the digit sum is 0 or 5 mod 11,
    and the sum of digit i times 2**i (i = 0 for the first digit) is 0 mod 11.
    """
    number = digits_of(value.strip())
    if len(number) != 10 or not number.isascii() or not number.isdigit() or number[0] == "0":
        return False
    digits = [ord(ch) - 48 for ch in number]
    if any(a == b for a, b in itertools.pairwise(digits)):
        return False
    if sum(digits) % 11 not in (0, 5):
        return False
    return sum(digit << index for index, digit in enumerate(digits)) % 11 == 0


def compact_iban(value: str) -> str:
    return "".join(value.split()).replace("-", "").upper()


@validator("iban")
def iban(value: str) -> bool:
    """ISO 13616: a known country, its length, mod 97 = 1; Dutch ones also `4!a10!n`."""
    number = compact_iban(value)
    country = number[:2]
    if IBAN_LENGTHS.get(country) != len(number) or not number.isascii() or not number.isalnum():
        return False
    if not number[2:4].isdigit():
        return False
    if country == "NL" and not NL_BBAN.fullmatch(number[4:]):
        return False
    return iban_remainder(number) == 1


def iban_remainder(number: str) -> int:
    """The ISO 7064 mod 97-10 remainder of a compact IBAN (country and check moved to the end)."""
    rearranged = number[4:] + number[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97


@validator("iban-nl-bank")
def iban_nl_bank(value: str) -> bool:
    """A Dutch IBAN names a bank on the current list of Dutch bank identifiers."""
    from leakguard.pii.banks import is_dutch_bank_code

    number = compact_iban(value)
    return not number.startswith("NL") or is_dutch_bank_code(number[4:8])


# Postcodes: 1000-9999 and two letters; SA, SD and SS are never issued.
POSTCODE = re.compile(r"([1-9][0-9]{3}) ?([A-Z]{2})")
POSTCODE_NEVER = frozenset({"SA", "SD", "SS"})


@validator("postcode-nl")
def postcode(value: str) -> bool:
    match = POSTCODE.fullmatch(value.strip().upper())
    return match is not None and match.group(2) not in POSTCODE_NEVER


# Passport and identity card numbers (since 2014): two letters, six letters or digits, one
# digit; the letter O is never used (it reads as a zero).
ID_DOCUMENT = re.compile(r"[A-NP-Z]{2}[A-NP-Z0-9]{6}[0-9]")


@validator("id-document-nl")
def id_document(value: str) -> bool:
    number = value.replace(" ", "").upper()
    return ID_DOCUMENT.fullmatch(number) is not None


# RDW sidecodes: the shape of a kenteken in letters (L) and digits (D), grouped by dashes.
SIDECODES = {
    "LL-DD-DD": 1,
    "DD-DD-LL": 2,
    "DD-LL-DD": 3,
    "LL-DD-LL": 4,
    "LL-LL-DD": 5,
    "DD-LL-LL": 6,
    "DD-LLL-D": 7,
    "D-LLL-DD": 8,
    "LL-DDD-L": 9,
    "L-DDD-LL": 10,
    "LLL-DD-L": 11,
    "L-DD-LLL": 12,
    "D-LL-DDD": 13,
    "DDD-LL-D": 14,
}
SIDECODE_BY_SHAPE = {shape.replace("-", ""): (shape, code) for shape, code in SIDECODES.items()}
# From sidecode 4 on no vowels (no words), and never C or Q (they read as G and O).
KENTEKEN_LETTERS = frozenset("BDFGHJKLMNPRSTVXZ")
# Letter groups the RDW does not issue (offensive or political abbreviations).
KENTEKEN_NEVER = frozenset(
    {"SS", "SD", "SA", "GVD", "KKK", "KVT", "LPF", "NSB", "PKK", "PSV", "TBS"}
)


@validator("kenteken")
def kenteken(value: str) -> bool:
    plate = value.strip().upper()
    compact = plate.replace("-", "").replace(" ", "")
    if len(compact) != 6 or not compact.isascii() or not compact.isalnum():
        return False
    shape = "".join("D" if ch.isdigit() else "L" for ch in compact)
    known = SIDECODE_BY_SHAPE.get(shape)
    if known is None:
        return False
    dashed, sidecode = known
    if "-" in plate and _shape_of(plate) != dashed:
        return False
    groups = [group for group in re.split(r"[0-9]+", compact) if group]
    if any(group in KENTEKEN_NEVER for group in groups):
        return False
    return sidecode < 4 or all(ch in KENTEKEN_LETTERS for group in groups for ch in group)


def _shape_of(plate: str) -> str:
    return "".join("-" if ch == "-" else "D" if ch.isdigit() else "L" for ch in plate)


MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "february": 2,
    "maart": 3, "mrt": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "augustus": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
NUMERIC_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
WORDED_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})")


def parse_date(value: str) -> datetime.date | None:
    """A calendar date in a Dutch or ISO form: 5-3-1980, 05/03/1980, 1980-03-05, 19800305,
    5 maart 1980, 5 mrt. 1980."""
    text = value.strip()
    if match := NUMERIC_DATE.fullmatch(text):
        day, month, year = match.groups()
    elif match := ISO_DATE.fullmatch(text) or COMPACT_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := WORDED_DATE.fullmatch(text):
        day, name, year = match.groups()
        month_number = MONTHS.get(name.lower())
        if month_number is None:
            return None
        month = str(month_number)
    else:
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


@validator("date-of-birth")
def date_of_birth(value: str) -> bool:
    """A real date that a living person can be born on: from 1900 up to today."""
    date = parse_date(value)
    return date is not None and datetime.date(1900, 1, 1) <= date <= datetime.date.today()


@validator("phone-nl")
def phone_nl(value: str) -> bool:
    """A valid Dutch number by the numbering plan (libphonenumber, region NL)."""
    return phone_kind(value) is not None


def phone_kind(value: str) -> str | None:
    """`mobile`, `fixed`, `other` (service, VoIP, ...) for a valid Dutch number, else None."""
    import phonenumbers

    cleaned = value.strip()
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    try:
        number = phonenumbers.parse(cleaned, "NL")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 31 or not phonenumbers.is_valid_number(number):
        return None
    kind = phonenumbers.number_type(number)
    if kind == phonenumbers.PhoneNumberType.MOBILE:
        return "mobile"
    if kind == phonenumbers.PhoneNumberType.FIXED_LINE:
        return "fixed"
    return "other"
