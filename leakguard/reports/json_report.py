"""The JSON report: `{"version", "tool", "scan", "findings", "summary"}` (README: JSON report)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from leakguard.models import Finding, ScanIssue
from leakguard.reports import Report

SCHEMA_VERSION = "1.0"


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"


def document(report: Report) -> dict[str, Any]:
    outcome = report.outcome
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "leakguard", "version": report.tool_version},
        "scan": {
            "kind": report.kind,
            "source": outcome.source,
            "engine": outcome.engine,
            "complete": outcome.complete,
            "duration_seconds": round(outcome.elapsed, 3),
        },
        "findings": [finding_object(finding) for finding in outcome.findings],
        "summary": summary_object(report),
    }


def finding_object(finding: Finding) -> dict[str, Any]:
    location = finding.location
    commit = location.commit
    value: dict[str, Any] = {"redacted": finding.redacted, "length": finding.value_length}
    if finding.value is not None:
        value["plain"] = finding.value
    return {
        "rule_id": finding.rule_id,
        "category": str(finding.category),
        "severity": str(finding.severity),
        "description": finding.description,
        "entity": finding.entity,
        "location": {
            "path": location.path,
            "line": location.line,
            "end_line": location.end_line,
            "column": location.column,
            "end_column": location.end_column,
            "commit": commit.sha if commit else None,
            "author": commit.author_name if commit else None,
            "email": commit.author_email if commit else None,
            "date": commit.date if commit else None,
            "origin": str(location.origin),
        },
        "value": value,
        "fingerprint": finding.fingerprint,
        "reasons": list(finding.reasons),
    }


def summary_object(report: Report) -> dict[str, Any]:
    outcome = report.outcome
    stats = outcome.stats
    findings = outcome.findings
    return {
        "findings": len(findings),
        "by_severity": dict(Counter(str(f.severity) for f in findings)),
        "by_category": dict(Counter(str(f.category) for f in findings)),
        "by_rule": dict(Counter(f.rule_id for f in findings)),
        "scanned": {
            "fragments": stats.fragments,
            "bytes": stats.bytes,
            "lines": stats.lines,
            "commits": stats.commits,
        },
        "skipped": dict(Counter(str(issue.kind) for issue in stats.issues)),
        "issues": [issue_object(issue) for issue in stats.issues],
        "complete": outcome.complete,
    }


def issue_object(issue: ScanIssue) -> dict[str, Any]:
    return {
        "kind": str(issue.kind),
        "path": issue.path,
        "detail": issue.detail,
        "commit": issue.commit,
        "incomplete": issue.incomplete,
    }
