"""Properties that must hold for any input: detectors and parsers never crash on arbitrary text,
redaction never gives the value away, windows cover every line, and the Dutch checksums agree
with an independent implementation (python-stdnum)."""

from __future__ import annotations

import base64
import contextlib
import io
import itertools
import json
import string
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from leakguard.config import Config, load_config
from leakguard.detectors import previous_versions
from leakguard.detectors.engine import Detector
from leakguard.detectors.prefilter import AnyMatch
from leakguard.detectors.text import FragmentText, count_newlines, walk_to_line
from leakguard.errors import ConfigError, GitError, RuleError
from leakguard.filters import FilterChain
from leakguard.models import Fragment, Origin
from leakguard.pii import sql
from leakguard.pii.prose import CLOSING, CLOSING_WORDS
from leakguard.pipeline import ScanRequest, run_scan
from leakguard.redact import redact_personal, redact_secret
from leakguard.reports import Report, render
from leakguard.reports.escaping import CONTROL, printable
from leakguard.rule_examples import expand
from leakguard.ruleset import match_spans, parse_rule_document
from leakguard.scan import parse_size
from leakguard.sources import content
from leakguard.sources.history import _parse_change, _records
from leakguard.sources.stdin import StdinText
from leakguard.validators import VALIDATORS

from conftest import edited_versions

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

DETECTORS: dict[str, Detector] = {}


def detector(engine: str) -> Detector:
    """Every built-in rule, compiled once per engine for the whole module."""
    if engine not in DETECTORS:
        DETECTORS[engine] = Detector(Config().rules(), engine=engine)
    return DETECTORS[engine]


# Text that looks like code and config, with the characters rules key on, and raw bytes.
code_like = st.text(
    alphabet=st.sampled_from(
        [
            *(string.ascii_letters + string.digits + " =:\"'{}[](),;._-/+\n\t\r#@$%"),
            *["é", "€", "\u202e", "\x00", "\ufeff", "ß", "\U0001f600"],
        ]
    ),
    max_size=600,
)
keyword_soup = st.lists(
    st.sampled_from(
        [
            "password",
            "token",
            "secret",
            "key",
            "api_key",
            "ghp_",
            "AKIA",
            "xox",
            "sk_live_",
            "-----BEGIN",
            "PRIVATE KEY-----",
            "bsn",
            "iban",
            "NL",
            "=",
            ": ",
            '"',
            "\n",
            "==",
            "eyJ",
            "base64,",
            "%3D",
            "0123456789abcdef",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        ]
    )
    | st.text(alphabet=string.ascii_letters + string.digits + "+/=_-", max_size=40),
    max_size=60,
).map("".join)


@pytest.mark.parametrize("engine", ["hyperscan", "python"])
@PROPERTY
@given(
    data=st.one_of(
        st.binary(max_size=2000), code_like.map(str.encode), keyword_soup.map(str.encode)
    )
)
def test_detectors_never_crash_on_arbitrary_bytes(engine: str, data: bytes) -> None:
    detection = detector(engine).detect(Fragment(data, "any.txt", Origin.FILE))

    for candidate in detection.candidates:
        assert candidate.line >= 1
        assert candidate.column >= 1
        assert candidate.value


@PROPERTY
@given(data=st.one_of(st.binary(max_size=3000), keyword_soup.map(str.encode)))
def test_both_engines_find_the_same(data: bytes) -> None:
    def found(engine: str) -> set[tuple[str, int, int, str]]:
        detection = detector(engine).detect(Fragment(data, "any.txt", Origin.FILE))
        return {(c.rule_id, c.line, c.column, c.value) for c in detection.candidates}

    assert found("hyperscan") == found("python")


# Every rule's examples (fake values made at run time) and counter-examples, as whole lines.
example_lines = [
    expand(text, f"{rule.id}/{kind}{index}")
    for rule in Config().rules()
    for kind, texts in (("e", rule.examples), ("c", rule.counter_examples))
    for index, text in enumerate(texts)
]
example_soup = st.lists(
    st.sampled_from(example_lines) | st.sampled_from(["\n", "  ", "# ", '"', "=", "x"]),
    max_size=12,
).map("".join)


