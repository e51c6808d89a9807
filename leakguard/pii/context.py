"""Vocabulary: which field names and words say that a value is personal, and of what kind.

Keys come from every kind of source (`bsn`, `klantBsn`, `BSN-nummer`, `01.20`, `Geboortedatum`),
so a key is split into lowercase tokens (camelCase, `_`, `-`, `.` and spaces split) before it is
compared. A term in a rule file says how it may match:

- `naam`: a token, or the whole key with its separators removed, equals it;
- `bsn*`: a token or the whole key starts with it (`bsnnummer`, `bsn_klant`);
- `*bsn`: ends with it (`klantbsn`);
- `*bsn*`: contains it;
- `=naam`: the whole key is it (`naam`, `Naam`; not `bestandsnaam` or `product_naam`).

Terms are matched, never keys printed: a reason names the term (`context: column bsn`), so a
report cannot quote a field name that itself holds personal data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=4096)
def key_tokens(key: str) -> tuple[str, ...]:
    """`klantBsn_nummer` -> (`klant`, `bsn`, `nummer`, `klantbsnnummer`): tokens, then the
    whole key without separators (when it has more than one token)."""
    tokens = [token for token in NOT_ALNUM.split(CAMEL.sub(" ", key).lower()) if token]
    if len(tokens) > 1:
        tokens.append("".join(tokens))
    return tuple(tokens)


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # lowercase letters and digits
    prefix: bool  # `term*`: tokens that start with it
    suffix: bool  # `*term`: tokens that end with it
    whole: bool = False  # `=term`: the whole key, not one of its tokens

    @classmethod
    def parse(cls, spec: str) -> Term:
        text = NOT_ALNUM.sub("", spec.strip("*=").lower())
        return cls(text, spec.endswith("*"), spec.startswith("*"), spec.startswith("="))

    def matches_key(self, tokens: tuple[str, ...]) -> bool:
        if self.whole:
            return bool(tokens) and tokens[-1] == self.text  # the last is the whole key
        return any(self.matches(token) for token in tokens)

    def matches(self, token: str) -> bool:
        if self.prefix and self.suffix:
            return self.text in token
        if self.prefix:
            return token.startswith(self.text)
        if self.suffix:
            return token.endswith(self.text)
        return token == self.text


class Terms:
    """A rule's list of field-name terms; `match(key)` gives the term a key matches."""

    def __init__(self, specs: Iterable[str]) -> None:
        self.terms = tuple(Term.parse(spec) for spec in specs if NOT_ALNUM.sub("", spec.lower()))
        # The same few field names come back for every row of a table: remember the answers.
        self._known: dict[str, str | None] = {}

    def __bool__(self) -> bool:
        return bool(self.terms)

    def match(self, key: str | None) -> str | None:
        if not key:
            return None
        if key in self._known:
            return self._known[key]
        tokens = key_tokens(key)
        found = next((term.text for term in self.terms if term.matches_key(tokens)), None)
        if len(self._known) > 4096:
            self._known.clear()
        self._known[key] = found
        return found

    def match_any(self, keys: Sequence[str]) -> str | None:
        for key in keys:
            term = self.match(key)
            if term is not None:
                return term
        return None


# Fields that make a record one about a person. A record with two or more of these (besides the
# value's own field) is context for values whose own field name says less (`nummer`, `id`).
PERSONAL_FIELDS: dict[str, Terms] = {
    "name": Terms(
        [
            "voornaam*", "voornamen", "achternaam*", "*achternaam", "geslachtsnaam*",
            "voorletters", "tussenvoegsel", "voorvoegsel", "firstname", "lastname", "surname",
            "givenname", "familyname", "fullname", "volledigenaam", "*contactpersoon*", "=naam",
        ]
    ),
    "birth": Terms(["geboorte*", "geb", "gebdat*", "birth*", "*birthdate", "dob", "*dateofbirth"]),
    "address": Terms(
        [
            "adres*", "*adres", "straat", "straatnaam", "huisnummer*", "huisletter", "postcode*",
            "woonplaats*", "address*", "street*", "housenumber", "zipcode", "postalcode",
        ]
    ),
    "phone": Terms(
        ["telefoon*", "*telefoon*", "tel", "telnr", "mobiel*", "phone*", "*phone", "gsm"]
    ),
    "email": Terms(["email*", "*email", "e-mail*", "mail", "emailadres*", "*mailadres"]),
    "bank": Terms(["iban*", "*iban", "rekeningnummer*", "*rekeningnummer", "bankrekening*"]),
    "bsn": Terms(["bsn*", "*bsn", "burgerservicenummer*", "sofinummer"]),
    "gender": Terms(["geslacht", "gender", "geslachtsaanduiding"]),
    "document": Terms(
        ["paspoort*", "*paspoort*", "identiteitskaart*", "idkaart*", "documentnummer*", "passport*"]
    ),
}  # fmt: skip


# Kinds of field that make a record a person's (an address alone may be a building's).
PERSON_KINDS = frozenset({"name", "birth", "phone", "email", "bank", "bsn", "gender", "document"})

# The kind of personal field each entity is (for entities that have one).
ENTITY_KINDS = {
    "BSN": "bsn",
    "IBAN": "bank",
    "PHONE_NUMBER": "phone",
    "EMAIL_ADDRESS": "email",
    "DATE_OF_BIRTH": "birth",
    "ADDRESS": "address",
    "POSTCODE": "address",
    "PERSON": "name",
}


@lru_cache(maxsize=4096)
def other_kind(key: str, entity: str) -> str | None:
    """The kind of personal field `key` names when that is not `entity`'s kind: a value under
    `telefoon` is a phone number, whatever else it looks like."""
    own = ENTITY_KINDS.get(entity)
    for kind, terms in PERSONAL_FIELDS.items():
        if kind != own and terms.match(key) is not None:
            return kind
    return None


def personal_fields(keys: Iterable[str], ignore: str | None = None) -> list[str]:
    """The kinds of personal field among `keys` (each kind once), leaving out `ignore`."""
    found: list[str] = []
    for key in keys:
        if key != ignore:
            found.extend(kind for kind in kinds_of(key) if kind not in found)
    return found


@lru_cache(maxsize=4096)
def kinds_of(key: str) -> tuple[str, ...]:
    return tuple(kind for kind, terms in PERSONAL_FIELDS.items() if terms.match(key) is not None)


# Words that are not names, in values of name fields and after titles.
NOT_NAMES = Terms(
    """
    test tester testpersoon admin beheerder gebruiker user onbekend unknown anoniem
    anonymous voorbeeld example naam name string null none undefined todo default demo dummy
    foo bar gemeente stadsdeel afdeling team directie dienst bureau stichting vereniging
    bedrijf organisatie company project applicatie systeem burgemeester wethouder voorzitter
    directeur minister secretaris griffier raadslid ambtenaar medewerker bewoner klant
    melder aanvrager true false yes no ja nee geachte beste hallo hoi dear mevrouw meneer
    heer dhr mevr patched updated changed edited simple sample new old first last other
    """.split()  # noqa: SIM905 - a word list reads best as words
)
PLACEHOLDER_NAMES = frozenset(
    {"johndoe", "janedoe", "janmodaal", "maxmustermann", "pietpuk", "john", "jane"}
)  # `john` alone: the first-name field of a John Doe
# Surnames that only examples have.
PLACEHOLDER_SURNAMES = frozenset({"doe", "modaal", "mustermann", "puk"})
