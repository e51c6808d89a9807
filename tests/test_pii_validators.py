"""The Dutch checks against python-stdnum, and on the values the generators build.

No literal here is a real-looking personal number: valid values are generated at run time
(`leakguard.pii.example_values`), and the few literals are public test data or fail their check.
"""

from __future__ import annotations

import datetime
import random
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leakguard.pii import example_values
from leakguard.pii.testdata import FICTIONAL_A_NUMMERS
from leakguard.rule_examples import expand
from leakguard.validators import VALIDATORS
from leakguard.validators.pii_nl import (
    IBAN_LENGTHS,
    SIDECODES,
    a_nummer,
    bsn,
    date_of_birth,
    iban,
    iban_nl_bank,
    id_document,
    kenteken,
    onderwijsnummer,
    parse_date,
    phone_kind,
    postcode,
)

nine_digits = st.integers(min_value=0, max_value=999_999_999).map(lambda n: f"{n:09d}")


@settings(max_examples=800, deadline=None)
@given(number=nine_digits)
def test_bsn_agrees_with_stdnum(number: str) -> None:
    from stdnum.nl import bsn as stdnum_bsn

    assert bsn(number) == stdnum_bsn.is_valid(number)


@settings(max_examples=300, deadline=None)
@given(number=nine_digits, separator=st.sampled_from(["", ".", " "]))
def test_bsn_accepts_the_written_forms(number: str, separator: str) -> None:
    written = f"{number[:4]}{separator}{number[4:6]}{separator}{number[6:]}"
    if separator == " ":
        written = f"{number[:3]} {number[3:6]} {number[6:]}"

    assert bsn(written) == bsn(number)


def test_about_one_in_eleven_random_numbers_passes_the_eleven_test() -> None:
    rng = random.Random(11)
    samples = 110_000
    passed = sum(bsn(f"{rng.randrange(10**9):09d}") for _ in range(samples))

    # Exactly one last digit completes 10 of every 11 prefixes: 1/11 of all numbers.
    assert abs(passed / samples - 1 / 11) < 0.003


@settings(max_examples=600, deadline=None)
@given(number=st.integers(min_value=100_000_000, max_value=109_999_999).map(str) | nine_digits)
def test_onderwijsnummer_agrees_with_stdnum(number: str) -> None:
    from stdnum.nl import onderwijsnummer as stdnum_onderwijsnummer

    assert onderwijsnummer(number) == stdnum_onderwijsnummer.is_valid(number)


def test_an_onderwijsnummer_is_never_a_bsn() -> None:
    rng = random.Random(3)
    for _ in range(200):
        number = example_values.onderwijsnummer(rng, "")
        assert onderwijsnummer(number)
        assert not bsn(number)


@settings(max_examples=300, deadline=None)
@given(
    country=st.sampled_from(["NL", "DE", "BE", "FR", "GB"]),
    seed=st.integers(min_value=0, max_value=2**32),
    damage=st.integers(min_value=-1, max_value=30),
)
def test_iban_agrees_with_stdnum(country: str, seed: int, damage: int) -> None:
    from stdnum import iban as stdnum_iban

    value = example_values.iban(random.Random(seed), country)
    if 4 <= damage < len(value) and value[damage].isdigit():
        # One digit changed to another: mod 97 catches every such change. (A letter turned
        # into a digit may keep mod 97 by chance; stdnum then rejects the bank code's shape,
        # which leakguard checks for Dutch IBANs only.)
        replacement = "7" if value[damage] != "7" else "3"
        value = value[:damage] + replacement + value[damage + 1 :]

    assert iban(value) == stdnum_iban.is_valid(value, check_country=False)


def test_iban_lengths_match_stdnum_registry() -> None:
    from stdnum import iban as stdnum_iban

    rng = random.Random(5)
    for country in IBAN_LENGTHS:
        body = "".join(rng.choice(string.digits) for _ in range(IBAN_LENGTHS[country] - 4))
        check = 98 - int("".join(str(int(c, 36)) for c in body + country + "00")) % 97
        value = f"{country}{check:02d}{body}"
        # Digits only fit most structures; where stdnum rejects the structure, length holds.
        if stdnum_iban.is_valid(value, check_country=False):
            assert iban(value), country


def test_dutch_ibans_need_a_bank_on_the_list() -> None:
    rng = random.Random(8)
    listed = example_values.iban(rng, "NL")
    unlisted = example_values.iban(rng, "NL:unknown-bank")

    assert iban(listed)
    assert iban_nl_bank(listed)
    assert iban(unlisted)
    assert not iban_nl_bank(unlisted)
    assert iban_nl_bank(example_values.iban(rng, "DE"))  # foreign: no Dutch list applies


