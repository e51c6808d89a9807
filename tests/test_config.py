"""Configuration: every key takes effect, and every mistake is exit 2 naming file, key and why."""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.config import Config, find_config, load_config
from leakguard.errors import ConfigError
from leakguard.models import Category, Severity
from leakguard.rule_examples import expand

from conftest import GitRepo, fake_github_token, leakguard


def write_config(tmp_path: Path, text: str, name: str = ".leakguard.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- validation: file, key path and reason -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        ("colour: blue\n", "colour", "unknown key"),
        ("rules:\n  colour: blue\n", "rules.colour", "unknown key"),
        ("rules: [a]\n", "rules", "must be a mapping"),
        ("rules:\n  disable: github-pat\n", "rules.disable", "must be a list of strings"),
        ("rules:\n  disable: [1]\n", "rules.disable[0]", "must be a string"),
        ("rules:\n  disable: [no-such-rule]\n", "rules.disable", "unknown rule id(s) no-such-rule"),
        ("rules:\n  enable: [no-such-rule]\n", "rules.enable", "unknown rule id"),
        ("rules:\n  severity: {github-pat: urgent}\n", "rules.severity.github-pat", "urgent"),
        ("rules:\n  severity: {nope: low}\n", "rules.severity", "unknown rule id(s) nope"),
        ("rules:\n  categories: [secrets]\n", "rules.categories[0]", "'secrets' is not one of"),
        ("rules:\n  builtin: merge\n", "rules.builtin", "extend or replace"),
        ("rules:\n  builtin: replace\n", "rules.builtin", "needs rules.custom"),
        (
            "rules:\n  enable: [github-pat]\n  disable: [github-pat]\n",
            "rules",
            "both enabled and disabled",
        ),
        (
            "rules:\n  custom:\n    - {id: acme, description: x, regex: '(?P<secret>a(b'}\n",
            "rules.custom[0]",
            "does not compile with RE2",
        ),
        (
            "rules:\n  custom:\n    - {id: acme, description: x, regex: '(?=a)b'}\n",
            "rules.custom[0]",
            "RE2",
        ),
        (
            "rules:\n  custom:\n    - {id: acme, description: x, regex: 'a', validators: [nope]}\n",
            "rules.custom[0]",
            "unknown validator",
        ),
        ("rules:\n  custom:\n    - {id: acme, regex: 'a'}\n", "rules.custom[0]", "description"),
        ("fail_on: 3\n", "fail_on", "must be a severity"),
        ("fail_on: severe\n", "fail_on", "unknown severity"),
        ("baseline: 7\n", "baseline", "must be the path"),
        ("allowlists: {paths: [x]}\n", "allowlists", "must be a list"),
        ("allowlists:\n  - {description: nothing}\n", "allowlists[0]", "allows nothing"),
        ("allowlists:\n  - {path: [x]}\n", "allowlists[0].path", "unknown key"),
        ("allowlists:\n  - {values: ['(unclosed']}\n", "allowlists[0].values[0]", "RE2"),
        ("allowlists:\n  - {lines: ['a(?<=b)']}\n", "allowlists[0].lines[0]", "RE2"),
        ("allowlists:\n  - {paths: ['[a-']}\n", "allowlists[0].paths[0]", "without a closing"),
        ("allowlists:\n  - {paths: ['[z-a]']}\n", "allowlists[0].paths[0]", "reversed"),
        ("allowlists:\n  - {commits: [abc]}\n", "allowlists[0].commits[0]", "not a commit id"),
        (
            "allowlists:\n  - {rules: [nope], values: [x]}\n",
            "allowlists[0].rules",
            "unknown rule id(s) nope",
        ),
        ("allowlists:\n  - {stopwords: ['']}\n", "allowlists[0].stopwords[0]", "non-empty"),
        ("pii:\n  test_identifiers: [111222333]\n", "pii.test_identifiers[0]", "quote numbers"),
        ("pii:\n  organisation_domains: ['@a.nl']\n", "pii.organisation_domains[0]", "domain"),
        ("pii:\n  report_test_identifiers: 'yes'\n", "pii.report_test_identifiers", "true or"),
        ("pii:\n  phone: []\n", "pii.phone", "unknown key"),
        ("pii:\n  organisation_ibans: ['12 34']\n", "pii.organisation_ibans[0]", "not an IBAN"),
        ("pii:\n  role_mailboxes: [info@a.nl]\n", "pii.role_mailboxes[0]", "before the @"),
        ("scan:\n  max_file_size: lots\n", "scan.max_file_size", "not a size"),
        ("- a\n- b\n", "", "must be a mapping"),
    ],
)
def test_invalid_configuration_names_file_key_and_reason(
    tmp_path: Path, text: str, key: str, reason: str
) -> None:
    path = write_config(tmp_path, text)

    with pytest.raises(ConfigError) as raised:
        load_config(path)

    message = str(raised.value)
    assert message.startswith(str(path))
    assert f": {key}" in message or (not key and reason in message)
    assert reason in message


