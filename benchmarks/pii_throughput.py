"""Throughput of the Dutch detectors, of the whole detector, and of Presidio's own defaults.

    python benchmarks/pii_throughput.py [--mb 4] [--code-mb 3] [--presidio-kb 300]

The text: a few MB of generated municipal data (CSV exports, Haal Centraal-like JSON, SQL
seeds, application logs, Markdown notes; personal data in a realistic share of the records,
made at run time) and of real code (CPython's standard library) with a generated npm lock file
(integrity hashes, versions). Each file is one fragment, as a scan hands them over.

Measured, per kind of text, in MB/s on one core:
- the Dutch detectors alone (the rules in rules/pii-nl), with each prefilter engine;
- the whole detector (every built-in rule: credentials and personal data);
- Presidio with its own predefined recognizers on a sample of the same text (leakguard's
  model-free NLP engine stands in for the English spaCy model Presidio would download, and
  tldextract is kept offline).

The first window that reaches Presidio imports presidio_analyzer and spaCy: that one-time
cost is reported on its own, and the Dutch detectors are warmed up before they are timed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from leakguard.detectors.engine import Detector
from leakguard.models import Category, Fragment, Origin
from leakguard.rule_examples import expand
from leakguard.ruleset import load_builtin_rules

Corpus = list[tuple[str, bytes]]


class Values:
    """Fresh generated values for the templates of one corpus."""

    def __init__(self, seed: int) -> None:
        self.count = seed * 1_000_000

    def __call__(self, template: str) -> str:
        self.count += 1
        return expand(template, f"throughput/{self.count}")


def csv_export(value: Values, rows: int) -> str:
    lines = ["id;voornaam;achternaam;bsn;geboortedatum;email;telefoon;iban;status"]
    for number in range(rows):
        lines.append(
            f"{number};{value('${gen:first-name}')};{value('${gen:last-name}')};"
            f"{value('${gen:bsn}')};{value('${gen:birthdate}')};{value('${gen:email}')};"
            f"{value('${gen:phone}')};{value('${gen:iban}')};afgehandeld"
        )
    return "\n".join(lines) + "\n"


def persons_json(value: Values, people: int) -> str:
    persons = [
        {
            "burgerservicenummer": value("${gen:bsn}"),
            "naam": {
                "voornamen": value("${gen:first-name}"),
                "geslachtsnaam": value("${gen:last-name}"),
            },
            "geboorte": {"datum": {"datum": value("${gen:birthdate:iso}")}},
            "verblijfplaats": {
                "straat": "Kinkerstraat",
                "huisnummer": number,
                "postcode": value("${gen:postcode:compact}"),
            },
            "_links": {"self": {"href": f"/personen/{number}"}},
        }
        for number in range(people)
    ]
    return json.dumps({"personen": persons}, indent=2) + "\n"


def seed_sql(value: Values, rows: int) -> str:
    values = ",\n".join(
        f"  ({number}, '{value('${gen:full-name}')}', '{value('${gen:bsn}')}', "
        f"'{value('${gen:birthdate:iso}')}', {number * 7})"
        for number in range(rows)
    )
    return f"INSERT INTO aanvragers (id, naam, bsn, geboortedatum, zaak) VALUES\n{values};\n"


def app_log(value: Values, lines: int, rng: random.Random) -> str:
    out = []
    for number in range(lines):
        stamp = f"2024-03-01 09:{number // 60 % 60:02d}:{number % 60:02d}"
        if number % 25 == 0:
            out.append(
                f"{stamp} INFO aanvraag bsn={value('${gen:bsn}')} mail={value('${gen:email}')}"
            )
        else:
            out.append(
                f"{stamp} DEBUG request id={rng.randrange(10**9)} "
                f"path=/api/v1/zaken/{rng.randrange(10**6)} status=200 "
                f"duration_ms={rng.randrange(900)} trace={rng.getrandbits(64):016x}"
            )
    return "\n".join(out) + "\n"


def notes_md(value: Values, paragraphs: int) -> str:
    out = ["# Werkinstructie parkeervergunningen\n"]
    for number in range(paragraphs):
        if number % 10 == 0:
            out.append(
                f"Afgestemd met mevrouw {value('${gen:last-name:capital}')} "
                f"({value('${gen:phone}')}) over zaak {number}.\n"
            )
        else:
            out.append(
                "De aanvraag wordt binnen acht weken afgehandeld. Controleer de gegevens in de "
                "basisregistratie en leg het besluit vast in het zaaksysteem.\n"
            )
    return "\n".join(out)


def municipal(target: int, seed: int = 1) -> Corpus:
    rng = random.Random(seed)
    value = Values(seed)
    corpus: Corpus = []
    size = 0
    makers: list[tuple[str, Callable[[], str]]] = [
        ("export/klanten.csv", lambda: csv_export(value, 400)),
        ("fixtures/personen.json", lambda: persons_json(value, 150)),
        ("db/seed.sql", lambda: seed_sql(value, 400)),
        ("logs/app.log", lambda: app_log(value, 2000, rng)),
        ("docs/werkinstructie.md", lambda: notes_md(value, 200)),
    ]
    while size < target:
        for path, make in makers:
            data = make().encode()
            corpus.append((f"{len(corpus)}/{path}", data))
            size += len(data)
    return corpus


def stdlib_code(target: int) -> Corpus:
    root = (
        Path(sys.base_prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    )
    corpus: Corpus = []
    size = 0
    for path in sorted(root.rglob("*.py")):
        if "site-packages" in path.parts or "test" in path.parts:
            continue
        data = path.read_bytes()
        corpus.append((str(path.relative_to(root)), data))
        size += len(data)
        if size >= target:
            break
    return corpus


def npm_lock(packages: int, seed: int = 2) -> Corpus:
    rng = random.Random(seed)
    entries = {}
    for number in range(packages):
        name = f"pkg-{number:05d}"
        version = f"{rng.randrange(20)}.{rng.randrange(30)}.{rng.randrange(100)}"
        entries[f"node_modules/{name}"] = {
            "version": version,
            "resolved": f"https://registry.npmjs.org/{name}/-/{name}-{version}.tgz",
            "integrity": "sha512-" + expand("${rand:base64:86}", f"lock/{number}") + "==",
            "dev": rng.random() < 0.5,
        }
    document = {"name": "signals-frontend", "lockfileVersion": 3, "packages": entries}
    return [("package-lock.json", json.dumps(document, indent=2).encode())]


def throughput(detector: Detector, corpus: Corpus) -> tuple[float, int]:
    size = sum(len(data) for _, data in corpus)
    started = time.perf_counter()
    findings = 0
    for path, data in corpus:
        findings += len(detector.detect(Fragment(data, path, Origin.FILE)).candidates)
    return size / 1e6 / (time.perf_counter() - started), findings


def presidio_defaults() -> Callable[[str], int]:
    """Presidio's AnalyzerEngine with its predefined recognizers, offline."""
    import tldextract
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    from leakguard.pii.nlp_engine import LeakguardNlpEngine

    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    tldextract.extract = offline  # the email recognizer calls the module-level function
    registry = RecognizerRegistry(supported_languages=["en"])
    engine = LeakguardNlpEngine()
    engine.get_supported_languages = lambda: ["en"]  # type: ignore[method-assign]
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=engine)
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])
    return lambda text: len(analyzer.analyze(text=text, language="en"))


