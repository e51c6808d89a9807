"""Example generators for Dutch personal data: `${gen:bsn}`, `${gen:iban:NL}`, `${gen:phone}`...

The rule files, the tests, the labelled evaluation set and the benchmark build their personal
numbers here, at run time: no literal in the repository is a real-looking BSN, IBAN, phone
number or e-mail address of a person (leakguard scans its own history). Values are drawn from
the `rng` handed in, so each template expands the same way every time. A generated valid value
is never one of the known fictional ones: those are allowed test data, not examples.
"""

from __future__ import annotations

import datetime
import random

from leakguard.pii.banks import dutch_bank_codes
from leakguard.pii.testdata import fictional_bsn, fictional_iban, fictional_phone
from leakguard.rule_examples import ExampleError, generator
from leakguard.validators.pii_nl import (
    BSN_WEIGHTS,
    IBAN_LENGTHS,
    KENTEKEN_LETTERS,
    KENTEKEN_NEVER,
    SIDECODES,
    a_nummer,
    eleven_test_sum,
    iban_remainder,
)

DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNPQRSTUVWXYZ"  # no O: documents never use it
FIRST_NAMES = (
    "Jan", "Piet", "Kees", "Sanne", "Emma", "Daan", "Lotte", "Sem", "Julia", "Lucas", "Fenna",
    "Noah", "Tess", "Bram", "Anna", "Mohamed", "Fatima", "Youssef", "Sara", "Ayoub", "Nina",
    "Thijs", "Iris", "Ruben", "Femke", "Joost", "Marieke", "Wouter", "Esther", "Henk", "Ingrid",
)  # fmt: skip
LAST_NAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
    "Yilmaz", "el Amrani", "Bennani", "Kaya", "Veenstra", "Koster", "Prins", "Huisman",
)  # fmt: skip
STREETS = (
    "Kalverstraat", "Prinsengracht", "Keizersgracht", "Herengracht", "Van Baerlestraat",
    "Ferdinand Bolstraat", "Javastraat", "Bilderdijkstraat", "Kinkerstraat",
    "Jan Pieter Heijestraat", "Admiraal de Ruijterweg", "Bijlmerdreef", "Stadhouderskade",
    "Dorpsstraat", "Kerkstraat", "Stationsweg", "Molenweg", "Schoolstraat", "Julianalaan",
    "Ceintuurbaan", "Overtoomsesluis", "Rozengracht", "Linnaeusstraat", "Middenweg",
)  # fmt: skip
# Streets whose names have no street word in them: only an address key says what they are.
PLAIN_STREETS = ("Rokin", "Spui", "Amstel", "Singel", "Haarlemmer Houttuinen")
CITIES = ("Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Haarlem", "Zaandam", "Amstelveen",
          "Almere", "Diemen", "Weesp", "Purmerend", "Hoofddorp")  # fmt: skip
MAIL_DOMAINS = ("gmail.com", "hotmail.com", "outlook.com", "ziggo.nl", "kpnmail.nl", "xs4all.nl",
                "live.nl", "planet.nl", "icloud.com", "yahoo.com")  # fmt: skip
AREA_CODES = ("20", "10", "30", "70", "23", "24", "26", "40", "50", "71", "72", "75", "35")
MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december")  # fmt: skip


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(DIGITS) for _ in range(count))


def valid_bsn(rng: random.Random) -> str:
    """A 9-digit number that passes the 11-proef and is not on a fictional list."""
    while True:
        head = rng.choice("123456789") + _digits(rng, 7)
        partial = sum(w * int(d) for w, d in zip(BSN_WEIGHTS, head, strict=False))
        last = partial % 11
        if last < 10:
            number = head + str(last)
            if not fictional_bsn(number):
                return number


def invalid_bsn(rng: random.Random) -> str:
    while True:
        number = rng.choice("123456789") + _digits(rng, 8)
        if eleven_test_sum(number) % 11:
            return number


@generator("bsn")
def bsn(rng: random.Random, argument: str) -> str:
    """ARG: `` (plain), `dotted` (1234.56.782), `spaced` (123 456 782), `invalid` (fails the
    11-proef), `test` (a fictional one from the RvIG test range)."""
    if argument == "invalid":
        return invalid_bsn(rng)
    if argument == "test":
        while True:
            number = "9999" + _digits(rng, 5)
            if eleven_test_sum(number) % 11 == 0:
                return number
    number = valid_bsn(rng)
    if argument == "dotted":
        return f"{number[:4]}.{number[4:6]}.{number[6:]}"
    if argument == "spaced":
        return f"{number[:3]} {number[3:6]} {number[6:]}"
    if argument:
        raise ExampleError(f"bsn: unknown form {argument!r}")
    return number


