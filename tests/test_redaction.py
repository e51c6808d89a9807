"""No output shows a found value unless the user asked for it.

A repository is planted with every built-in rule's examples; every report format, with and
without --verbose, is searched for each value the scan finds (and for every 8-character slice
of it). Only `--show-values` may print them.
"""

from __future__ import annotations

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


# Every format once with --verbose (which adds what was skipped, rejected and allowed), text and
# json also without: one process per report keeps this test affordable for seven formats.
RUNS = [(name, True) for name in FORMATS] + [("text", False), ("json", False)]


@pytest.fixture(scope="module")
def outputs(
    planted: tuple[GitRepo, list[str]], tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, bool], list[str]]:
    repo, _ = planted
    captured: dict[tuple[str, bool], list[str]] = {}
    for format_name, verbose in RUNS:
        output_file = tmp_path_factory.mktemp("report") / "report"
        # One worker: the planted personal data makes each worker load Presidio.
        args = ["git", str(repo.path), "--format", format_name, "--jobs", "1"]
        args += ["--verbose"] if verbose else []
        to_file = leakguard(*args, "--output", str(output_file))
        assert to_file.code == 1, to_file.stderr
        captured[(format_name, verbose)] = [output_file.read_text(), to_file.stdout, to_file.stderr]
        if format_name in ("text", "json"):  # the same writers, printed instead of written
            to_stdout = leakguard(*args)
            captured[(format_name, verbose)] += [to_stdout.stdout, to_stdout.stderr]
    return captured


@pytest.mark.parametrize(("format_name", "verbose"), RUNS)
def test_no_format_shows_values(
    planted: tuple[GitRepo, list[str]],
    outputs: dict[tuple[str, bool], list[str]],
    format_name: str,
    verbose: bool,
) -> None:
    _, values = planted
    assert values
    for output in outputs[(format_name, verbose)]:
        assert not leaked(output, values)


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
