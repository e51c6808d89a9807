"""Commands for recording and explaining decisions: `init`, `baseline ...`, `explain`.

They scan like `leakguard git` (all refs of a repository's history, or its staged changes for
`--staged`) with the same configuration and filters, but write or explain instead of reporting.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from leakguard.cli import cli
from leakguard.errors import ScanError, UsageError
from leakguard.runner import EXIT_CLEAN, EXIT_FINDINGS

FINGERPRINT_DIGEST_LENGTH = 20


def _scan(
    repo: Path,
    *,
    staged: bool,
    config_path: Path | None,
    baseline_option: Path | None = None,
    use_baseline: bool = True,
    extra_filters: tuple[Any, ...] = (),
    explain: bool = False,
) -> tuple[Any, Any]:
    """Scan the repository's history (or staged changes) as configured: (outcome, setup)."""
    from leakguard.assembly import build_setup, choose_baseline
    from leakguard.config import find_config
    from leakguard.interrupts import stop_on_signals
    from leakguard.pipeline import ScanRequest, default_jobs, run_scan
    from leakguard.scan import DEFAULT_MAX_FILE_SIZE
    from leakguard.sources.git import open_repository
    from leakguard.sources.history import GitHistory
    from leakguard.sources.staged import StagedChanges

    repository = open_repository(repo)
    root = repository.root
    config = find_config(config_path, root)
    baseline = choose_baseline(baseline_option, config, root) if use_baseline else None
    setup = build_setup(config, root, baseline=baseline, extra_filters=extra_filters)
    source = StagedChanges(repository) if staged else GitHistory(repository)
    max_size = config.max_file_size if config.max_file_size is not None else DEFAULT_MAX_FILE_SIZE
    request = ScanRequest(
        source=source,
        detector=setup.detector,
        filters=setup.filters,
        jobs=default_jobs(),
        explain=explain,
        max_file_size=max_size or None,
    )
    with stop_on_signals():
        outcome = run_scan(request)
    return outcome, setup


def _refuse_incomplete(outcome: Any, what: str) -> None:
    incomplete = [issue for issue in outcome.stats.issues if issue.incomplete]
    if incomplete:
        first = incomplete[0]
        raise ScanError(
            f"{len(incomplete)} item(s) could not be scanned (first: {first.path}: "
            f"{first.detail}); {what}"
        )


def _baseline_path(option: Path | None, repo: Path, config_path: Path | None) -> Path:
    from leakguard.config import DEFAULT_BASELINE, find_config
    from leakguard.sources.git import open_repository

    if option is not None:
        return option
    root = open_repository(repo).root
    configured = find_config(config_path, root).baseline
    return configured if configured is not None else root / DEFAULT_BASELINE


# --- init --------------------------------------------------------------------------------------

PRE_COMMIT_SNIPPET = """\
# .pre-commit-config.yaml
repos:
  - repo: https://github.com/Amsterdam/leakguard
    rev: v{version}
    hooks:
      - id: leakguard        # staged changes, on every commit
      - id: leakguard-push   # the commits being pushed, on every push
# then: pre-commit install --hook-type pre-commit --hook-type pre-push
"""


@cli.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--force", is_flag=True, help="Overwrite an existing .leakguard.yaml.")
@click.option(
    "--from-gitleaks",
    "gitleaks",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Carry over the allowlists and custom rules of a .gitleaks.toml.",
)
def init_command(directory: Path, force: bool, gitleaks: Path | None) -> None:
    """Write a commented starter .leakguard.yaml and print the pre-commit snippet."""
    from leakguard import __version__
    from leakguard.config import CONFIG_NAME, load_config
    from leakguard.runner import write_atomically
    from leakguard.starter import starter_config

    target = directory / CONFIG_NAME
    if target.exists() and not force:
        raise UsageError(f"{target} exists; --force overwrites it")
    if not directory.is_dir():
        raise UsageError(f"{directory} is not a directory")
    migrated = ""
    if gitleaks is not None:
        from leakguard.gitleaks import convert_gitleaks

        migrated, notes = convert_gitleaks(gitleaks)
        for note in notes:
            click.echo(f"leakguard: {note}", err=True)
    write_atomically(target, starter_config(migrated))
    load_config(target)  # what init writes must load: a broken starter would be exit 2 later
    click.echo(f"leakguard: wrote {target}", err=True)
    click.echo(PRE_COMMIT_SNIPPET.format(version=__version__), nl=False)


# --- baseline ----------------------------------------------------------------------------------


@cli.group("baseline")
def baseline_group() -> None:
    """Record findings a team has decided to live with, so that only new ones fail the build."""


repo_argument = click.argument("repo", type=click.Path(path_type=Path), default=".")
baseline_option = click.option(
    "--baseline",
    "baseline_option",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Baseline file (default: the configured one, else .leakguard-baseline.json).",
)
config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Configuration file (default: .leakguard.yaml in the repository).",
)


@baseline_group.command("create")
@repo_argument
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Baseline file (default: the configured one, else .leakguard-baseline.json).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing baseline (reasons are lost).")
@config_option
def baseline_create(repo: Path, output: Path | None, force: bool, config_path: Path | None) -> None:
    """Record every current finding in REPO's history (all refs) in a new baseline."""
    from leakguard.baseline import Baseline, save_baseline
    from leakguard.filters.baseline import BaselineRecorder

    target = _baseline_path(output, repo, config_path)
    if target.exists() and not force:
        raise UsageError(
            f"{target} exists: `leakguard baseline update` keeps its reasons; --force replaces it"
        )
    fresh = Baseline.new()
    recorder = BaselineRecorder(fresh, None)
    outcome, _ = _scan(
        repo, staged=False, config_path=config_path, use_baseline=False, extra_filters=(recorder,)
    )
    _refuse_incomplete(outcome, "no baseline written: it would miss what was not scanned")
    created = fresh.with_entries(recorder.entries())
    save_baseline(created, target)
    click.echo(f"leakguard: wrote {target}: {len(created.entries)} entries", err=True)


