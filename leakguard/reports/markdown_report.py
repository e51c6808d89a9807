"""A Markdown summary for `$GITHUB_STEP_SUMMARY` and merge-request comments.

A heading with the verdict, counts by severity, a table of findings (at most `MAX_ROWS`, the
most severe first) and what could not be scanned. Text from the repository is escaped so that a
file name cannot close the table, add a link or inject HTML. No found value is written, not even
with `--show-values`: the table shows the redacted form only.
"""

from __future__ import annotations

import re
from collections import Counter

from leakguard.models import Finding, Severity
from leakguard.reports import Report
from leakguard.reports.escaping import printable

# GitHub's step summary takes up to 1 MiB per step; a comment, less. 200 rows fit in both.
MAX_ROWS = 200
MAX_ISSUES = 50
SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~-])")


def render(report: Report) -> str:
    outcome = report.outcome
    findings = outcome.findings
    incomplete = [issue for issue in outcome.stats.issues if issue.incomplete]
    lines: list[str] = []
    if findings:
        count = len(findings)
        lines.append(f"## leakguard: {count} finding{'s' if count != 1 else ''}")
    elif incomplete:
        lines.append("## leakguard: the scan is incomplete")
    else:
        lines.append("## leakguard: nothing found")
    lines.append("")
    lines.append(f"Scanned {_escape(outcome.source)}: {_scanned(report)}.")
    lines.append("")
    if findings:
        severities = Counter(f.severity for f in findings)
        lines.append(
            " · ".join(f"**{severities[s]}** {s}" for s in sorted(severities, reverse=True))
        )
        lines.append("")
        lines.append("| Severity | Rule | Location | Commit | Value (redacted) |")
        lines.append("|---|---|---|---|---|")
        ordered = sorted(findings, key=lambda f: -int(f.severity))
        for finding in ordered[:MAX_ROWS]:
            lines.append(table_row(finding))
        if len(findings) > MAX_ROWS:
            lines.append("")
            lines.append(
                f"…and {len(findings) - MAX_ROWS} more: see the full report (`--format json` "
                "or `sarif`)."
            )
        lines.append("")
        lines.append(
            "Revoke or rotate every credential listed, then remove it from the history; "
            "personal data must be removed from the files and the history. A line that holds "
            "no real secret can be marked with `leakguard:allow`."
        )
        lines.append("")
    if incomplete:
        lines.append(f"**Not scanned ({len(incomplete)}):** the result is not complete.")
        lines.append("")
        for issue in incomplete[:MAX_ISSUES]:
            commit = f" (commit `{issue.commit[:12]}`)" if issue.commit else ""
            lines.append(f"- {_escape(issue.path)}{commit}: {_escape(issue.detail)}")
        if len(incomplete) > MAX_ISSUES:
            lines.append(f"- …and {len(incomplete) - MAX_ISSUES} more")
        lines.append("")
    return "\n".join(lines)


def table_row(finding: Finding) -> str:
    location = finding.location
    commit = location.commit
    severity = str(finding.severity)
    if finding.severity >= Severity.HIGH:
        severity = f"**{severity}**"
    rule = f"`{finding.rule_id}` {_escape(finding.description)}"
    where = f"{_escape(location.path)}:{location.line}:{location.column}"
    commit_text = f"`{commit.sha[:12]}` {_escape(commit.author_name)}" if commit else "—"
    value = _escape(finding.redacted)
    return f"| {severity} | {rule} | {where} | {commit_text} | {value} |"


def _scanned(report: Report) -> str:
    stats = report.outcome.stats
    parts = []
    if stats.commits:
        parts.append(f"{stats.commits} commit{'s' if stats.commits != 1 else ''}")
    parts.append(f"{stats.fragments} files/blobs")
    parts.append(f"{stats.bytes / 1e6:.1f} MB")
    return ", ".join(parts)


def _escape(text: str) -> str:
    """Repository text as literal Markdown: no markup, no HTML, no line breaks."""
    text = printable(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # An @name in a comment would notify a user or team.
    return SPECIAL.sub(r"\\\1", text).replace("@", "&#64;")
