"""SARIF 2.1.0 for GitHub code scanning (README: Report formats).

One run; `tool.driver.rules` holds the metadata of every rule with a result, and each result
points at its rule by `ruleId` (the rule's id, stable across versions) and `ruleIndex`.
`partialFingerprints` carries leakguard's content-based fingerprint, so GitHub matches an alert
across line moves and rebases; commit and author are under `properties`. No found value is
written, not even with `--show-values`: a result's message holds the redacted form only, and
there is no `snippet`.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from typing import Any
from urllib.parse import quote

from leakguard.models import Category, Finding, ScanIssue, Severity
from leakguard.reports import Report

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/Amsterdam/leakguard"
FINGERPRINT_KEY = "leakguard/v1"
SOURCE_ROOT = "%SRCROOT%"

# GitHub code scanning's limits on an upload.
UPLOAD_LIMIT_GZIPPED = 10 * 1024 * 1024
RESULTS_LIMIT = 25_000
RESULTS_SHOWN = 5_000

LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub's bands: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}
HELP = {
    Category.SECRET: (
        "A credential in a repository is compromised once pushed: revoke or rotate it first, "
        "then remove it from the history. If it is not a real credential, mark the line with "
        "`leakguard:allow`."
    ),
    Category.PII: (
        "Personal data does not belong in a public repository: remove it from the files and "
        "the history, and replace it with generated test data. If it is not personal data, "
        "mark the line with `leakguard:allow`."
    ),
}


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"


def document(report: Report) -> dict[str, Any]:
    outcome = report.outcome
    rules: dict[str, int] = {}
    descriptors: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for finding in outcome.findings:
        if finding.rule_id not in rules:
            rules[finding.rule_id] = len(descriptors)
            descriptors.append(rule_descriptor(finding))
        results.append(result_object(finding, rules[finding.rule_id]))
    stats = outcome.stats
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "leakguard",
                        "version": report.tool_version,
                        "semanticVersion": report.tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": outcome.complete,
                        "startTimeUtc": _utc(outcome.started_at),
                        "endTimeUtc": _utc(outcome.finished_at),
                        "toolExecutionNotifications": [
                            notification(issue) for issue in stats.issues if issue.incomplete
                        ],
                    }
                ],
                "results": results,
                "properties": {
                    "kind": report.kind,
                    "source": outcome.source,
                    "complete": outcome.complete,
                    "scanned": {
                        "fragments": stats.fragments,
                        "bytes": stats.bytes,
                        "lines": stats.lines,
                        "commits": stats.commits,
                    },
                    "skipped": dict(Counter(str(issue.kind) for issue in stats.issues)),
                },
            }
        ],
    }


def rule_descriptor(finding: Finding) -> dict[str, Any]:
    tags = ["security", str(finding.category)]
    if finding.entity:
        tags.append(finding.entity)
    return {
        "id": finding.rule_id,
        "name": finding.rule_id,
        "shortDescription": {"text": finding.description},
        "fullDescription": {"text": f"{finding.description} ({_category_text(finding)})"},
        "help": {"text": HELP[finding.category], "markdown": HELP[finding.category]},
        "defaultConfiguration": {"level": LEVEL[finding.severity]},
        "properties": {
            "tags": tags,
            "precision": "high",
            "problem.severity": "error" if finding.severity >= Severity.HIGH else "warning",
            "security-severity": SECURITY_SEVERITY[finding.severity],
            "category": str(finding.category),
            "severity": str(finding.severity),
        },
    }


def result_object(finding: Finding, rule_index: int) -> dict[str, Any]:
    location = finding.location
    commit = location.commit
    where = f"{location.path}:{location.line}"
    properties: dict[str, Any] = {
        "severity": str(finding.severity),
        "category": str(finding.category),
        "redacted": finding.redacted,
        "length": finding.value_length,
        "fingerprint": finding.fingerprint,
        "reasons": list(finding.reasons),
        "origin": str(location.origin),
    }
    if finding.entity:
        properties["entity"] = finding.entity
    if commit is not None:
        properties.update(
            commit=commit.sha,
            author=commit.author_name,
            authorEmail=commit.author_email,
            date=commit.date,
        )
    introduced = f" (introduced in commit {commit.sha[:12]})" if commit else ""
    return {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": LEVEL[finding.severity],
        "message": {
            "text": f"{finding.description}: {finding.redacted} at {where}{introduced}",
        },
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(location.path),
                    "region": {
                        "startLine": location.line,
                        "startColumn": location.column,
                        "endLine": location.end_line,
                        "endColumn": location.end_column,
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }


def artifact_location(path: str) -> dict[str, str]:
    """A relative path is relative to the checkout (`%SRCROOT%`); others become file URIs."""
    if path.startswith("/"):
        return {"uri": "file://" + quote(path)}
    return {"uri": quote(path), "uriBaseId": SOURCE_ROOT}


def notification(issue: ScanIssue) -> dict[str, Any]:
    commit = f" (commit {issue.commit[:12]})" if issue.commit else ""
    return {
        "level": "error",
        "message": {"text": f"not scanned: {issue.path}{commit}: {issue.detail}"},
        "descriptor": {"id": str(issue.kind)},
    }


def notes(report: Report, text: str) -> list[str]:
    """What would make GitHub reject or cut this report, said before an upload step fails."""
    warnings = []
    size = len(gzip.compress(text.encode("utf-8")))
    if size > UPLOAD_LIMIT_GZIPPED:
        warnings.append(
            f"this SARIF report is {size / 1048576:.1f} MB gzipped; GitHub code scanning "
            f"rejects uploads over {UPLOAD_LIMIT_GZIPPED // 1048576} MB gzipped. Scan a range "
            "(`leakguard ci`, --range) instead of the whole history, or fix the findings first."
        )
    count = len(report.outcome.findings)
    if count > RESULTS_LIMIT:
        warnings.append(
            f"this SARIF report has {count} results; GitHub code scanning rejects a run with "
            f"more than {RESULTS_LIMIT}."
        )
    elif count > RESULTS_SHOWN:
        warnings.append(
            f"this SARIF report has {count} results; GitHub code scanning shows only the "
            f"{RESULTS_SHOWN} most severe."
        )
    return warnings


def _category_text(finding: Finding) -> str:
    if finding.category is Category.PII:
        return f"personal data: {finding.entity}" if finding.entity else "personal data"
    return "secret"


def _utc(moment: Any) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
