"""Errors that end a run with exit code 2.

Every message says what went wrong and what to do about it; the CLI prints it and exits 2.
"""

from __future__ import annotations


class LeakguardError(Exception):
    """A usage, configuration or scan error: the run cannot vouch for a clean result."""

    exit_code = 2
    label = "error"


class UsageError(LeakguardError):
    label = "usage error"


class ConfigError(LeakguardError):
    label = "configuration error"


class RuleError(ConfigError):
    label = "rule error"


class ScanError(LeakguardError):
    label = "scan error"


class GitError(ScanError):
    label = "git error"