def test_invalid_configuration_is_exit_2_on_the_command_line(repo: GitRepo) -> None:
    repo.commit("one", **{"app.py": "x = 1\n"})
    repo.write(".leakguard.yaml", "allowlists:\n  - values: ['(unclosed']\n")

    result = leakguard("git", str(repo.path))

    assert result.code == 2
    assert "configuration error" in result.stderr
    assert ".leakguard.yaml: allowlists[0].values[0]:" in result.stderr
    assert "RE2" in result.stderr


def test_yaml_syntax_and_encoding_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(write_config(tmp_path, "rules: [unclosed\n"))
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"rules:\n  disable: [\xff]\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(binary)


def test_empty_file_is_the_defaults(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, "# nothing yet\n"))

    assert config.categories == (Category.SECRET, Category.PII)
    assert config.fail_on is Severity.INFO
    assert len(config.rules()) == len(Config().rules())


# --- where the configuration comes from --------------------------------------------------------


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        '[project]\nname = "app"\n\n[tool.leakguard]\nfail_on = "high"\n\n'
        '[tool.leakguard.rules]\ndisable = ["github-pat"]\n',
        "pyproject.toml",
    )

    config = find_config(None, tmp_path)

    assert "pyproject.toml [tool.leakguard]" in config.source
    assert config.fail_on is Severity.HIGH
    assert "github-pat" not in {rule.id for rule in config.rules()}


def test_pyproject_errors_name_the_table(tmp_path: Path) -> None:
    write_config(tmp_path, '[tool.leakguard]\ncolour = "blue"\n', "pyproject.toml")

    with pytest.raises(ConfigError, match=r"pyproject.toml \[tool.leakguard\]: colour: unknown"):
        find_config(None, tmp_path)