def sample(corpus: Corpus, budget: int) -> Corpus:
    """Up to `budget` bytes spread over the corpus, in pieces of at most 20 kB (lines whole)."""
    share = max(1, budget // max(1, len(corpus)))
    pieces: Corpus = []
    for path, data in corpus:
        piece = data[: min(share, 20_000)]
        pieces.append((path, piece[: piece.rfind(b"\n") + 1] or piece))
    return pieces


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="generated municipal data")
    parser.add_argument("--code-mb", type=float, default=3.0, help="CPython standard library")
    parser.add_argument("--presidio-kb", type=int, default=300, help="sample for Presidio")
    args = parser.parse_args()
    kinds = {
        "municipal data": municipal(int(args.mb * 1e6)),
        "python code": stdlib_code(int(args.code_mb * 1e6)),
        "npm lock file": npm_lock(4000),
    }
    for kind, corpus in kinds.items():
        print(f"{kind:<15} {sum(len(d) for _, d in corpus) / 1e6:5.1f} MB in {len(corpus)} files")

    rules = load_builtin_rules()
    pii_rules = [rule for rule in rules if rule.category is Category.PII]
    started = time.perf_counter()
    warm = Detector(pii_rules, engine="python")
    warm.detect(Fragment(expand("bsn: ${gen:bsn}", "warm").encode(), "w.yaml", Origin.FILE))
    imports = time.perf_counter() - started
    print(f"\nfirst window to reach Presidio (imports presidio_analyzer, spaCy): {imports:.2f} s")

    print(f"\n{'MB/s, one core':<34}" + "".join(f"{kind:>16}" for kind in kinds))
    for label, selected, engine in (
        ("Dutch detectors (python prefilter)", pii_rules, "python"),
        ("Dutch detectors (hyperscan)", pii_rules, "hyperscan"),
        ("all rules (python prefilter)", rules.rules, "python"),
        ("all rules (hyperscan)", rules.rules, "hyperscan"),
    ):
        detector = Detector(selected, engine=engine)
        for _, corpus in kinds.items():  # warm every recognizer's Presidio engine
            throughput(detector, corpus[:2])
        cells = []
        for corpus in kinds.values():
            speed, findings = throughput(detector, corpus)
            cells.append(f"{speed:9.2f} ({findings:>5})")
        print(f"{label:<34}" + "".join(f"{cell:>16}" for cell in cells))

    analyze = presidio_defaults()
    cells = []
    for corpus in kinds.values():
        pieces = sample(corpus, args.presidio_kb * 1000)
        size = sum(len(data) for _, data in pieces)
        started = time.perf_counter()
        results = sum(analyze(data.decode("utf-8", "replace")) for _, data in pieces)
        cells.append(f"{size / 1e6 / (time.perf_counter() - started):9.2f} ({results:>5})")
    print(f"{'Presidio defaults (sample)':<34}" + "".join(f"{cell:>16}" for cell in cells))
    print("\n(findings in parentheses; Presidio's are its raw results on the sample)")


if __name__ == "__main__":
    main()