@PROPERTY
@given(
    texts=st.lists(
        st.tuples(
            example_soup,
            st.sampled_from(["a.py", "b.json", "c.csv", "README.md", "x/d.py", "e.JSON"]),
        ),
        min_size=2,
        max_size=4,
    )
)
def test_a_line_seen_before_is_judged_as_the_first_time(texts: list[tuple[str, str]]) -> None:
    """The detector gives a line the verdict a rule gave it in an earlier fragment of a file of
    the same kind, with the same lines around it as far as that verdict read (`Verdicts`);
    `--explain` always looks. Both must find the same candidates, to the last field, also
    when the lines come back with other lines around them."""
    warm = detector("hyperscan")
    lines = [line for text, _ in texts for line in text.splitlines()]
    for text, path in [*texts, *(("\n".join(lines), path) for _, path in texts)]:
        fragment = Fragment(text.encode("utf-8", "surrogatepass"), path, Origin.FILE)
        remembered, looked_at = warm.detect(fragment), warm.detect(fragment, explain=True)
        assert remembered.candidates == looked_at.candidates


# Lines holding encoded runs: an example encoded (base64, percent), runs that decode to
# nothing (a commit hash, an integrity hash behind its label).
encoded_line = (
    st.sampled_from(example_lines).map(
        lambda line: "data: " + base64.b64encode(line.encode("utf-8", "surrogatepass")).decode()
    )
    | st.sampled_from(example_lines).map(lambda line: "url: https://x/?q=" + quote(line))
    | st.binary(min_size=20, max_size=20).map(lambda digest: f'"reference": "{digest.hex()}"')
    | st.binary(min_size=48, max_size=48).map(
        lambda digest: f'"integrity": "sha384-{base64.b64encode(digest).decode()}"'
    )
)
# Versions of a file edited line by line: the rules' examples and counter-examples, lines that
# let a prefilter hit run across a line end (blank, spaces, a key without its value), long
# lines (confirmed in windows around their hits), and encoded runs.
version_line = (
    st.sampled_from(example_lines)
    | st.sampled_from(["", "  ", "\t", "password =", "token:", "=", '"', "key = \\", "-" * 5])
    | st.sampled_from(example_lines).map(lambda line: "a " * 2100 + line + " b" * 300)
    | encoded_line
)
line_edit = st.tuples(
    st.sampled_from(["insert", "replace", "delete", "join"]), st.integers(0, 30), version_line
)


@pytest.mark.parametrize("engine", ["hyperscan", "python"])
@PROPERTY
@given(
    first=st.lists(version_line, min_size=1, max_size=20),
    edits=st.lists(line_edit, min_size=1, max_size=6),
    path=st.sampled_from(["a.py", "b.json", "c.csv", "README.md", "package-lock.json"]),
    trailing_newline=st.booleans(),
)
def test_a_version_scanned_where_it_changed_finds_what_a_whole_scan_finds(
    engine: str,
    first: list[str],
    edits: list[tuple[str, int, str]],
    path: str,
    trailing_newline: bool,
) -> None:
    """Each version of a file goes through the prefilter only where it differs from the last
    version of its path (`PreviousVersions`), the rest keeping that version's hits, and its
    encoded runs are looked for there only when none of the last version's decoded to text;
    `--explain` scans it whole. Both must find the same candidates, to the last field."""
    warm = detector(engine)
    with pytest.MonkeyPatch.context() as patch:
        # The property holds at any size: compare files and their parts of any size.
        patch.setattr(previous_versions, "SMALLEST", 0)
        patch.setattr(previous_versions, "SMALLEST_PART", 0)
        patch.setattr(previous_versions, "ANCHOR", 8)
        for text in edited_versions(first, edits):
            data = (text + "\n" * trailing_newline).encode("utf-8", "surrogatepass")
            fragment = Fragment(data, path, Origin.FILE)
            carried, whole = warm.detect(fragment), warm.detect(fragment, explain=True)
            assert carried.candidates == whole.candidates
            assert carried.newlines == whole.newlines == data.count(b"\n")