@generator("rsin")
def rsin(rng: random.Random, argument: str) -> str:
    return invalid_bsn(rng) if argument == "invalid" else valid_bsn(rng)


@generator("onderwijsnummer")
def onderwijsnummer(rng: random.Random, argument: str) -> str:
    while True:
        number = "10" + _digits(rng, 7)
        holds = eleven_test_sum(number) % 11 == 5
        if holds != (argument == "invalid"):
            return number


@generator("a-nummer")
def a_nummer_value(rng: random.Random, argument: str) -> str:
    while True:
        digits = [rng.choice("123456789")]
        while len(digits) < 10:
            digit = rng.choice(DIGITS)
            if digit != digits[-1]:
                digits.append(digit)
        number = "".join(digits)
        if a_nummer(number) != (argument == "invalid"):
            return number


def _bban(rng: random.Random, country: str) -> str:
    if country == "NL":
        return rng.choice(sorted(dutch_bank_codes())) + _digits(rng, 10)
    if country == "GB":
        return "".join(rng.choice(LETTERS) for _ in range(4)) + _digits(rng, 14)
    if country == "FR":
        return (
            _digits(rng, 10)
            + "".join(rng.choice(DIGITS + LETTERS) for _ in range(11))
            + _digits(rng, 2)
        )
    return _digits(rng, IBAN_LENGTHS[country] - 4)


def _with_check_digits(country: str, bban: str) -> str:
    check = 98 - iban_remainder(f"{country}00{bban}")
    return f"{country}{check:02d}{bban}"


@generator("iban")
def iban(rng: random.Random, argument: str) -> str:
    """ARG: a country code (`NL` by default, with a bank on the Dutch list), `NL:spaced`,
    `NL:unknown-bank` (valid mod 97, bank not on the list), `invalid` (fails mod 97)."""
    country, _, form = argument.partition(":")
    country = country or "NL"
    if country == "invalid":
        number = iban(rng, "NL")
        return number[:2] + f"{(int(number[2:4]) + 1) % 100:02d}" + number[4:]
    if country not in IBAN_LENGTHS:
        raise ExampleError(f"iban: unknown country {country!r}")
    while True:
        bban = _bban(rng, country)
        if form == "unknown-bank":
            bban = "QQ" + "".join(rng.choice("XYZ") for _ in range(2)) + bban[4:]
        number = _with_check_digits(country, bban)
        if not fictional_iban(number):
            break
    if form == "spaced":
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return number


@generator("phone")
def phone(rng: random.Random, argument: str) -> str:
    """ARG: `mobile` (default, 06-12345678 form), `mobile-compact`, `mobile-intl` (+31 6 ...),
    `mobile-0031`, `fixed` (020-1234567), `fixed-intl` (+31 20 ...), `test` (a straight run)."""
    form = argument or "mobile"
    if form == "test":
        return "06-12345678"
    while True:
        if form.startswith("mobile"):
            national = "6" + rng.choice("12345") + _digits(rng, 7)
        else:
            area = rng.choice(AREA_CODES)
            national = area + rng.choice("23456789") + _digits(rng, 9 - len(area) - 1)
        if not fictional_phone(national):
            break
    if form == "mobile":
        return f"0{national[:1]}-{national[1:]}"
    if form == "mobile-compact":
        return f"0{national}"
    if form == "mobile-intl":
        return f"+31 {national[:1]} {national[1:]}"
    if form == "mobile-0031":
        return f"0031{national}"
    area = national[:2]
    if form == "fixed":
        return f"0{area}-{national[2:]}"
    if form == "fixed-intl":
        return f"+31 {area} {national[2:5]} {national[5:]}"
    raise ExampleError(f"phone: unknown form {argument!r}")


@generator("first-name")
def first_name(rng: random.Random, _: str) -> str:
    return rng.choice(FIRST_NAMES)


@generator("last-name")
def last_name(rng: random.Random, argument: str) -> str:
    """ARG `capital`: a leading particle capitalised, as after a title."""
    name = rng.choice(LAST_NAMES)
    return name[0].upper() + name[1:] if argument == "capital" else name


