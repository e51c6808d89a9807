"""`Verdicts`: what a rule said of a line, remembered with the lines that decided it.

A history holds most lines of a file in many versions, and a rule says the same of a line in
each of them as long as the lines its verdict read are the same. A recognizer tells after each
`confirm` how far around its window's line it read (`Recognizer.lines_read`): none for a
credential rule, the keys above a value and its record for a Dutch detector, everything for
names in prose (never remembered); and which facts about the whole file it read (a CSV
header). The verdict is remembered under the bytes of those lines, their place (whether they
start the fragment, whether the fragment starts the file), the facts' values and the file's
kind (its name's suffix: all a recognizer may know of the path). In a later version, or in
another file of the kind, the same line is looked up with the reach of its last verdict; where
those lines and facts are the same again, so is the verdict, candidates and all, moved to the
line's new number. A verdict is a function of what it read, so it is the verdict a window would
have given: property tests (`tests/test_properties.py`, `tests/test_pii_properties.py`) hold the
detector to that, field by field, over versions of a file edited line by line.

A scan of Amsterdam/mijn-amsterdam-frontend judged the 1,453 lines with `naam` of a test file
of persons in each of its seven versions, reading the keys around each of them.
"""

from __future__ import annotations

from typing import NamedTuple

from leakguard.detectors.recognizers import Reach, Recognizer
from leakguard.detectors.text import FragmentText, walk_to_line
from leakguard.digests import blake2b
from leakguard.models import Candidate

REMEMBERED_BYTES = 16 << 20  # what the verdicts of a detector may hold, then it starts again
# What a verdict costs besides its lines and candidates: two dictionary slots, two key tuples,
# a `Reach` and the bytes objects' headers (tracemalloc on a generated history of 8,000
# commits: counted without it, a memo of "4 MB" held some 25 MB).
ENTRY_BYTES = 450
HASHED_FROM = 256  # longer stretches of lines are keyed by a digest


class Place(NamedTuple):
    """A whole-line window of a rule: the line's bytes and where they start in the fragment."""

    rule_index: int
    text: FragmentText
    line: bytes
    start: int

    def number(self) -> int:
        """The 1-based line in the file (counted only for a verdict with candidates)."""
        return self.text.line_number(self.start)


# (the lines' bytes or their digest, digested, lines above the window's, first line of the
# fragment, fragment at the file's start, column where the fragment starts, the values of the
# facts read): under the rule, the window's line and the file's kind (`LineKey`).
VerdictKey = tuple[bytes, bool, int, bool, bool, int, tuple[object, ...]]
LineKey = tuple[int, bytes, str]


class Verdicts:
    """The verdicts of one detector (one per process), bounded in bytes."""

    def __init__(self, limit: int = REMEMBERED_BYTES) -> None:
        self._limit = limit
        self._size = 0
        # By rule, line and file kind: the reach of the last verdict on the line, the verdicts
        # on it, candidates with their lines counted from the window's line. One lookup finds
        # both: most windows of a history are lines judged before (in schulddossier, 33,490
        # of the 43,664 recalled).
        self._lines: dict[LineKey, tuple[Reach, dict[VerdictKey, tuple[Candidate, ...]]]] = {}
        # The facts' values read for the fragment at hand, by their names: a fact is about the
        # whole fragment, whichever rule reads it, and asking again for each of its lines was
        # 3 % of a history scan of mijn-amsterdam-frontend.
        self._facts_of: FragmentText | None = None
        self._facts: dict[tuple[str, ...], tuple[object, ...]] = {}

    def recall(self, place: Place, recognizer: Recognizer | None) -> list[Candidate] | None:
        """The verdict on the window at `place`, if the lines it would read were judged."""
        known = self._lines.get((place.rule_index, place.line, place.text.kind))
        if known is None or recognizer is None:
            return None
        reach, said_of = known
        facts = self._facts_read(place.text, recognizer, reach.facts) if reach.facts else ()
        key = _key(place, reach.above, reach.below, facts)
        said = None if key is None else said_of.get(key)
        if not said:
            return None if said is None else []
        number = place.number()
        return [c._replace(line=c.line + number, end_line=c.end_line + number) for c in said]

    def remember(self, place: Place, recognizer: Recognizer, found: list[Candidate]) -> None:
        """Keep the verdict the recognizer gave at `place`, with what it read (`lines_read`)
        and the lines of its candidates, whose texts (and the line before each, for allow
        comments) the candidates hold."""
        read = recognizer.lines_read()
        if read is None:
            return
        above, below, names = read
        number = place.number() if found else 0
        for candidate in found:
            before = 1 if candidate.line > 1 else 0
            above = max(above, number - candidate.line + before)
            below = max(below, candidate.end_line - number)
        facts = self._facts_read(place.text, recognizer, names) if names else ()
        key = _key(place, above, below, facts)
        if key is None:
            return
        if self._size > self._limit:
            self._lines.clear()
            self._size = 0
        line_key = (place.rule_index, place.line, place.text.kind)
        known = self._lines.get(line_key)
        said_of = {} if known is None else known[1]
        self._lines[line_key] = (Reach(above, below, names), said_of)
        said_of[key] = tuple(
            c._replace(line=c.line - number, end_line=c.end_line - number) for c in found
        )
        self._size += ENTRY_BYTES + len(place.line) + len(key[0]) + 200 * len(found)

    def _facts_read(
        self, text: FragmentText, recognizer: Recognizer, names: tuple[str, ...]
    ) -> tuple[object, ...]:
        if self._facts_of is not text:
            self._facts_of = text
            self._facts = {}
        found = self._facts.get(names)
        if found is None:
            found = self._facts[names] = recognizer.facts(text, names)
        return found


def _key(place: Place, above: int, below: int, facts: tuple[object, ...]) -> VerdictKey | None:
    """The key of the lines from `above` lines above the window's line to `below` below it;
    None when the fragment has fewer lines above. Lines past the end are part of the key as
    missing: the bytes then hold fewer line ends than lines."""
    data = place.text.data
    start = place.start
    if above == below == 0:  # most verdicts read their own line only: no walk
        newline = data.find(b"\n", start)
        first, after = start, (None if newline == -1 else newline + 1)
    else:
        known = (0, start)  # lines counted from the window's
        first = walk_to_line(data, known, -above) if above else start
        if first is None:
            return None
        after = walk_to_line(data, known, below + 1)
    lines = data[first : len(data) if after is None else after]
    digested = len(lines) > HASHED_FROM
    if digested:
        lines = blake2b(lines, digest_size=16).digest()
    fragment = place.text.fragment
    top = first == 0
    return (
        lines,
        digested,
        above,
        top,
        fragment.line_offset == 0,
        fragment.column_offset if top else 0,
        facts,
    )
