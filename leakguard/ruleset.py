"""Rules are data: this module reads and checks the YAML rule files.

A rule file holds file-level defaults (`provider`, `category`) and a list of `rules`. Each rule
names the value it catches with the named group `secret` in an RE2-syntax regex; RE2 matches in
linear time, so neither a built-in nor a user's rule can hang a scan on backtracking, and the
syntax is the one gitleaks users already write.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any

import re2

from leakguard import __version__
from leakguard.cache import read_entry, write_entry
from leakguard.digests import blake2b
from leakguard.errors import RuleError
from leakguard.models import Category, Severity

RULE_ID = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
SECRET_GROUP = "secret"

RULE_KEYS = frozenset(
    {
        "id",
        "description",
        "provider",
        "category",
        "severity",
        "keywords",
        "regex",
        "trigger",
        "entropy",
        "validators",
        "multiline",
        "placeholder_check",
        "allow",
        "entity",
        "recognizer",
        "context",
        "min_score",
        "examples",
        "counter_examples",
    }
)
FILE_KEYS = frozenset({"provider", "category", "rules"})


@dataclass(frozen=True)
class Rule:
    """One detector, as written in a rule file."""

    id: str
    description: str
    regex: str
    severity: Severity
    category: Category
    provider: str = ""
    keywords: tuple[str, ...] = ()
    # A looser regex that the first pass looks for instead of `regex`: it must match on every
    # line the rule regex matches. For a rule regex that is slow for Hyperscan (a long optional
    # run before the part that is always there, as the name of an e-mail address).
    trigger: str | None = None
    entropy: float | None = None
    validators: tuple[str, ...] = ()
    multiline: bool = False
    placeholder_check: bool = True
    allow: tuple[str, ...] = ()
    entity: str | None = None
    recognizer: str | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    min_score: float | None = None
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    source: str = ""  # the file the rule came from, for messages

    @cached_property
    def compiled(self) -> Any:
        """The rule regex, compiled with RE2."""
        return compile_rule_regex(self.id, self.regex, self.source)

    @cached_property
    def value_group(self) -> int:
        """The group of the regex that holds the value (`secret`), or 0: the whole match."""
        return int(self.compiled.groupindex.get(SECRET_GROUP, 0))

    @cached_property
    def compiled_allow(self) -> tuple[Any, ...]:
        return tuple(compile_rule_regex(self.id, pattern, self.source) for pattern in self.allow)


def compile_rule_regex(rule_id: str, pattern: str, source: str = "") -> Any:
    options = re2.Options()
    options.log_errors = False  # the error is ours to report, not RE2's to print
    options.max_mem = 64 << 20
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        where = f" in {source}" if source else ""
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", errors="replace")
        raise RuleError(
            f"rule {rule_id!r}{where}: regex does not compile with RE2 ({reason}). "
            "Rules use RE2 syntax (as in gitleaks): no backreferences or lookaround."
        ) from None


def match_spans(
    regex: Any, text: str, group: int, pos: int = 0, endpos: int | None = None
) -> Iterator[tuple[int, int]]:
    """The span of `group` in each match of a rule regex in text[pos:endpos], in characters.
    An ASCII text goes to RE2 as its bytes, whose offsets are its characters': for a `str`,
    the wrapper encodes the text again and maps each match's offsets back in Python (a third
    to a half of a search of a short line)."""
    subject: str | bytes = text.encode("ascii") if text.isascii() else text
    for match in regex.finditer(subject, pos, len(text) if endpos is None else endpos):
        yield match.span(group)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for rule in self.rules:
            if rule.id in seen:
                raise RuleError(
                    f"rule id {rule.id!r} is defined twice ({seen[rule.id]} and {rule.source}); "
                    "rule ids must be unique"
                )
            seen[rule.id] = rule.source

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    def select(self, keep: Iterable[Rule]) -> RuleSet:
        return RuleSet(tuple(keep))


def builtin_rules_dir() -> Path:
    """The packaged rule files (in a wheel) or the checkout's `rules/` (in development)."""
    here = Path(__file__).resolve().parent
    packaged = here / "rules"
    if packaged.is_dir():
        return packaged
    return here.parent / "rules"


def load_builtin_rules() -> RuleSet:
    """The built-in rules; parsed and checked once, then read from the cache until they change.

    Parsing and checking the rule files costs more than a pre-commit hook may spend; the cache
    entry is named by the version and by every file's path, size and modification time, so an
    edited rule is never stale (a stat rather than a read of each file: the hook pays for this
    at every start).
    """
    root = builtin_rules_dir()
    paths = sorted(root.rglob("*.yaml"))
    digest = blake2b(f"{CACHE_FORMAT}\x00{__version__}".encode(), digest_size=16)
    for path in paths:
        status = path.stat()
        name = path.relative_to(root).as_posix()
        digest.update(f"\x01{name}\x00{status.st_size}\x00{status.st_mtime_ns}".encode())
    entry = f"rules-{digest.hexdigest()[:32]}.json"
    cached = read_entry(entry)
    if cached is not None:
        try:
            return RuleSet(tuple(_rule_from_json(item) for item in json.loads(cached)))
        except (ValueError, TypeError, KeyError):
            pass  # damaged or from another version: parse again
    rules = load_rule_files(paths)
    write_entry(entry, json.dumps([_rule_to_json(rule) for rule in rules]).encode())
    return rules


def load_rule_files(paths: Sequence[Path]) -> RuleSet:
    rules: list[Rule] = []
    for path in paths:
        rules.extend(load_rule_file(path))
    return RuleSet(tuple(rules))


