"""From bytes to candidates: one prefilter pass, then each hit confirmed by its rule.

The unit a rule is confirmed on is a *window*: the line that holds the hit, or, for a line
longer than `LONG_LINE`, a slice of it around the hit, or, for a multiline rule, the lines
from the hit's line on. Confirming on windows keeps the cost of a hit independent of the size of
the file it sits in, whatever the engine that found it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from leakguard.detectors.checks import GENERIC_PROVIDER, drop_shadowed
from leakguard.detectors.decoding import MAX_DEPTH, Parts, RunDecodings, decoded_candidates
from leakguard.detectors.prefilter import (
    ENCODED,
    Hit,
    Prefilter,
    build_prefilter,
    hit_offset,
    triggers_for,
)
from leakguard.detectors.previous_versions import LineScan, PreviousVersions, Scanned
from leakguard.detectors.recognizers import (
    Recognizer,
    Rejection,
    check_recognizer,
    make_recognizer,
)
from leakguard.detectors.settings import DetectionSettings
from leakguard.detectors.text import FragmentText, count_newlines
from leakguard.detectors.verdicts import Place, Verdicts
from leakguard.filters.paths import GlobList
from leakguard.models import Candidate, Category, Fragment
from leakguard.ruleset import Rule

LONG_LINE = 4096
LONG_LINE_REACH = 1024  # bytes either side of a hit on a long line
MULTILINE_REACH = 64 * 1024
PATHS_REMEMBERED = 4096


@dataclass(slots=True)
class Detection:
    candidates: list[Candidate] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    may_hold_encoded: bool = False
    newlines: int = 0  # in the fragment's bytes
    decode_within: Parts | None = None  # where encoded runs may decode to text (None: anywhere)


class Detector:
    """Every active rule, compiled once, applied to fragment after fragment."""

    def __init__(
        self,
        rules: Sequence[Rule],
        engine: str = "auto",
        settings: DetectionSettings | None = None,
    ) -> None:
        self.rules = tuple(rules)
        self.settings = settings or DetectionSettings()
        # Recognizers of their own (the Dutch detectors) are made when their rule first fires,
        # unless NER is on: a missing spaCy model must stop the scan before it starts.
        self._recognizers: list[Recognizer | None] = [None] * len(self.rules)
        # Rules whose recognizer judges only some files (`applies_to`), by rule index.
        self._path_bound: dict[int, Callable[[str], bool]] = {}
        # For each path seen lately: the rules of `_path_bound` that turn it away.
        self._turned_away: dict[str, frozenset[int]] = {}
        for index, rule in enumerate(self.rules):
            check_recognizer(rule)
            if rule.recognizer is None or self.settings.ner_model is not None:
                self._recognizer(index)
        self.prefilter: Prefilter = build_prefilter(self.rules, engine)
        # The keywords a window's line must hold: none for a rule that every prefilter finds
        # by its keywords (a hit ends a keyword on its line), such as the Dutch detectors, whose
        # lines with `naam` made this check 6 % of a history scan.
        by_keyword = {
            t.rule_index for t in triggers_for(self.rules, prefer_regex=True) if t.literal
        }
        self._line_keywords = tuple(
            () if index in by_keyword else rule.keywords for index, rule in enumerate(self.rules)
        )
        self._engine = engine
        self._pii_skip = GlobList(self.settings.pii_skip_paths)
        # Built on the first path that skips personal-data rules: its prefilter, and where its
        # rule indexes stand among all the rules.
        self._without_pii: tuple[Prefilter, list[int]] | None = None
        self.generic_ids = frozenset(r.id for r in self.rules if r.provider == GENERIC_PROVIDER)
        self._verdicts = Verdicts()
        self._previous = PreviousVersions()
        self._decodings = RunDecodings()

    def detect(self, fragment: Fragment, *, explain: bool = False, depth: int = 0) -> Detection:
        """Candidates in the fragment, then in its base64/hex/percent-encoded runs (`depth`:
        levels of decoding already done, see `decoding`)."""
        result = self._detect_plain(fragment, explain=explain, top=depth == 0)
        if depth < MAX_DEPTH and result.may_hold_encoded:
            decoded = decoded_candidates(
                self, fragment, result.candidates, depth, self._decodings, result.decode_within
            )
            result.candidates.extend(decoded.candidates)
            if not decoded.text_found:
                self._previous.decodes_nothing(fragment.path, fragment.data)
        result.candidates = drop_shadowed(result.candidates, self.generic_ids)
        return result

    def _detect_plain(self, fragment: Fragment, *, explain: bool, top: bool) -> Detection:
        hits, newlines, decode_within = self._prefilter_hits(
            fragment, versioned=top and not explain
        )
        result = Detection(newlines=newlines, decode_within=decode_within)
        if any(hit[0] == ENCODED for hit in hits):
            result.may_hold_encoded = True
            hits = [hit for hit in hits if hit[0] != ENCODED]
        if self._path_bound:
            hits = self._for_path(hits, fragment.path)
        if not hits:
            return result
        text = FragmentText(fragment)
        reject: Callable[[Rejection], None] | None = result.rejections.append if explain else None
        # A whole line is judged once for all the versions of a file that hold it with the same
        # lines around it, as far as its verdict read them (`Verdicts`). `--explain` looks
        # again, to tell what it turned down.
        verdicts = None if explain else self._verdicts
        seen: set[tuple[str, int, int, str]] = set()
        for start, rule_index, end, whole_line in self._windows(text, hits):
            keywords = self._line_keywords[rule_index]
            if keywords and not text.line_has_keyword(start, keywords):
                continue
            found: Iterable[Candidate]
            if verdicts is not None and whole_line:
                place = Place(rule_index, text, text.data[start:end], start)
                known = verdicts.recall(place, self._recognizers[rule_index])
                if known is None:
                    recognizer = self._recognizer(rule_index)
                    known = list(recognizer.confirm(text.window(start, end), reject))
                    verdicts.remember(place, recognizer, known)
                found = known
            else:
                found = self._recognizer(rule_index).confirm(text.window(start, end), reject)
            for candidate in found:
                key = (candidate.rule_id, candidate.line, candidate.column, candidate.value)
                if key not in seen:
                    seen.add(key)
                    result.candidates.append(candidate)
        return result

    def _recognizer(self, rule_index: int) -> Recognizer:
        found = self._recognizers[rule_index]
        if found is None:
            found = make_recognizer(self.rules[rule_index], self.settings)
            self._recognizers[rule_index] = found
            applies_to = getattr(found, "applies_to", None)
            if applies_to is not None:
                self._path_bound[rule_index] = applies_to
                self._turned_away.clear()
        return found

    def _for_path(self, hits: list[Hit], path: str) -> list[Hit]:
        """The hits, less those of rules whose recognizer turns this file away unread. Names in
        prose fire on every fragment; building a window for each code file only to be told
        "not prose" was a tenth of the detection CPU on a history of small files."""
        away = self._turned_away.get(path)
        if away is None:
            # Asked once per path: a history holds each path in many versions.
            away = frozenset(i for i, applies in self._path_bound.items() if not applies(path))
            if len(self._turned_away) >= PATHS_REMEMBERED:
                self._turned_away.clear()
            self._turned_away[path] = away
        return [hit for hit in hits if hit[0] not in away] if away else hits

    def _prefilter_hits(self, fragment: Fragment, *, versioned: bool) -> Scanned:
        """The prefilter's hits, and the fragment's newlines. A file's start (`versioned`: not
        decoded text, not under `--explain`, whose rejections would tell of a changed line's
        stray hits) is scanned only where it differs from the last version of its path
        (`PreviousVersions`)."""
        scan = self._line_scan(fragment.path)
        data = fragment.data
        if versioned and fragment.line_offset == 0 and fragment.column_offset == 0:
            return self._previous.scan(fragment.path, data, scan)
        return Scanned(scan(data, 0, len(data)), count_newlines(data))

    def _line_scan(self, path: str) -> LineScan:
        if self._pii_skip.match(path) is None:
            return self.prefilter.scan
        if self._without_pii is None:
            kept = [i for i, rule in enumerate(self.rules) if rule.category is not Category.PII]
            subset = build_prefilter([self.rules[i] for i in kept], self._engine)
            self._without_pii = (subset, kept)
        prefilter, kept = self._without_pii

        def scan(data: bytes, start: int, end: int) -> list[Hit]:
            return [
                (rule if rule == ENCODED else kept[rule], offset)
                for rule, offset in prefilter.scan(data, start, end)
            ]

        return scan

    def _windows(self, text: FragmentText, hits: list[Hit]) -> list[Span]:
        """Windows to confirm, per rule, overlapping ones merged, in file order."""
        per_rule: dict[int, list[Span]] = {}
        for rule_index, offset in sorted(set(hits), key=hit_offset):
            window = self._window_at(text, rule_index, offset)
            spans = per_rule.setdefault(rule_index, [])
            if spans and window[0] <= spans[-1][2]:
                last = spans[-1]
                if window[0] != last[0] or window[2] > last[2]:  # not the same line again
                    end = max(last[2], window[2])
                    whole_line = (last[0], end) == text.line_bounds(last[0])
                    spans[-1] = (last[0], rule_index, end, whole_line)
            else:
                spans.append(window)
        windows = [window for spans in per_rule.values() for window in spans]
        windows.sort()
        return windows

    def _window_at(self, text: FragmentText, rule_index: int, offset: int) -> Span:
        line_start, line_end = text.line_bounds(offset)
        if self.rules[rule_index].multiline:
            end = min(len(text.data), line_start + MULTILINE_REACH)
            return line_start, rule_index, end, end == line_end
        if line_end - line_start <= LONG_LINE:
            return line_start, rule_index, line_end, True
        # A slice of a long line: never all of it (LONG_LINE > 2 * LONG_LINE_REACH).
        start = max(line_start, offset - LONG_LINE_REACH)
        end = min(line_end, offset + LONG_LINE_REACH)
        return start, rule_index, end, False


# A window to confirm: (start, rule index, end, whether it is a whole line), ordered by start.
Span = tuple[int, int, int, bool]
