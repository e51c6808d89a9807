"""The Dutch detectors as leakguard recognizers (`recognizer:` in rules/pii-nl/*.yaml).

Each class is the cheap stage of one detector (`leakguard.pii.gate`) and names the Presidio
recognizer that confirms it (`leakguard.pii.<entity>`). What differs per detector is here:
which fictional values are test data, which values are the organisation's own, and when a
value needs no context.
"""

from __future__ import annotations

import re

from leakguard.detectors.recognizers import recognizer
from leakguard.detectors.settings import DetectionSettings
from leakguard.pii.context import (
    NOT_NAMES,
    PERSON_KINDS,
    PLACEHOLDER_NAMES,
    PLACEHOLDER_SURNAMES,
    personal_fields,
)
from leakguard.pii.gate import Context, DutchPiiRecognizer
from leakguard.pii.patterns import HOUSE_NUMBER, STREET, plausible_email
from leakguard.pii.structure import Field, FragmentView
from leakguard.pii.testdata import (
    fictional_a_nummer,
    fictional_bsn,
    fictional_document,
    fictional_iban,
    fictional_phone,
    fictional_postcode,
    is_test_domain,
    normalized,
    placeholder_email,
    placeholder_plate,
    placeholder_street,
)
from leakguard.ruleset import Rule
from leakguard.validators.pii_nl import compact_iban, phone_kind

TEST_DATA = "known test data"


@recognizer("nl-bsn")
class BsnDetector(DutchPiiRecognizer):
    presidio = "leakguard.pii.bsn:NlBsnRecognizer"

    def test_data(self, value: str) -> str | None:
        return f"{TEST_DATA} (fictional BSN)" if fictional_bsn(value) else None


@recognizer("nl-rsin")
class RsinDetector(DutchPiiRecognizer):
    presidio = "leakguard.pii.rsin:NlRsinRecognizer"


@recognizer("nl-onderwijsnummer")
class OnderwijsnummerDetector(DutchPiiRecognizer):
    presidio = "leakguard.pii.onderwijsnummer:NlOnderwijsnummerRecognizer"


@recognizer("nl-a-nummer")
class ANummerDetector(DutchPiiRecognizer):
    presidio = "leakguard.pii.anummer:NlANummerRecognizer"

    def test_data(self, value: str) -> str | None:
        return f"{TEST_DATA} (RvIG test person)" if fictional_a_nummer(value) else None


@recognizer("nl-iban")
class IbanDetector(DutchPiiRecognizer):
    presidio = "leakguard.pii.iban:NlIbanRecognizer"

    def test_data(self, value: str) -> str | None:
        return f"{TEST_DATA} (example IBAN)" if fictional_iban(value) else None

    def allowed(self, value: str) -> str | None:
        own = {compact_iban(iban) for iban in self.settings.organisation_ibans}
        return "the organisation's own account" if compact_iban(value) in own else None


@recognizer("nl-phone")
class PhoneDetector(DutchPiiRecognizer):
    presidio = "leakguard.pii.phone:NlPhoneRecognizer"

    def test_data(self, value: str) -> str | None:
        return f"{TEST_DATA} (straight-run number)" if fictional_phone(_national(value)) else None

    def allowed(self, value: str) -> str | None:
        own = {_national(number) for number in self.settings.organisation_phone_numbers}
        return "the organisation's own number" if _national(value) in own else None

    def context_required(self, value: str) -> bool:
        # A mobile number is a person's; a fixed line may be an office's.
        return phone_kind(value) != "mobile"

    def inside(self, text: str, start: int, end: int) -> str | None:
        if IBAN_GROUPS_BEFORE.search(text, max(0, start - 40), start):
            return "digits of a grouped IBAN"
        return None


# The groups of an IBAN written in fours (`NL12 ABCD 0123 4567 89`), up to a phone-like tail.
IBAN_GROUPS_BEFORE = re.compile(r"[A-Z]{2}\d{2} [A-Z0-9]{4} (?:\d{4} )*$")


