"""How to tell: each format is a module with a `render(report) -> str` function.

Writers receive a `Report`: findings already redacted by `leakguard.redact`, and the scan's
statistics. None of them sees a raw value unless the user opted in with `--show-values`, in
which case `Finding.value` holds it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from leakguard import __version__
from leakguard.pipeline import ScanOutcome

FORMATS = ("text", "json")


@dataclass(frozen=True)
class Report:
    outcome: ScanOutcome
    kind: str  # git, staged, files, stdin
    verbose: bool = False
    tool_version: str = __version__


def render(format_name: str, report: Report) -> str:
    if format_name not in FORMATS:
        raise ValueError(f"unknown report format {format_name!r}")
    module = importlib.import_module(f"leakguard.reports.{format_name}_report")
    return module.render(report)
