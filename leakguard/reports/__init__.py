"""How to tell: each format is a module with a `render(report) -> str` function.

Writers receive a `Report`: findings already redacted by `leakguard.redact`, and the scan's
statistics. None of them sees a raw value unless the user opted in with `--show-values`, in
which case `Finding.value` holds it. Only the formats for people and local tools (`text`,
`json`, `csv`) show it then; the CI formats (`CI_FORMATS`) never do, because they are uploaded,
posted or kept as build artifacts.

A format module may also define `notes(report, text) -> list[str]`: warnings about the rendered
report itself (a SARIF file too large for GitHub to accept), printed on standard error.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

from leakguard import __version__

if TYPE_CHECKING:  # the command line reads FORMATS without importing the scan pipeline
    from leakguard.pipeline import ScanOutcome

FORMATS = ("text", "json", "sarif", "gitlab", "junit", "csv", "markdown")
# Reports that leave the machine: never a plain value in them, even with --show-values.
CI_FORMATS = frozenset({"sarif", "gitlab", "junit", "markdown"})


class Report(NamedTuple):
    outcome: ScanOutcome
    kind: str  # git, staged, files, stdin
    verbose: bool = False
    tool_version: str = __version__


def render(format_name: str, report: Report) -> str:
    return _module(format_name).render(report)


def notes(format_name: str, report: Report, text: str) -> list[str]:
    """Warnings about a rendered report (size limits of the system that will read it)."""
    check = getattr(_module(format_name), "notes", None)
    return check(report, text) if check is not None else []


def _module(format_name: str) -> ModuleType:
    if format_name not in FORMATS:
        raise ValueError(f"unknown report format {format_name!r}")
    return importlib.import_module(f"leakguard.reports.{format_name}_report")