def load_rule_file(path: Path) -> list[Rule]:
    import yaml  # only when rules are parsed, not when they come from the cache

    try:
        # A safe loader (the C one when built): rule files never construct objects.
        text = path.read_text(encoding="utf-8")
        document = yaml.load(text, Loader=_yaml_loader())  # noqa: S506
    except OSError as exc:
        raise RuleError(f"cannot read rule file {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise RuleError(f"rule file {path} is not valid YAML: {exc}") from None
    return parse_rule_document(document, str(path))


def parse_rule_document(document: object, source: str) -> list[Rule]:
    if not isinstance(document, dict):
        raise RuleError(f"{source}: a rule file is a mapping with a 'rules' list")
    unknown = set(document) - FILE_KEYS
    if unknown:
        raise RuleError(f"{source}: unknown key(s) {', '.join(sorted(unknown))}")
    defaults = {key: document[key] for key in ("provider", "category") if key in document}
    entries = document.get("rules")
    if not isinstance(entries, list):
        raise RuleError(f"{source}: 'rules' must be a list")
    return [parse_rule({**defaults, **_as_mapping(entry, source)}, source) for entry in entries]


def parse_rule(entry: Mapping[str, Any], source: str) -> Rule:
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
        raise RuleError(
            f"{source}: every rule needs an 'id' of lowercase letters, digits, '.' and '-' "
            f"(got {rule_id!r})"
        )
    where = f"{source}: rule {rule_id!r}"
    unknown = set(entry) - RULE_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")

    def text(key: str, *, required: bool = False, default: str = "") -> str:
        value = entry.get(key, default)
        if not isinstance(value, str) or (required and not value.strip()):
            raise RuleError(f"{where}: '{key}' must be a non-empty string")
        return value

    def strings(key: str) -> tuple[str, ...]:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RuleError(f"{where}: '{key}' must be a list of strings")
        return tuple(value)

    def flag(key: str, default: bool) -> bool:
        value = entry.get(key, default)
        if not isinstance(value, bool):
            raise RuleError(f"{where}: '{key}' must be true or false")
        return value

    try:
        severity = Severity.parse(text("severity", default="high"))
        category = Category(text("category", default="secret"))
    except ValueError as exc:
        raise RuleError(f"{where}: {exc}") from None

    entropy = entry.get("entropy")
    if entropy is not None and not isinstance(entropy, int | float):
        raise RuleError(f"{where}: 'entropy' must be a number (bits per character)")
    min_score = entry.get("min_score")
    if min_score is not None and not isinstance(min_score, int | float):
        raise RuleError(f"{where}: 'min_score' must be a number between 0 and 1")
    context = entry.get("context", {})
    if not isinstance(context, dict):
        raise RuleError(f"{where}: 'context' must be a mapping")
    keywords = tuple(k.lower() for k in strings("keywords"))
    if any(not k for k in keywords):
        raise RuleError(f"{where}: keywords must not be empty strings")

    rule = Rule(
        id=rule_id,
        description=text("description", required=True),
        regex=text("regex", required=True),
        severity=severity,
        category=category,
        provider=text("provider", default=""),
        keywords=keywords,
        trigger=entry.get("trigger"),
        entropy=float(entropy) if entropy is not None else None,
        validators=strings("validators"),
        multiline=flag("multiline", False),
        placeholder_check=flag("placeholder_check", category is Category.SECRET),
        allow=strings("allow"),
        entity=entry.get("entity"),
        recognizer=entry.get("recognizer"),
        context=context,
        min_score=float(min_score) if min_score is not None else None,
        examples=strings("examples"),
        counter_examples=strings("counter_examples"),
        source=source,
    )
    groups = rule.compiled.groupindex
    if rule.trigger is not None:
        if not isinstance(rule.trigger, str) or not rule.trigger.strip():
            raise RuleError(f"{where}: 'trigger' must be a non-empty string")
        compile_rule_regex(rule_id, rule.trigger, source)
    if rule.multiline and not rule.keywords:
        raise RuleError(f"{where}: a multiline rule needs keywords that start its match")
    if groups and SECRET_GROUP not in groups:
        raise RuleError(
            f"{where}: the regex has named groups but none called '{SECRET_GROUP}'; "
            "name the group that holds the value (?P<secret>...)"
        )
    rule.compiled_allow  # noqa: B018 - compile now so a broken allow pattern fails at load time
    _check_validators(rule, where)
    return rule


def _check_validators(rule: Rule, where: str) -> None:
    from leakguard.validators import VALIDATORS

    missing = [name for name in rule.validators if name not in VALIDATORS]
    if missing:
        known = ", ".join(sorted(VALIDATORS))
        raise RuleError(f"{where}: unknown validator(s) {', '.join(missing)} (known: {known})")


def _as_mapping(entry: object, source: str) -> Mapping[str, Any]:
    if not isinstance(entry, dict):
        raise RuleError(f"{source}: each item under 'rules' must be a mapping")
    return entry


def _yaml_loader() -> type:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


CACHE_FORMAT = "rules-cache-2"


def _rule_to_json(rule: Rule) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for spec in fields(Rule):
        value = getattr(rule, spec.name)
        if isinstance(value, Severity):
            value = value.name
        elif isinstance(value, Category):
            value = value.value
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Mapping):
            value = dict(value)
        item[spec.name] = value
    return item


def _rule_from_json(item: dict[str, Any]) -> Rule:
    # Every list in the entry was a tuple of the rule (JSON has no tuples).
    values = {
        key: tuple(value) if isinstance(value, list) else value for key, value in item.items()
    }
    values["severity"] = Severity[values["severity"]]
    values["category"] = Category(values["category"])
    return Rule(**values)
