"""The first pass over every byte: which rules may match, and where.

A prefilter must never miss: every place where a rule's regex matches on a line must be reported
as a hit of that rule on that line. It may report more (the confirm step drops those). Two
engines keep that promise:

- `HyperscanPrefilter`: one Hyperscan database with every rule's keywords (as caseless literals)
  and, for rules without keywords, the rule regex in prefilter mode. One pass, native speed.
- `PythonPrefilter`: the same triggers with Python's `re` (keywords, one alternation) and RE2
  (regex triggers), for platforms without a Hyperscan wheel. Slower, same hits by line.

A hit is `(rule_index, offset)`: an offset in the bytes on the line where the rule may match.
"""

from __future__ import annotations

import contextlib
import operator
import re
import zlib
from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol

import re2

from leakguard.cache import read_entry, write_entry
from leakguard.digests import blake2b
from leakguard.ruleset import Rule

Hit = tuple[int, int]  # (rule index, byte offset)
hit_offset = operator.itemgetter(1)  # a sort key, in C

# The rule index of a hit that says "this content may hold encoded text" (see decoding.py):
# a base64 run whose every fourth character leads a printable byte, a hex run of printable
# bytes, or a percent escape. These are the conditions `decoding.encoded_runs` requires of a
# run before it decodes anything, so content without such a hit has nothing to decode.
ENCODED = -1
ENCODED_PATTERNS = (
    rb"(?:^|[^A-Za-z0-9+/_-])[I-Za-f][A-Za-z0-9+/_-]{3}(?:[I-Za-f][A-Za-z0-9+/_-]{3}){7}",
    rb"(?:^|[^A-Za-z0-9+/_-])(?:[2-7][0-9A-Fa-f]|0[9AaDd]){8}",
    rb"%[0-9A-Fa-f]{2}",
)

