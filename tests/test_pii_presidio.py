"""Presidio is configured explicitly, never touches the network, and is only imported when a
window passes the cheap checks (a pre-commit hook on ordinary code never pays for it)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from leakguard.detectors.engine import Detector
from leakguard.models import Category, Fragment, Origin
from leakguard.pii.evaluation import NEAR_MISSES, all_true_cases, labelled
from leakguard.rule_examples import expand
from leakguard.ruleset import load_builtin_rules

PII_RULES = [rule for rule in load_builtin_rules() if rule.category is Category.PII]

# Ordinary code: 9-digit numbers everywhere (some pass the 11-proef), none with a BSN around.
ORDINARY_CODE = """
import time

TIMEOUT_NS = {a}
RETRY_IDS = [{b}, {c}, 123456789]
CACHE = {{"order": {d}, "build": "{e}"}}


def wait(limit: int = {f}) -> None:
    # poll every {g} ns
    time.sleep(limit / 1e9)
"""


def run_python(code: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_presidio_only_where_its_context_scoring_decides_and_never_online() -> None:
    """One process (imports are what is measured), the network blocked: ordinary code and
    personal data whose checks and context settle it import neither Presidio nor spaCy; a value
    whose verdict rests on Presidio's own context words (an e-mail rule asking a higher score)
    does reach Presidio, offline (Presidio's own e-mail recognizer would fetch the public suffix
    list with tldextract)."""
    numbers = {key: expand("${gen:bsn}", f"code/{key}") for key in "abcdefg"}
    source = ORDINARY_CODE.format(**numbers)
    personal = expand(
        "bsn: ${gen:bsn}\nemail: ${gen:email}\nnaam: ${gen:full-name}\niban: ${gen:iban}\n"
        "telefoon: ${gen:phone}\ngeboortedatum: ${gen:birthdate}\nadres: ${gen:address:full}\n"
        "Het BSN van de aanvrager is ${gen:bsn:spaced}.\n",
        "offline",
    )
    mails = expand("Neem contact op: ${gen:email}\nDe vorige: ${gen:email}\n", "offline")

    outcome = run_python(
        f"""
        import dataclasses, json, socket, sys
        def refuse(*args, **kwargs):
            raise OSError("network access in a scan")
        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from leakguard.config import Config
        from leakguard.detectors.engine import Detector
        from leakguard.models import Fragment, Origin
        def loaded():
            return ["presidio_analyzer" in sys.modules, "spacy" in sys.modules]
        rules = Config().rules()
        detector = Detector(rules, engine="python")
        code = detector.detect(Fragment({source!r}.encode(), "app/poll.py", Origin.STAGED))
        after_code = loaded()
        data = detector.detect(Fragment({personal!r}.encode(), "p.yaml", Origin.FILE))
        after_data = loaded()
        strict = [
            dataclasses.replace(rule, min_score=0.9) for rule in rules if rule.id == "pii-nl-email"
        ]
        mails = Detector(strict, engine="python").detect(
            Fragment({mails!r}.encode(), "mail.txt", Origin.FILE)
        )
        print(json.dumps({{
            "code": [len(code.candidates), *after_code],
            "found": sorted({{c.entity for c in data.candidates}}),
            "settled": after_data,
            "strict": [[c.line, c.score] for c in mails.candidates],
            "presidio": "presidio_analyzer" in sys.modules,
        }}))
        """
    )

    assert outcome["code"] == [0, False, False]  # a pre-commit hook on code never imports them
    assert outcome["found"] == sorted(
        ["BSN", "EMAIL_ADDRESS", "PERSON", "IBAN", "PHONE_NUMBER", "DATE_OF_BIRTH", "ADDRESS"]
    )
    assert outcome["settled"] == [False, False]  # checks and context settled every value
    assert outcome["strict"] == [[1, 1.0]]  # `contact` lifted the first address, not the second
    assert outcome["presidio"]


def test_code_without_a_personal_data_hit_loads_no_dutch_detector() -> None:
    """The Dutch detectors are made when their rule first fires: a pre-commit run on code
    that none of their patterns or keywords reach does not import them. (Names in prose look
    at every fragment, and without NER turn code away at once.)"""
    outcome = run_python(
        """
        import json, sys
        from leakguard.config import Config
        from leakguard.detectors.engine import Detector
        from leakguard.models import Fragment, Origin
        detector = Detector(Config().rules())
        code = b"def add(a: int, b: int) -> int:\\n    return a + b\\n"
        found = detector.detect(Fragment(code, "app/arith.py", Origin.STAGED))
        print(json.dumps({"found": len(found.candidates), "loaded": sorted(
            name for name in sys.modules if name.startswith("leakguard.pii.")
            and name.split(".")[-1] in ("gate", "recognizers")
        )}))
        """
    )

    assert outcome == {"found": 0, "loaded": []}


def test_the_analyzer_holds_only_leakguards_recognizers() -> None:
    from presidio_analyzer import AnalyzerEngine

    from leakguard.pii.analyzer import analyzer_engine, nlp_engine, presidio_recognizer
    from leakguard.pii.nlp_engine import LeakguardNlpEngine

    engine = analyzer_engine([presidio_recognizer("leakguard.pii.bsn:NlBsnRecognizer", ["bsn"])])

    assert isinstance(engine, AnalyzerEngine)
    assert [type(r).__name__ for r in engine.registry.recognizers] == ["NlBsnRecognizer"]
    assert engine.supported_languages == ["nl"]
    assert isinstance(engine.nlp_engine, LeakguardNlpEngine)
    assert nlp_engine().ner is None  # no spaCy model without a configured one


def test_context_lifts_a_checksum_valid_number_over_the_minimum() -> None:
    from leakguard.pii.analyzer import analyzer_engine, presidio_recognizer

    engine = analyzer_engine([presidio_recognizer("leakguard.pii.bsn:NlBsnRecognizer")])
    value = expand("${gen:bsn}", "score")
    wrong = expand("${gen:bsn:invalid}", "score")

    def best(text: str, context: list[str] | None = None) -> float:
        results = engine.analyze(text=text, language="nl", entities=["BSN"], context=context)
        return max((r.score for r in results), default=0.0)

    assert best(f"id = {value}") < 0.5
    assert best(f"het bsn is {value}") >= 0.5
    assert best(f"id = {value}", context=["bsn"]) >= 0.5
    assert best(f"het bsn is {wrong}") == 0.0


def test_values_settled_without_presidio_score_as_presidio_scores_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every labelled case (true cases, near misses, the rules' examples), scored once as a scan
    scores it and once with every value sent to Presidio: the same findings, with Presidio's
    score wherever leakguard found context; without it, Presidio may only have lifted the score
    by a context word of its own (a verdict that such a lift could change goes to Presidio)."""
    from leakguard.pii import gate
    from leakguard.pii.scoring import lifted

    cases = [labelled(p, t, f"settled/{e}/{p}") for e, p, t in all_true_cases()]
    cases += [labelled(p, t, f"settled/near/{p}") for p, t in NEAR_MISSES]
    for rule in PII_RULES:
        for number, text in enumerate((*rule.examples, *rule.counter_examples)):
            for path in ("example.py", "example.json"):
                cases.append(labelled(path, text, f"settled/{rule.id}/{number}"))

    def scan() -> list[list[tuple[str, int, int, str, float, bool]]]:
        detector = Detector(PII_RULES, engine="python")
        return [
            [
                (
                    c.rule_id,
                    c.line,
                    c.column,
                    c.value,
                    c.score,
                    any("context" in r for r in c.reasons),
                )
                for c in detector.detect(
                    Fragment(case.text.encode(), case.path, Origin.FILE)
                ).candidates
            ]
            for case in cases
        ]

    settled = scan()
    monkeypatch.setattr(gate, "needs_presidio", lambda score, has_context, min_score: True)
    analysed = scan()

    assert sum(map(len, settled)) > len(cases) // 2
    lifted_by_presidio = 0
    for case, ours, presidios in zip(cases, settled, analysed, strict=True):
        assert [c[:4] for c in ours] == [c[:4] for c in presidios], case.text
        for mine, theirs in zip(ours, presidios, strict=True):
            if mine[4] != theirs[4]:
                assert not mine[5], case.text
                assert theirs[4] == lifted(mine[4]), case.text
                lifted_by_presidio += 1
    assert lifted_by_presidio  # `Neem contact op met <e-mail>`: Presidio did see them
