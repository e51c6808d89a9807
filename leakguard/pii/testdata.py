"""Identifiers known to be fictional: public test data that must not fail a build by default.

They pass their checks on purpose (test suites need valid numbers), so only a list tells them
from real ones. A match is reported as allowed test data with `--verbose`, and as a finding when
the settings ask for it (`report_test_identifiers`). Users add their own with `test_identifiers`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from leakguard.validators.pii_nl import compact_iban, digits_of

# BSNs in public examples and specifications.
FICTIONAL_BSNS = frozenset({"111222333", "123456782"})
# Haal Centraal BRP fixtures use 0000000xx; RvIG issues test BSNs in the 9999xxxxx range.
FICTIONAL_BSN_PREFIXES = ("0000000", "9999")
# The IBAN registry's (ISO 13616) and the banks' own documentation examples.
FICTIONAL_IBANS = frozenset(
    {
        "NL91ABNA0417164300",
        "NL02ABNA0123456789",
        "NL20INGB0001234567",
        "DE89370400440532013000",
        "GB29NWBK60161331926819",
        "BE68539007547034",
        "FR1420041010050500013M02606",
    }
)
# RvIG test persons in the public Haal Centraal BRP fixtures.
FICTIONAL_A_NUMMERS = frozenset({"8940402024", "7153597828"})
# Specimen passports and identity cards (the Rijksdienst voor Identiteitsgegevens' samples).
FICTIONAL_DOCUMENTS = frozenset({"SPECI2014", "SPECI2021"})
# The postcodes every form and format description shows.
FICTIONAL_POSTCODES = frozenset({"1234AB", "1234XX", "9999ZZ", "0000AA"})
# Reserved for documentation and tests (RFC 2606, RFC 6761).
TEST_DOMAINS = ("example.com", "example.org", "example.net", "example.nl")
TEST_TLDS = (".example", ".test", ".invalid", ".localhost", ".local")
# Straight runs and repeated digits: what people type when they need any number.
STRAIGHT_RUNS = ("0123456789", "1234567890", "9876543210")

ALNUM = re.compile(r"[^A-Z0-9]")


def normalized(value: str) -> str:
    return ALNUM.sub("", value.upper())


def is_straight_run(digits: str) -> bool:
    """`12345678`, `87654321`, `00000000`: digits no real number is made of."""
    if len(digits) < 6:
        return False
    if len(set(digits)) == 1:
        return True
    return any(digits in run for run in STRAIGHT_RUNS)


def fictional_bsn(value: str) -> bool:
    number = digits_of(value).zfill(9)
    return number in FICTIONAL_BSNS or number.startswith(FICTIONAL_BSN_PREFIXES)


def fictional_iban(value: str) -> bool:
    number = compact_iban(value)
    return number in FICTIONAL_IBANS or is_straight_run(number[8:] if number[:2] == "NL" else "")


def fictional_phone(national_digits: str) -> bool:
    """A Dutch number (9 digits after the 0) whose subscriber part is a straight run, or
    mostly zeros (`020-0000001`)."""
    subscriber = national_digits[1:] if national_digits.startswith("6") else national_digits[2:]
    return (
        is_straight_run(subscriber)
        or is_straight_run(national_digits[-7:])
        or "00000" in subscriber
    )


def fictional_a_nummer(value: str) -> bool:
    return digits_of(value) in FICTIONAL_A_NUMMERS


def fictional_postcode(value: str) -> bool:
    return normalized(value) in FICTIONAL_POSTCODES


def placeholder_plate(value: str) -> bool:
    """`XX-99-99`, `99-XX-XX`: a sidecode written out, not a plate."""
    return set(normalized(value)) <= {"X", "9"}


def placeholder_street(value: str) -> bool:
    """`Voorbeeldstraat 1`, `Teststraat 12`: the streets of forms and examples."""
    return value.lower().startswith(("voorbeeld", "teststraat", "testlaan", "sesamstraat"))


def fictional_document(value: str) -> bool:
    return normalized(value) in FICTIONAL_DOCUMENTS


# Domains and mailboxes of made-up addresses (`a@b.nl`, `foo@bar.com`, `test.user@...`).
PLACEHOLDER_DOMAINS = frozenset(
    {"test.com", "test.nl", "tst.com", "foo.com", "bar.com", "foobar.com"}
)
PLACEHOLDER_MAILBOXES = (
    "test",
    "dummy",
    "fake",
    "voorbeeld",
    "example",
    "foo",
    "john.doe",
    "jane.doe",
)


def placeholder_email(value: str) -> bool:
    local, _, domain = value.lower().rpartition("@")
    labels = domain.split(".")
    short = len(labels) == 2 and len(labels[0]) <= 2  # a@b.nl, tt@tt.com
    return short or domain in PLACEHOLDER_DOMAINS or local.startswith(PLACEHOLDER_MAILBOXES)


def is_test_domain(domain: str) -> bool:
    domain = domain.lower().rstrip(".")
    return (
        domain in TEST_DOMAINS
        or domain.endswith(tuple("." + d for d in TEST_DOMAINS))
        or domain.endswith(TEST_TLDS)
        or domain == "localhost"
    )


def user_listed(value: str, listed: Iterable[str]) -> bool:
    key = normalized(value)
    return any(key == normalized(item) for item in listed)