def without_hyperscan(make: Callable[[], AnyMatch]) -> AnyMatch:
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "hyperscan", None)  # as on a platform without its wheel
        return make()


CLOSING_FINDERS = (
    AnyMatch.words(CLOSING_WORDS),
    without_hyperscan(lambda: AnyMatch.words(CLOSING_WORDS)),
)
STATEMENT_FINDERS = (sql._statement(), without_hyperscan(sql._statement.__wrapped__))


@PROPERTY
@given(
    text=st.lists(
        st.sampled_from([*CLOSING_WORDS, "GROET", "M.V.G", "Regards", "m.vg", "\u212a", "\u0130"])
        | st.text(alphabet="groetmvgMVG. \n\u212a\u0130é\ud800", max_size=8),
        max_size=8,
    ).map("".join)
)
def test_closing_words_are_found_in_the_bytes_as_in_the_text_lowered(text: str) -> None:
    """Names in prose look for a closing formula's words in the fragment's bytes (one
    Hyperscan scan), where they looked in its text lowered: both must say the same."""
    expected = any(word in text.lower() for word in CLOSING_WORDS)
    data = text.encode("utf-8", "surrogatepass")
    assert [finder.search(data) for finder in CLOSING_FINDERS] == [expected, expected]


@PROPERTY
@given(
    text=st.lists(
        st.sampled_from(
            ["insert", "INSERT", "Insert", "into", "INTO", "inTo", " ", "  ", "\n", "\t", "t",
             "p.x", "`t`", "(", "a, b", ")", "values", "VALUES", "list.", "_", "\u0130"]
        ),
        max_size=14,
    ).map("".join)
)  # fmt: skip
def test_insert_statements_are_found_as_the_statement_regex_finds_them(text: str) -> None:
    """Whether a fragment holds an INSERT statement is asked by one search at C speed (with
    Hyperscan, or `re` without it) before the statements are parsed: it must say what the
    statement regex says, in any case and with any white space between the words."""
    data = text.encode()
    expected = sql.INSERT.search(data) is not None
    assert [finder.search(data) for finder in STATEMENT_FINDERS] == [expected, expected]


SPAN_RULES = [
    rule
    for rule in Config().rules()
    if rule.id in {"pii-nl-person", "pii-nl-iban", "pii-nl-email", "generic-password-assignment"}
]


@PROPERTY
@given(
    text=st.lists(st.sampled_from(example_lines) | st.text(max_size=6), max_size=4).map("".join),
    window=st.tuples(st.integers(0, 80), st.integers(0, 80)),
)
def test_spans_of_a_rule_regex_are_those_of_its_matches_in_the_text(
    text: str, window: tuple[int, int]
) -> None:
    """Rule regexes search an ASCII text as bytes (`match_spans`): the spans must be those
    RE2 gives for the text itself, within any part of it."""
    pos, endpos = min(window), min(max(window), len(text))
    for rule in SPAN_RULES:
        group = rule.value_group
        expected = [match.span(group) for match in rule.compiled.finditer(text, pos, endpos)]
        assert list(match_spans(rule.compiled, text, group, pos, endpos)) == expected


@PROPERTY
@given(data=st.binary(max_size=9000) | st.text(alphabet="a\n", max_size=9000).map(str.encode))
def test_newlines_are_counted_as_bytes_count_counts_them(data: bytes) -> None:
    assert count_newlines(data) == data.count(b"\n")


@PROPERTY
@given(
    # Slices of a long line (4,200 bytes) merged may cover all of it: a few hits on one do.
    lines=st.lists(st.sampled_from(["", "ab", "a " * 1200, "b" * 4200]), min_size=1, max_size=4),
    hits=st.lists(st.tuples(st.booleans(), st.floats(0, 1)), min_size=1, max_size=16),
)
def test_a_window_is_marked_whole_exactly_when_it_is_its_line(
    lines: list[str], hits: list[tuple[bool, float]]
) -> None:
    """A window's verdict is remembered only when it is a whole line: the mark the windows
    carry (short lines, a multiline rule's reach, slices of long lines merged) must say what
    comparing the window with its line's bounds says."""
    warm = detector("hyperscan")
    multiline = next(i for i, rule in enumerate(warm.rules) if rule.multiline)
    single_line = next(i for i, rule in enumerate(warm.rules) if not rule.multiline)
    data = "\n".join(lines).encode()
    text = FragmentText(Fragment(data, "a.txt", Origin.FILE))
    offsets = [
        (multiline if spans_lines else single_line, int(place * max(len(data) - 1, 0)))
        for spans_lines, place in hits
    ]
    for start, _, end, whole_line in warm._windows(text, offsets):
        assert whole_line == ((start, end) == text.line_bounds(start))


