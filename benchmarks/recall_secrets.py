"""Recall of the credential rules on a repository with one planted secret per rule, per commit.

    python benchmarks/recall_secrets.py [--keep DIR] [--engine auto|hyperscan|python]

Builds a git repository in which every built-in credential rule gets its own commit adding a
file with that rule's first example (expanded at run time, like the test suite's fixtures),
placed in a file named and shaped like where such a secret usually sits (`.env`, `config.yaml`,
`settings.py`, ...), in rotation. A later commit deletes every other planted file, so half the
secrets survive only in history. Then runs `leakguard git` and counts, per rule and per
provider, whether the planted value was reported by its own rule at the commit that added it.

Prints the rule count by provider and the recall table; exits 1 when a rule misses its secret.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from leakguard.detectors.engine import Detector
from leakguard.models import Category, Fragment, Origin
from leakguard.rule_examples import expand
from leakguard.ruleset import Rule, load_builtin_rules

PLACES = ("config/.env", "deploy/values.yaml", "src/settings.py", "docs/setup.md", "app.js")
IDENTITY = {
    "GIT_AUTHOR_NAME": "Recall Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "Recall Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **IDENTITY, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, check=True)
    return done.stdout.decode().strip()


def planted_value(rule: Rule, text: str) -> str | None:
    """The value the rule itself finds in its example, to look for in the report."""
    found = Detector([rule], engine="python").detect(Fragment(text.encode(), "x", Origin.FILE))
    values = [c.value for c in found.candidates if c.rule_id == rule.id]
    return values[0] if values else None


def build(repo: Path, rules: list[Rule]) -> dict[str, tuple[str, str, str]]:
    """rule id -> (path, commit, value) of what was planted."""
    git(repo, "init", "-q", "-b", "main")
    planted: dict[str, tuple[str, str, str]] = {}
    for index, rule in enumerate(rules):
        text = expand(rule.examples[0], f"recall/{rule.id}")
        value = planted_value(rule, text)
        if value is None:
            continue  # the example itself is broken: the rule tests say so
        place = PLACES[index % len(PLACES)]
        directory, _, name = place.rpartition("/")
        path = f"{directory + '/' if directory else ''}{rule.id}/{name}"
        target = repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {rule.provider}\n{text}\n")
        git(repo, "add", path)
        git(repo, "commit", "-q", "-m", f"add {rule.id}")
        planted[rule.id] = (path, git(repo, "rev-parse", "HEAD"), value)
    for path, _, _ in list(planted.values())[::2]:
        git(repo, "rm", "-q", path)
    git(repo, "commit", "-q", "-m", "remove half of them")
    return planted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    parser.add_argument("--engine", default="auto")
    args = parser.parse_args()

    rules = [rule for rule in load_builtin_rules() if rule.category is Category.SECRET]
    with tempfile.TemporaryDirectory() as scratch:
        repo = args.keep or Path(scratch) / "recall"
        repo.mkdir(parents=True, exist_ok=True)
        planted = build(repo, rules)
        scan = subprocess.run(
            [
                sys.executable,
                "-m",
                "leakguard",
                "git",
                str(repo),
                "--format",
                "json",
                "--show-values",
                "--engine",
                args.engine,
            ],
            capture_output=True,
            check=False,
        )
        if scan.returncode not in (0, 1):
            print(scan.stderr.decode(), file=sys.stderr)
            return 2
        findings = json.loads(scan.stdout)["findings"]

    reported = {
        (f["rule_id"], f["location"]["path"], f["location"]["commit"], f["value"]["plain"])
        for f in findings
    }
    by_provider: Counter[str] = Counter(rule.provider for rule in rules)
    hit_by_provider: Counter[str] = Counter()
    missed = []
    for rule in rules:
        if rule.id not in planted:
            missed.append(f"{rule.id} (its example finds nothing)")
            continue
        path, commit, value = planted[rule.id]
        if (rule.id, path, commit, value) in reported:
            hit_by_provider[rule.provider] += 1
        else:
            missed.append(rule.id)

    print(f"{len(rules)} credential rules, {len(by_provider)} providers\n")
    print("| provider | rules | found at their commit |")
    print("|---|---|---|")
    for provider, count in sorted(by_provider.items(), key=lambda item: (-item[1], item[0])):
        print(f"| {provider} | {count} | {hit_by_provider[provider]} |")
    found = sum(hit_by_provider.values())
    print(f"\nrecall: {found}/{len(rules)} = {found / len(rules):.3f}")
    extra = len(findings) - found
    print(f"other findings in the planted repository: {extra}")
    if missed:
        print("missed: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
