"""JUnit XML for CI test-report views (GitLab `artifacts:reports:junit`, Jenkins, Azure).

One test case per finding, failed, named by rule and place; one errored test case per item that
could not be scanned; a single passing test case when the scan found nothing, so that a clean
scan still shows up as a test that ran. No found value is written, not even with
`--show-values`: a failure shows the redacted form only.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from leakguard.models import Finding, ScanIssue
from leakguard.reports import Report
from leakguard.reports.escaping import printable


def render(report: Report) -> str:
    outcome = report.outcome
    incomplete = [issue for issue in outcome.stats.issues if issue.incomplete]
    suite = ET.Element(
        "testsuite",
        name=f"leakguard {report.kind}",
        tests=str(max(1, len(outcome.findings) + len(incomplete))),
        failures=str(len(outcome.findings)),
        errors=str(len(incomplete)),
        skipped="0",
        time=f"{outcome.elapsed:.3f}",
        timestamp=outcome.started_at.strftime("%Y-%m-%dT%H:%M:%S"),
    )
    for finding in outcome.findings:
        suite.append(finding_case(finding))
    for issue in incomplete:
        suite.append(issue_case(issue))
    if not outcome.findings and not incomplete:
        ET.SubElement(
            suite,
            "testcase",
            classname="leakguard",
            name=f"no secrets or personal data in {_text(outcome.source)}",
            time=f"{outcome.elapsed:.3f}",
        )
    suites = ET.Element(
        "testsuites",
        name="leakguard",
        tests=suite.get("tests", "0"),
        failures=suite.get("failures", "0"),
        errors=suite.get("errors", "0"),
        time=suite.get("time", "0"),
    )
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def finding_case(finding: Finding) -> ET.Element:
    location = finding.location
    where = f"{_text(location.path)}:{location.line}:{location.column}"
    case = ET.Element(
        "testcase",
        classname=_text(location.path),
        name=f"{finding.rule_id} at {where}",
        file=_text(location.path),
        line=str(location.line),
    )
    failure = ET.SubElement(
        case,
        "failure",
        type=finding.rule_id,
        message=f"{str(finding.severity).upper()} {finding.description}: {finding.redacted}",
    )
    lines = [
        f"{str(finding.severity).upper()} {finding.rule_id}: {_text(finding.description)}",
        f"at {where}",
    ]
    commit = location.commit
    if commit is not None:
        author = _text(commit.author_name)
        lines.append(f"commit {commit.sha} ({commit.date}, {author})")
    lines.append(f"value {finding.redacted} (redacted)")
    lines.append(f"fingerprint {_text(finding.fingerprint)}")
    failure.text = "\n".join(lines)
    return case


def issue_case(issue: ScanIssue) -> ET.Element:
    commit = f" (commit {issue.commit[:12]})" if issue.commit else ""
    case = ET.Element(
        "testcase", classname="leakguard.not-scanned", name=f"not scanned: {_text(issue.path)}"
    )
    error = ET.SubElement(case, "error", type=str(issue.kind), message=_text(issue.detail))
    error.text = f"{_text(issue.path)}{commit}: {_text(issue.detail)}"
    return case


def _text(text: str) -> str:
    """XML 1.0 has no way to write most control characters: they are shown as escapes."""
    return printable(text)