@settings(max_examples=1000, deadline=None)
@given(
    lengths=st.lists(st.sampled_from([0, 1, 30, 62, 63, 64, 65, 128]), min_size=1, max_size=60)
    | st.lists(st.sampled_from([0, 63, 64, 65, 70, 75, 80]), min_size=20, max_size=60),
    choice=st.data(),
)
def test_a_line_is_found_from_any_other_as_a_list_of_line_starts_finds_it(
    lengths: list[int], choice: st.DataObject
) -> None:
    """Lines are walked to in C (a regex below, a count of newlines above): the start of line
    `index` must be where the list of all line starts puts it, None off the fragment's ends,
    from any line, near or far (a few lines up are stepped, more are counted in stretches of
    64 bytes a line: line lengths about that size find the stretch's edge cases)."""
    data = b"\n".join(b"x" * length for length in lengths)
    starts = [0, *(i + 1 for i, byte in enumerate(data) if byte == 0x0A)]
    known = choice.draw(st.integers(0, len(starts) - 1))
    index = choice.draw(st.integers(-3, len(starts) + 2))
    expected = starts[index] if 0 <= index < len(starts) else None
    assert walk_to_line(data, (known, starts[known]), index) == expected


@PROPERTY
@given(text=st.from_regex(CLOSING))
def test_every_closing_formula_holds_a_closing_word(text: str) -> None:
    """Names in prose look for a closing formula only in a text with one of its words: every
    formula the pattern takes must hold one (`m.vg` and `mv.g` did not)."""
    assert any(word in text.lower() for word in CLOSING_WORDS)


# --- windows over content -------------------------------------------------------------------