NAMED_GROUP = re.compile(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>")


class Prefilter(Protocol):
    name: str

    def scan(self, data: bytes, start: int = 0, end: int | None = None) -> list[Hit]:
        """The hits of `data[start:end]`, at offsets in `data`. `start` and `end` lie at line
        boundaries (after a newline, or at an end of `data`)."""
        ...


class Trigger(NamedTuple):
    rule_index: int
    pattern: str
    literal: bool  # a keyword, matched caseless; otherwise the rule regex itself


def triggers_for(rules: Sequence[Rule], *, prefer_regex: bool = False) -> list[Trigger]:
    """What finds each rule's lines: its keywords, or its regex.

    Both are complete: the regex by definition, the keywords because a rule is only tried on a
    line that holds one (the engine checks that whatever the trigger). Keywords are the cheap
    trigger for a Python search. A multi-pattern engine (`prefer_regex`) matches a pattern
    rule's regex at the same speed as a literal and reports far fewer lines (`live_` and
    `test_` are in every other test file; a Mollie key's full form is not), so it takes the
    regex for single-line pattern rules. Recognizer rules keep keywords: their regexes are
    loose on purpose and let the recognizer judge context. A rule's `trigger`, when it has
    one, stands in for its regex here.
    """
    triggers: list[Trigger] = []
    for index, rule in enumerate(rules):
        by_regex = prefer_regex and rule.recognizer is None and not rule.multiline
        if rule.keywords and not by_regex:
            triggers.extend(Trigger(index, keyword, literal=True) for keyword in rule.keywords)
        else:
            triggers.append(Trigger(index, rule.trigger or rule.regex, literal=False))
    return triggers


def build_prefilter(rules: Sequence[Rule], engine: str = "auto") -> Prefilter:
    """`engine` is `auto` (Hyperscan when installed), `hyperscan` or `python`."""
    if engine not in ("auto", "hyperscan", "python"):
        raise ValueError(f"unknown prefilter engine {engine!r}")
    if engine != "python":
        try:
            import hyperscan  # noqa: F401
        except ImportError:
            if engine == "hyperscan":
                raise
        else:
            return HyperscanPrefilter(rules)
    return PythonPrefilter(rules)


class PythonPrefilter:
    name = "python"

    def __init__(self, rules: Sequence[Rule]) -> None:
        triggers = triggers_for(rules)
        self._keyword_rules: dict[bytes, list[int]] = {}
        for trigger in triggers:
            if trigger.literal:
                key = trigger.pattern.encode()
                self._keyword_rules.setdefault(key, []).append(trigger.rule_index)
        self._regexes = [
            (trigger.rule_index, _latin1_re2(trigger.pattern))
            for trigger in triggers
            if not trigger.literal
        ]

    def scan(self, data: bytes, start: int = 0, end: int | None = None) -> list[Hit]:
        lines = _lines(data, start, end)
        hits: list[Hit] = []
        if self._keyword_rules:
            lowered = lines.lower()
            for keyword, rule_indexes in self._keyword_rules.items():
                position = lowered.find(keyword)
                while position != -1:
                    hits.extend((rule_index, start + position) for rule_index in rule_indexes)
                    position = lowered.find(keyword, position + 1)
        for rule_index, regex in self._regexes:
            hits.extend(
                (rule_index, start + offset) for offset in _line_starts_of_matches(regex, lines)
            )
        hits.append((ENCODED, start))  # not looked for: decoding decides for itself
        return hits


def _lines(data: bytes, start: int, end: int | None) -> bytes:
    """`data[start:end]`, without a copy when that is all of it."""
    if start == 0 and (end is None or end == len(data)):
        return data
    return data[start:end]


# A long line is confirmed in windows around its hits (engine.LONG_LINE_REACH, 1024 bytes each
# way): a long line gets a hit at least this often where its regex matches, so that a match far
# from the line's first one is confirmed too, as Hyperscan's hit at every match end ensures.
LONG_LINE_STEP = 512


def _line_starts_of_matches(regex: Any, data: bytes) -> list[int]:
    """Offsets of matches, at most one search per line (or per `LONG_LINE_STEP` bytes of a
    long line), without missing any line.

    After a match that starts on line L the search resumes at the start of line L+1: a match
    found by a whole-text search may run across a newline and hide a match inside the next
    line, so the next line is searched on its own.
    """
    offsets: list[int] = []
    position = 0
    size = len(data)
    while position < size:
        match = regex.search(data, position)
        if match is None:
            break
        start = match.start()
        offsets.append(start)
        newline = data.find(b"\n", start, start + LONG_LINE_STEP)
        position = newline + 1 if newline != -1 else start + LONG_LINE_STEP
    return offsets


def _latin1_re2(pattern: str) -> Any:
    """The trigger regex, matching within one line only (`^`/`$` at line ends).

    Rules with regex triggers are confirmed line by line, so a match across lines could never
    be confirmed; letting one run on made each search scan to the end of the text, and the scan
    quadratic in the number of lines (a user rule `(?s)a.*b` took minutes on 160 kB). Without
    newlines a search ends on the line it matched, so the searches together read each byte once.
    """
    options = re2.Options()
    options.log_errors = False  # the error is ours to report, not RE2's to print
    options.encoding = re2.Options.Encoding.LATIN1
    options.max_mem = 64 << 20
    options.never_nl = True
    return re2.compile(b"(?m)" + pattern.encode("utf-8"), options)


class HyperscanPrefilter:
    name = "hyperscan"

    def __init__(self, rules: Sequence[Rule]) -> None:
        import hyperscan

        self._hs = hyperscan
        triggers = triggers_for(rules, prefer_regex=True)
        self._trigger_rule = [t.rule_index for t in triggers]
        expressions = [
            re.escape(t.pattern).encode() if t.literal else hyperscan_pattern(t.pattern)
            for t in triggers
        ]
        flags = [
            hyperscan.HS_FLAG_CASELESS
            if t.literal
            else hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_MULTILINE
            for t in triggers
        ]
        # The encoded-text signals come last, reported once per scan.
        self._encoded_from = len(expressions)
        self._trigger_rule += [ENCODED] * len(ENCODED_PATTERNS)
        expressions += ENCODED_PATTERNS
        flags += [hyperscan.HS_FLAG_SINGLEMATCH] * len(ENCODED_PATTERNS)
        compiled, rejected = _compile_cached(hyperscan, expressions, flags)
        # When Hyperscan took no expression its database is a stand-in, which prefilter mode
        # widens to match every "x": never scan with it.
        self._database = compiled if len(rejected) < len(expressions) else None
        # Regexes Hyperscan cannot take even in prefilter mode are searched with RE2.
        self._rejected = [
            (triggers[i].rule_index, _latin1_re2(triggers[i].pattern))
            for i in rejected
            if i < self._encoded_from
        ]
        # Should Hyperscan ever refuse a signal pattern, decoding decides for itself.
        self._always_encoded = any(i >= self._encoded_from for i in rejected)

    def scan(self, data: bytes, start: int = 0, end: int | None = None) -> list[Hit]:
        lines = _lines(data, start, end)
        hits: list[Hit] = []
        if lines and self._database is not None:
            trigger_rule = self._trigger_rule
            append = hits.append
            last = start - 1  # a match ending at `stop` in `lines` ends at this + stop in data

            def on_match(trigger: int, _from: int, stop: int, _flags: int, _ctx: object) -> None:
                append((trigger_rule[trigger], last + stop if stop else start))

            self._database.scan(lines, match_event_handler=on_match)
        for rule_index, regex in self._rejected:
            hits.extend(
                (rule_index, start + offset) for offset in _line_starts_of_matches(regex, lines)
            )
        if self._always_encoded:
            hits.append((ENCODED, start))
        return hits


class AnyMatch:
    """Whether bytes hold a match of any of a few regexes, in any case: one Hyperscan scan where
    it is installed (for 23 kB of text and the words of a closing formula 6 us, where lowering
    the text and searching it word by word took 108 us; a history holds such a text in dozens
    of versions), else, or for a regex Hyperscan refuses, one search with `re`."""

    def __init__(self, patterns: Sequence[bytes]) -> None:
        self._regex = re.compile(b"|".join(patterns), re.IGNORECASE)
        self._database: Any = None
        try:
            import hyperscan
        except ImportError:
            return
        # Cached on disk like the rules' database: compiling the INSERT statement's regex took
        # 5 ms, in every worker and every hook that reads a fragment's facts.
        flags = [hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH] * len(patterns)
        database, rejected = _compile_cached(hyperscan, list(patterns), flags)
        if rejected:
            return
        self._database = database
        self._stopped: type[BaseException] = hyperscan.ScanTerminated

    @classmethod
    def words(cls, words: Sequence[str]) -> AnyMatch:
        """Any of the ASCII words, in any case."""
        return cls([re.escape(word.encode("ascii")) for word in words])

    def search(self, data: bytes) -> bool:
        if self._database is None:
            return self._regex.search(data) is not None
        found: list[bool] = []

        def on_match(_id: int, _from: int, _to: int, _flags: int, _ctx: object) -> bool:
            found.append(True)
            return True  # one is enough: stop the scan

        with contextlib.suppress(self._stopped):
            self._database.scan(data, match_event_handler=on_match)
        return bool(found)


def hyperscan_pattern(pattern: str) -> bytes:
    """An RE2 rule regex in the form Hyperscan compiles: capture names dropped."""
    return NAMED_GROUP.sub("(", pattern).encode("utf-8")


def _compile_cached(
    hyperscan: Any, expressions: list[bytes], flags: list[int]
) -> tuple[Any, list[int]]:
    """Compile the database, or load it from the on-disk cache keyed by its exact input."""
    key = blake2b(digest_size=16)
    key.update(str(getattr(hyperscan, "__version__", "")).encode())
    for expression, flag in zip(expressions, flags, strict=True):
        key.update(expression + b"\x00" + str(flag).encode() + b"\x01")
    entry = f"hs-{key.hexdigest()[:32]}.db"
    cached = _read_cache(hyperscan, entry)
    if cached is not None:
        return cached
    rejected = _find_rejected(hyperscan, expressions, flags)
    keep = [i for i in range(len(expressions)) if i not in set(rejected)]
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    if keep:
        database.compile(
            expressions=[expressions[i] for i in keep],
            ids=keep,
            flags=[flags[i] for i in keep],
        )
    else:  # Hyperscan refuses an empty database; match nothing.
        database.compile(expressions=[b"(?!x)x"], ids=[0], flags=[hyperscan.HS_FLAG_PREFILTER])
    _write_cache(hyperscan, entry, database, rejected)
    return database, rejected


def _read_cache(hyperscan: Any, entry: str) -> tuple[Any, list[int]] | None:
    """The cached database, or None when absent or damaged (its checksum does not hold)."""
    blob = read_entry(entry)
    if blob is None or len(blob) < CHECKSUM_BYTES + 4:
        return None
    body = memoryview(blob)[CHECKSUM_BYTES:]
    if zlib.crc32(body) != int.from_bytes(blob[:CHECKSUM_BYTES], "little"):
        return None
    count = int.from_bytes(body[:4], "little")
    rejected_bytes, serialized = body[4 : 4 + 4 * count], body[4 + 4 * count :]
    rejected = [int.from_bytes(rejected_bytes[i : i + 4], "little") for i in range(0, 4 * count, 4)]
    try:
        database = hyperscan.loadb(bytes(serialized), hyperscan.HS_MODE_BLOCK)
        database.scratch = hyperscan.Scratch(database)
    except hyperscan.error:
        return None
    return database, rejected


def _write_cache(hyperscan: Any, entry: str, database: Any, rejected: list[int]) -> None:
    body = len(rejected).to_bytes(4, "little")
    body += b"".join(index.to_bytes(4, "little") for index in rejected)
    body += hyperscan.dumpb(database)
    write_entry(entry, zlib.crc32(body).to_bytes(CHECKSUM_BYTES, "little") + body)


# A CRC-32 in front of a cached database tells a damaged file: it is a third of the cost of a
# SHA-256 over the megabyte or so of a database, which every run (and pre-commit hook) reads.
CHECKSUM_BYTES = 4


def _find_rejected(hyperscan: Any, expressions: list[bytes], flags: list[int]) -> list[int]:
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        database.compile(expressions=expressions, ids=list(range(len(expressions))), flags=flags)
        return []
    except hyperscan.error:
        pass
    rejected = []
    for index, (expression, flag) in enumerate(zip(expressions, flags, strict=True)):
        single = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        try:
            single.compile(expressions=[expression], ids=[index], flags=[flag])
        except hyperscan.error:
            rejected.append(index)
    return rejected
