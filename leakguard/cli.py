"""The command line: `leakguard git|staged|files|stdin|rules`.

Exit codes are the contract CI relies on: 0 nothing found, 1 findings, 2 a usage, configuration
or scan error (including a scan that could not read everything). No error path ends in 0.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import click

from leakguard import __version__
from leakguard.errors import LeakguardError, UsageError
from leakguard.reports import CI_FORMATS, FORMATS

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

F = TypeVar("F", bound=Callable[..., Any])


class Options(NamedTuple):
    format: str
    output: Path | None
    config: Path | None
    show_values: bool
    quiet: bool
    verbose: bool
    jobs: int | None
    engine: str
    ner_model: str | None
    allow_partial: bool = False
    max_file_size: int | None = None  # bytes, 0 for no limit; None: the default limit
    timeout: float | None = None
    exit_zero: bool = False
    baseline: Path | None = None
    report_unused: bool = False
    explain: bool = False
    fail_on: str | None = None  # a severity name; None: the configuration's `fail_on`


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
    from leakguard.sources.git import open_repository
    from leakguard.sources.staged import StagedChanges

    repository = open_repository(repo)
    run(options, StagedChanges(repository), "staged", repository.root)


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


def run(options: Options, source: Any, kind: str, root: Path | None) -> None:
    """Scan, report, and exit with the code the outcome deserves."""
    from leakguard.assembly import setup_for_scan
    from leakguard.interrupts import stop_on_signals
    from leakguard.pipeline import ScanRequest, default_jobs, run_scan
    from leakguard.reports import Report, notes, render
    from leakguard.reports.escaping import printable
    from leakguard.scan import DEFAULT_MAX_FILE_SIZE

    setup = setup_for_scan(options, root)
    max_file_size = options.max_file_size  # the option wins over the configuration
    if max_file_size is None:
        max_file_size = setup.config.max_file_size
    if max_file_size is None:
        max_file_size = DEFAULT_MAX_FILE_SIZE
    request = ScanRequest(
        source=source,
        detector=setup.detector,
        filters=setup.filters,
        jobs=options.jobs or default_jobs(),
        show_values=options.show_values,
        explain=options.verbose or options.explain,
        max_file_size=max_file_size or None,
        timeout=options.timeout,
    )
    # SIGTERM stops the scan like Ctrl-C: workers stopped, no report written, exit 2.
    with stop_on_signals():
        with progress_display(options, source) as progress:
            outcome = run_scan(request, progress)
        report = Report(outcome=outcome, kind=kind, verbose=options.verbose)
        text = render(options.format, report)
        if options.output is not None:
            write_atomically(options.output, text)
        elif outcome.findings or not options.quiet or options.format != "text":
            click.echo(text, nl=False)
    if options.show_values and options.format in CI_FORMATS:
        click.echo(
            f"leakguard: note: the {options.format} report never holds found values; "
            "--show-values applies to text, json and csv.",
            err=True,
        )
    for note in notes(options.format, report, text):
        click.echo(f"leakguard: warning: {note}", err=True)

    stats = outcome.stats
    if options.verbose:
        # A hook that scanned nothing must say so: the count is the proof it looked.
        click.echo(
            f"leakguard: scanned {stats.fragments} file(s)/blob(s), {stats.lines} line(s), "
            f"{stats.bytes} bytes from {printable(outcome.source)}",
            err=True,
        )
    if options.explain:
        from leakguard.explain import explanation

        click.echo(explanation(outcome), err=True, nl=False)
    if options.report_unused:
        from leakguard.explain import unused_report

        whole = kind == "git" and not source.compare_with_parent
        click.echo(unused_report(setup.filters.unused(), whole), err=True, nl=False)
    incomplete = [issue for issue in stats.issues if issue.incomplete]
    if incomplete:
        first = incomplete[0]
        summary = (
            f"{len(incomplete)} item(s) could not be scanned "
            f"(first: {printable(first.path)}: {printable(first.detail)})"
        )
        if not options.allow_partial:
            click.echo(
                f"leakguard: scan error: {summary}; the result is not trustworthy (exit 2). "
                "--allow-partial accepts an incomplete scan.",
                err=True,
            )
            sys.exit(EXIT_ERROR)
        click.echo(f"leakguard: warning: {summary}; accepted with --allow-partial.", err=True)
    failing = setup.failing(outcome.findings)
    if len(failing) < len(outcome.findings):
        click.echo(
            f"leakguard: {len(outcome.findings) - len(failing)} finding(s) below fail_on "
            f"{setup.fail_on} do not fail the build",
            err=True,
        )
    if failing and options.exit_zero:
        click.echo(
            f"leakguard: {len(failing)} finding(s) reported; exit 0 because of --exit-zero.",
            err=True,
        )
        sys.exit(EXIT_CLEAN)
    sys.exit(EXIT_FINDINGS if failing else EXIT_CLEAN)


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written report.

    Only a regular file is replaced so. Anything else (`--output /dev/null`, `/dev/stdout`, a
    FIFO) is written to as it is: renaming over a device, as root in a CI container, would put
    a file where the device was. A symbolic link keeps pointing at the report it names.
    """
    import stat
    import tempfile

    target = path.resolve()
    try:
        regular = stat.S_ISREG(target.stat().st_mode)
    except FileNotFoundError:
        regular = True  # a new file
    if not regular:
        with path.open("w", encoding="utf-8") as handle:
            handle.write(text)
        return
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class progress_display:
    """A live progress line on a terminal's stderr; nothing at all otherwise."""

    def __init__(self, options: Options, source: Any) -> None:
        self.enabled = sys.stderr.isatty() and not options.quiet
        self.source = source
        self._progress: Any = None
        self._task: Any = None
        self._bytes = 0

    def __enter__(self) -> Callable[[Any], None] | None:
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task("scanning", total=None)
        return self.update

    def update(self, result: Any) -> None:
        self._bytes += result.stats.bytes
        commits = getattr(self.source, "commits_seen", 0)
        described = f"{commits} commits, " if commits else ""
        self._progress.update(
            self._task,
            description=f"scanning: {described}{self._bytes / 1e6:.1f} MB",
        )

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def main() -> None:
    from leakguard.reports.escaping import printable

    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except (click.exceptions.Abort, KeyboardInterrupt) as exc:
        cause = exc.__cause__ if isinstance(exc, click.exceptions.Abort) else exc
        name = getattr(cause, "signal_name", "SIGINT")
        click.echo(
            f"leakguard: interrupted ({name}); the scan is incomplete and no report was "
            "written (exit 2).",
            err=True,
        )
        sys.exit(EXIT_ERROR)
    except LeakguardError as exc:
        # Messages quote paths, refs and git's own errors: all from the repository under scan.
        click.echo(f"leakguard: {exc.label}: {printable(str(exc))} (exit 2)", err=True)
        sys.exit(EXIT_ERROR)
    except Exception as exc:
        from leakguard.scan import describe_exception

        # Type and place only: an exception's message may quote what was being scanned.
        click.echo(
            f"leakguard: internal error: {describe_exception(exc)} (exit 2). "
            "Please report it with the command you ran.",
            err=True,
        )
        sys.exit(EXIT_ERROR)


# The commands that record and explain decisions (init, baseline, explain) register themselves.
from leakguard import cli_decisions  # noqa: E402, F401
