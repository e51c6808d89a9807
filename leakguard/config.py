"""The configuration: `.leakguard.yaml`, or `[tool.leakguard]` in `pyproject.toml`.

Validated as a whole when it is loaded: an unknown key, a value of the wrong type, a regex that
does not compile, an unknown rule id or severity is a `ConfigError` (exit 2) that names the file,
the key path and the reason. A mistake in a file that decides what a scan ignores must never be
ignored itself: a typo in `allowlists` silently doing nothing is how secrets slip through.

Every key is described in the README ("Configuration"); `leakguard init` writes a starter file.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from leakguard.detectors.settings import GENERATED_FILES, DetectionSettings
from leakguard.errors import ConfigError, RuleError
from leakguard.models import Category, Severity
from leakguard.ruleset import Rule, RuleSet, compile_rule_regex, load_builtin_rules, parse_rule

CONFIG_NAME = ".leakguard.yaml"
PYPROJECT_NAME = "pyproject.toml"
DEFAULT_BASELINE = ".leakguard-baseline.json"

TOP_KEYS = ("fail_on", "baseline", "rules", "allowlists", "pii", "scan")
RULES_KEYS = ("builtin", "categories", "enable", "disable", "severity", "custom")
ALLOWLIST_KEYS = ("description", "rules", "paths", "values", "lines", "stopwords", "commits")
PII_KEYS = (
    "organisation_domains",
    "organisation_phone_numbers",
    "organisation_addresses",
    "organisation_ibans",
    "role_mailboxes",
    "test_identifiers",
    "report_test_identifiers",
    "skip_paths",
)
SCAN_KEYS = ("max_file_size",)
BUILTIN_MODES = ("extend", "replace")
MIN_COMMIT_PREFIX = 7


@functools.cache
def builtin_rules() -> RuleSet:
    """The built-in rules, read once per process: loading, validating and building a scan each
    need them, and a pre-commit hook should not pay three times."""
    return load_builtin_rules()


class Allowlist(NamedTuple):
    """One item of `allowlists`: any one of its entries drops a candidate of its rules."""

    where: str  # `allowlists[N]` in its file, for messages
    description: str = ""
    rules: frozenset[str] | None = None  # None: every rule
    paths: tuple[str, ...] = ()  # gitignore-style globs, relative to the repository root
    values: tuple[str, ...] = ()  # RE2 regexes searched in the value
    lines: tuple[str, ...] = ()  # RE2 regexes searched in the line that holds the value
    stopwords: tuple[str, ...] = ()  # words that, inside the value, mark it as not secret
    commits: tuple[str, ...] = ()  # commit ids (full, or a prefix of at least 7)

    def applies_to(self, rule_id: str) -> bool:
        return self.rules is None or rule_id in self.rules


class PiiAllow(NamedTuple):
    """What the organisation publishes about itself, and test data it knows is fictional."""

    organisation_domains: tuple[str, ...] = ()
    organisation_phone_numbers: tuple[str, ...] = ()
    organisation_addresses: tuple[str, ...] = ()
    organisation_ibans: tuple[str, ...] = ()  # upper case, without spaces
    role_mailboxes: tuple[str, ...] = ()  # local parts that name a role (`team-data`), lower case
    test_identifiers: tuple[str, ...] = ()
    report_test_identifiers: bool = False
    skip_paths: tuple[str, ...] = GENERATED_FILES  # globs where personal-data rules do not run


class Config(NamedTuple):
    source: str = "defaults"  # the file (and table) it came from, for messages
    root: Path | None = None  # the directory relative paths in it are resolved against
    builtin: str = "extend"  # extend: built-in rules plus custom ones; replace: custom only
    categories: tuple[Category, ...] = (Category.SECRET, Category.PII)
    enabled_rules: tuple[str, ...] = ()  # run even though their category is off
    disabled_rules: tuple[str, ...] = ()
    severities: Mapping[str, Severity] = MappingProxyType({})
    custom_rules: tuple[Rule, ...] = ()
    fail_on: Severity = Severity.INFO  # the lowest severity that fails the build
    baseline: Path | None = None  # configured baseline file (it must exist)
    allowlists: tuple[Allowlist, ...] = ()
    pii: PiiAllow = PiiAllow()
    # scan.max_file_size: bytes of a file or blob that are scanned, 0 for no limit; None: unset
    max_file_size: int | None = None

    def rules(self) -> RuleSet:
        """The active rules: built-ins (unless replaced) and custom rules, as configured."""
        custom = {rule.id: rule for rule in self.custom_rules}
        builtin = () if self.builtin == "replace" else tuple(builtin_rules())
        # A custom rule with a built-in's id replaces that built-in.
        every = [custom.pop(rule.id, rule) for rule in builtin] + list(custom.values())
        self.check_rule_ids({rule.id for rule in every})
        active = [
            dataclasses.replace(rule, severity=self.severities[rule.id])
            if rule.id in self.severities
            else rule
            for rule in every
            if rule.id not in self.disabled_rules
            and (rule.category in self.categories or rule.id in self.enabled_rules)
        ]
        return RuleSet(tuple(active))

    def check_rule_ids(self, known: set[str]) -> None:
        named = [
            ("rules.enable", self.enabled_rules),
            ("rules.disable", self.disabled_rules),
            ("rules.severity", tuple(self.severities)),
            *((f"{item.where}.rules", tuple(sorted(item.rules or ()))) for item in self.allowlists),
        ]
        for key, ids in named:
            unknown = [rule_id for rule_id in ids if rule_id not in known]
            if unknown:
                raise ConfigError(
                    f"{self.source}: {key}: unknown rule id(s) {', '.join(unknown)}; "
                    "`leakguard rules` lists them"
                )

    def detection_settings(self, ner_model: str | None = None) -> DetectionSettings:
        return DetectionSettings(
            ner_model=ner_model,
            organisation_domains=self.pii.organisation_domains,
            organisation_phone_numbers=self.pii.organisation_phone_numbers,
            organisation_addresses=self.pii.organisation_addresses,
            organisation_ibans=self.pii.organisation_ibans,
            role_mailboxes=self.pii.role_mailboxes,
            test_identifiers=self.pii.test_identifiers,
            report_test_identifiers=self.pii.report_test_identifiers,
            pii_skip_paths=self.pii.skip_paths,
        )


# --- finding and reading the file --------------------------------------------------------------


def find_config(explicit: Path | None, root: Path | None) -> Config:
    """`--config FILE`, else `.leakguard.yaml` or `[tool.leakguard]` in `root` (else the current
    directory), else the defaults. Both files configuring leakguard is an error: one would be
    silently ignored."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file {explicit} does not exist")
        return load_config(explicit)
    directory = root if root is not None else Path.cwd()
    yaml_file = directory / CONFIG_NAME
    pyproject = directory / PYPROJECT_NAME
    in_pyproject = pyproject.is_file() and _pyproject_table(pyproject) is not None
    if yaml_file.is_file() and in_pyproject:
        raise ConfigError(
            f"both {yaml_file} and [tool.leakguard] in {pyproject} configure leakguard; "
            "keep one of them"
        )
    if yaml_file.is_file():
        return load_config(yaml_file)
    if in_pyproject:
        return load_config(pyproject)
    return Config(root=directory)


