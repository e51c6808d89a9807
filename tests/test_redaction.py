"""No output shows a found value unless the user asked for it.

A repository is planted with every built-in rule's examples; every report format, with and
without --verbose, is searched for each value the scan finds (and for every 8-character slice
of it). Only `--show-values` may print them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.detectors.engine import Detector
from leakguard.models import Fragment, Origin
from leakguard.redact import redact_personal, redact_secret
from leakguard.reports import FORMATS
from leakguard.rule_examples import expand
from leakguard.ruleset import builtin_rules_dir, load_builtin_rules

from conftest import GitRepo, leakguard


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[GitRepo, list[str]]:
    base = tmp_path_factory.mktemp("planted")
    repo = GitRepo(base / "repo", base / "home")
    rules = load_builtin_rules()
    detector = Detector(rules.rules, engine="python")
    values: list[str] = []
    for rule in rules:
        for index, template in enumerate(rule.examples):
            text = expand(template, f"{rule.id}/{index}")
            fragment = Fragment(text.encode(), "x", Origin.FILE)
            values.extend(c.value for c in detector.detect(fragment).candidates)
            repo.write(f"planted/{rule.id}-{index}.txt", text + "\n")
    repo.commit("plant every example")
    return repo, sorted(set(values))


# Fixed parts of formats (`https://hooks.slack.com/`, `GR1348941`) are public: they stand in
# the rule files. A slice of a value only counts as leaked when it is not public.
PUBLIC = "\n".join(path.read_text() for path in builtin_rules_dir().rglob("*.yaml"))


def leaked(output: str, values: list[str]) -> list[str]:
    # Every 8-character slice of the output, once: a search of the whole output per slice of
    # every value took minutes over all the formats.
    shown = {output[i : i + 8] for i in range(len(output) - 7)}
    found = []
    for value in values:
        slices = {value[i : i + 8] for i in range(max(1, len(value) - 7))}
        if any(len(piece) >= 8 and piece in shown and piece not in PUBLIC for piece in slices):
            found.append(value)
    return found


@pytest.mark.parametrize("format_name", FORMATS)
@pytest.mark.parametrize("verbose", [False, True])
def test_no_format_shows_values(
    planted: tuple[GitRepo, list[str]], format_name: str, verbose: bool, tmp_path: Path
) -> None:
    repo, values = planted
    assert values
    output_file = tmp_path / "report"
    args = ["git", str(repo.path), "--format", format_name, "--output", str(output_file)]
    result = leakguard(*args, *(["--verbose"] if verbose else []))
    assert result.code == 1, result.stderr
    for output in (output_file.read_text(), result.stdout, result.stderr):
        assert not leaked(output, values)
    stdout_run = leakguard(
        "git", str(repo.path), "--format", format_name, *(["--verbose"] if verbose else [])
    )
    assert not leaked(stdout_run.stdout + stdout_run.stderr, values)


def test_show_values_is_the_opt_in(planted: tuple[GitRepo, list[str]]) -> None:
    repo, values = planted

    result = leakguard("git", str(repo.path), "--format", "json", "--show-values")

    shown = {f["value"]["plain"] for f in result.json()["findings"]}
    assert set(values) <= shown


def test_secret_redaction_shows_at_most_four_characters() -> None:
    value = "abcdefghijklmnopqrstuvwxyz012345"
    assert redact_secret(value) == "abcd…(32 chars)"
    assert redact_secret("short12") == "s…(7 chars)"


def test_personal_data_shows_only_the_last_two_characters() -> None:
    assert redact_personal("123456782") == "*******82"
    assert redact_personal("abc") == "***"
