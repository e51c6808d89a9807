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
from leakguard.pii.keys import ARRAY_BEFORE, REACH, array_key, indent_of, opening_key
from leakguard.pii.structure import LOOK_BACK, view_of
from leakguard.rule_examples import expand
from leakguard.ruleset import load_builtin_rules

from conftest import edited_versions

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
# Every structured kind, some twice (a verdict on a line holds for the same line in another
# file of the same kind).
PATHS = ["a.csv", "b.json", "c.yaml", "d.sql", "e.log", "README.md", "f.ipynb", "g.py", ".env"]
PATHS += ["x/A.CSV", "x/b.json", "h.yml", "i.sql", "docs/notes.md"]

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


# Versions of a file: lines of pieces, some indented, edited one after another.
line_of_pieces = st.tuples(
    st.sampled_from(["", "  ", "    "]),
    st.lists(st.sampled_from([piece for piece in PIECES if "\n" not in piece]), max_size=6),
).map(lambda parts: parts[0] + "".join(parts[1]))
edit = st.tuples(
    st.sampled_from(["insert", "replace", "delete"]), st.integers(0, 30), line_of_pieces
)


@PROPERTY
@given(
    first=st.lists(line_of_pieces, min_size=1, max_size=25),
    edits=st.lists(edit, min_size=1, max_size=6),
    path=st.sampled_from(PATHS),
)
def test_each_version_of_a_file_is_judged_as_if_it_were_the_first(
    first: list[str], edits: list[tuple[str, int, str]], path: str
) -> None:
    """A detector remembers what a rule said of a line with the lines and facts its verdict
    read (`Verdicts`); in the next version of the file, with lines changed above and below,
    it must find exactly what a fresh detector finds: every field of every candidate."""
    warm = Detector(PII_RULES, engine="python")
    for text in edited_versions(first, edits):
        fragment = Fragment(text.encode("utf-8", "surrogatepass"), path, Origin.FILE)
        fresh = Detector(PII_RULES, engine="python")
        assert warm.detect(fragment).candidates == fresh.detect(fragment).candidates


