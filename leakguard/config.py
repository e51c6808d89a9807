"""`.leakguard.yaml`: which rules run. Validated on load; a mistake is exit 2, never ignored."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from leakguard.errors import ConfigError
from leakguard.models import Category
from leakguard.ruleset import RuleSet, load_builtin_rules

CONFIG_NAME = ".leakguard.yaml"
KNOWN_KEYS = frozenset({"rules", "scan"})
RULE_KEYS = frozenset({"disable", "categories"})
SCAN_KEYS = frozenset({"max_file_size"})


@dataclass(frozen=True)
class Config:
    disabled_rules: tuple[str, ...] = ()
    categories: tuple[Category, ...] = (Category.SECRET, Category.PII)
    source: str = "defaults"
    extra: dict[str, Any] = field(default_factory=dict)
    # scan.max_file_size: bytes of a file or blob that are scanned, 0 for no limit; None: unset
    max_file_size: int | None = None

    def rules(self) -> RuleSet:
        builtin = load_builtin_rules()
        known = {rule.id for rule in builtin}
        unknown = [rule_id for rule_id in self.disabled_rules if rule_id not in known]
        if unknown:
            raise ConfigError(
                f"{self.source}: rules.disable names unknown rule(s) {', '.join(unknown)}; "
                "`leakguard rules` lists them"
            )
        return builtin.select(
            rule
            for rule in builtin
            if rule.id not in self.disabled_rules and rule.category in self.categories
        )


def find_config(explicit: Path | None, root: Path | None) -> Config:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file {explicit} does not exist")
        return load_config(explicit)
    if root is not None and (root / CONFIG_NAME).is_file():
        return load_config(root / CONFIG_NAME)
    return Config()


def load_config(path: Path) -> Config:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    _no_unknown(document, KNOWN_KEYS, str(path))
    rules = document.get("rules") or {}
    if not isinstance(rules, dict):
        raise ConfigError(f"{path}: 'rules' must be a mapping")
    _no_unknown(rules, RULE_KEYS, f"{path}: rules")
    disabled = rules.get("disable", [])
    if not isinstance(disabled, list) or not all(isinstance(r, str) for r in disabled):
        raise ConfigError(f"{path}: rules.disable must be a list of rule ids")
    categories = rules.get("categories", [c.value for c in Category])
    try:
        parsed = tuple(Category(c) for c in categories)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{path}: rules.categories must be a list of: {', '.join(c.value for c in Category)}"
        ) from None
    return Config(
        disabled_rules=tuple(disabled),
        categories=parsed,
        source=str(path),
        max_file_size=_scan_settings(document, path),
    )


def _scan_settings(document: dict[str, Any], path: Path) -> int | None:
    from leakguard.scan import parse_size

    scan = document.get("scan") or {}
    if not isinstance(scan, dict):
        raise ConfigError(f"{path}: 'scan' must be a mapping")
    _no_unknown(scan, SCAN_KEYS, f"{path}: scan")
    value = scan.get("max_file_size")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ConfigError(f"{path}: scan.max_file_size must be a size such as 100M, or 0")
    try:
        return parse_size(str(value)) or 0
    except ValueError as exc:
        raise ConfigError(f"{path}: scan.max_file_size: {exc}") from None


def _no_unknown(mapping: dict[str, Any], known: frozenset[str], where: str) -> None:
    unknown = sorted(set(mapping) - known)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(map(str, unknown))} "
            f"(known: {', '.join(sorted(known))})"
        )
