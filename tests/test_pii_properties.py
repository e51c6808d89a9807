"""Arbitrary text never crashes the Dutch detectors, and both prefilter engines agree on it.

The text is built from the pieces the detectors key on (field names, table and SQL syntax,
checksum-valid numbers made at run time, names, dates), shuffled by hypothesis, under paths of
every structured kind.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leakguard.detectors.engine import Detector
from leakguard.detectors.text import FragmentText
from leakguard.models import Category, Fragment, Origin
from leakguard.pii.keys import ARRAY_BEFORE, REACH, array_key
from leakguard.pii.structure import view_of
from leakguard.rule_examples import expand
from leakguard.ruleset import load_builtin_rules

PII_RULES = [rule for rule in load_builtin_rules() if rule.category is Category.PII]
DETECTORS: dict[str, Detector] = {}

VALUES = [
    expand(template, f"soup/{index}")
    for index, template in enumerate(
        [
            "${gen:bsn}", "${gen:bsn:dotted}", "${gen:iban}", "${gen:iban:NL:spaced}",
            "${gen:phone}", "${gen:phone:fixed}", "${gen:email}", "${gen:birthdate}",
            "${gen:birthdate:iso}", "${gen:full-name}", "${gen:address:full}", "${gen:postcode}",
            "${gen:kenteken}", "${gen:id-document}", "${gen:a-nummer}", "${gen:onderwijsnummer}",
        ]
    )
]  # fmt: skip
PIECES = [
    *VALUES,
    "bsn", "BSN: ", "burgerservicenummer", "geboortedatum", "naam", "voornaam", "achternaam",
    "telefoon", "email", "iban", "postcode", "kenteken", "paspoort", "adres", "mevrouw ",
    "dhr. ", "Met vriendelijke groet,\n\n", "INSERT INTO p (bsn, naam) VALUES (", "COPY t (bsn) "
    "FROM stdin;\n", "\\.\n", "|---|---|\n", "| bsn | naam |\n", "\t", ";", ",", "|", ": ", "=",
    '"', "'", "{", "}", "[", "]", "(", ")", "\n", "\n  - ", "    ", "# ", "<bsn>", "</bsn>",
    "é", "\u202e", "\ufeff", "\x00",
]  # fmt: skip
PATHS = ["a.csv", "b.json", "c.yaml", "d.sql", "e.log", "README.md", "f.ipynb", "g.py", ".env"]

soup = st.lists(st.sampled_from(PIECES) | st.text(max_size=12), max_size=40).map("".join)


def detector(engine: str) -> Detector:
    if engine not in DETECTORS:
        DETECTORS[engine] = Detector(PII_RULES, engine=engine)
    return DETECTORS[engine]


PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(text=soup, path=st.sampled_from(PATHS), explain=st.booleans())
def test_detectors_never_crash(text: str, path: str, explain: bool) -> None:
    detection = detector("python").detect(
        Fragment(text.encode("utf-8", "surrogatepass"), path, Origin.FILE), explain=explain
    )

    for candidate in detection.candidates:
        assert candidate.value
        assert candidate.line >= 1
        assert candidate.column >= 1
    for rejection in detection.rejections:
        assert len(rejection.reason) < 200


@PROPERTY
@given(text=soup, path=st.sampled_from(PATHS))
def test_both_engines_find_the_same(text: str, path: str) -> None:
    pytest.importorskip("hyperscan")
    data = text.encode("utf-8", "surrogatepass")

    def found(engine: str) -> set[tuple[str, int, int, str]]:
        detection = detector(engine).detect(Fragment(data, path, Origin.FILE))
        return {(c.rule_id, c.line, c.column, c.value) for c in detection.candidates}

    assert found("hyperscan") == found("python")


# Shortcuts that spare a regex or a count must give what the long way gives.

HEAD_PIECES = ["bsns", "naam", '"', "'", ":", "=", " ", "[", "]", "(", ")", ",", "1", "-", "."]


@PROPERTY
@given(text=st.lists(st.sampled_from(HEAD_PIECES), max_size=30).map("".join), data=st.data())
def test_array_key_is_the_regex(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    match = ARRAY_BEFORE.search(text[max(0, start - REACH) : start])
    assert array_key(text, start) == (match.group(1) if match is not None else None)


@PROPERTY
@given(
    lines=st.lists(st.text(alphabet="ab é\r", max_size=6), min_size=1, max_size=8),
    line_offset=st.integers(0, 3),
    column_offset=st.integers(0, 3),
)
def test_a_window_on_another_line_is_the_fragments_window(
    lines: list[str], line_offset: int, column_offset: int
) -> None:
    data = "\n".join(lines).encode()
    fragment = Fragment(data, "a.json", Origin.FILE, None, line_offset, column_offset)
    owner = FragmentText(fragment)
    view = view_of(owner)
    for index in reversed(range(len(lines))):  # upwards: the fragment's counter starts again
        ours = view.window_for(index)
        theirs = FragmentText(fragment).window(*view.line_bounds(index))
        assert (ours.text, ours.line, ours.column, ours.line_start) == (
            theirs.text,
            theirs.line,
            theirs.column,
            theirs.line_start,
        )


@PROPERTY
@given(
    texts=st.lists(st.tuples(soup, st.sampled_from(PATHS)), min_size=2, max_size=5),
)
def test_what_a_line_said_before_does_not_change_a_verdict(texts: list[tuple[str, str]]) -> None:
    """A detector remembers lines whose text alone said they hold nothing; a detector that
    has seen other fragments finds in each what a fresh one finds."""
    warm = Detector(PII_RULES, engine="python")

    def found(detector: Detector, text: str, path: str) -> set[tuple[str, int, int, str]]:
        data = text.encode("utf-8", "surrogatepass")
        detection = detector.detect(Fragment(data, path, Origin.FILE))
        return {(c.rule_id, c.line, c.column, c.value) for c in detection.candidates}

    # Each line again, with what was around it in the other fragments around it now.
    lines = [line for text, _ in texts for line in text.splitlines()]
    fragments = [*texts, *(("\n".join(lines), path) for _, path in texts)]
    for text, path in fragments:
        fresh = Detector(PII_RULES, engine="python")
        assert found(warm, text, path) == found(fresh, text, path)


def test_a_row_without_its_header_is_judged_again_under_it() -> None:
    """A row in a later window of a large CSV has no header above it; the same row in a file
    that starts with the header is personal data. Remembering the first verdict for the
    second would lose the finding."""
    detector = Detector(PII_RULES, engine="python")
    row = f"{expand('${gen:full-name}', 'row/name')},{expand('${gen:bsn}', 'row/bsn')}\n"

    def found(data: bytes, line_offset: int) -> list[str]:
        fragment = Fragment(data, "people.csv", Origin.FILE, None, line_offset, 0)
        return [c.rule_id for c in detector.detect(fragment).candidates]

    assert "pii-nl-bsn" not in found(row.encode() * 2, 5000)  # a later window: no header
    assert "pii-nl-bsn" in found(b"naam,bsn\n" + row.encode() * 2, 0)