def load_config(path: Path) -> Config:
    """Read and validate one file: YAML, or a TOML file's `[tool.leakguard]` table."""
    if path.suffix == ".toml":
        table = _pyproject_table(path)
        if table is None:
            raise ConfigError(f"{path} has no [tool.leakguard] table")
        return parse_config(table, f"{path} [tool.leakguard]", path.resolve().parent)
    import yaml  # only when a configuration file exists: a hook without one skips it

    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from None
    return parse_config({} if document is None else document, str(path), path.resolve().parent)


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's document; a file that cannot be read or parsed is a `ConfigError`."""
    import tomllib  # only a repository with a pyproject.toml pays for it

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None


def _pyproject_table(path: Path) -> Any:
    document = read_toml(path)
    tool = document.get("tool")
    return tool.get("leakguard") if isinstance(tool, dict) else None


# --- validation ---------------------------------------------------------------------------------


class _Checker:
    """Reads typed values out of the parsed document, naming the file and key path on error."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, reason: str) -> ConfigError:
        return ConfigError(f"{self.source}: {key}: {reason}" if key else f"{self.source}: {reason}")

    def mapping(self, value: Any, key: str, known: tuple[str, ...]) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a mapping (with keys {', '.join(known)})")
        unknown = sorted(str(name) for name in value if name not in known)
        if unknown:
            paths = ", ".join(f"{key}.{name}" if key else name for name in unknown)
            raise self.fail(paths, f"unknown key(s) (known here: {', '.join(known)})")
        return value

    def strings(self, value: Any, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(key, "must be a list of strings")
        for index, item in enumerate(value):
            if isinstance(item, int | float) and not isinstance(item, bool):
                raise self.fail(
                    f"{key}[{index}]",
                    "must be a string: quote numbers ('0201234567') so that YAML keeps them as "
                    "written",
                )
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{key}[{index}]", "must be a non-empty string")
        return tuple(value)

    def flag(self, value: Any, key: str, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def severity(self, value: Any, key: str) -> Severity:
        if not isinstance(value, str):
            raise self.fail(key, "must be a severity: " + ", ".join(str(s) for s in Severity))
        try:
            return Severity.parse(value)
        except ValueError as exc:
            raise self.fail(key, str(exc)) from None

    def regexes(self, value: Any, key: str) -> tuple[str, ...]:
        patterns = self.strings(value, key)
        for index, pattern in enumerate(patterns):
            self.regex(pattern, f"{key}[{index}]")
        return patterns

    def regex(self, pattern: str, key: str) -> None:
        """Compile as rules are compiled (RE2), so what loads here also runs in a scan."""
        try:
            compile_rule_regex(key, pattern)
        except RuleError as exc:
            raise self.fail(key, str(exc).removeprefix(f"rule {key!r}: ")) from None


def parse_config(document: Any, source: str, root: Path | None) -> Config:
    check = _Checker(source)
    if not isinstance(document, dict):
        raise check.fail(
            "", "the configuration must be a mapping of keys such as rules, allowlists"
        )
    top = check.mapping(document, "", TOP_KEYS)
    rules = check.mapping(top.get("rules"), "rules", RULES_KEYS)

    builtin = rules.get("builtin", "extend")
    if builtin not in BUILTIN_MODES:
        raise check.fail("rules.builtin", "must be extend or replace")
    categories = _categories(check, rules.get("categories"))
    enabled = check.strings(rules.get("enable"), "rules.enable")
    disabled = check.strings(rules.get("disable"), "rules.disable")
    both = sorted(set(enabled) & set(disabled))
    if both:
        raise check.fail("rules", f"{', '.join(both)} both enabled and disabled")
    severities = {
        str(rule_id): check.severity(level, f"rules.severity.{rule_id}")
        for rule_id, level in _plain_mapping(check, rules.get("severity"), "rules.severity").items()
    }
    custom = _custom_rules(check, rules.get("custom"))
    if builtin == "replace" and not custom:
        raise check.fail("rules.builtin", "replace needs rules.custom: no rule would run")

    fail_on = top.get("fail_on")
    config = Config(
        source=source,
        root=root,
        builtin=builtin,
        categories=categories,
        enabled_rules=enabled,
        disabled_rules=disabled,
        severities=severities,
        custom_rules=custom,
        fail_on=Severity.INFO if fail_on is None else check.severity(fail_on, "fail_on"),
        baseline=_baseline(check, top.get("baseline"), root),
        allowlists=_allowlists(check, top.get("allowlists")),
        pii=_pii(check, top.get("pii")),
        max_file_size=_max_file_size(check, top.get("scan")),
    )
    config.check_rule_ids(_known_rule_ids(config))
    return config


def _known_rule_ids(config: Config) -> set[str]:
    known = {rule.id for rule in config.custom_rules}
    if config.builtin == "extend":
        known.update(rule.id for rule in builtin_rules())
    return known


def _plain_mapping(check: _Checker, value: Any, key: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise check.fail(key, "must be a mapping")
    return value


def _categories(check: _Checker, value: Any) -> tuple[Category, ...]:
    if value is None:
        return (Category.SECRET, Category.PII)
    names = check.strings(value, "rules.categories")
    known = tuple(c.value for c in Category)
    for index, name in enumerate(names):
        if name not in known:
            raise check.fail(f"rules.categories[{index}]", f"{name!r} is not one of {known}")
    return tuple(Category(name) for name in names)


def _custom_rules(check: _Checker, value: Any) -> tuple[Rule, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise check.fail("rules.custom", "must be a list of rules (the shape of rules/*.yaml)")
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, entry in enumerate(value):
        where = f"rules.custom[{index}]"
        if not isinstance(entry, dict):
            raise check.fail(where, "must be a rule: a mapping with id, description, regex")
        if isinstance(entry.get("id"), str):
            where += f" ({entry['id']})"  # a broken rule is named by its id too
        # Regexes first, so that a broken one is named by its key path like every other error.
        if isinstance(entry.get("regex"), str):
            check.regex(entry["regex"], f"{where}.regex")
        if isinstance(entry.get("allow"), list):
            check.regexes(entry["allow"], f"{where}.allow")
        # The same parser and checks as the built-in rules: RE2, validators, the value group.
        rule = parse_rule(entry, f"{check.source}: {where}")
        if rule.id in seen:
            raise check.fail(where, f"rule id {rule.id!r} is defined twice")
        seen.add(rule.id)
        rules.append(rule)
    return tuple(rules)


def _baseline(check: _Checker, value: Any, root: Path | None) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise check.fail("baseline", "must be the path of a baseline file")
    path = Path(value)
    return path if path.is_absolute() or root is None else root / path


def _allowlists(check: _Checker, value: Any) -> tuple[Allowlist, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise check.fail("allowlists", "must be a list of allowlists")
    items: list[Allowlist] = []
    for index, entry in enumerate(value):
        where = f"allowlists[{index}]"
        fields_ = check.mapping(entry, where, ALLOWLIST_KEYS)
        description = fields_.get("description", "")
        if not isinstance(description, str):
            raise check.fail(f"{where}.description", "must be a string")
        rules = fields_.get("rules")
        item = Allowlist(
            where=where,
            description=description,
            rules=None if rules is None else frozenset(check.strings(rules, f"{where}.rules")),
            paths=check.strings(fields_.get("paths"), f"{where}.paths"),
            values=check.regexes(fields_.get("values"), f"{where}.values"),
            lines=check.regexes(fields_.get("lines"), f"{where}.lines"),
            stopwords=tuple(
                word.lower()
                for word in check.strings(fields_.get("stopwords"), f"{where}.stopwords")
            ),
            commits=_commits(check, fields_.get("commits"), f"{where}.commits"),
        )
        if not (item.paths or item.values or item.lines or item.stopwords or item.commits):
            raise check.fail(
                where, "allows nothing: give paths, values, lines, stopwords or commits"
            )
        _check_globs(check, item.paths, f"{where}.paths")
        items.append(item)
    return tuple(items)


def _commits(check: _Checker, value: Any, key: str) -> tuple[str, ...]:
    commits = check.strings(value, key)
    for index, commit in enumerate(commits):
        if not (MIN_COMMIT_PREFIX <= len(commit) <= 64) or any(
            c not in "0123456789abcdef" for c in commit.lower()
        ):
            raise check.fail(
                f"{key}[{index}]",
                f"{commit!r} is not a commit id (hex, at least {MIN_COMMIT_PREFIX} characters)",
            )
    return tuple(commit.lower() for commit in commits)


def _check_globs(check: _Checker, patterns: tuple[str, ...], key: str) -> None:
    from leakguard.filters.paths import GlobError, compile_glob

    for index, pattern in enumerate(patterns):
        try:
            compile_glob(pattern)
        except GlobError as exc:
            raise check.fail(f"{key}[{index}]", str(exc)) from None


def _pii(check: _Checker, value: Any) -> PiiAllow:
    pii = check.mapping(value, "pii", PII_KEYS)
    domains = check.strings(pii.get("organisation_domains"), "pii.organisation_domains")
    for index, domain in enumerate(domains):
        if "@" in domain or "/" in domain or " " in domain.strip() or "." not in domain:
            raise check.fail(
                f"pii.organisation_domains[{index}]",
                f"{domain!r} is not a domain name (such as amsterdam.nl)",
            )
    return PiiAllow(
        organisation_domains=tuple(domain.strip().lower() for domain in domains),
        organisation_phone_numbers=check.strings(
            pii.get("organisation_phone_numbers"), "pii.organisation_phone_numbers"
        ),
        organisation_addresses=check.strings(
            pii.get("organisation_addresses"), "pii.organisation_addresses"
        ),
        organisation_ibans=_ibans(check, pii.get("organisation_ibans")),
        role_mailboxes=_mailboxes(check, pii.get("role_mailboxes")),
        test_identifiers=check.strings(pii.get("test_identifiers"), "pii.test_identifiers"),
        report_test_identifiers=check.flag(
            pii.get("report_test_identifiers"), "pii.report_test_identifiers", False
        ),
        skip_paths=_skip_paths(check, pii.get("skip_paths")),
    )


def _skip_paths(check: _Checker, value: Any) -> tuple[str, ...]:
    if value is None:
        return GENERATED_FILES
    from leakguard.filters.paths import GlobError, compile_glob

    globs = check.strings(value, "pii.skip_paths")
    for index, glob in enumerate(globs):
        try:
            negated = compile_glob(glob).negated
        except GlobError as exc:
            raise check.fail(f"pii.skip_paths[{index}]", str(exc)) from None
        if negated:
            raise check.fail(f"pii.skip_paths[{index}]", "a list of paths to skip takes no `!`")
    return globs


def _ibans(check: _Checker, value: Any) -> tuple[str, ...]:
    ibans = check.strings(value, "pii.organisation_ibans")
    cleaned = tuple("".join(iban.split()).upper() for iban in ibans)
    for index, iban in enumerate(cleaned):
        if not (15 <= len(iban) <= 34 and iban[:2].isalpha() and iban.isalnum()):
            raise check.fail(f"pii.organisation_ibans[{index}]", "is not an IBAN")
    return cleaned


def _mailboxes(check: _Checker, value: Any) -> tuple[str, ...]:
    names = check.strings(value, "pii.role_mailboxes")
    for index, name in enumerate(names):
        if "@" in name or any(c.isspace() for c in name):
            raise check.fail(
                f"pii.role_mailboxes[{index}]", f"{name!r}: give the part before the @ only"
            )
    return tuple(name.lower() for name in names)


def _max_file_size(check: _Checker, value: Any) -> int | None:
    from leakguard.scan import parse_size

    scan = check.mapping(value, "scan", SCAN_KEYS)
    size = scan.get("max_file_size")
    if size is None:
        return None
    if isinstance(size, bool) or not isinstance(size, int | str):
        raise check.fail("scan.max_file_size", "must be a size such as 100M, or 0")
    try:
        return parse_size(str(size)) or 0
    except ValueError as exc:
        raise check.fail("scan.max_file_size", str(exc)) from None
