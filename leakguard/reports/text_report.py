"""The report for people: one block per finding, then a summary line."""

from __future__ import annotations

from collections import Counter

from leakguard.models import Finding, ScanIssue
from leakguard.reports import Report
from leakguard.reports.escaping import printable


def render(report: Report) -> str:
    outcome = report.outcome
    lines: list[str] = []
    for finding in outcome.findings:
        lines.extend(finding_lines(finding))
        lines.append("")
    shown_issues = [i for i in outcome.stats.issues if i.incomplete or report.verbose]
    for issue in shown_issues:
        lines.append(issue_line(issue))
    if shown_issues:
        lines.append("")
    if report.verbose:
        for path, rejection in outcome.rejections:
            lines.append(
                f"  not reported: {rejection.rule_id} at {printable(path)}:{rejection.line}:"
                f"{rejection.column} ({rejection.reason})"
            )
        for dropped in outcome.dropped:
            lines.append(
                f"  allowed: {dropped.rule_id} at {printable(dropped.path)}:{dropped.line} "
                f"({dropped.reason})"
            )
        if outcome.rejections or outcome.dropped:
            lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def finding_lines(finding: Finding) -> list[str]:
    location = finding.location
    where = f"{printable(location.path)}:{location.line}:{location.column}"
    lines = [
        f"{str(finding.severity).upper():<8} {finding.rule_id}  {printable(finding.description)}",
        f"         at {where}",
    ]
    commit = location.commit
    if commit is not None:
        author = printable(commit.author_name)
        lines.append(f"         commit {commit.sha[:12]} ({commit.date[:10]}, {author})")
    shown = printable(finding.value) if finding.value is not None else finding.redacted
    lines.append(f"         value {shown}   fingerprint {printable(finding.fingerprint)}")
    if finding.reasons:
        lines.append(f"         why   {', '.join(finding.reasons)}")
    return lines


def issue_line(issue: ScanIssue) -> str:
    label = "NOT SCANNED" if issue.incomplete else "skipped"
    where = printable(issue.path)
    if issue.commit:
        where += f" (commit {issue.commit[:12]})"
    return f"{label}: {where}: {printable(issue.detail)}"


def summary_line(report: Report) -> str:
    outcome = report.outcome
    stats = outcome.stats
    count = len(outcome.findings)
    severities = Counter(str(f.severity) for f in outcome.findings)
    detail = ", ".join(f"{n} {s}" for s, n in sorted(severities.items()))
    scanned = f"{stats.fragments} files/blobs, {stats.bytes / 1e6:.1f} MB"
    if stats.commits:
        scanned = f"{stats.commits} commits, " + scanned
    result = f"{count} finding{'s' if count != 1 else ''}" + (f" ({detail})" if detail else "")
    incomplete = sum(1 for i in stats.issues if i.incomplete)
    tail = f"; {incomplete} item(s) NOT SCANNED" if incomplete else ""
    return (
        f"leakguard: {result} in {printable(outcome.source)}: {scanned} "
        f"in {outcome.elapsed:.2f}s{tail}"
    )
