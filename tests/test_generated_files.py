"""Files that tools write (lock files, snapshots, minified bundles) skip personal-data rules.

They are most of the bytes of a frontend's history and no person writes personal data into
them; credentials are still looked for there, since a lock file can carry a registry token.
"""

from __future__ import annotations

from pathlib import Path

from leakguard.rule_examples import expand
from leakguard.ruleset import load_builtin_rules

from conftest import fake_github_token, leakguard


def personal_record() -> str:
    bsn_rule = next(rule for rule in load_builtin_rules() if rule.id == "pii-nl-bsn")
    return expand(bsn_rule.examples[0], "generated-files")


def rules_found(directory: Path, *extra: str) -> dict[str, set[str]]:
    result = leakguard("files", str(directory), "--format", "json", *extra)
    assert result.code in (0, 1), result.stderr
    found: dict[str, set[str]] = {}
    for finding in result.json()["findings"]:
        name = Path(finding["location"]["path"]).name
        found.setdefault(name, set()).add(finding["category"])
    return found


def test_lock_files_and_snapshots_are_scanned_for_secrets_only(tmp_path: Path) -> None:
    content = f"{personal_record()}\nregistry token {fake_github_token('lock')}\n"
    for name in ("package-lock.json", "yarn.lock", "App.test.js.snap", "people.csv"):
        (tmp_path / name).write_text(content)

    found = rules_found(tmp_path)

    assert found["people.csv"] == {"secret", "pii"}
    assert found["package-lock.json"] == {"secret"}
    assert found["yarn.lock"] == {"secret"}
    assert found["App.test.js.snap"] == {"secret"}


def test_the_list_is_configurable(tmp_path: Path) -> None:
    (tmp_path / "package-lock.json").write_text(personal_record() + "\n")
    (tmp_path / "export.csv").write_text(personal_record() + "\n")
    config = tmp_path / "leakguard.yaml"
    config.write_text("pii:\n  skip_paths: ['*.csv']\n")

    found = rules_found(tmp_path, "--config", str(config))

    assert found == {"package-lock.json": {"pii"}}


def test_a_negated_glob_is_a_configuration_error(tmp_path: Path) -> None:
    config = tmp_path / "leakguard.yaml"
    config.write_text("pii:\n  skip_paths: ['!keep.lock']\n")

    result = leakguard("files", str(tmp_path), "--config", str(config))

    assert result.code == 2
    assert "pii.skip_paths[0]" in result.stderr


def test_a_skipped_directory_skips_the_files_inside_it(tmp_path: Path) -> None:
    # gitignore semantics, as everywhere a glob is configured: `fixtures/` and `fixtures` both
    # name the directory, and so every file below it.
    for directory in ("fixtures", "seed", "kept"):
        (tmp_path / directory / "nested").mkdir(parents=True)
        (tmp_path / directory / "nested" / f"{directory}.csv").write_text(personal_record() + "\n")
    config = tmp_path / "leakguard.yaml"
    config.write_text("pii:\n  skip_paths: ['fixtures/', 'seed']\n")

    found = rules_found(tmp_path, "--config", str(config))

    assert found == {"kept.csv": {"pii"}}