def _national(value: str) -> str:
    """The significant digits of a Dutch number (without 0, +31 or 0031, and `(0)`)."""
    digits = re.sub(r"\(0\)", "", value)
    digits = re.sub(r"\D", "", digits)
    for prefix in ("0031", "31", "0"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 9:
            return digits[len(prefix) :]
    return digits


# Mailboxes of roles, systems and teams rather than persons.
ROLE_MAILBOXES = frozenset(
    """
    info informatie noreply no-reply donotreply do-not-reply support contact helpdesk
    servicedesk service admin administrator webmaster postmaster hostmaster abuse security
    privacy avg fg sales marketing hello hallo team office secretariaat receptie
    klantenservice communicatie pers press jobs vacatures hr finance financien facturen
    billing invoice invoices devops ops it ict git root mailer-daemon notifications
    notification alerts bounce bounces feedback vragen meldingen beheer functioneelbeheer
    applicatiebeheer gemeente dev developers test bot ci github gitlab dependabot renovate
    """.split()  # noqa: SIM905 - a word list reads best as words
)


# `project-users@`, `spam-request@`: mailing lists and their robots.
MAILING_LIST_SUFFIXES = (
    "-users", "-dev", "-devel", "-announce", "-request", "-list", "-help", "-owner", "-bounces",
    "-admin", "-bugs", "-commits", "-discuss", "-leden", "-team",
)  # fmt: skip


@recognizer("nl-email")
class EmailDetector(DutchPiiRecognizer):
    presidio = "leakguard.pii.email:NlEmailRecognizer"

    def __init__(self, rule: Rule, settings: DetectionSettings) -> None:
        super().__init__(rule, settings)
        self.roles = ROLE_MAILBOXES | {role.lower() for role in self.settings.role_mailboxes}
        self.domains = tuple(
            domain.lower().lstrip("@.") for domain in self.settings.organisation_domains
        )

    def refusal(self, value: str) -> str | None:
        return None if plausible_email(value) else "not an e-mail address (file name)"

    def test_data(self, value: str) -> str | None:
        domain = value.rpartition("@")[2]
        if is_test_domain(domain):
            return f"{TEST_DATA} (reserved domain)"
        return f"{TEST_DATA} (made-up address)" if placeholder_email(value) else None

    def allowed(self, value: str) -> str | None:
        local, _, domain = value.lower().rpartition("@")
        base = local.split("+", 1)[0]
        if base in self.roles or "noreply" in domain or "no-reply" in domain:
            return "a role address, not a person's"
        if domain.startswith("lists.") or base.endswith(MAILING_LIST_SUFFIXES):
            return "a mailing list, not a person's"
        if any(domain == own or domain.endswith("." + own) for own in self.domains):
            return "the organisation's own domain"
        return None


@recognizer("nl-birthdate")
class BirthDateDetector(DutchPiiRecognizer):
    presidio = "leakguard.pii.birthdate:NlBirthDateRecognizer"


@recognizer("nl-id-document")
class IdDocumentDetector(DutchPiiRecognizer):
    presidio = "leakguard.pii.iddocument:NlIdDocumentRecognizer"

    def test_data(self, value: str) -> str | None:
        return f"{TEST_DATA} (specimen document)" if fictional_document(value) else None


@recognizer("nl-kenteken")
class KentekenDetector(DutchPiiRecognizer):
    presidio = "leakguard.pii.kenteken:NlKentekenRecognizer"

    def test_data(self, value: str) -> str | None:
        return f"{TEST_DATA} (sidecode notation)" if placeholder_plate(value) else None


@recognizer("nl-postcode")
class PostcodeDetector(DutchPiiRecognizer):
    presidio = "leakguard.pii.postcode:NlPostcodeRecognizer"

    def test_data(self, value: str) -> str | None:
        return f"{TEST_DATA} (example postcode)" if fictional_postcode(value) else None

    def field_context(self, field: Field) -> Context | None:
        # A postcode points at a street, not a person: it takes a person in its record too
        # (a name, phone, e-mail...), unlike a geocoder's fixture.
        found = super().field_context(field)
        if found is None or found.reason is None:
            return found
        if PERSON_KINDS.isdisjoint(personal_fields(field.record, ignore=field.key)):
            return Context(blocked="a postcode with no person in its record")
        return found


@recognizer("nl-address")
class AddressDetector(DutchPiiRecognizer):
    presidio = "leakguard.pii.address:NlAddressRecognizer"

    def test_data(self, value: str) -> str | None:
        return f"{TEST_DATA} (example street)" if placeholder_street(value) else None

    def allowed(self, value: str) -> str | None:
        own = [normalized(address) for address in self.settings.organisation_addresses]
        key = normalized(value)
        if any(key.startswith(address) or address.startswith(key) for address in own if address):
            return "the organisation's own address"
        return None

    def context_of(
        self, view: FragmentView, text: str, index: int, start: int, end: int
    ) -> Context:
        found = super().context_of(view, text, index, start, end)
        # An address block: the street and number, then postcode and city on the next line.
        block = not text[end:].strip(" ,") and index + 1 < view.clamp(index + 2)
        if found.reason is None and block and POSTCODE_CITY.match(view.line(index + 1)):
            return Context("context: postcode and city on the next line", ("adres",))
        return found


POSTCODE_CITY = re.compile(r"\s*[1-9]\d{3} ?[A-Z]{2}\s+[A-Z][a-z]")


@recognizer("nl-address-field")
class AddressFieldDetector(AddressDetector):
    """Any name and number under an address key (streets without a street word in their name);
    addresses with a street word are the regex rule's (`nl-address`), not reported twice."""

    def refusal(self, value: str) -> str | None:
        if SUFFIXED_STREET.match(value):
            return "reported by the street-name rule"
        return super().refusal(value)


SUFFIXED_STREET = re.compile(rf"{STREET}\s+{HOUSE_NUMBER}")


class NameDetector(DutchPiiRecognizer):
    def refusal(self, value: str) -> str | None:
        words = value.replace(".", " ").split()
        if any(NOT_NAMES.match(word) for word in words):
            return "not a name (a role, placeholder or organisation)"
        if self.keys.match(value) or self.weak_keys.match(value):
            return "a field label, not a name"  # translations: {"voornaam": "Voornaam"}
        return super().refusal(value)

    def test_data(self, value: str) -> str | None:
        surname = value.lower().split()[-1] if value.split() else ""
        if normalized(value).lower() in PLACEHOLDER_NAMES or surname in PLACEHOLDER_SURNAMES:
            return f"{TEST_DATA} (placeholder name)"
        return None


@recognizer("nl-person")
class PersonFieldDetector(NameDetector):
    presidio = "leakguard.pii.person:NlPersonNameRecognizer"

    def inside(self, text: str, start: int, end: int) -> str | None:
        # The name is the field's value, not capitalised words in a phrase
        # (`'Hoofdcategorie publieke naam'`).
        after = text[end : end + 3].lstrip(" ")
        before = text[max(0, start - 3) : start].rstrip(" ")
        if after[:1].isalpha() or before[-1:].isalpha():
            return "words of a longer text"
        return None


@recognizer("nl-person-title")
class SalutationDetector(NameDetector):
    """A title or salutation (dhr., mevr., de heer, mevrouw) and the name after it."""

    presidio = "leakguard.pii.salutation:NlSalutationRecognizer"

    def check_reasons(self) -> tuple[str, ...]:
        return ("title",)