def test_pyproject_without_table_is_ignored_and_broken_toml_is_an_error(tmp_path: Path) -> None:
    write_config(tmp_path, '[project]\nname = "app"\n', "pyproject.toml")
    assert find_config(None, tmp_path).source == "defaults"

    write_config(tmp_path, "[project\n", "pyproject.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        find_config(None, tmp_path)


def test_both_files_configuring_is_an_error(tmp_path: Path) -> None:
    write_config(tmp_path, "fail_on: low\n")
    write_config(tmp_path, '[tool.leakguard]\nfail_on = "high"\n', "pyproject.toml")

    with pytest.raises(ConfigError, match="keep one of them"):
        find_config(None, tmp_path)


def test_explicit_config_wins_and_must_exist(tmp_path: Path) -> None:
    write_config(tmp_path, "fail_on: low\n")
    other = write_config(tmp_path, "fail_on: critical\n", "audit.yaml")

    assert find_config(other, tmp_path).fail_on is Severity.CRITICAL
    with pytest.raises(ConfigError, match="does not exist"):
        find_config(tmp_path / "missing.yaml", tmp_path)
    toml = write_config(tmp_path, "[tool.other]\nx = 1\n", "other.toml")
    with pytest.raises(ConfigError, match=r"no \[tool.leakguard\] table"):
        find_config(toml, tmp_path)


# --- what the keys do --------------------------------------------------------------------------


def test_disable_categories_and_enable(tmp_path: Path) -> None:
    only_pii = load_config(write_config(tmp_path, "rules:\n  categories: [pii]\n"))
    assert all(rule.category is Category.PII for rule in only_pii.rules())

    enabled = load_config(
        write_config(tmp_path, "rules:\n  categories: [pii]\n  enable: [github-pat]\n")
    )
    assert "github-pat" in {rule.id for rule in enabled.rules()}

    disabled = load_config(write_config(tmp_path, "rules:\n  disable: [github-pat]\n"))
    assert "github-pat" not in {rule.id for rule in disabled.rules()}


def test_custom_rule_is_checked_listed_and_found(repo: GitRepo) -> None:
    key = "acme_" + expand("${rand:alnum:32}", "acme")
    repo.commit("acme", **{"settings.py": f'ACME = "{key}"\n'})
    repo.write(
        ".leakguard.yaml",
        "rules:\n"
        "  severity:\n"
        "    acme-api-key: medium\n"
        "  custom:\n"
        "    - id: acme-api-key\n"
        "      description: ACME API key\n"
        "      provider: ACME\n"
        "      severity: high\n"
        "      keywords: [acme_]\n"
        "      regex: '\\b(?P<secret>acme_[A-Za-z0-9]{32})\\b'\n"
        "      entropy: 3.0\n",
    )

    listed = leakguard("rules", "--format", "json", cwd=repo.path)
    scanned = leakguard("git", str(repo.path), "--format", "json")

    rule = next(item for item in listed.json() if item["id"] == "acme-api-key")
    assert rule["severity"] == "medium"
    assert scanned.code == 1
    (finding,) = scanned.json()["findings"]
    assert (finding["rule_id"], finding["severity"]) == ("acme-api-key", "medium")
    assert key not in scanned.stdout


def test_replace_runs_only_custom_rules_and_a_custom_rule_can_replace_a_builtin(
    tmp_path: Path,
) -> None:
    custom = (
        "  custom:\n"
        "    - id: github-pat\n"
        "      description: our own GitHub rule\n"
        "      regex: '(?P<secret>ghp_[A-Za-z0-9]{36})'\n"
    )
    replaced = load_config(write_config(tmp_path, "rules:\n  builtin: replace\n" + custom))
    assert [rule.id for rule in replaced.rules()] == ["github-pat"]

    extended = load_config(write_config(tmp_path, "rules:\n" + custom))
    rules = extended.rules().by_id()
    assert rules["github-pat"].description == "our own GitHub rule"
    assert len(rules) == len(Config().rules())


def test_fail_on_decides_the_exit_code_and_the_option_wins(repo: GitRepo) -> None:
    repo.commit("leak", **{"app.py": f'token = "{fake_github_token("fail-on")}"\n'})
    repo.write(".leakguard.yaml", "fail_on: high\nrules:\n  severity: {github-pat: low}\n")

    below = leakguard("git", str(repo.path), "--format", "json")
    option = leakguard("git", str(repo.path), "--fail-on", "low")

    assert below.code == 0
    assert len(below.json()["findings"]) == 1  # still reported
    assert "below fail_on high" in below.stderr
    assert option.code == 1


def test_pii_keys_reach_the_detection_settings(tmp_path: Path) -> None:
    config = load_config(
        write_config(
            tmp_path,
            "pii:\n"
            "  organisation_domains: [Amsterdam.NL]\n"
            "  organisation_phone_numbers: ['14 020']\n"
            "  organisation_addresses: ['Amstel 1, Amsterdam']\n"
            "  organisation_ibans: ['nl00 bank 0000 0000 00']\n"
            "  role_mailboxes: [Team-Data]\n"
            "  test_identifiers: ['000000012']\n"
            "  report_test_identifiers: true\n",
        )
    )

    settings = config.detection_settings(ner_model="nl_core_news_sm")

    assert settings.organisation_domains == ("amsterdam.nl",)
    assert settings.organisation_phone_numbers == ("14 020",)
    assert settings.organisation_addresses == ("Amstel 1, Amsterdam",)
    assert settings.organisation_ibans == ("NL00BANK0000000000",)
    assert settings.role_mailboxes == ("team-data",)
    assert settings.test_identifiers == ("000000012",)
    assert settings.report_test_identifiers is True
    assert settings.ner_model == "nl_core_news_sm"


def test_relative_baseline_path_is_relative_to_the_config_file(tmp_path: Path) -> None:
    nested = tmp_path / "ci"
    nested.mkdir()
    config = load_config(write_config(nested, "baseline: ../known.json\n", "leakguard.yaml"))

    assert config.baseline == nested / "../known.json"


# --- init --------------------------------------------------------------------------------------


def test_init_writes_a_starter_that_loads_and_prints_the_hook(tmp_path: Path) -> None:
    result = leakguard("init", str(tmp_path))
    again = leakguard("init", str(tmp_path))

    assert result.code == 0
    assert "id: leakguard" in result.stdout
    assert "pre-commit install" in result.stdout
    config = load_config(tmp_path / ".leakguard.yaml")
    assert config.allowlists  # the starter's lock-file allowlist
    assert again.code == 2
    assert "--force" in again.stderr
    assert leakguard("init", str(tmp_path), "--force").code == 0


def test_the_readme_example_loads(tmp_path: Path) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("A full example, with every key:\n\n```yaml\n", 1)[1].split("```", 1)[0]
    toml = readme.split("The same keys work in `pyproject.toml`:\n\n```toml\n", 1)[1]
    toml = toml.split("```", 1)[0]

    config = load_config(write_config(tmp_path, example))
    from_toml = load_config(write_config(tmp_path, toml, "pyproject.toml"))

    assert {rule.id for rule in config.rules()} >= {"acme-api-key", "github-pat"}
    assert config.fail_on is Severity.MEDIUM
    assert len(config.allowlists[0].paths) == 3
    assert from_toml.allowlists[0].paths == ("tests/fixtures/",)