@PROPERTY
@given(
    text=st.text(alphabet="ab \n", max_size=400),
    window=st.integers(min_value=8, max_value=64),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6),
)
def test_windows_hold_every_short_line_whole_at_its_true_place(
    text: str, window: int, cuts: list[int]
) -> None:
    data = text.encode()
    bounds = sorted({0, len(data), *(c for c in cuts if c <= len(data))})
    chunks = [data[a:b] for a, b in itertools.pairwise(bounds)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(content, "OVERLAP", window // 2)
        pieces = content.text_pieces(iter(chunks), window=window)
        assert pieces is not None
        pieces = list(pieces)
    lines = data.split(b"\n")
    seen: set[int] = set()
    for position, piece in enumerate(pieces):
        parts = piece.data.split(b"\n")
        last_piece = position == len(pieces) - 1
        for index, part in enumerate(parts):
            number = piece.line_offset + index
            if index == 0 and piece.column_offset:
                # A window that starts inside a line: it holds the rest of it, from its column.
                assert lines[number][piece.column_offset :].startswith(part)
                continue
            assert lines[number].startswith(part)
            if index < len(parts) - 1 or last_piece:  # not cut by the window's end
                assert part == lines[number]
                seen.add(number)
    short = {n for n, line in enumerate(lines) if len(line) < window // 4}
    assert short <= seen


@PROPERTY
@given(
    lines=st.lists(st.text(alphabet="ab é\r", max_size=5), min_size=1, max_size=12),
    line_offset=st.integers(0, 3),
    asked=st.lists(st.tuples(st.integers(0, 14), st.integers(-2, 14)), max_size=6),
)
def test_the_text_of_a_line_near_a_window_is_that_line(
    lines: list[str], line_offset: int, asked: list[tuple[int, int]]
) -> None:
    """`line_text` walks from the last window's line to a line near it; it must give what
    counting every line gives, for any line, also past either end of the fragment."""
    data = "\n".join(lines).encode()
    owner = FragmentText(Fragment(data, "a.txt", Origin.FILE, None, line_offset, 0))
    starts = [0, *(i + 1 for i, byte in enumerate(data) if byte == 10)]
    for window_line, line in asked:
        if window_line < len(lines):
            owner.window(starts[window_line], starts[window_line])
        index = line - line_offset - 1
        expected = lines[index].rstrip("\r") if 0 <= index < len(lines) else ""
        assert owner.line_text(line) == expected


@PROPERTY
@given(data=st.binary(max_size=3000), split=st.integers(min_value=1, max_value=3000))
def test_content_sniffing_never_crashes(data: bytes, split: int) -> None:
    pieces = content.text_pieces(iter([data[:split], data[split:]]))
    if pieces is not None:
        for piece in pieces:
            assert isinstance(piece.data, bytes)


# --- parsers ---------------------------------------------------------------------------------


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["rules", "disable", "categories", "id", "regex", "x"])
            | st.text(max_size=8),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@PROPERTY
@given(document=yaml_values)
def test_config_files_load_or_fail_with_a_config_error(
    tmp_path_factory: Any, document: Any
) -> None:
    path = tmp_path_factory.mktemp("config") / ".leakguard.yaml"
    path.write_text(yaml.safe_dump(document))
    try:
        config = load_config(path)
    except ConfigError:
        return
    config.rules()


@PROPERTY
@given(text=st.text(max_size=200))
def test_config_text_that_is_not_yaml_is_a_config_error(tmp_path_factory: Any, text: str) -> None:
    path = tmp_path_factory.mktemp("config") / ".leakguard.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    with contextlib.suppress(ConfigError):
        load_config(path)


rule_entries = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(alphabet=string.ascii_lowercase + "-.0", max_size=12) | yaml_values,
        "description": st.text(max_size=10) | yaml_values,
        "regex": st.text(alphabet="ab()[]*+?{}|\\^$.:<>P=!0-9", max_size=20) | yaml_values,
        "severity": st.sampled_from(["high", "low", "urgent"]) | yaml_values,
        "category": st.sampled_from(["secret", "pii", "other"]) | yaml_values,
        "keywords": st.lists(st.text(max_size=5), max_size=3) | yaml_values,
        "entropy": st.floats(allow_nan=False) | yaml_values,
        "validators": st.lists(st.sampled_from(["github-checksum", "nope"]), max_size=2),
        "multiline": st.booleans() | yaml_values,
        "allow": st.lists(st.text(alphabet="ab()[*", max_size=6), max_size=2),
    },
)


@PROPERTY
@given(
    document=st.one_of(
        yaml_values, st.fixed_dictionaries({"rules": st.lists(rule_entries, max_size=3)})
    )
)
def test_rule_documents_parse_or_fail_with_a_rule_error(document: Any) -> None:
    try:
        rules = parse_rule_document(document, "user.yaml")
    except RuleError:
        return
    for rule in rules:
        rule.compiled  # noqa: B018 - a rule that loaded has a regex that compiles


@PROPERTY
@given(text=st.text(max_size=12))
def test_sizes_parse_or_fail_with_a_value_error(text: str) -> None:
    try:
        size = parse_size(text)
    except ValueError:
        return
    assert size is None or size > 0


# `git log --raw -z` output: commit headers and change records made of real and damaged fields.
log_field = st.sampled_from(
    [b"100644", b"160000", b"000000", b"0" * 40, b"a" * 40, b"b" * 64, b"M", b"D", b"\xff\xfe"]
) | st.binary(max_size=6)
log_header = st.lists(log_field, max_size=5).map(lambda fields: b"\n\x01" + b"\x02".join(fields))
log_change = st.tuples(
    st.sampled_from([b":", b"::", b":::"]),
    st.lists(log_field, max_size=9),
    st.binary(max_size=12),
).map(lambda parts: parts[0] + b" ".join(parts[1]) + b"\x00" + parts[2])
git_log_pieces = st.lists(log_header | log_change | st.binary(max_size=4), max_size=12).map(
    b"\x00".join
)