@generator("full-name")
def full_name(rng: random.Random, argument: str) -> str:
    """`Sanne de Vries`; ARG `initials`: `S.J. de Vries`."""
    if argument == "initials":
        initials = "".join(f"{rng.choice('ABCDEFGHJKLMNPRSTW')}." for _ in range(rng.randint(1, 2)))
        return f"{initials} {rng.choice(LAST_NAMES)}"
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


@generator("email")
def email(rng: random.Random, argument: str) -> str:
    """ARG: `` (a person's address), `role` (info@...), `test` (a reserved domain)."""
    first = rng.choice(FIRST_NAMES).lower()
    last = rng.choice(LAST_NAMES).replace(" ", "").lower()
    if argument == "role":
        return f"{rng.choice(['info', 'noreply', 'servicedesk'])}@{rng.choice(MAIL_DOMAINS)}"
    domain = "example.com" if argument == "test" else rng.choice(MAIL_DOMAINS)
    local = rng.choice(
        [f"{first}.{last}", f"{first[0]}.{last}", f"{first}{last}{rng.randint(1, 99)}"]
    )
    return f"{local}@{domain}"


@generator("id-document")
def id_document(rng: random.Random, argument: str) -> str:
    """A passport or identity card number; ARG `invalid`: with the letter O."""
    body = "".join(rng.choice(LETTERS) for _ in range(2))
    body += "".join(rng.choice(LETTERS + DIGITS) for _ in range(6)) + rng.choice(DIGITS)
    return body[:3] + "O" + body[4:] if argument == "invalid" else body


@generator("kenteken")
def kenteken_value(rng: random.Random, argument: str) -> str:
    """ARG: a sidecode (4-14; random by default), or `invalid` (a shape no sidecode has)."""
    if argument == "invalid":
        return "ABC-DEF-1"
    sidecode = int(argument) if argument else rng.randint(4, 14)
    shape = next(shape for shape, code in SIDECODES.items() if code == sidecode)
    letters = sorted(KENTEKEN_LETTERS)
    while True:
        plate = "".join(
            rng.choice(letters) if ch == "L" else rng.choice(DIGITS) if ch == "D" else "-"
            for ch in shape
        )
        if not any(group in KENTEKEN_NEVER for group in plate.split("-")):
            return plate


@generator("postcode")
def postcode(rng: random.Random, argument: str) -> str:
    """`1234 AB`; ARG `compact` (1234AB) or `invalid` (letters SS, never issued)."""
    digits = rng.choice("123456789") + _digits(rng, 3)
    letters = (
        "SS"
        if argument == "invalid"
        else rng.choice("ABCEGHJKLMNPRTVWXZ") + rng.choice("ABCDEGHJKLMNPRTVWXZ")
    )
    return f"{digits}{letters}" if argument == "compact" else f"{digits} {letters}"


@generator("birthdate")
def birthdate(rng: random.Random, argument: str) -> str:
    """ARG: `nl` (dd-mm-jjjj, default), `slash` (d/m/jjjj), `dotted`, `iso`, `compact`
    (jjjjmmdd), `worded` (d maand jjjj)."""
    date = datetime.date(1935, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 70))
    form = argument or "nl"
    forms = {
        "nl": f"{date.day:02d}-{date.month:02d}-{date.year}",
        "slash": f"{date.day}/{date.month}/{date.year}",
        "dotted": f"{date.day:02d}.{date.month:02d}.{date.year}",
        "iso": date.isoformat(),
        "compact": f"{date.year}{date.month:02d}{date.day:02d}",
        "worded": f"{date.day} {MONTH_NAMES[date.month - 1]} {date.year}",
    }
    if form not in forms:
        raise ExampleError(f"birthdate: unknown form {argument!r}")
    return forms[form]


@generator("street")
def street(rng: random.Random, _: str) -> str:
    return rng.choice(STREETS)


@generator("city")
def city(rng: random.Random, _: str) -> str:
    return rng.choice(CITIES)


@generator("address")
def address(rng: random.Random, argument: str) -> str:
    """Street and house number; ARG `full`: with postcode and city; `plain`: a street whose
    name has no street word in it (such as Rokin)."""
    number = str(rng.randint(1, 350)) + rng.choice(["", "", "A", "-2", " hs", "-III"])
    streets = PLAIN_STREETS if argument == "plain" else STREETS
    line = f"{rng.choice(streets)} {number}"
    if argument == "full":
        line += f", {postcode(rng, '')} {rng.choice(CITIES)}"
    return line