@settings(max_examples=500, deadline=None)
@given(value=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=9, max_size=9))
def test_id_document_agrees_with_stdnum(value: str) -> None:
    from stdnum.nl import identiteitskaartnummer

    assert id_document(value) == identiteitskaartnummer.is_valid(value)


@settings(max_examples=500, deadline=None)
@given(
    digits=st.integers(min_value=0, max_value=9999).map(lambda n: f"{n:04d}"),
    letters=st.text(alphabet=string.ascii_uppercase, min_size=2, max_size=2),
    space=st.booleans(),
)
def test_postcode_agrees_with_stdnum(digits: str, letters: str, space: bool) -> None:
    from stdnum.nl import postcode as stdnum_postcode

    value = f"{digits}{' ' if space else ''}{letters}"

    assert postcode(value) == stdnum_postcode.is_valid(value)


def test_a_nummer_rules() -> None:
    rng = random.Random(2)
    for _ in range(100):
        assert a_nummer(example_values.a_nummer_value(rng, ""))
        assert not a_nummer(example_values.a_nummer_value(rng, "invalid"))
    for fictional in FICTIONAL_A_NUMMERS:  # RvIG's test persons keep the rules too
        assert a_nummer(fictional)
    assert not a_nummer("0940402024")  # starts with 0
    assert not a_nummer("1123456789")  # two equal digits in a row


@pytest.mark.parametrize("sidecode", sorted(SIDECODES.values()))
def test_generated_plates_have_their_sidecode(sidecode: int) -> None:
    plate = expand(f"${{gen:kenteken:{sidecode}}}", f"plate/{sidecode}")

    assert kenteken(plate)
    assert kenteken(plate.replace("-", ""))


@pytest.mark.parametrize(
    "plate",
    ["ABC-DEF-1", "12-34-56", "AB-12-3C", "GV-12-SS", "1-NSB-23", "AB-AE-12", "KKK-12-B"],
)
def test_plates_outside_the_sidecodes(plate: str) -> None:
    assert not kenteken(plate)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05-03-1980", datetime.date(1980, 3, 5)),
        ("5/3/1980", datetime.date(1980, 3, 5)),
        ("05.03.1980", datetime.date(1980, 3, 5)),
        ("1980-03-05", datetime.date(1980, 3, 5)),
        ("19800305", datetime.date(1980, 3, 5)),
        ("5 maart 1980", datetime.date(1980, 3, 5)),
        ("5 mrt. 1980", datetime.date(1980, 3, 5)),
        ("31-02-1980", None),
        ("5 brumaire 1980", None),
    ],
)
def test_dates_in_dutch_and_iso_forms(text: str, expected: datetime.date | None) -> None:
    assert parse_date(text) == expected


def test_dates_of_birth_are_in_a_lifetime() -> None:
    next_year = datetime.date.today().year + 1

    # Built here: a date in the source next to "date of birth" would be a finding itself.
    assert date_of_birth(datetime.date(1950, 1, 1).strftime("%d-%m-%Y"))
    assert not date_of_birth(datetime.date(next_year, 1, 1).strftime("%d-%m-%Y"))
    assert not date_of_birth(datetime.date(1850, 1, 1).strftime("%d-%m-%Y"))


@pytest.mark.parametrize(
    ("form", "kind"),
    [
        ("mobile", "mobile"),
        ("mobile-compact", "mobile"),
        ("mobile-intl", "mobile"),
        ("mobile-0031", "mobile"),
        ("fixed", "fixed"),
        ("fixed-intl", "fixed"),
    ],
)
def test_generated_phone_numbers_are_valid_dutch_numbers(form: str, kind: str) -> None:
    rng = random.Random(form)
    for _ in range(25):
        assert phone_kind(example_values.phone(rng, form)) == kind


def test_foreign_and_short_numbers_are_not_dutch() -> None:
    assert phone_kind("+32 2 123 45 67") is None  # Belgium
    assert phone_kind("06-1234") is None


def test_validators_are_registered_by_name() -> None:
    for name in ("bsn", "rsin", "onderwijsnummer", "a-nummer", "iban", "iban-nl-bank"):
        assert name in VALIDATORS
    for name in ("postcode-nl", "id-document-nl", "kenteken", "date-of-birth", "phone-nl"):
        assert name in VALIDATORS
