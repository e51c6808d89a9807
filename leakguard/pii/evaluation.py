"""The labelled set for the Dutch detectors: templates whose personal values are marked.

A case is (path, template); `«ENTITY:...»` marks a value the detectors must report as ENTITY.
Expanding a template (`leakguard.rule_examples.expand`) builds the fake values at run time;
`labelled` strips the marks and returns the text with the marked spans. Nothing unmarked may be
reported. The same cases drive the detector tests (tests/test_pii_detectors.py) and the
precision/recall benchmark (benchmarks/pii_accuracy.py), which expands each one with many seeds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leakguard.rule_examples import expand

MARK = re.compile(r"«([A-Z_]+):(.*?)»", re.DOTALL)


@dataclass(frozen=True)
class Labelled:
    path: str
    text: str
    spans: tuple[tuple[str, int, int], ...]  # (entity, start, end) in text


def labelled(path: str, template: str, seed: str) -> Labelled:
    expanded = expand(template, seed)
    text_parts: list[str] = []
    spans: list[tuple[str, int, int]] = []
    position = 0
    length = 0
    for match in MARK.finditer(expanded):
        before = expanded[position : match.start()]
        text_parts.append(before)
        length += len(before)
        value = match.group(2)
        spans.append((match.group(1), length, length + len(value)))
        text_parts.append(value)
        length += len(value)
        position = match.end()
    text_parts.append(expanded[position:])
    return Labelled(path, "".join(text_parts), tuple(spans))


# --- true cases: every detector, in each structured format and in prose ---------------------

TRUE_CASES: dict[str, list[tuple[str, str]]] = {
    "BSN": [
        ("klanten.csv", "id,naam,bsn\n1,Klant,«BSN:${gen:bsn}»\n2,Klant,«BSN:${gen:bsn}»\n"),
        ("export.tsv", "bsn\tnaam\n«BSN:${gen:bsn}»\tKlant\n"),
        ("p.json", '{"persoon": {\n  "burgerservicenummer": "«BSN:${gen:bsn}»"\n}}\n'),
        ("p.json", '{"nummer": "«BSN:${gen:bsn}»", "voornaam": "X", "geboortedatum": null}\n'),
        ("p.yaml", "personen:\n  - bsn: «BSN:${gen:bsn:dotted}»\n    naam: Klant\n"),
        (
            "seed.sql",
            "INSERT INTO p (id, bsn) VALUES\n (1, '«BSN:${gen:bsn}»'),\n"
            " (2, '«BSN:${gen:bsn}»');\n",
        ),
        ("dump.sql", "COPY public.p (id, bsn) FROM stdin;\n1\t«BSN:${gen:bsn}»\n\\.\n"),
        ("app.log", "2024-01-02 10:00:00 INFO aanvraag bsn=«BSN:${gen:bsn}» status=ok\n"),
        (".env", "TEST_BSN=«BSN:${gen:bsn}»\n"),
        ("app.ini", "[klant]\nsofinummer = «BSN:${gen:bsn}»\n"),
        ("p.xml", "<persoon><bsn>«BSN:${gen:bsn}»</bsn></persoon>\n"),
        ("notes.md", "Het burgerservicenummer van de klant is «BSN:${gen:bsn:spaced}».\n"),
        ("notes.md", "| Naam | BSN |\n|------|-----|\n| Klant | «BSN:${gen:bsn}» |\n"),
    ],
    "RSIN": [("org.yaml", "rsin: «RSIN:${gen:rsin}»\n")],
    "ONDERWIJSNUMMER": [
        ("l.json", '{"onderwijsnummer": "«ONDERWIJSNUMMER:${gen:onderwijsnummer}»"}')
    ],
    "A_NUMMER": [
        ("brp.json", '{"aNummer": "«A_NUMMER:${gen:a-nummer}»"}\n'),
        ("brp.csv", "anummer;naam\n«A_NUMMER:${gen:a-nummer}»;Klant\n"),
    ],
    "IBAN": [
        ("betaling.csv", "naam,iban\nKlant,«IBAN:${gen:iban}»\n"),
        ("b.json", '{"rekening": "«IBAN:${gen:iban:NL:spaced}»"}\n'),
        ("b.yaml", "iban: «IBAN:${gen:iban:DE}»\n"),
        ("mail.txt", "Graag overmaken op «IBAN:${gen:iban:BE}» t.n.v. de aanvrager.\n"),
        ("b.sql", "INSERT INTO b (id, iban) VALUES (1, '«IBAN:${gen:iban:FR}»');\n"),
    ],
    "PHONE_NUMBER": [
        ("c.csv", "naam;telefoon\nKlant;«PHONE_NUMBER:${gen:phone:fixed}»\n"),
        ("c.json", '{"mobiel": "«PHONE_NUMBER:${gen:phone:mobile-compact}»"}\n'),
        ("c.log", "sms verstuurd naar «PHONE_NUMBER:${gen:phone:mobile-intl}»\n"),
        ("README.md", "Bel «PHONE_NUMBER:${gen:phone:mobile-0031}» voor vragen.\n"),
        (".env", "CONTACT_TEL=«PHONE_NUMBER:${gen:phone:fixed-intl}»\n"),
    ],
    "EMAIL_ADDRESS": [
        ("c.csv", "naam,email\nKlant,«EMAIL_ADDRESS:${gen:email}»\n"),
        ("c.json", '{"contact": {"email": "«EMAIL_ADDRESS:${gen:email}»"}}\n'),
        ("app.log", "login ok user=«EMAIL_ADDRESS:${gen:email}»\n"),
        ("README.md", "Vragen? Mail [de beheerder](mailto:«EMAIL_ADDRESS:${gen:email}»).\n"),
    ],
    "DATE_OF_BIRTH": [
        ("p.csv", "naam;geboortedatum\nKlant;«DATE_OF_BIRTH:${gen:birthdate}»\n"),
        (
            "p.json",
            '{"geboorte": {\n  "datum": {"datum": "«DATE_OF_BIRTH:${gen:birthdate:iso}»"}\n}}\n',
        ),
        ("p.yaml", "date_of_birth: «DATE_OF_BIRTH:${gen:birthdate:compact}»\n"),
        (
            "p.sql",
            "INSERT INTO p (naam, geb_datum) VALUES\n"
            "  ('Klant', '«DATE_OF_BIRTH:${gen:birthdate:iso}»');\n",
        ),
        (
            "brief.md",
            "De aanvrager, geboren op «DATE_OF_BIRTH:${gen:birthdate:worded}», woont in Weesp.\n",
        ),
    ],
    "ID_DOCUMENT": [
        ("d.json", '{"documentnummer": "«ID_DOCUMENT:${gen:id-document}»"}\n'),
        ("d.csv", "naam,paspoortnummer\nKlant,«ID_DOCUMENT:${gen:id-document}»\n"),
        ("notes.txt", "Kopie paspoort ontvangen: «ID_DOCUMENT:${gen:id-document}».\n"),
    ],
    "KENTEKEN": [
        ("v.yaml", "kenteken: «KENTEKEN:${gen:kenteken}»\n"),
        ("v.csv", "kenteken,merk\n«KENTEKEN:${gen:kenteken:9}»,Opel\n"),
        ("melding.md", "Auto met kenteken «KENTEKEN:${gen:kenteken:5}» staat fout.\n"),
    ],
    "POSTCODE": [
        ("a.json", '{"naam": "Klant", "postcode": "«POSTCODE:${gen:postcode:compact}»"}\n'),
        ("a.csv", "naam,postcode\nKlant,«POSTCODE:${gen:postcode}»\n"),
    ],
    "ADDRESS": [
        ("a.yaml", "woonadres: «ADDRESS:${gen:address}»\n"),
        ("a.md", "De melder woont op «ADDRESS:${gen:address:full}».\n"),
        ("a.json", '{"adres": "«ADDRESS:${gen:address:plain}»"}\n'),
        # An address block: the street line's match runs into the next lines.
        ("brief.txt", "${gen:full-name}\n«ADDRESS:${gen:address}»\n${gen:postcode} ${gen:city}\n"),
    ],
    "PERSON": [
        ("p.csv", "voornaam;achternaam\n«PERSON:${gen:first-name}»;«PERSON:${gen:last-name}»\n"),
        ("p.json", '{"naam": "«PERSON:${gen:full-name}»", "email": "x@example.com"}\n'),
        (
            "p.sql",
            "INSERT INTO k (first_name, last_name) VALUES\n"
            "  ('«PERSON:${gen:first-name}»', '«PERSON:${gen:last-name}»');\n",
        ),
        ("p.yaml", "contactpersoon: «PERSON:${gen:full-name:initials}»\n"),
        ("notes.py", "# Afgestemd met dhr. «PERSON:${gen:full-name:initials}» (team Parkeren)\n"),
        (
            "mail.md",
            "Beste collega,\n\nDank!\n\nMet vriendelijke groet,\n\n«PERSON:${gen:full-name}»\n",
        ),
        ("brief.txt", "Geachte mevrouw «PERSON:${gen:last-name:capital}»,\n"),
    ],
}

# --- near misses: nothing in these may be reported -----------------------------------------

NEAR_MISSES: list[tuple[str, str]] = [
    ("bsn.yaml", "bsn: ${gen:bsn:invalid}\n"),  # fails the 11-proef
    ("ids.py", "ORDER_IDS = [${gen:bsn}, ${gen:bsn}]\nTIMEOUT = ${gen:bsn}\n"),  # no context
    ("order.json", '{"ordernummer": "${gen:bsn}", "naam": "Klant"}\n'),  # a field that says no
    ("fixture.json", '{"bsn": "${gen:bsn:test}"}\n'),  # RvIG test range
    ("fixture.yaml", "burgerservicenummer: 111222333\n"),  # public example BSN
    ("geo.json", '{"coordinates": [4.${gen:bsn}, 52.${gen:bsn}]}\n'),  # decimals
    ("iban.yaml", "iban: ${gen:iban:invalid}\n"),  # fails mod 97
    ("iban.txt", "iban: ${gen:iban:NL:unknown-bank}\n"),  # no such Dutch bank
    ("iban.md", "Voorbeeld: NL91ABNA0417164300\n"),  # the ISO example
    ("tel.yaml", "telefoon: ${gen:phone:test}\n"),  # straight run
    ("kvk.yaml", "kvk: ${gen:phone:fixed}\n"),  # a fixed line needs context
    ("build.log", "stap ${gen:phone:fixed} klaar\n"),  # nor any field around it
    ("mail.yaml", "email: ${gen:email:role}\nfallback: ${gen:email:test}\n"),  # role, reserved
    ("style.css", ".logo { background: url(logo@2x.png); }\n"),
    ("clone.sh", "git clone git@github.com:amsterdam/leakguard.git\n"),
    ("dates.json", '{"aangemaakt": "${gen:birthdate:iso}", "gewijzigd": "${gen:birthdate}"}\n'),
    ("dob.yaml", "geboortedatum: 31-02-1980\n"),  # no such date
    ("doc.yaml", "paspoortnummer: ${gen:id-document:invalid}\nspecimen: SPECI2014\n"),
    ("parts.json", '{"artikelnummer": "${gen:id-document}"}\n'),  # shape without context
    ("plate.yaml", "kenteken: ${gen:kenteken:invalid}\nformaat: XX-99-99\n"),
    ("pc.yaml", "postcode: ${gen:postcode:invalid}\nvoorbeeld_postcode: 1234 AB\n"),
    ("street.md", "De Kalverstraat is een winkelstraat.\n"),
    ("geocoder.json", '{"weergavenaam": "${gen:address:full}", "postcode": "${gen:postcode}"}\n'),
    ("org.json", '{"naam": "Gemeente Amsterdam", "type": "organisatie"}\n'),
    ("titles.md", "Geachte heer/mevrouw,\n\nGeachte mevrouw de Burgemeester,\n"),
    ("sig.md", "Met vriendelijke groet,\n\nTeam Datapunt\n"),
    ("code.py", "def naam(self) -> str:\n    return self.Naam\n"),
]


def all_true_cases() -> list[tuple[str, str, str]]:
    """(entity, path, template) for every true case."""
    return [
        (entity, path, template) for entity, cases in TRUE_CASES.items() for path, template in cases
    ]


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


def offsets(text: str, line: int, column: int) -> int:
    """The offset in `text` of a 1-based (line, column)."""
    position = 0
    for _ in range(line - 1):
        position = text.index("\n", position) + 1
    return position + column - 1


def score(case: Labelled, found: list[tuple[str, int, int]], scores: dict[str, Score]) -> None:
    """Add one case's outcome to per-entity scores; `found` holds (entity, start, end)."""
    matched: set[int] = set()
    for entity, start, end in found:
        hit = next(
            (
                index
                for index, (label, a, b) in enumerate(case.spans)
                if label == entity and start < b and a < end
            ),
            None,
        )
        if hit is None:
            scores.setdefault(entity, Score()).false_positives += 1
        elif hit not in matched:
            matched.add(hit)
            scores.setdefault(entity, Score()).true_positives += 1
    for index, (label, _, _) in enumerate(case.spans):
        if index not in matched:
            scores.setdefault(label, Score()).false_negatives += 1