@PROPERTY
@given(lines=st.lists(line_of_pieces, min_size=1, max_size=30), path=st.sampled_from(PATHS))
def test_an_answer_kept_for_a_line_reads_what_finding_it_read(lines: list[str], path: str) -> None:
    """A fragment's view keeps its answers about a line (its enclosing keys, its record, the
    tables around it); a verdict that takes a kept answer must record the lines and facts that
    finding it read, or a verdict on another version would be taken for it."""
    text = "\n".join(lines)
    view = view_of(FragmentText(Fragment(text.encode("utf-8", "surrogatepass"), path, Origin.FILE)))

    def reads(index: int) -> list[object]:
        line = view.line(index)
        questions = [
            lambda: view.parents(index, line),
            lambda: view.sibling_keys(index, line),
            lambda: view.field_of(index, line, len(line) // 2, len(line)),
            lambda: view.header_at(index),
        ]
        found = []
        for question in questions:
            view.watch(index)
            question()
            found.append(view.lines_read())
        return found

    first = [reads(index) for index in range(len(lines))]
    assert [reads(index) for index in reversed(range(len(lines)))] == first[::-1]


# Lines as enclosing keys see them: indentation of spaces, tabs and list markers (now and
# then none), keys that open a value, blank lines of every kind (CRLF, a form feed, a
# non-breaking space), a CR inside a line.
indented_line = st.tuples(
    st.sampled_from([False] + [True] * 7),
    st.lists(st.sampled_from([" ", "  ", "\t", "- ", "    "]), min_size=1, max_size=6),
    st.sampled_from(
        ["naam:", '"adres": {', "items: [", "- bsn:", "x", "waarde", "", "\r", "\x0c x",
         "\u00a0", "\r x", "};"]
    ),
).map(lambda parts: ("".join(parts[1]) if parts[0] else "") + parts[2])  # fmt: skip


def parents_line_by_line(lines: list[str], index: int) -> tuple[tuple[str, ...], int]:
    """The enclosing keys of line `index` and the first line read, a line at a time."""
    indent = indent_of(lines[index])
    if indent == 0:
        return (), index
    found: list[str] = []
    first = index
    for previous in range(index - 1, max(-1, index - 1 - LOOK_BACK), -1):
        first = previous
        line = lines[previous]
        level = indent_of(line) if line.strip() else -1
        if level < 0 or level >= indent:
            continue
        key = opening_key(line)
        if key is not None:
            found.append(key)
        indent = level
        if level == 0 or len(found) == 3:
            break
    return tuple(found), first


@PROPERTY
@given(
    above=st.lists(indented_line, max_size=12),
    nested=st.integers(0, LOOK_BACK + 4),
    below=st.lists(indented_line, min_size=1, max_size=12),
    data=st.data(),
)
def test_enclosing_keys_are_those_a_walk_line_by_line_finds(
    above: list[str], nested: int, below: list[str], data: st.DataObject
) -> None:
    """`FragmentView.parents` finds the lines above that may enclose a value with one regex
    over their bytes; it must find the keys a walk up a line at a time finds, and record
    that it read as far up as that walk did (`LOOK_BACK` lines at most: the deeply nested
    lines between reach past it)."""
    lines = [*above, *["          waarde"] * nested, *below]
    text = "\n".join(lines)
    view = view_of(FragmentText(Fragment(text.encode(), "c.yaml", Origin.FILE)))
    index = data.draw(st.integers(0, len(lines) - 1))
    read = [line.removesuffix("\r") for line in lines]  # a line is read without its CR
    keys, first = parents_line_by_line(read, index)
    view.watch(index)
    assert view.parents(index, view.line(index)) == keys
    assert view.lines_read() == (first, index, ())


@pytest.mark.parametrize(
    ("between", "keys"),
    [
        ("\r x", ()),  # a line: what follows a CR is text
        ("\x0c x", ()),  # a form feed is no indentation
        ("\u00a0", ("naam",)),  # blank: the key above encloses the value
        ("  \r", ("naam",)),  # blank, with a CRLF line end
    ],
)
def test_enclosing_keys_past_lines_that_only_look_blank(between: str, keys: tuple[str]) -> None:
    lines = ["naam:", between, "  waarde"]
    view = view_of(FragmentText(Fragment("\n".join(lines).encode(), "c.yaml", Origin.FILE)))
    assert view.parents(2, view.line(2)) == keys
    assert parents_line_by_line([line.removesuffix("\r") for line in lines], 2)[0] == keys


def test_a_line_is_judged_again_when_a_line_its_verdict_read_changed() -> None:
    """`"value": <a BSN>` is a BSN under `bsn`, not under `product`: the line is the same in
    each version, the key above it is not."""
    detector = Detector(PII_RULES, engine="python")
    number = expand("${gen:bsn}", "version/bsn")

    def found(parent: str) -> list[tuple[str, int]]:
        text = f'{{\n  "{parent}": {{\n    "value": "{number}"\n  }}\n}}\n'
        detection = detector.detect(Fragment(text.encode(), "people.json", Origin.FILE))
        return [(c.rule_id, c.line) for c in detection.candidates]

    assert found("product") == []
    assert found("bsn") == [("pii-nl-bsn", 3)]
    assert found("product") == []


def test_a_verdict_is_taken_for_a_file_of_the_same_kind_only() -> None:
    """The same two lines are an aligned table in a log (the number under the column `bsn`)
    and a word beside a number in JSON: a verdict given in one kind of file holds in another
    file of that kind, never in a file of another kind."""
    number = expand("${gen:bsn}", "kind/bsn")
    data = f"nummer    bsn\n1         {number}\n".encode()
    detector = Detector(PII_RULES, engine="python")
    paths = ["a.log", "b.json", "logs/c.log", "d.JSON"]
    remembered = [detector.detect(Fragment(data, path, Origin.FILE)).candidates for path in paths]
    fresh = [
        Detector(PII_RULES, engine="python").detect(Fragment(data, path, Origin.FILE)).candidates
        for path in paths
    ]
    assert remembered == fresh
    assert [candidate.reasons[1] for [candidate] in fresh] == [
        "context: column bsn",
        "context: word bsn",
    ] * 2


def test_a_row_is_judged_again_under_another_header() -> None:
    """A CSV file's header is a fact about the whole file: the same row says something else
    under another header, however far below it stands."""
    detector = Detector(PII_RULES, engine="python")
    rows = "".join(f"{index},{expand('${gen:bsn}', f'rows/{index}')}\n" for index in range(30))

    def found(header: str) -> int:
        data = f"{header}\n{rows}".encode()
        return len(detector.detect(Fragment(data, "people.csv", Origin.FILE)).candidates)

    assert found("product,code") == 0
    assert found("nummer,bsn") == 30
    assert found("product,code") == 0


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
