"""`leakguard init --from-gitleaks .gitleaks.toml`: carry a gitleaks configuration over.

What has an exact counterpart is converted; what has none is left out and listed, never
approximated by something that allows more. In particular gitleaks' path allowlists are regexes
and leakguard's are gitignore globs: a regex is converted only when it is a literal with anchors
(`\\.lock$`, `^vendor/`, `(^|/)package-lock\\.json$`), which a glob says exactly.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from leakguard.config import read_toml
from leakguard.ruleset import RULE_ID, load_builtin_rules

REGEX_META = set("()[]{}*+?|^$\\.")
GLOB_META = set("*?[]\\!")
HEX = re.compile(r"^[0-9a-fA-F]{7,64}$")


def convert_gitleaks(path: Path) -> tuple[str, list[str]]:
    """The YAML of a leakguard configuration, and notes on what was not carried over."""
    document = read_toml(path)
    notes: list[str] = []
    rules, rule_allowlists = _rules(document.get("rules", []), notes)
    known = {rule.id for rule in load_builtin_rules()} | {rule["id"] for rule in rules}
    items = list(_global_allowlists(document))
    allowlists = [
        converted
        for where, item, targets in items + rule_allowlists
        if (converted := _allowlist(where, item, targets, known, notes)) is not None
    ]
    config: dict[str, Any] = {}
    if rules:
        config["rules"] = {"builtin": "extend", "custom": rules}
    if allowlists:
        config["allowlists"] = allowlists
    text = f"# Carried over from {path.name} by `leakguard init --from-gitleaks`.\n"
    if config:
        text += yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)
    if notes:
        text += "\n# Not carried over (translate by hand, see README Configuration):\n"
        text += "".join(f"# - {note}\n" for note in notes)
    return text, notes


def _global_allowlists(document: dict[str, Any]) -> list[tuple[str, dict[str, Any], list[str]]]:
    items: list[tuple[str, dict[str, Any], list[str]]] = []
    single = document.get("allowlist")
    if isinstance(single, dict):
        items.append(("[allowlist]", single, list(single.get("targetRules", []))))
    for index, item in enumerate(document.get("allowlists", []) or []):
        if isinstance(item, dict):
            items.append((f"[[allowlists]] {index + 1}", item, list(item.get("targetRules", []))))
    return items


def _rules(
    entries: Any, notes: list[str]
) -> tuple[list[dict[str, Any]], list[tuple[str, dict[str, Any], list[str]]]]:
    rules: list[dict[str, Any]] = []
    allowlists: list[tuple[str, dict[str, Any], list[str]]] = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        original = str(entry.get("id", ""))
        rule_id = re.sub(r"[^a-z0-9.-]+", "-", original.lower()).strip("-.")
        if not RULE_ID.match(rule_id):
            notes.append(f"rule {original!r}: no usable id")
            continue
        regex = entry.get("regex")
        if not isinstance(regex, str):
            notes.append(f"rule {original!r}: no regex (path-only rules have no counterpart)")
            continue
        named = _name_secret_group(regex, entry.get("secretGroup"))
        if named is None:
            notes.append(f"rule {original!r}: secretGroup names a group the regex does not have")
            continue
        rule: dict[str, Any] = {
            "id": rule_id,
            "description": str(entry.get("description") or original),
            "regex": named,
        }
        keywords = entry.get("keywords")
        if isinstance(keywords, list) and keywords:
            rule["keywords"] = [str(k).lower() for k in keywords]
        if isinstance(entry.get("entropy"), int | float):
            rule["entropy"] = float(entry["entropy"])
        if "path" in entry:
            notes.append(f"rule {original!r}: its path condition (it now runs on every path)")
        rules.append(rule)
        old = entry.get("allowlist")
        for index, item in enumerate([old] if isinstance(old, dict) else []):
            allowlists.append((f"rule {original} allowlist {index + 1}", item, [rule_id]))
        for index, item in enumerate(entry.get("allowlists", []) or []):
            if isinstance(item, dict):
                allowlists.append((f"rule {original} allowlists {index + 1}", item, [rule_id]))
    return rules, allowlists


def _name_secret_group(regex: str, group: Any) -> str | None:
    """The regex with its secret group (gitleaks' `secretGroup`, else the first) named."""
    starts = _capturing_groups(regex)
    if not starts:
        return regex  # the whole match is the value
    number = group if isinstance(group, int) and group > 0 else 1
    if number > len(starts):
        return None
    at = starts[number - 1]
    return regex[: at + 1] + "?P<secret>" + regex[at + 1 :]


def _capturing_groups(regex: str) -> list[int]:
    """Offsets of the `(` of each unnamed capturing group, in order."""
    starts: list[int] = []
    index, in_class = 0, False
    while index < len(regex):
        char = regex[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if regex[index + 1 : index + 2] == "]":
                index += 1
        elif char == "(" and regex[index + 1 : index + 2] != "?":
            starts.append(index)
        index += 1
    return starts


def _allowlist(
    where: str, item: dict[str, Any], targets: list[str], known: set[str], notes: list[str]
) -> dict[str, Any] | None:
    if str(item.get("condition", "OR")).upper() == "AND":
        notes.append(f"{where}: condition AND (every entry must match) has no counterpart")
        return None
    converted: dict[str, Any] = {}
    if item.get("description"):
        converted["description"] = str(item["description"])
    if targets:
        rules = [target for target in targets if target in known]
        for target in targets:
            if target not in known:
                notes.append(f"{where}: targetRules {target!r} is not a leakguard rule")
        if not rules:
            notes.append(f"{where}: none of its targetRules exist here, so it was left out")
            return None
        converted["rules"] = rules
    paths = []
    for pattern in item.get("paths", []) or []:
        glob = regex_to_glob(str(pattern))
        if glob is None:
            notes.append(f"{where}: path regex {pattern!r} has no exact glob")
        else:
            paths.append(glob)
    target = str(item.get("regexTarget", "secret")).lower()
    regexes = [str(pattern) for pattern in item.get("regexes", []) or []]
    stopwords = [str(word) for word in item.get("stopwords", []) or []]
    commits = []
    for commit in item.get("commits", []) or []:
        if HEX.match(str(commit)):
            commits.append(str(commit).lower())
        else:
            notes.append(f"{where}: {commit!r} is not a commit id")
    for key, values in (
        ("paths", paths),
        ("values" if target == "secret" else "lines", regexes),
        ("stopwords", stopwords),
        ("commits", commits),
    ):
        if values:
            converted[key] = values
    if not set(converted) - {"description", "rules"}:
        return None
    return converted


def regex_to_glob(regex: str) -> str | None:
    """A glob that matches exactly the paths the gitleaks path regex matches, or None."""
    text = regex
    anchored = False
    for prefix in ("(^|/)", "(?:^|/)", "^"):
        if text.startswith(prefix):
            anchored = prefix == "^"
            whole_name = prefix != "^"
            text = text[len(prefix) :]
            break
    else:
        whole_name = False
    suffix = text.endswith("$") and not text.endswith("\\$")
    if suffix:
        text = text[:-1]
    literal = _unescape(text)
    if literal is None or not literal or (not anchored and not suffix and not whole_name):
        return None
    glob = "".join(f"\\{c}" if c in GLOB_META else c for c in literal)
    if whole_name:
        # `(^|/)name$`: the last components; `(^|/)dir/`: a directory at any depth.
        if suffix:
            return glob if "/" not in literal else "**/" + glob
        return glob if literal.endswith("/") and "/" not in literal[:-1] else None
    if anchored:
        if suffix:
            return "/" + glob
        return "/" + glob if literal.endswith("/") else "/" + glob + "*"
    # `literal$`: the path ends with it; without a slash that is the last component's end.
    return None if "/" in literal else "*" + glob


def _unescape(text: str) -> str | None:
    """The literal a regex of only literal characters and `\\x` escapes matches, or None."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            if index + 1 >= len(text) or text[index + 1].isalnum():
                return None  # `\d`, `\w`, `\b`...: a class, not a literal
            out.append(text[index + 1])
            index += 2
            continue
        if char in REGEX_META:
            return None
        out.append(char)
        index += 1
    return "".join(out)
