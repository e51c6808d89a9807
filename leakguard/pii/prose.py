"""Names in prose: README and docs, notebook Markdown cells, code comments.

The rule (`pii-nl-person-prose`) is triggered once per fragment (its regex is `\\A`); this
recognizer decides whether the fragment holds prose and which parts of it are prose.

- Always: the name under a closing formula (`Met vriendelijke groet,` / `Kind regards,`), as in
  a pasted e-mail or letter. Names after a title (mevrouw, dhr.) are `nl-person-title`'s.
- With a spaCy pipeline (`settings.ner_model`): its PERSON entities in all prose, and its
  locations when they stand next to a person (a place on its own is not personal data).
  Without one, `--verbose` says once that NER did not run.

Only prose reaches spaCy: Markdown outside code blocks, notebook Markdown cells and comments.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from leakguard.detectors.prefilter import AnyMatch
from leakguard.detectors.recognizers import (
    Reach,
    Reject,
    Rejection,
    candidate_at,
    recognizer,
)
from leakguard.detectors.settings import DetectionSettings
from leakguard.detectors.text import FragmentText, Window, name_suffix
from leakguard.models import Candidate
from leakguard.ruleset import Rule

# The rule fires on every fragment, and most (all code, without NER) are turned away at once:
# what only a closing formula or a model needs is imported and compiled on its first use.

PROSE_SUFFIXES = (".md", ".markdown", ".rst", ".txt", ".adoc", ".asciidoc", ".org", ".textile")
PROSE_NAMES = ("readme", "changelog", "authors", "contributors", "notice", "history")
CODE_SUFFIXES = frozenset(
    """
    .py .pyi .js .mjs .cjs .ts .tsx .jsx .vue .java .kt .scala .cs .go .rb .php .sh .bash
    .zsh .c .h .cc .cpp .hpp .rs .swift .r .sql .ps1 .yaml .yml .toml .ini .cfg .conf .tf
    .css .scss .html .xml
    """.split()  # noqa: SIM905 - a word list reads best as words
)
FENCE = re.compile(r"^\s*(```|~~~)")
COMMENT = re.compile(r"^\s*(?:#+|//+|/\*+|\*+|--|<!--|;+|%+)\s?")
TRAILING_COMMENT = re.compile(r"\s(?:#|//)\s")
# A closing formula alone on its line, and the name on the next prose line.
CLOSING = (
    r"(?im)^[ \t>*_-]*(?:(?:met\s+)?(?:vriendelijke|hartelijke|beste|warme)\s+groet(?:en)?"
    r"|groet(?:en|jes)?|m\.?v\.?g\.?|hoogachtend|(?:kind|best|warm)\s+regards|regards|cheers)"
    r"[ \t,.!*_]*$"
)
SIGNATURE = r"[ \t>*_-]*({name})[ \t,.*_]*$"
SEGMENT_CHARS = 20_000  # prose is analysed in stretches of about this size
LOCATION_REACH = 120  # characters between a place and a person for the place to be reported
NAME_RECOGNIZER = "leakguard.pii.person:NlPersonNameRecognizer"


# A word of every closing formula of `CLOSING`: a text without one is not searched for them.
CLOSING_WORDS = ("groet", "regards", "hoogachtend", "mvg", "m.vg", "mv.g", "m.v.g", "cheers")


@functools.cache
def _closing_words() -> AnyMatch:
    return AnyMatch.words(CLOSING_WORDS)


def _may_close(data: bytes) -> bool:
    """Whether the text may hold a closing formula: a word of one, in any case. The words are
    ASCII and hold no letter that a non-ASCII one lowers to (as the Kelvin sign does to `k`),
    so the bytes tell as much as the text lowered."""
    return _closing_words().search(data)


@functools.cache
def _closing() -> re.Pattern[str]:
    return re.compile(CLOSING)


@functools.cache
def _signature() -> re.Pattern[str]:
    from leakguard.pii.patterns import NAME

    return re.compile(SIGNATURE.format(name=NAME))


def prose_kind(path: str) -> str | None:
    """`prose`, `notebook` or `code` (only its comments are prose), else None."""
    name = path.rsplit("/", 1)[-1].lower()
    if name.endswith(PROSE_SUFFIXES) or name.split(".", 1)[0] in PROSE_NAMES:
        return "prose"
    if name.endswith(".ipynb"):
        return "notebook"
    return "code" if name_suffix(name) in CODE_SUFFIXES else None


class Found(NamedTuple):
    """A name (or, with NER, a place) found in a segment."""

    start: int
    end: int
    score: float
    entity: str
    ner: bool = False  # found by spaCy NER, else by the name pattern


def _found(result: Any) -> Found:
    by_ner = result.recognition_metadata.get("recognizer_name") == "SpacyRecognizer"
    return Found(result.start, result.end, result.score, result.entity_type, by_ner)


@dataclass
class Segment:
    """A stretch of prose made of pieces of lines: (offset in the fragment's text, text)."""

    pieces: list[tuple[int, str]] = field(default_factory=list)
    size: int = 0

    @cached_property
    def text(self) -> str:
        return "\n".join(text for _, text in self.pieces)

    @cached_property
    def _starts(self) -> list[int]:
        starts, position = [], 0
        for _, text in self.pieces:
            starts.append(position)
            position += len(text) + 1
        return starts

    def absolute(self, index: int) -> int:
        """The offset in the fragment's text of character `index` of the segment."""
        piece = bisect.bisect_right(self._starts, index) - 1
        return self.pieces[piece][0] + index - self._starts[piece]


def segments(text: str, kind: str) -> list[Segment]:
    """The prose of a fragment, paragraph by paragraph (comment block by comment block)."""
    found: list[Segment] = []
    current = Segment()
    fenced = False
    in_cell = False
    markdown_cell = False
    offset = 0
    for line in text.split("\n"):
        piece: tuple[int, str] | None = None
        if kind == "prose":
            if FENCE.match(line):
                fenced = not fenced
            elif not fenced:
                # Blank lines stay in: a signature stands a blank line under its greeting.
                piece = (offset, line)
        elif kind == "notebook":
            stripped = line.strip()
            if stripped.startswith('"cell_type":'):
                markdown_cell = '"markdown"' in stripped
            elif stripped.startswith('"source": ['):
                in_cell = markdown_cell
            elif in_cell and stripped.startswith("]"):
                in_cell = False
            elif in_cell and stripped.startswith('"'):
                first = line.index('"') + 1
                last = line.rstrip().rstrip(",").rstrip()
                end = len(last) - 1 if last.endswith('"') else len(line)
                body = line[first:end]
                body = body.removesuffix("\\n")
                piece = (offset + first, body)
        else:
            match = COMMENT.match(line) or TRAILING_COMMENT.search(line)
            if match is not None and line[match.end() :].strip():
                piece = (offset + match.end(), line[match.end() :])
        if piece is not None and not (kind == "prose" and current.size > SEGMENT_CHARS):
            current.pieces.append(piece)
            current.size += len(piece[1]) + 1
        elif current.pieces:
            found.append(current)
            current = Segment()
        offset += len(line) + 1
    if current.pieces:
        found.append(current)
    return found


@recognizer("nl-prose")
class ProseNames:
    def __init__(self, rule: Rule, settings: DetectionSettings) -> None:
        self.rule = rule
        self.model = settings.ner_model
        if self.model is not None:
            from leakguard.pii.ner import check_model

            check_model(self.model)  # missing: exit 2 with how to install it, before scanning
        self.min_score = rule.min_score if rule.min_score is not None else 0.5
        self._noted = False

    @cached_property
    def _engine(self) -> Any:
        """Presidio with the name pattern and spaCy NER (only built with a model)."""
        from leakguard.pii.analyzer import analyzer_engine, ner_recognizer, presidio_recognizer

        names = presidio_recognizer(NAME_RECOGNIZER, ["groet"])
        return analyzer_engine([names, ner_recognizer()], self.model)

    def applies_to(self, path: str) -> bool:
        return self._kind(path) is not None

    def _kind(self, path: str) -> str | None:
        """The file's `prose_kind` if this recognizer reads it: prose and notebooks, and code
        only with NER (which reads its comments)."""
        kind = prose_kind(path)
        return None if self.model is None and kind == "code" else kind

    def confirm(self, window: Window, reject: Reject) -> Iterator[Candidate]:
        kind = self._kind(window.owner.fragment.path)
        if kind is None:
            return
        whole = window.owner.window(0, len(window.owner.data))
        if self.model is None:
            if reject is not None and not self._noted:
                self._noted = True
                reason = (
                    "names in prose not checked by NER: no spaCy model configured (--ner-model)"
                )
                reject(Rejection(self.rule.id, window.line, 1, reason, 0))
            # Closing formulas are cheap to look for; only paragraphs with one go to Presidio,
            # and a text without one is not even cut into paragraphs.
            if not (_may_close(window.owner.data) and _closing().search(whole.text)):
                return
            parts = [
                part
                for part in segments(whole.text, kind)
                if _may_close(part.text.encode("utf-8", "surrogatepass"))
                and _closing().search(part.text)
            ]
        else:
            parts = segments(whole.text, kind)
        if parts:
            yield from self._analyze(whole, parts, reject)

    def lines_read(self) -> Reach | None:
        return None  # it reads the whole text

    def facts(self, text: FragmentText, names: tuple[str, ...]) -> tuple[object, ...]:
        return ()

    def signatures(self, part: Segment) -> list[tuple[int, int]]:
        """Spans (in the segment) of names on the line under a closing formula."""
        found = []
        text = part.text
        for closing in _closing().finditer(text):
            start = closing.end() + 1
            while start < len(text) and text[start] == "\n":  # blank lines between
                start += 1
            end = text.find("\n", start)
            end = len(text) if end == -1 else end
            name = _signature().match(text, start, end)
            if name is not None:
                found.append(name.span(1))
        return found

    def _analyze(self, whole: Window, parts: list[Segment], reject: Reject) -> Iterator[Candidate]:
        for part, signed, results in self._results(parts):
            accepted: list[Found] = []
            for result in sorted(results, key=lambda r: r.start):
                if result.ner:
                    how = "ner"
                elif any(result.start < end and start < result.end for start, end in signed):
                    how = "signature"
                else:
                    continue
                found = self._candidate(whole, part, result, how, accepted, reject)
                if found is not None:
                    yield found
                    if result.entity == "PERSON":
                        accepted.append(result)

    def _results(
        self, parts: list[Segment]
    ) -> Iterator[tuple[Segment, list[tuple[int, int]], list[Found]]]:
        """Each part, the signatures in it, and the names (and places) found in it."""
        if self.model is None:
            # Only names under a closing formula count. The name pattern settles them, with the
            # score Presidio gives it when told the formula as context (`leakguard.pii.scoring`).
            from leakguard.pii.person import NlPersonNameRecognizer
            from leakguard.pii.scoring import lifted, pattern_results

            for part in parts:
                signed = self.signatures(part)
                if signed:
                    names = pattern_results(NlPersonNameRecognizer, part.text)
                    yield part, signed, [Found(a, b, lifted(s), "PERSON") for a, b, s in names]
            return
        from leakguard.pii.ner import load_model

        engine = self._engine
        docs = load_model(self.model).pipe(part.text for part in parts)
        for part, nlp_artifacts in zip(parts, engine.nlp_engine.process_prose(docs), strict=True):
            signed = self.signatures(part)
            results = engine.analyze(
                text=part.text,
                language="nl",
                entities=["PERSON", "LOCATION"],
                nlp_artifacts=nlp_artifacts,
                context=["groet"] if signed else None,
            )
            yield part, signed, [_found(result) for result in results]

    def _candidate(
        self,
        whole: Window,
        part: Segment,
        result: Found,
        how: str,
        people: list[Found],
        reject: Reject,
    ) -> Candidate | None:
        value = part.text[result.start : result.end]
        absolute = (part.absolute(result.start), part.absolute(result.end))
        refusal = self._refusal(result, value, people)
        if refusal is not None:
            if reject is not None and result.entity == "PERSON":
                line, column = whole.position(absolute[0])
                reject(Rejection(self.rule.id, line, column, refusal, len(value)))
            return None
        reasons = (how, f"score {result.score:.2f}")
        return candidate_at(
            self.rule, whole, absolute, value, reasons, entity=result.entity,
            score=round(result.score, 2),
        )  # fmt: skip

    def _refusal(self, result: Found, value: str, people: list[Found]) -> str | None:
        from leakguard.pii.context import NOT_NAMES

        if result.score < self.min_score:
            return f"score {result.score:.2f} below {self.min_score:.2f}"
        if any(NOT_NAMES.match(word) for word in value.replace(".", " ").split()):
            return "not a name (a role, placeholder or organisation)"
        if result.entity == "LOCATION" and not any(
            abs(person.start - result.start) <= LOCATION_REACH for person in people
        ):
            return "a place on its own"
        if "\n" in value:
            return "spans lines"
        return None
