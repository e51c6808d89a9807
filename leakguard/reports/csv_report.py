"""CSV, one row per finding, for spreadsheets and audits.

A cell from the repository (a path, an author) that starts with `=`, `+`, `-`, `@` or a tab
would be taken for a formula by a spreadsheet: such a cell starts with `'`. The `value` column
is filled only with `--show-values` (a local triage format, like `json`).
"""

from __future__ import annotations

import csv
import io

from leakguard.models import Finding
from leakguard.reports import Report
from leakguard.reports.escaping import printable

COLUMNS = (
    "severity",
    "rule_id",
    "category",
    "entity",
    "description",
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "commit",
    "author",
    "email",
    "date",
    "redacted",
    "length",
    "fingerprint",
    "value",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for finding in report.outcome.findings:
        writer.writerow([_cell(value) for value in row(finding)])
    return buffer.getvalue()


def row(finding: Finding) -> list[str | int]:
    location = finding.location
    commit = location.commit
    return [
        str(finding.severity),
        finding.rule_id,
        str(finding.category),
        finding.entity or "",
        finding.description,
        location.path,
        location.line,
        location.column,
        location.end_line,
        location.end_column,
        commit.sha if commit else "",
        commit.author_name if commit else "",
        commit.author_email if commit else "",
        commit.date if commit else "",
        finding.redacted,
        finding.value_length,
        finding.fingerprint,
        finding.value if finding.value is not None else "",
    ]


def _cell(value: str | int) -> str | int:
    if isinstance(value, int):
        return value
    text = printable(value)
    return "'" + text if text.startswith(FORMULA_START) else text
