"""`gl-secret-detection-report.json` for GitLab's `artifacts:reports:secret_detection`.

Security report schema family 15.x (declared as 15.0.7, which every GitLab release since 16.0
ingests): `version`, `scan` (analyzer and scanner with id, name, version and vendor, start and
end time as `yyyy-mm-ddThh:mm:ss` UTC, status, `type: secret_detection`) and `vulnerabilities`,
each with an `id`, `identifiers`, `severity` and a `location` with `file`, lines and
`commit.sha`. Personal-data findings are reported too, with identifiers that say so.

A finding without a commit (a `staged`, `files` or `stdin` scan) gets the all-zero SHA, git's
own "no commit", and a `commit.message` that says where the value was found instead.

No found value is written, not even with `--show-values`: there is no `raw_source_code_extract`.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from leakguard.models import Category, Finding, Severity
from leakguard.reports import Report

SCHEMA_VERSION = "15.0.7"
SCHEMA_URI = (
    "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/"
    f"v{SCHEMA_VERSION}/dist/secret-detection-report-format.json"
)
NO_COMMIT = "0" * 40
TOOL = {
    "id": "leakguard",
    "name": "leakguard",
    "url": "https://github.com/Amsterdam/leakguard",
    "vendor": {"name": "leakguard"},
}
SEVERITY = {
    Severity.CRITICAL: "Critical",
    Severity.HIGH: "High",
    Severity.MEDIUM: "Medium",
    Severity.LOW: "Low",
    Severity.INFO: "Info",
}
# Stable ids: the same finding in the next pipeline has the same id (a UUID from its
# fingerprint, which holds a keyed hash of the value, never the value).
ID_NAMESPACE = uuid.UUID("6f3f1b52-1f0e-4c55-9a57-3d6c2b0e8a41")
NOT_COMMITTED = {
    "staged": "not committed yet: found in the staged changes",
    "files": "not from git history: found in a file on disk",
    "stdin": "not from git history: found in standard input",
}
SOLUTION = {
    Category.SECRET: "Revoke or rotate the credential, then remove it from the git history.",
    Category.PII: (
        "Remove the personal data from the files and the git history; use generated test "
        "data instead."
    ),
}


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"


def document(report: Report) -> dict[str, Any]:
    outcome = report.outcome
    tool = {**TOOL, "version": report.tool_version}
    messages = [
        {"level": "warn", "value": f"not scanned: {issue.path}: {issue.detail}"}
        for issue in outcome.stats.issues
        if issue.incomplete
    ]
    return {
        "version": SCHEMA_VERSION,
        "schema": SCHEMA_URI,
        "scan": {
            "analyzer": tool,
            "scanner": tool,
            "type": "secret_detection",
            "start_time": _time(outcome.started_at),
            "end_time": _time(outcome.finished_at),
            "status": "success" if outcome.complete else "failure",
            "messages": messages,
        },
        "vulnerabilities": [vulnerability(finding, report.kind) for finding in outcome.findings],
    }


def vulnerability(finding: Finding, kind: str) -> dict[str, Any]:
    location = finding.location
    commit = location.commit
    if commit is not None:
        commit_object = {
            "sha": commit.sha,
            "author": commit.author_name,
            "date": commit.date,
        }
    else:
        commit_object = {"sha": NO_COMMIT, "message": NOT_COMMITTED.get(kind, "no commit")}
    kind_text = "personal data" if finding.category is Category.PII else "secret"
    if finding.entity:
        kind_text += f" ({finding.entity})"
    return {
        "id": str(uuid.uuid5(ID_NAMESPACE, finding.fingerprint)),
        "category": "secret_detection",
        "name": finding.description,
        "description": (
            f"{finding.description} ({kind_text}, shown redacted: {finding.redacted}) at "
            f"{location.path}:{location.line}:{location.column}. "
            f"Fingerprint {finding.fingerprint}."
        ),
        "severity": SEVERITY[finding.severity],
        "solution": SOLUTION[finding.category],
        "identifiers": identifiers(finding),
        "location": {
            "file": location.path,
            "start_line": location.line,
            "end_line": location.end_line,
            "commit": commit_object,
        },
    }


def identifiers(finding: Finding) -> list[dict[str, str]]:
    """The rule first (the primary identifier); personal data also says what kind it is."""
    found = [
        {
            "type": "leakguard_rule_id",
            "name": f"leakguard rule {finding.rule_id}",
            "value": finding.rule_id,
        }
    ]
    if finding.category is Category.PII:
        entity = finding.entity or "personal data"
        found.append(
            {
                "type": "leakguard_personal_data",
                "name": f"Personal data: {entity}",
                "value": entity,
            }
        )
    return found


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")
