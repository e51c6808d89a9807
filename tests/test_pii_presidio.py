"""Presidio is configured explicitly, never touches the network, and is only imported when a
window passes the cheap checks (a pre-commit hook on ordinary code never pays for it)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from leakguard.rule_examples import expand

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


def test_presidio_only_for_windows_worth_it_and_never_online() -> None:
    """One process (imports are what is measured): ordinary code first, then every entity
    that reaches Presidio with the network blocked, e-mail included (Presidio's own e-mail
    recognizer would fetch the public suffix list with tldextract)."""
    numbers = {key: expand("${gen:bsn}", f"code/{key}") for key in "abcdefg"}
    source = ORDINARY_CODE.format(**numbers)
    personal = expand(
        "bsn: ${gen:bsn}\nemail: ${gen:email}\nnaam: ${gen:full-name}\niban: ${gen:iban}\n"
        "telefoon: ${gen:phone}\ngeboortedatum: ${gen:birthdate}\nadres: ${gen:address:full}\n",
        "offline",
    )

    outcome = run_python(
        f"""
        import json, socket, sys
        def refuse(*args, **kwargs):
            raise OSError("network access in a scan")
        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from leakguard.config import Config
        from leakguard.detectors.engine import Detector
        from leakguard.models import Fragment, Origin
        detector = Detector(Config().rules(), engine="python")
        code = detector.detect(Fragment({source!r}.encode(), "app/poll.py", Origin.STAGED))
        loaded = ["presidio_analyzer" in sys.modules, "spacy" in sys.modules]
        data = detector.detect(Fragment({personal!r}.encode(), "p.yaml", Origin.FILE))
        print(json.dumps({{
            "code": [len(code.candidates), *loaded],
            "found": sorted({{c.entity for c in data.candidates}}),
            "presidio": "presidio_analyzer" in sys.modules,
        }}))
        """
    )

    assert outcome["code"] == [0, False, False]  # a pre-commit hook on code never imports them
    assert outcome["presidio"]  # the personal data did reach Presidio
    assert outcome["found"] == sorted(
        ["BSN", "EMAIL_ADDRESS", "PERSON", "IBAN", "PHONE_NUMBER", "DATE_OF_BIRTH", "ADDRESS"]
    )


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
