# ruff: noqa: E501 - one labelled case per line reads better than wrapped templates
"""Precision and recall of the Dutch detectors per entity type, on a labelled set.

    python benchmarks/pii_accuracy.py [--seeds 25] [--engine hyperscan]

Two labelled sets, both templates with marked values (`«ENTITY:value»`, see
`leakguard.pii.evaluation`) expanded with many seeds, so every run sees thousands of fresh
generated values:

- the development set (`leakguard.pii.evaluation`: TRUE_CASES and NEAR_MISSES), written
  while the detectors were built and used by the tests;
- the held-out set below (HELD_OUT_TRUE, HELD_OUT_NEAR), written afterwards in other formats
  and phrasings (XML, TOML, HTML, Java properties, JS objects, git trailers, Markdown lists)
  and not tuned on.

A third line counts findings on real code that holds no planted data (CPython's standard
library): every finding there is either a false positive or personal data that really is in
that code (contributors' e-mail addresses).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from leakguard.detectors.engine import Detector
from leakguard.models import Category, Fragment, Origin
from leakguard.pii.evaluation import NEAR_MISSES, TRUE_CASES, Score, labelled, offsets, score
from leakguard.ruleset import load_builtin_rules

HELD_OUT_TRUE: list[tuple[str, str]] = [
    ("persoon.xml", "<Persoon>\n  <BurgerServiceNummer>«BSN:${gen:bsn}»</BurgerServiceNummer>\n</Persoon>\n"),
    ("klant.toml", '[klant]\nbsn_nummer = "«BSN:${gen:bsn}»"\ngeboortedatum = "«DATE_OF_BIRTH:${gen:birthdate:iso}»"\n'),
    ("fixture.js", "export const klant = {\n  burgerServiceNummer: '«BSN:${gen:bsn}»',\n  email: '«EMAIL_ADDRESS:${gen:email}»',\n};\n"),
    ("app.properties", "contact.telefoon=«PHONE_NUMBER:${gen:phone:fixed}»\ncontact.email=«EMAIL_ADDRESS:${gen:email}»\n"),
    ("tabel.html", "<table>\n<tr><th>Naam</th><th>BSN</th></tr>\n<tr><td>Klant</td><td>«BSN:${gen:bsn}»</td></tr>\n</table>\n"),
    ("notulen.md", "- Aanwezig: dhr. «PERSON:${gen:full-name:initials}», mevr. «PERSON:${gen:last-name:capital}»\n- BSN: «BSN:${gen:bsn:dotted}»\n"),
    ("verzoek.txt", "Mijn rekeningnummer is «IBAN:${gen:iban:NL:spaced}», mijn telefoon «PHONE_NUMBER:${gen:phone:mobile}».\n"),
    ("commit.txt", "Fix parkeervergunning\n\nReported-by: «EMAIL_ADDRESS:${gen:email}»\n"),
    ("test_data.py", 'KLANT = {"naam": "«PERSON:${gen:full-name}»", "telefoonnummer": "«PHONE_NUMBER:${gen:phone:mobile-compact}»"}\n'),
    ("seed.sql", "insert into burgers (bsn, postcode) values ('«BSN:${gen:bsn}»', '«POSTCODE:${gen:postcode}»');\n"),
    ("export.csv", '"Achternaam","Geboortedatum","Kenteken"\n"«PERSON:${gen:last-name}»","«DATE_OF_BIRTH:${gen:birthdate:slash}»","«KENTEKEN:${gen:kenteken}»"\n'),
    ("brief.md", "Geachte heer «PERSON:${gen:last-name:capital}»,\n\nUw paspoort met nummer «ID_DOCUMENT:${gen:id-document}» is verlopen.\n"),
    ("melding.json", '{"melder": {"e-mail": "«EMAIL_ADDRESS:${gen:email}»", "adres": "«ADDRESS:${gen:address:full}»"}}\n'),
    ("iban.yaml", "betaling:\n  tegenrekening: «IBAN:${gen:iban:DE}»\n"),
    ("log.txt", "WARN koppeling BRP mislukt voor a-nummer=«A_NUMMER:${gen:a-nummer}»\n"),
    ("leerling.csv", "onderwijsnummer,klas\n«ONDERWIJSNUMMER:${gen:onderwijsnummer}»,3B\n"),
]  # fmt: skip

HELD_OUT_NEAR: list[tuple[str, str]] = [
    ("checksums.txt", "sha1 ${rand:hex:40}\nsize ${gen:bsn} bytes\n"),
    ("geo.json", '{"type": "Point", "coordinates": [4.${gen:bsn}, 52.${gen:bsn}]}\n'),
    ("versions.txt", "build 2024.11.${gen:bsn}\nrelease ${gen:bsn}\n"),
    ("order.yaml", "factuurnummer: ${gen:bsn}\nkvk: ${rand:digits:8}\n"),
    ("contact.md", "Mail ons op info@amsterdam.nl of bel 14 020.\n"),
    ("pkg.json", '{"name": "@amsterdam/asc-ui", "author": "Datapunt <datapunt@example.com>"}\n'),
    ("schema.sql", "CREATE TABLE p (bsn char(9), geboortedatum date, naam varchar(200));\n"),
    ("validators.py", 'BSN_LENGTH = 9\nPOSTCODE_RE = r"^[1-9][0-9]{3} ?[A-Z]{2}$"\n'),
    ("docs.md", "Een BSN heeft 9 cijfers en voldoet aan de 11-proef.\n"),
    ("dates.log", "2024-03-01 12:00:00 start job=${gen:bsn} duration=1.${gen:bsn}s\n"),
    ("i18n.json", '{"naam": "Naam", "voornaam": "Voornaam", "geboortedatum": "Geboortedatum"}\n'),
    ("route.ts", "const url = `/api/personen/${gen:bsn:invalid}/adres`;\n"),
]  # fmt: skip

# A second held-out set, written after the first one's errors were fixed.
HELD_OUT_2_TRUE: list[tuple[str, str]] = [
    ("client.py", 'resp = session.get(f"{BRP}/personen?burgerservicenummer=«BSN:${gen:bsn}»")\n'),
    ("test_brp.py", 'def test_opvragen():\n    persoon = brp.get_persoon(bsn="«BSN:${gen:bsn}»")\n'),
    ("batch.json", '{"bsns": [\n  "«BSN:${gen:bsn}»",\n  "«BSN:${gen:bsn}»"\n]}\n'),
    ("export.csv", '"bsn";"naam"\n"«BSN:${gen:bsn}»";"«PERSON:${gen:full-name}»"\n'),
    ("CHANGELOG.md", "## 1.4.0\n\nThanks to «EMAIL_ADDRESS:${gen:email}» for the report.\n"),
    ("dossier.txt", "Geb.: «DATE_OF_BIRTH:${gen:birthdate}»\nTel.: «PHONE_NUMBER:${gen:phone:fixed}»\n"),
    ("brief.txt", "«PERSON:${gen:full-name}»\n«ADDRESS:${gen:address}»\n«POSTCODE:${gen:postcode}» ${gen:city}\n"),
    ("zaak.json", '{"behandelaar": "«PERSON:${gen:full-name}»", "telefoon": "«PHONE_NUMBER:${gen:phone}»"}\n'),
    ("parkeren.log", "INFO parkeerrecht gestart kenteken=«KENTEKEN:${gen:kenteken}» zone=12\n"),
    ("bag.http", "GET /adressen?postcode=«POSTCODE:${gen:postcode:compact}»&huisnummer=12\n"),
    ("docs.csv", "documentnummer,geldig_tot\n«ID_DOCUMENT:${gen:id-document}»,2031-01-01\n"),
    ("out.ipynb", '   "text": [\n    "verstuurd naar «EMAIL_ADDRESS:${gen:email}»\\n"\n   ]\n'),
]  # fmt: skip

HELD_OUT_2_NEAR: list[tuple[str, str]] = [
    ("zaken.json", '[{"zaak_id": ${gen:bsn}, "status": "open"}, {"zaak_id": ${gen:bsn}}]\n'),
    ("contact.md", "KvK ${rand:digits:8}, telefoon 14 020, e-mail noreply@amsterdam.nl\n"),
    ("CHANGELOG.md", "## [1.2.0] - ${gen:birthdate:iso}\n\n- geboortedatum-veld toegevoegd\n"),
    ("producten.json", '{"naam": "Parkeervergunning", "prijs": 12}\n'),
    ("authors.md", "Contact: git@gitlab.com, user@example.org\n"),
    ("kaart.js", "const centrum = [52.370216, 4.895168];\n"),
    ("iban.txt", "Voorbeeld IBAN: NL00 0000 0000 0000 00\n"),
    ("wet.md", "Zie Artikel 12 en Hoofdstuk 3 van de Wet BRP.\n"),
    ("mail.md", "Met vriendelijke groet,\n\nDe Gemeente\n"),
    ("uitleg.md", "Mevrouw is een aanspreekvorm; de heer ook.\n"),
]  # fmt: skip


def detector(engine: str) -> Detector:
    rules = [rule for rule in load_builtin_rules() if rule.category is Category.PII]
    return Detector(rules, engine=engine)


def evaluate(
    pii: Detector, true_cases: list[tuple[str, str]], near: list[tuple[str, str]], seeds: int
) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    for seed in range(seeds):
        for index, (path, template) in enumerate([*true_cases, *near]):
            case = labelled(path, template, f"accuracy/{seed}/{index}")
            fragment = Fragment(case.text.encode(), path, Origin.FILE)
            found = [
                (
                    c.entity or "",
                    offsets(case.text, c.line, c.column),
                    offsets(case.text, c.end_line, c.end_column),
                )
                for c in pii.detect(fragment).candidates
            ]
            score(case, found, scores)
    return scores


def table(title: str, scores: dict[str, Score]) -> None:
    print(f"\n{title}")
    print(f"{'entity':<17} {'TP':>5} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7}")
    total = Score()
    for entity in sorted(scores):
        s = scores[entity]
        total.true_positives += s.true_positives
        total.false_positives += s.false_positives
        total.false_negatives += s.false_negatives
        print(
            f"{entity:<17} {s.true_positives:>5} {s.false_positives:>4} {s.false_negatives:>4} "
            f"{s.precision:>9.3f} {s.recall:>7.3f}"
        )
    print(
        f"{'all':<17} {total.true_positives:>5} {total.false_positives:>4} "
        f"{total.false_negatives:>4} {total.precision:>9.3f} {total.recall:>7.3f}"
    )


def stdlib_findings(pii: Detector, limit: int) -> None:
    root = (
        Path(sys.base_prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    )
    counts: dict[str, int] = {}
    size = 0
    started = time.perf_counter()
    for path in sorted(root.rglob("*.py")):
        if "site-packages" in path.parts:
            continue
        data = path.read_bytes()
        size += len(data)
        for candidate in pii.detect(Fragment(data, str(path), Origin.FILE)).candidates:
            counts[candidate.entity or ""] = counts.get(candidate.entity or "", 0) + 1
        if size > limit:
            break
    elapsed = time.perf_counter() - started
    print(
        f"\nCPython standard library, {size / 1e6:.1f} MB of .py (no planted data), {elapsed:.1f} s"
    )
    for entity, count in sorted(counts.items()):
        print(f"  {entity:<17} {count:>4} findings ({count / (size / 1e6):.1f} per MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=25)
    parser.add_argument("--engine", default="python", choices=["python", "hyperscan"])
    parser.add_argument("--stdlib-mb", type=float, default=8.0)
    args = parser.parse_args()
    pii = detector(args.engine)
    dev_true = [(path, template) for cases in TRUE_CASES.values() for path, template in cases]
    table(
        f"Development set: {len(dev_true)} true and {len(NEAR_MISSES)} near-miss templates "
        f"x {args.seeds} seeds",
        evaluate(pii, dev_true, NEAR_MISSES, args.seeds),
    )
    table(
        f"Held-out set: {len(HELD_OUT_TRUE)} true and {len(HELD_OUT_NEAR)} near-miss templates "
        f"x {args.seeds} seeds",
        evaluate(pii, HELD_OUT_TRUE, HELD_OUT_NEAR, args.seeds),
    )
    table(
        f"Second held-out set: {len(HELD_OUT_2_TRUE)} true and {len(HELD_OUT_2_NEAR)} near-miss "
        f"templates x {args.seeds} seeds",
        evaluate(pii, HELD_OUT_2_TRUE, HELD_OUT_2_NEAR, args.seeds),
    )
    stdlib_findings(pii, int(args.stdlib_mb * 1e6))


if __name__ == "__main__":
    main()
