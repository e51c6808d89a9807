"""The command line: `leakguard git|staged|ci|files|stdin|rules` and the commands that record
decisions. Each scanning command parses its arguments here and runs in `runner` (exit codes are
defined there).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from leakguard import __version__
from leakguard.errors import UsageError
from leakguard.reports import FORMATS
from leakguard.runner import EXIT_ERROR, Options, guarded, interrupted, run, scan_staged

F = TypeVar("F", bound=Callable[..., Any])


def _size_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> int | None:
    from leakguard.scan import parse_size

    if value is None:
        return None
    try:
        return parse_size(value) or 0
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def scan_options(command: F) -> F:
    """The options every scanning command takes."""
    decorators = [
        click.option(
            "--format",
            "format_",
            type=click.Choice(FORMATS),
            default="text",
            show_default=True,
            help="Report format. sarif, gitlab, junit and markdown never hold a found value, "
            "not even with --show-values.",
        ),
        click.option(
            "--output",
            "-o",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write the report to FILE (atomically) instead of standard output.",
        ),
        click.option(
            "--config",
            "config",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Configuration file (default: .leakguard.yaml in the repository).",
        ),
        click.option(
            "--show-values",
            is_flag=True,
            help="Show found values in full. For local triage only: never in CI logs.",
        ),
        click.option("--quiet", "-q", is_flag=True, help="Print nothing when nothing is found."),
        click.option(
            "--verbose",
            "-v",
            is_flag=True,
            help="Also list what was skipped or not reported, and why.",
        ),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=1),
            help="Worker processes (default: all cores).",
        ),
        click.option(
            "--engine",
            type=click.Choice(["auto", "hyperscan", "python"]),
            default="auto",
            show_default=True,
            help="Prefilter engine; findings are the same with each.",
        ),
        click.option("--ner-model", help="spaCy pipeline (package or path) for names in prose."),
        click.option(
            "--allow-partial",
            is_flag=True,
            help="Exit 0/1 on findings even when something could not be scanned (it is still "
            "reported). Without it, an incomplete scan exits 2.",
        ),
        click.option(
            "--max-file-size",
            metavar="SIZE",
            callback=_size_option,
            help="Scan at most SIZE of each file or blob (e.g. 50M, 1G; 0: no limit); the rest of "
            "a larger one is reported as not scanned. Default: 256M.",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0, min_open=True),
            metavar="SECONDS",
            help="Stop after SECONDS; what was not scanned by then is reported (exit 2).",
        ),
        click.option(
            "--exit-zero",
            is_flag=True,
            help="Exit 0 even with findings (they are still reported): write a CI report in one "
            "step, fail the job in the next. A scan error still exits 2.",
        ),
        click.option(
            "--baseline",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Fail only on findings not in this baseline file (default: the configured one, "
            "else .leakguard-baseline.json when it exists).",
        ),
        click.option(
            "--report-unused",
            is_flag=True,
            help="List allowlist and baseline entries that matched nothing (on standard error).",
        ),
        click.option(
            "--explain",
            is_flag=True,
            help="List every candidate that was not reported and the filter or check that "
            "dropped it (on standard error; never a value).",
        ),
        click.option(
            "--fail-on",
            type=click.Choice(["info", "low", "medium", "high", "critical"]),
            help="Lowest severity that fails the build (default: fail_on in the configuration, "
            "else info: every finding).",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> None:
        options = Options(
            format=kwargs.pop("format_"),
            output=kwargs.pop("output"),
            config=kwargs.pop("config"),
            show_values=kwargs.pop("show_values"),
            quiet=kwargs.pop("quiet"),
            verbose=kwargs.pop("verbose"),
            jobs=kwargs.pop("jobs"),
            engine=kwargs.pop("engine"),
            ner_model=kwargs.pop("ner_model"),
            allow_partial=kwargs.pop("allow_partial"),
            max_file_size=kwargs.pop("max_file_size"),
            timeout=kwargs.pop("timeout"),
            exit_zero=kwargs.pop("exit_zero"),
            baseline=kwargs.pop("baseline"),
            report_unused=kwargs.pop("report_unused"),
            explain=kwargs.pop("explain"),
            fail_on=kwargs.pop("fail_on"),
        )
        command(options, **kwargs)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leakguard")
def cli() -> None:
    """Find secrets and Dutch personal data before they reach a public repository.

    Exit codes: 0 nothing found, 1 findings, 2 usage, configuration or scan error.
    """


@cli.command("git")
@click.argument("repo", type=click.Path(path_type=Path), default=".")
@click.option(
    "--range",
    "range_spec",
    metavar="BASE..HEAD",
    help="Only the commits in this range (what a merge request adds).",
)
@click.option("--since", metavar="REV", help="Shorthand for --range REV..HEAD.")
@click.option(
    "--pushed",
    is_flag=True,
    help="The commits a push is sending (pre-push hook): from pre-commit's "
    "PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF, else what no remote has yet.",
)
@click.option(
    "--recurse-submodules",
    is_flag=True,
    help="Also scan the commits the history sets each submodule to, in the submodule's "
    "repository (it must be checked out or in .git/modules). Without it submodules are "
    "listed as not scanned.",
)
@scan_options
def git_command(
    options: Options,
    repo: Path,
    range_spec: str | None,
    since: str | None,
    pushed: bool,
    recurse_submodules: bool,
) -> None:
    """Scan the history of REPO: all refs, or the commits of a range."""
    from leakguard.sources.git import open_repository
    from leakguard.sources.history import GitHistory, revisions_for_push, revisions_for_range

    if sum(map(bool, (range_spec, since, pushed))) > 1:
        raise UsageError("give one of --range, --since and --pushed")
    repository = open_repository(repo)
    if since:
        range_spec = f"{since}..HEAD"
    if range_spec:
        revisions = revisions_for_range(repository, range_spec)
        source = GitHistory(repository, revisions, compare_with_parent=True)
    elif pushed:
        source = GitHistory(repository, revisions_for_push(repository), compare_with_parent=True)
    else:
        source = GitHistory(repository)
    if recurse_submodules:
        from leakguard.sources.submodules import WithSubmodules

        run(options, WithSubmodules(source), "git", repository.root)
        return
    run(options, source, "git", repository.root)


@cli.command("ci")
@click.argument("repo", type=click.Path(path_type=Path), default=".")
@click.option(
    "--range",
    "range_spec",
    metavar="BASE..HEAD",
    help="Scan this range instead of the one the CI system names; outside CI, the range to scan.",
)
@click.option(
    "--fetch",
    is_flag=True,
    help="Deepen a shallow clone (git fetch --deepen, at last --unshallow) until the whole range "
    "is present. Without it, a range the clone does not hold is exit 2.",
)
@scan_options
def ci_command(options: Options, repo: Path, range_spec: str | None, fetch: bool) -> None:
    """Scan what this CI job's push, pull request or merge request adds.

    Reads GitHub Actions' event (GITHUB_EVENT_PATH) or GitLab CI's variables, says which range
    it chose and why, and scans it like `git --range`.
    """
    from leakguard.ci import EmptyHistory, choose, detect
    from leakguard.sources.git import open_repository

    repository = open_repository(repo)
    plan = detect(os.environ, range_spec)

    def say(message: str) -> None:
        if not options.quiet:
            click.echo(message, err=True)

    if plan.nothing is not None:
        say(f"leakguard ci: {plan.system}, {plan.event}: nothing to scan ({plan.nothing})")
        run(options, EmptyHistory(repository, plan.nothing), "git", repository.root)
        return
    chosen = choose(repository, plan, fetch=fetch, say=say)
    say(f"leakguard ci: {chosen.reason}")
    run(options, chosen.history(repository), "git", repository.root)


@cli.command("staged")
@click.argument("repo", type=click.Path(path_type=Path), default=".")
@scan_options
def staged_command(options: Options, repo: Path) -> None:
    """Scan what `git commit` is about to record in REPO."""
    scan_staged(options, repo)


@cli.command("files")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@scan_options
def files_command(options: Options, paths: tuple[Path, ...]) -> None:
    """Scan files and directories as they are on disk (no git needed)."""
    from leakguard.sources.files import WorkingFiles

    run(options, WorkingFiles(paths), "files", None)


@cli.command("stdin")
@click.option("--name", default="<stdin>", show_default=True, help="Path shown in reports.")
@scan_options
def stdin_command(options: Options, name: str) -> None:
    """Scan text piped in on standard input."""
    from leakguard.sources.stdin import StdinText

    run(options, StdinText(name), "stdin", None)


@cli.command("rules")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text")
def rules_command(config: Path | None, format_: str) -> None:
    """List the active rules: id, category, severity and description."""
    import json

    from leakguard.config import find_config

    rules = find_config(config, Path.cwd()).rules()
    if format_ == "json":
        listing = [
            {
                "id": r.id,
                "category": str(r.category),
                "severity": str(r.severity),
                "provider": r.provider,
                "entity": r.entity,
                "description": r.description,
            }
            for r in rules
        ]
        click.echo(json.dumps(listing, indent=2))
        return
    width = max((len(r.id) for r in rules), default=2)
    for rule in rules:
        click.echo(
            f"{rule.id:<{width}}  {rule.category!s:<6}  {rule.severity!s:<8}  {rule.description}"
        )
    click.echo(f"{len(rules)} rules", err=True)


def main() -> None:
    guarded(_command_line)


def _command_line() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except click.exceptions.Abort as exc:
        interrupted(getattr(exc.__cause__, "signal_name", "SIGINT"))


# The commands that record and explain decisions (init, baseline, explain) register themselves.
from leakguard import cli_decisions  # noqa: E402, F401
