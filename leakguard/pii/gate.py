"""The cheap stage of every Dutch detector: which values are personal data, mostly without Presidio.

For each match of the rule's regex in a window, in order of cost:

1. the value's own checks (11-proef, mod 97, sidecode, ...): pure functions, microseconds;
2. known test data and the organisation's own addresses, numbers and domains;
3. context: the field the value sits in (`leakguard.pii.structure`), else words nearby, else a
   record of other personal fields;

and what survives is scored as the detector's Presidio recognizer scores it, told the context
found (`leakguard.pii.scoring`): settled here when Presidio's own search for context words cannot
change the verdict, else by Presidio (`leakguard.pii.analyzer`). The score must reach the rule's
`min_score`.

A rule with keywords is triggered by a field name rather than by the value: when the hit is a
table header (CSV, Markdown, pg_dump COPY, INSERT column list), every cell of that column is
judged; when the hit is a key that opens a nested value (`geboorte:` / `"geboorte": {`), the
lines under it are.

Rule `context:` settings (all optional): `keys` (field names that say what the value is, see
`leakguard.pii.context`), `weak_keys` (names that say so only in a personal record), `words`
(prose words nearby), `needs_context` (default true), `record` (how many other personal fields
make a record context; 0: never), `record_kinds` (which kinds of field count; default all).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from leakguard.detectors.recognizers import Reach, Reject, Rejection, candidate_at
from leakguard.detectors.settings import DetectionSettings
from leakguard.detectors.text import FragmentText, Window, decode
from leakguard.models import Candidate
from leakguard.pii.context import Terms, other_kind, personal_fields
from leakguard.pii.keys import opens_value
from leakguard.pii.scoring import (
    DutchPatterns,
    definition,
    needs_presidio,
    pattern_score,
    settled_score,
)
from leakguard.pii.structure import Field, FragmentView, view_of
from leakguard.pii.tables import Table, cell_spans
from leakguard.pii.testdata import user_listed
from leakguard.ruleset import Rule, match_spans
from leakguard.validators import VALIDATORS

# How a check is named in reasons ("11-proef"), and in rejections ("failed 11-proef").
CHECK_NAMES = {
    "bsn": "11-proef",
    "rsin": "11-proef",
    "onderwijsnummer": "onderwijsnummer check",
    "a-nummer": "A-nummer rules",
    "iban": "mod 97",
    "iban-nl-bank": "Dutch bank code",
    "postcode-nl": "postcode letters",
    "id-document-nl": "document number format",
    "kenteken": "RDW sidecode",
    "date-of-birth": "valid date",
    "phone-nl": "Dutch numbering plan",
}
# How the source of a field is named in reasons; table cells of every kind are columns.
SOURCE_LABELS = {"key": "key", "parent": "key"}
MEMO = 8192  # scores remembered per rule
SEEN_CHARS = 1 << 20  # characters of text whose values are remembered per rule
# Characters around a value that Presidio sees (its context words look a few words back).
SNIPPET_BEFORE = 60
SNIPPET_AFTER = 20
FOLLOW_LINES = 8


@dataclass(frozen=True, slots=True)
class Context:
    reason: str | None = None  # `context: column bsn`; None: no context
    words: tuple[str, ...] = ()  # what Presidio is told
    blocked: str | None = None  # the value's field says it is something else


NO_CONTEXT = Context()
AFTER_CELL = re.compile(r"[\"',;|\t]")
GENERIC_KEYS = Terms(
    ["value", "waarde", "datum", "date", "nummer", "number", "nr", "code", "tekst", "text", "data"]
)


@dataclass(frozen=True, slots=True)
class Value:
    """A match of the rule's regex, and what it says of itself (its context aside)."""

    start: int
    end: int
    text: str
    refusal: str | None  # it fails its checks, or is part of a larger value
    test: str | None  # known test data
    allowed: str | None  # the organisation's own


@dataclass(slots=True)
class Pending:
    """A match that passed the cheap stage, waiting for Presidio."""

    window: Window
    start: int
    end: int
    value: str
    reasons: tuple[str, ...]
    words: tuple[str, ...]