@baseline_group.command("update")
@repo_argument
@baseline_option
@config_option
def baseline_update(repo: Path, baseline_option: Path | None, config_path: Path | None) -> None:
    """Add new findings to the baseline and drop entries that no longer occur."""
    from leakguard.baseline import load_baseline, save_baseline
    from leakguard.filters.baseline import BaselineRecorder

    target = _baseline_path(baseline_option, repo, config_path)
    current = load_baseline(target)
    recorder = BaselineRecorder(current, None)
    outcome, _ = _scan(
        repo, staged=False, config_path=config_path, use_baseline=False, extra_filters=(recorder,)
    )
    _refuse_incomplete(outcome, "baseline not updated: it would lose entries for what was not read")
    found = {entry.key: entry for entry in recorder.entries()}
    # Entries that still occur keep their reason and decider.
    entries = [current.entries.get(key, entry) for key, entry in found.items()]
    added = sum(1 for key in found if key not in current.entries)
    removed = sum(1 for key in current.entries if key not in found)
    updated = current.with_entries(entries)
    save_baseline(updated, target)
    click.echo(
        f"leakguard: updated {target}: {added} added, {removed} removed, "
        f"{len(entries) - added} kept ({len(entries)} entries)",
        err=True,
    )


@baseline_group.command("accept")
@click.argument("fingerprint")
@repo_argument
@click.option("--reason", required=True, help="Why this finding is acceptable (kept in the file).")
@click.option("--by", "decided_by", help="Who decided (default: git config user.name).")
@click.option("--staged", is_flag=True, help="Find it in the staged changes, not the history.")
@baseline_option
@config_option
def baseline_accept(
    fingerprint: str,
    repo: Path,
    reason: str,
    decided_by: str | None,
    staged: bool,
    baseline_option: Path | None,
    config_path: Path | None,
) -> None:
    """Add the finding with FINGERPRINT (from a report) to the baseline, with a reason."""
    from leakguard.baseline import Baseline, Entry, load_baseline, save_baseline
    from leakguard.filters.baseline import BaselineRecorder

    _check_fingerprint(fingerprint)
    if not reason.strip():
        raise UsageError("--reason must say why the finding is acceptable")
    target = _baseline_path(baseline_option, repo, config_path)
    current = load_baseline(target) if target.exists() else Baseline.new()
    recorder = BaselineRecorder(current, None, fingerprints={fingerprint})
    _scan(
        repo, staged=staged, config_path=config_path, use_baseline=False, extra_filters=(recorder,)
    )
    if not recorder.found:
        where = "the staged changes" if staged else "the history"
        raise UsageError(
            f"no finding with fingerprint {fingerprint} in {where} of {repo}; "
            "`leakguard explain FINGERPRINT` shows what became of it"
        )
    who = decided_by if decided_by is not None else _git_user(repo)
    entries = dict(current.entries)
    for entry in recorder.entries():
        entries[entry.key] = Entry(*entry.key, reason=reason.strip(), decided_by=who)
    save_baseline(current.with_entries(entries.values()), target)
    click.echo(f"leakguard: accepted {fingerprint} in {target}", err=True)


def _git_user(repo: Path) -> str:
    result = subprocess.run(
        ["git", "config", "user.name"], cwd=repo, capture_output=True, text=True, check=False
    )
    return result.stdout.strip()


def _check_fingerprint(fingerprint: str) -> None:
    rule, _, rest = fingerprint.partition(":")
    digest = rest.rpartition(":")[2]
    if (
        not rule
        or ":" not in rest
        or len(digest) != FINGERPRINT_DIGEST_LENGTH
        or any(c not in "0123456789abcdef" for c in digest)
    ):
        raise UsageError(
            f"{fingerprint!r} is not a fingerprint (rule:path:digest, as reports show it)"
        )


# --- explain -----------------------------------------------------------------------------------


@cli.command("explain")
@click.argument("fingerprint")
@repo_argument
@click.option("--staged", is_flag=True, help="Scan the staged changes, not the history.")
@baseline_option
@config_option
def explain_command(
    fingerprint: str,
    repo: Path,
    staged: bool,
    baseline_option: Path | None,
    config_path: Path | None,
) -> None:
    """Scan REPO and show every decision about the value with FINGERPRINT (never the value).

    Exit 0 when the fingerprint was found, 1 when no candidate has it.
    """
    from leakguard.explain import decision_lines

    _check_fingerprint(fingerprint)
    outcome, _ = _scan(
        repo,
        staged=staged,
        config_path=config_path,
        baseline_option=baseline_option,
        explain=True,
    )
    lines = decision_lines(outcome, fingerprint)
    if not lines:
        click.echo(
            f"leakguard: nothing in {outcome.source} has fingerprint {fingerprint}: the value is "
            "not there (any more), or no rule matches it",
            err=True,
        )
        sys.exit(EXIT_FINDINGS)
    for line in lines:
        click.echo(line)
    sys.exit(EXIT_CLEAN)
