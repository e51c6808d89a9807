"""The CI report formats: SARIF (validated against the OASIS schema), GitLab's secret-detection
report (its 15.x required fields and types), JUnit, CSV and Markdown, and --exit-zero."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from leakguard.models import Category, Commit, Finding, Location, Origin, ScanStats, Severity
from leakguard.pipeline import ScanOutcome
from leakguard.reports import CI_FORMATS, FORMATS, Report, render, sarif_report
from leakguard.reports import gitlab_report as gitlab

from conftest import GitRepo, fake_github_token, leakguard

DATA = Path(__file__).parent / "data"
SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

# GitLab's secret-detection report, schema family 15.x: the fields GitLab requires, with their
# types and patterns (from the published schema, written out here as the contract we keep).
GITLAB_15 = {
    "type": "object",
    "required": ["version", "scan", "vulnerabilities"],
    "properties": {
        "version": {"type": "string", "pattern": r"^15\.[0-9]+\.[0-9]+$"},
        "schema": {"type": "string", "pattern": "^https?://.+"},
        "scan": {
            "type": "object",
            "required": ["analyzer", "scanner", "start_time", "end_time", "status", "type"],
            "properties": {
                "analyzer": {"$ref": "#/definitions/tool"},
                "scanner": {"$ref": "#/definitions/tool"},
                "start_time": {
                    "type": "string",
                    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$",
                },
                "end_time": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$"},
                "status": {"enum": ["success", "failure"]},
                "type": {"const": "secret_detection"},
                "messages": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["level", "value"],
                        "properties": {
                            "level": {"enum": ["info", "warn", "fatal"]},
                            "value": {"type": "string", "minLength": 1},
                        },
                    },
                },
            },
        },
        "vulnerabilities": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "identifiers", "location", "severity"],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "name": {"type": "string", "maxLength": 255},
                    "severity": {"enum": ["Info", "Unknown", "Low", "Medium", "High", "Critical"]},
                    "identifiers": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["type", "name", "value"],
                            "properties": {
                                "type": {"type": "string", "minLength": 1},
                                "name": {"type": "string", "minLength": 1},
                                "value": {"type": "string", "minLength": 1},
                            },
                        },
                    },
                    "location": {
                        "type": "object",
                        "required": ["file", "start_line", "commit"],
                        "properties": {
                            "file": {"type": "string"},
                            "start_line": {"type": "number"},
                            "end_line": {"type": "number"},
                            "commit": {
                                "type": "object",
                                "required": ["sha"],
                                "properties": {"sha": {"type": "string", "minLength": 1}},
                            },
                        },
                    },
                },
            },
        },
    },
    "definitions": {
        "tool": {
            "type": "object",
            "required": ["id", "name", "version", "vendor"],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "name": {"type": "string", "minLength": 1},
                "version": {"type": "string", "minLength": 1},
                "vendor": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string", "minLength": 1}},
                },
            },
        }
    },
}


@pytest.fixture
def leaky(repo: GitRepo) -> tuple[GitRepo, str, str]:
    """Two commits, each adding a token; returns the repository, the second token and commit."""
    repo.commit("config", **{"config.py": f'TOKEN = "{fake_github_token("one")}"\n'})
    token = fake_github_token("two")
    sha = repo.commit("deploy", **{"deploy/run.sh": f"export GH_TOKEN={token}\n"})
    return repo, token, sha


def run_format(repo: GitRepo, format_name: str, tmp_path: Path, *args: str) -> tuple[int, str]:
    output = tmp_path / f"report.{format_name}"
    result = leakguard("git", str(repo.path), "--format", format_name, "-o", str(output), *args)
    assert result.code in (0, 1), result.stderr
    return result.code, output.read_text(encoding="utf-8")


def test_format_choices_are_the_report_formats() -> None:
    result = leakguard("git", "--help")

    for name in FORMATS:
        assert name in result.stdout


def test_sarif_validates_against_the_schema(leaky: tuple[GitRepo, str, str], tmp_path: Path):
    repo, token, sha = leaky

    code, text = run_format(repo, "sarif", tmp_path)

    assert code == 1
    document = json.loads(text)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["github-pat"]
    assert rules[0]["shortDescription"]["text"]
    assert rules[0]["properties"]["security-severity"] == "8.0"
    results = run["results"]
    assert len(results) == 2
    for result in results:
        assert result["ruleId"] == "github-pat"
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["partialFingerprints"]["leakguard/v1"].startswith("github-pat:")
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"]
    second = results[1]
    assert second["properties"]["commit"] == sha
    assert second["properties"]["author"] == "Test Author"
    assert second["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "deploy/run.sh"
    assert second["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert token not in text
    assert token[4:20] not in text
    assert "snippet" not in text


def test_sarif_fingerprints_are_stable_across_line_moves(repo: GitRepo, tmp_path: Path):
    token = fake_github_token("moves")
    repo.commit("one", **{"a.py": f'T = "{token}"\n'})
    first = json.loads(run_format(repo, "sarif", tmp_path)[1])
    other = GitRepo(tmp_path / "other", tmp_path / "home2")
    other.commit("two", **{"a.py": f'# a header line\n\nT = "{token}"\n'})
    second = json.loads(run_format(other, "sarif", tmp_path)[1])

    fingerprints = [doc["runs"][0]["results"][0]["partialFingerprints"] for doc in (first, second)]
    assert fingerprints[0] == fingerprints[1]


def test_sarif_of_files_and_stdin_scans_is_valid(tmp_path: Path) -> None:
    target = tmp_path / "dir with space" / "é.env"
    target.parent.mkdir()
    target.write_text(f"T={fake_github_token('files')}\n")

    files = leakguard("files", str(target.parent), "--format", "sarif")
    piped = leakguard("stdin", "--format", "sarif", stdin=f"T={fake_github_token('in')}\n".encode())

    for result in (files, piped):
        assert result.code == 1, result.stderr
        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads(result.stdout))
    uri = json.loads(files.stdout)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert uri["artifactLocation"]["uri"].startswith("file:///")
    assert "%20" in uri["artifactLocation"]["uri"]


def test_sarif_says_when_github_would_reject_it(
    leaky: tuple[GitRepo, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    report = Report(outcome=outcome_of([finding("github-pat", Category.SECRET)]), kind="git")
    text = render("sarif", report)
    assert sarif_report.notes(report, text) == []

    monkeypatch.setattr(sarif_report, "UPLOAD_LIMIT_GZIPPED", 100)
    monkeypatch.setattr(sarif_report, "RESULTS_SHOWN", 0)

    notes = sarif_report.notes(report, text)
    assert any("gzipped" in note and "rejects" in note for note in notes)
    assert any("shows only" in note for note in notes)


def test_gitlab_report_has_the_required_fields(leaky: tuple[GitRepo, str, str], tmp_path: Path):
    repo, token, sha = leaky

    code, text = run_format(repo, "gitlab", tmp_path)

    assert code == 1
    document = json.loads(text)
    jsonschema.Draft7Validator(GITLAB_15).validate(document)
    assert document["scan"]["status"] == "success"
    vulnerabilities = document["vulnerabilities"]
    assert len(vulnerabilities) == 2
    assert vulnerabilities[1]["location"]["commit"]["sha"] == sha
    assert vulnerabilities[1]["location"]["file"] == "deploy/run.sh"
    assert vulnerabilities[1]["identifiers"][0]["value"] == "github-pat"
    assert len({v["id"] for v in vulnerabilities}) == 2
    assert token not in text
    assert token[4:20] not in text
    again = json.loads(run_format(repo, "gitlab", tmp_path)[1])
    assert [v["id"] for v in again["vulnerabilities"]] == [v["id"] for v in vulnerabilities]


def test_gitlab_report_of_a_staged_scan_says_there_is_no_commit(repo: GitRepo, tmp_path: Path):
    repo.commit("base", README="x\n")
    repo.write("settings.py", f'T = "{fake_github_token("staged")}"\n')
    repo.git("add", "settings.py")

    result = leakguard("staged", str(repo.path), "--format", "gitlab")

    assert result.code == 1, result.stderr
    document = result.json()
    jsonschema.Draft7Validator(GITLAB_15).validate(document)
    commit = document["vulnerabilities"][0]["location"]["commit"]
    assert commit["sha"] == "0" * 40
    assert "staged" in commit["message"]


def test_gitlab_report_names_personal_data() -> None:
    pii = finding("bsn", Category.PII, entity="BSN", redacted="*******82")
    report = Report(outcome=outcome_of([pii]), kind="files")

    document = json.loads(render("gitlab", report))

    jsonschema.Draft7Validator(GITLAB_15).validate(document)
    identifiers = document["vulnerabilities"][0]["identifiers"]
    assert identifiers[0] == {
        "type": "leakguard_rule_id",
        "name": "leakguard rule bsn",
        "value": "bsn",
    }
    assert identifiers[1]["type"] == "leakguard_personal_data"
    assert identifiers[1]["value"] == "BSN"
    assert "personal data" in document["vulnerabilities"][0]["description"]


def test_an_incomplete_scan_is_a_failed_gitlab_scan(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("big", **{"big.txt": "x" * 5000 + "\n"})
    output = tmp_path / "gl.json"

    result = leakguard(
        "git", str(repo.path), "--max-file-size", "1K", "--format", "gitlab", "-o", str(output)
    )

    assert result.code == 2
    document = json.loads(output.read_text())
    assert document["scan"]["status"] == "failure"
    assert "big.txt" in document["scan"]["messages"][0]["value"]


def test_exit_zero_reports_findings_and_exits_0(leaky: tuple[GitRepo, str, str], tmp_path: Path):
    repo, _, _ = leaky
    output = tmp_path / "gl-secret-detection-report.json"

    result = leakguard(
        "git", str(repo.path), "--format", "gitlab", "-o", str(output), "--exit-zero"
    )

    assert result.code == 0, result.stderr
    assert len(json.loads(output.read_text())["vulnerabilities"]) == 2
    assert "--exit-zero" in result.stderr


def test_exit_zero_never_hides_a_scan_error(repo: GitRepo) -> None:
    repo.commit("big", **{"big.txt": "x" * 5000 + "\n"})

    assert leakguard("git", str(repo.path), "--max-file-size", "1K", "--exit-zero").code == 2
    assert leakguard("git", str(repo.path / "missing"), "--exit-zero").code == 2


def test_junit_has_one_failed_case_per_finding(leaky: tuple[GitRepo, str, str], tmp_path: Path):
    repo, token, _ = leaky

    _, text = run_format(repo, "junit", tmp_path)

    root = ET.fromstring(text.encode())
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 2
    assert all(case.find("failure") is not None for case in cases)
    assert cases[1].get("file") == "deploy/run.sh"
    assert "github-pat" in cases[1].get("name", "")
    assert root.get("failures") == "2"
    assert token not in text
    assert token[4:20] not in text


def test_junit_of_a_clean_scan_has_one_passing_case(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("clean", README="hello\n")

    code, text = run_format(repo, "junit", tmp_path)

    assert code == 0
    cases = ET.fromstring(text.encode()).findall("./testsuite/testcase")
    assert len(cases) == 1
    assert list(cases[0]) == []


def test_csv_rows_and_formula_cells(repo: GitRepo, tmp_path: Path) -> None:
    token = fake_github_token("csv")
    repo.commit("odd name", **{"=cmd.py": f'T = "{token}"\n'})

    _, text = run_format(repo, "csv", tmp_path)
    shown = leakguard("git", str(repo.path), "--format", "csv", "--show-values").stdout

    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    assert rows[0]["path"] == "'=cmd.py"
    assert rows[0]["rule_id"] == "github-pat"
    assert rows[0]["value"] == ""
    assert token not in text
    assert next(csv.DictReader(io.StringIO(shown)))["value"] == token


def test_markdown_summary_escapes_repository_text(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("hostile", **{"a|b<script>@team.py": f'T = "{fake_github_token("md")}"\n'})

    _, text = run_format(repo, "markdown", tmp_path)

    assert text.startswith("## leakguard: 1 finding")
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(table) == 2  # the header and one finding
    assert table[1].count(" | ") == 4  # the path's pipe did not add a column
    assert "<script>" not in text
    assert "@team" not in text


@pytest.mark.parametrize("format_name", sorted(CI_FORMATS))
def test_ci_formats_never_show_values(
    leaky: tuple[GitRepo, str, str], tmp_path: Path, format_name: str
) -> None:
    repo, token, _ = leaky

    result = leakguard("git", str(repo.path), "--format", format_name, "--show-values")

    assert result.code == 1
    assert token not in result.stdout
    assert token[4:20] not in result.stdout
    assert "never holds found values" in result.stderr


def finding(
    rule_id: str, category: Category, *, entity: str | None = None, redacted: str = "abcd…(40)"
) -> Finding:
    commit = Commit("a" * 40, "Jane", "jane@example.invalid", "2024-01-01T00:00:00+00:00")
    return Finding(
        rule_id=rule_id,
        category=category,
        severity=Severity.HIGH,
        description=f"a {rule_id}",
        location=Location("data.csv", 3, 3, 5, 14, None if entity else commit, Origin.FILE),
        redacted=redacted,
        fingerprint=f"{rule_id}:data.csv:0123456789abcdef0123",
        value_length=9,
        entity=entity,
    )


def outcome_of(findings: list[Finding]) -> ScanOutcome:
    moment = datetime(2024, 1, 1, tzinfo=UTC)
    return ScanOutcome(
        source="files data.csv",
        findings=findings,
        stats=ScanStats(fragments=1, bytes=10, lines=3),
        engine="python",
        elapsed=0.01,
        started_at=moment,
        finished_at=moment,
    )


def test_gitlab_schema_version_is_of_the_15_family() -> None:
    assert gitlab.SCHEMA_VERSION.startswith("15.")
    assert gitlab.SCHEMA_VERSION in gitlab.SCHEMA_URI