class DutchPiiRecognizer:
    """The leakguard side of a Dutch detector; subclasses name their Presidio recognizer."""

    presidio: ClassVar[str]  # `module:Class` of the Presidio recognizer

    def __init__(self, rule: Rule, settings: DetectionSettings) -> None:
        self.rule = rule
        self.settings = settings
        self.entity = rule.entity or "PII"
        options = rule.context
        self.keys = Terms(options.get("keys", ()))
        self.weak_keys = Terms(options.get("weak_keys", ()))
        self.words = tuple(str(word).lower() for word in options.get("words", ()))
        self._word_pattern = _words_regex(self.words)
        self.needs_context = bool(options.get("needs_context", True))
        self.record = int(options.get("record", 0))
        self.record_kinds = frozenset(options.get("record_kinds", ())) or None
        self.min_score = rule.min_score if rule.min_score is not None else 0.5
        self.checks = [(name, VALIDATORS[name]) for name in rule.validators]
        self._memo: dict[Snippet, float] = {}
        self._seen: dict[tuple[str, int, int], tuple[Value, ...]] = {}
        self._seen_size = 0
        self._read: Reach | None = None  # see `lines_read`

    # --- hooks for subclasses ---------------------------------------------------------------

    def refusal(self, value: str) -> str | None:
        """Why the value itself cannot be this entity (its checks), or None."""
        for pattern in self.rule.compiled_allow:
            if pattern.search(value):
                return "rule allowlist"
        for name, check in self.checks:
            if not check(value):
                return f"failed {CHECK_NAMES.get(name, name)}"
        return None

    def test_data(self, value: str) -> str | None:
        """`known test data (...)` for a fictional value, else None."""
        return None

    def allowed(self, value: str) -> str | None:
        """Why the value is the organisation's own (configured), else None."""
        return None

    def context_required(self, value: str) -> bool:
        return self.needs_context

    def inside(self, text: str, start: int, end: int) -> str | None:
        """Why the value is part of a larger value of another kind (a phone number in the
        groups of an IBAN), else None."""
        return None

    def check_reasons(self) -> tuple[str, ...]:
        if not self.checks:
            return ("pattern",)
        return tuple(CHECK_NAMES.get(name, name) for name, _ in self.checks)

    # --- the recognizer protocol ------------------------------------------------------------

    def confirm(self, window: Window, reject: Reject) -> Iterator[Candidate]:
        view = view_of(window.owner)
        index = view.index_of(window)
        view.watch(index)
        self._read = None
        pending = list(self._matches(view, window, index, reject))
        if self.rule.keywords:
            pending.extend(self._beneath(view, window, reject))
        if pending:
            yield from self._scored(pending, reject)
        read = view.lines_read()
        self._read = None if read is None else Reach(index - read[0], read[1] - index, read[2])

    def lines_read(self) -> Reach | None:
        """The lines around its own that the last window's verdict read: the keys above a
        value, its record, the lines under `"naam": {`; and the facts about the file (its CSV
        header). The same lines say the same in another version of the file (of 38,954 lines
        with `naam` in a history of mijn-amsterdam-frontend, 3,018 differ)."""
        return self._read

    def facts(self, text: FragmentText, names: tuple[str, ...]) -> tuple[object, ...]:
        view = view_of(text)
        return tuple(view.fact_value(name) for name in names)

    def _matches(
        self,
        view: FragmentView,
        window: Window,
        index: int,
        reject: Reject,
        known: Context | None = None,
        within: tuple[int, int] | None = None,
    ) -> Iterator[Pending]:
        text = window.text
        for value in self._values(text, within or (0, len(text))):
            pending = self.judge(view, window, index, value, reject, known)
            if pending is not None:
                yield pending

    def _values(self, text: str, within: tuple[int, int]) -> tuple[Value, ...]:
        """The rule's values in text[low:high] with what they say of themselves, remembered
        per text: a history holds the same line in many versions of a file (a full scan of
        Amsterdam/signals asks 19,649 times about 1,338 different lines)."""
        key = (text, *within)
        values = self._seen.get(key)
        if values is None:
            values = tuple(self._find_values(text, *within))
            if self._seen_size > SEEN_CHARS:
                self._seen.clear()
                self._seen_size = 0
            self._seen[key] = values
            self._seen_size += len(text)
        return values

    def _find_values(self, text: str, low: int, high: int) -> Iterator[Value]:
        # One character either side: the rule regex looks at the characters around a value.
        regex, group = self.rule.compiled, self.rule.value_group
        for start, end in match_spans(
            regex, text, group, max(0, low - 1), min(len(text), high + 1)
        ):
            if start < low or end > high or start == end:
                continue
            value = text[start:end]
            test = self.test_data(value)
            if test is None and user_listed(value, self.settings.test_identifiers):
                test = "known test data (configured)"
            refusal = self.refusal(value) or self.inside(text, start, end)
            yield Value(start, end, value, refusal, test, self.allowed(value))

    def judge(
        self,
        view: FragmentView,
        window: Window,
        index: int,
        value: Value,
        reject: Reject,
        known: Context | None = None,
    ) -> Pending | None:
        """The cheap stage for one value: a Pending for scoring, or None (maybe rejected)."""
        start, end = value.start, value.end

        def context() -> Context:
            return (
                known
                if known is not None
                else self.context_of(view, window.text, index, start, end)
            )

        def refuse(reason: str) -> None:
            if reject is not None:
                line, column = window.position(start)
                reject(Rejection(self.rule.id, line, column, reason, len(value.text)))

        if value.refusal is not None:
            # A failed check is only worth explaining where the value looked personal.
            if reject is not None and context().reason is not None:
                refuse(value.refusal)
            return None
        reasons = self.check_reasons()
        if value.test is not None:
            if not self.settings.report_test_identifiers:
                refuse(value.test)
                return None
            reasons += (value.test,)
        if value.allowed is not None:
            refuse(value.allowed)
            return None
        found = context()
        if found.blocked is not None:
            refuse(found.blocked)
            return None
        if found.reason is None and self.context_required(value.text):
            refuse(f"no context ({', '.join(reasons)} holds)" if self.checks else "no context")
            return None
        if found.reason is not None:
            reasons += (found.reason,)
        return Pending(window, start, end, value.text, reasons, found.words)

    # --- context ----------------------------------------------------------------------------

    def context_of(
        self, view: FragmentView, text: str, index: int, start: int, end: int
    ) -> Context:
        field = view.field_of(index, text, start, end)
        if field is not None:
            found = self.field_context(field)
            if found is not None:
                return found
        word = self.word_near(view, text, index, start, end)
        if word is not None:
            return Context(f"context: word {word}", (word,))
        if field is not None and self.record and field.key is None and self.checks:
            # A value without a field of its own, in a personal record: enough for a value
            # with a checksum or format (a BSN in a list), not for any capitalised word.
            return self.record_context(field, None)
        return NO_CONTEXT

    def field_context(self, field: Field) -> Context | None:
        """What the value's field says: this entity, another, or (None) nothing either way."""
        label = SOURCE_LABELS.get(field.source, "column")
        # The enclosing keys speak for a value whose own key says nothing of its own (`value`,
        # `datum` in `geboorte: {datum: ...}`), not for a `description` under `fullName`.
        own = field.key
        keys = field.keys() if own is None or GENERIC_KEYS.match(own) else (own,)
        term = self.keys.match_any(keys)
        if term is not None:
            return Context(f"context: {label} {term}", (term,))
        if field.key is None:
            return None
        other = other_kind(field.key, self.entity)
        if other is not None:
            return Context(blocked=f"the field holds another kind of data ({other})")
        weak = self.weak_keys.match(field.key)
        if weak is not None and self.record:
            found = self.record_context(field, field.key)
            if found.reason is not None:
                return Context(f"context: {label} {weak} in a personal record", found.words)
        # A field name that says nothing: words around it do not speak for its value either.
        return NO_CONTEXT

    def record_context(self, field: Field, own: str | None) -> Context:
        kinds = personal_fields(field.record, ignore=own)
        if self.record_kinds is not None:
            kinds = [kind for kind in kinds if kind in self.record_kinds]
        if len(kinds) >= self.record:
            return Context(f"context: record with {', '.join(kinds)}", ("persoonsgegevens",))
        return NO_CONTEXT

    def word_near(
        self, view: FragmentView, text: str, index: int, start: int, end: int
    ) -> str | None:
        if self._word_pattern is None:
            return None
        # Words after the value count up to the end of its cell or string: the next field's
        # name (`"postcode": ...` after an address) is not about this value.
        after = AFTER_CELL.split(text[end : end + 40], maxsplit=1)[0]
        around = text[max(0, start - 80) : start] + " " + after
        for previous in (index - 1, index - 2):
            if previous >= 0:  # below the window's own line: it exists
                line = view.line(previous)
                if line.strip():
                    around = line[-100:] + "\n" + around
                    break
        match = self._word_pattern.search(around.lower())
        return match.group(1) if match is not None else None

    # --- values under a header or an opening key --------------------------------------------

    def _beneath(self, view: FragmentView, window: Window, reject: Reject) -> Iterator[Pending]:
        index = view.index_of(window)
        if not view.holds(index):
            return
        line = view.line(index)
        if view.may_head_values(index, line):
            table = view.header_at(index)
            if table is not None:
                yield from self._column(view, table, reject)
                return
            statement = view.insert_at(index)
            if statement is not None:
                yield from self._insert_column(view, *statement, reject)
                return
        if opens_value(line):
            yield from self._follow(view, index, line, reject)

    def _column(self, view: FragmentView, table: Table, reject: Reject) -> Iterator[Pending]:
        columns = []
        for column, name in enumerate(table.header):
            found = self.field_context(Field(name, "column", (), table.header))
            if found is not None and found.reason is not None:
                columns.append((column, found))
        if not columns:
            return
        for index, text in view.table_rows(table):
            if table.delimiter is None:
                # Aligned on whitespace: each value finds its column by where it stands.
                yield from self._matches(view, view.window_for(index), index, reject)
                continue
            spans = cell_spans(text, table.delimiter)
            window: Window | None = None
            for column, found in columns:
                if column < len(spans):
                    window = window or view.window_for(index)
                    yield from self._matches(view, window, index, reject, found, spans[column])

    def _insert_column(
        self,
        view: FragmentView,
        names: tuple[str, ...],
        cells: list[tuple[int, int, int]],
        reject: Reject,
    ) -> Iterator[Pending]:
        wanted: dict[int, Context] = {}
        for column, name in enumerate(names):
            found = self.field_context(Field(name, "insert", (), names))
            if found is not None and found.reason is not None:
                wanted[column] = found
        for start, end, column in cells:
            if column in wanted:
                index, char = view.locate(start)
                bounds = (char, char + len(decode(view.data[start:end])))
                window = view.window_for(index)
                yield from self._matches(view, window, index, reject, wanted[column], bounds)

    def _follow(
        self, view: FragmentView, index: int, line: str, reject: Reject
    ) -> Iterator[Pending]:
        """Values on the lines under a key that opens them (`geboorte:`, `"adres": {`)."""
        indent = len(line) - len(line.lstrip())
        label = not line.startswith((" ", "\t")) and line.rstrip().endswith(":")
        for below in range(index + 1, view.clamp(index + 1 + FOLLOW_LINES)):
            text = view.line(below)
            if not text.strip():
                continue
            deeper = len(text) - len(text.lstrip()) > indent
            if not deeper and not label:
                return
            yield from self._matches(view, view.window_for(below), below, reject)
            if label and not deeper:
                return  # a prose label (`Geboortedatum:`) labels the one line after it

    # --- scores: settled from the definition, or Presidio's ----------------------------------

    @cached_property
    def _definition(self) -> type[DutchPatterns]:
        return definition(self.presidio)

    @cached_property
    def _engine(self) -> Any:
        from leakguard.pii.analyzer import analyzer_engine, presidio_recognizer

        terms = [term.text for term in self.keys.terms] + [t.text for t in self.weak_keys.terms]
        return analyzer_engine([presidio_recognizer(self.presidio, [*self.words, *terms])])

    def _scored(self, pending: list[Pending], reject: Reject) -> Iterator[Candidate]:
        scores = self._scores(pending)
        for item, score in zip(pending, scores, strict=True):
            if score < self.min_score:
                if reject is not None:
                    line, column = item.window.position(item.start)
                    reason = f"score {score:.2f} below {self.min_score:.2f}"
                    reject(Rejection(self.rule.id, line, column, reason, len(item.value)))
                continue
            yield candidate_at(
                self.rule,
                item.window,
                (item.start, item.end),
                item.value,
                (*item.reasons, f"score {score:.2f}"),
                score=round(score, 2),
            )

    def _scores(self, pending: list[Pending]) -> list[float]:
        """Each value's score, remembered per snippet: settled from the detector's definition
        where Presidio's own search for context words cannot change the verdict (nearly
        always, see `leakguard.pii.scoring`), else Presidio's."""
        scores: list[float] = []
        for item in pending:
            snippet = _snippet(item)
            score = self._memo.get(snippet)
            if score is None:
                score = self._score(snippet)
                self._remember(snippet, score)
            scores.append(score)
        return scores

    def _score(self, snippet: Snippet) -> float:
        part, start, end, words = snippet
        base = pattern_score(self._definition, part, start, end)
        if not needs_presidio(base, bool(words), self.min_score):
            return settled_score(base, bool(words))
        # Each value analysed on its own: in a batch, Presidio's context words for one value
        # came from the end of the snippet before it.
        results = self._engine.analyze(
            text=part, language="nl", entities=[self.entity], context=list(words) or None
        )
        return max((r.score for r in results if r.start < end and start < r.end), default=0.0)

    def _remember(self, snippet: Snippet, score: float) -> None:
        # A history holds the same line in many versions of a file: each is scored once.
        if len(self._memo) >= MEMO:
            self._memo.clear()
        self._memo[snippet] = score


# (text around the value, start and end of the value in it, context words)
Snippet = tuple[str, int, int, tuple[str, ...]]
# (a line's text, whether it is the fragment's first, whether the file may hold printouts)


def _snippet(item: Pending) -> Snippet:
    start = max(0, item.start - SNIPPET_BEFORE)
    part = item.window.text[start : item.end + SNIPPET_AFTER].replace("\n", " ")
    return part, item.start - start, item.end - start, tuple(sorted(set(item.words)))


def _words_regex(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """Words that must start a word (`dob` is context, `adobe` is not)."""
    if not words:
        return None
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])({alternatives})")