@PROPERTY
@given(stream=st.one_of(st.binary(max_size=600), git_log_pieces))
def test_git_log_records_parse_or_fail_with_a_git_error(stream: bytes) -> None:
    try:
        for _header, meta, path in _records(io.BytesIO(stream)):
            if meta is not None and path is not None:
                _parse_change(meta, path)
    except GitError:
        pass


# --- redaction -------------------------------------------------------------------------------


values = st.text(alphabet=string.ascii_letters + string.digits + "+/=_-.~", min_size=1, max_size=80)


@PROPERTY
@given(value=values, other=values)
def test_a_redacted_secret_shows_at_most_a_quarter_and_four_characters(
    value: str, other: str
) -> None:
    shown = min(4, len(value) // 4)
    # Two values that agree on what may be shown, and on length, redact identically: the
    # redaction holds nothing more of the value.
    twin = value[:shown] + other.ljust(len(value), "x")[shown : len(value)]
    assert redact_secret(value) == redact_secret(twin)
    if len(value) >= 8:
        assert value not in redact_secret(value)


@PROPERTY
@given(value=values, other=values)
def test_redacted_personal_data_shows_at_most_its_last_two_characters(
    value: str, other: str
) -> None:
    keep = 2 if len(value) >= 6 else 0
    twin = other.ljust(len(value), "x")[: len(value) - keep] + (value[-keep:] if keep else "")
    assert redact_personal(value) == redact_personal(twin)
    if len(value) >= 6:
        assert value not in redact_personal(value)


@settings(max_examples=40, deadline=None)
@given(
    before=code_like,
    after=code_like,
    seed=st.text(alphabet=string.ascii_letters, min_size=1, max_size=10),
    format_name=st.sampled_from(["text", "json"]),
)
def test_no_report_holds_a_found_value(
    before: str, after: str, seed: str, format_name: str
) -> None:
    from conftest import fake_github_token

    token = fake_github_token(seed)
    data = f"{before}\nTOKEN={token}\n{after}".encode("utf-8", "surrogatepass")
    source = StdinText("pasted", stream=io.BytesIO(data))
    outcome = run_scan(ScanRequest(source, detector("python"), FilterChain([])))
    assume(outcome.findings)

    report = render(format_name, Report(outcome=outcome, kind="stdin", verbose=True))

    assert token not in report
    assert token[4:] not in report
    if format_name == "json":
        json.loads(report)


@PROPERTY
@given(text=st.text(max_size=200))
def test_printable_text_has_no_control_characters(text: str) -> None:
    shown = printable(text)

    assert CONTROL.search(shown) is None
    assert "\n" not in shown


# --- Dutch checksums against python-stdnum ------------------------------------------------------


def find_validator(*fragments: str) -> Callable[[str], bool]:
    for name, check in VALIDATORS.items():
        if any(fragment in name for fragment in fragments):
            return check
    pytest.skip(f"no validator named like {fragments} yet (leakguard/validators/pii_nl.py)")


@settings(max_examples=500, deadline=None)
@given(number=st.integers(min_value=0, max_value=999_999_999))
def test_bsn_eleven_test_agrees_with_stdnum(number: int) -> None:
    from stdnum.nl import bsn

    check = find_validator("bsn", "elfproef", "eleven")
    value = f"{number:09d}"

    assert check(value) == bsn.is_valid(value)


@settings(max_examples=300, deadline=None)
@given(
    bank=st.text(alphabet=string.ascii_uppercase, min_size=4, max_size=4),
    account=st.integers(min_value=0, max_value=9_999_999_999),
    check_digits=st.integers(min_value=0, max_value=99),
    valid=st.booleans(),
)
def test_iban_checksum_agrees_with_stdnum(
    bank: str, account: int, check_digits: int, valid: bool
) -> None:
    from stdnum import iban

    check = find_validator("iban")
    body = f"{bank}{account:010d}"
    if valid:
        # Made valid at run time: the mod-97 check digits computed for this bank and account.
        digits = "".join(str(int(c, 36)) for c in body + "NL00")
        check_digits = 98 - int(digits) % 97
    value = f"NL{check_digits:02d}{body}"

    assert check(value) == iban.is_valid(value)
