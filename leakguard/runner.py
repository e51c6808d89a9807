"""Running a scan command once its arguments are known: scan, report, and exit with the code
the outcome deserves. Nothing here imports click.

`main` is the `leakguard` program. The pre-commit hook runs `leakguard staged` and nothing else
before every commit; that exact command line is run from here with the default `Options`, which
spares the hook the import of click (an eighth of its time). Any other command line, `leakguard
staged` with an option included, goes through the click command line in `cli.py`, which runs
the same `scan_staged` (tests/test_staged_files_stdin.py holds the two to the same defaults and
the same output).

Exit codes are the contract CI relies on: 0 nothing found, 1 findings, 2 a usage, configuration
or scan error (including a scan that could not read everything). No error path ends in 0.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from leakguard.errors import LeakguardError
from leakguard.reports import CI_FORMATS

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class Options(NamedTuple):
    """What every scanning command takes; the defaults are the command line's."""

    format: str = "text"
    output: Path | None = None
    config: Path | None = None
    show_values: bool = False
    quiet: bool = False
    verbose: bool = False
    jobs: int | None = None
    engine: str = "auto"
    ner_model: str | None = None
    allow_partial: bool = False
    max_file_size: int | None = None  # bytes, 0 for no limit; None: the default limit
    timeout: float | None = None
    exit_zero: bool = False
    baseline: Path | None = None
    report_unused: bool = False
    explain: bool = False
    fail_on: str | None = None  # a severity name; None: the configuration's `fail_on`


def main() -> None:
    # Start-up builds what the whole run keeps (modules, rules, compiled patterns), and the
    # collector walked it a few times for nothing; `run` turns it on once the detector is built.
    gc.disable()
    if sys.argv[1:] == ["staged"]:
        guarded(lambda: scan_staged(Options(), Path(".")))
    else:
        from leakguard.cli import main as command_line

        command_line()


def scan_staged(options: Options, repo: Path) -> None:
    """Scan what `git commit` is about to record in `repo`."""
    from leakguard.sources.git import open_repository
    from leakguard.sources.staged import StagedChanges

    repository = open_repository(repo)
    run(options, StagedChanges(repository), "staged", repository.root)


def guarded(action: Callable[[], None]) -> None:
    """Run `action`, turning what escapes it into a message and exit 2: never a traceback
    (it may quote what was scanned), never exit 0."""
    from leakguard.reports.escaping import printable

    try:
        action()
    except KeyboardInterrupt as exc:
        interrupted(getattr(exc, "signal_name", "SIGINT"))
    except LeakguardError as exc:
        # Messages quote paths, refs and git's own errors: all from the repository under scan.
        echo(f"leakguard: {exc.label}: {printable(str(exc))} (exit 2)", err=True)
        sys.exit(EXIT_ERROR)
    except Exception as exc:
        from leakguard.scan import describe_exception

        # Type and place only: an exception's message may quote what was being scanned.
        echo(
            f"leakguard: internal error: {describe_exception(exc)} (exit 2). "
            "Please report it with the command you ran.",
            err=True,
        )
        sys.exit(EXIT_ERROR)


def interrupted(signal_name: str) -> None:
    echo(
        f"leakguard: interrupted ({signal_name}); the scan is incomplete and no report was "
        "written (exit 2).",
        err=True,
    )
    sys.exit(EXIT_ERROR)


def echo(message: str, *, err: bool = False, nl: bool = True) -> None:
    """Write a message to standard output (or error) at once."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # no console at all (pythonw)
        return
    text = message + "\n" if nl else message
    try:
        stream.write(text)
    except UnicodeEncodeError:
        # A stream that cannot encode a character (PYTHONIOENCODING=ascii): escaped, not lost.
        encoding = stream.encoding or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
    stream.flush()


def run(options: Options, source: Any, kind: str, root: Path | None) -> None:
    """Scan, report, and exit with the code the outcome deserves."""
    from leakguard.assembly import setup_for_scan
    from leakguard.interrupts import stop_on_signals
    from leakguard.pipeline import ScanRequest, default_jobs, run_scan
    from leakguard.reports import Report, notes, render
    from leakguard.reports.escaping import printable
    from leakguard.scan import DEFAULT_MAX_FILE_SIZE

    setup = setup_for_scan(options, root)
    # What start-up built lives until the process ends: frozen, no collection walks it again
    # (nor the last one, at exit), and workers forked later share its pages instead of copying
    # them (Python's advice for `fork`). With the collector off before, 6 % of a pre-commit
    # hook's instructions. A command that never scans ends with it off: none runs for long.
    gc.freeze()
    gc.enable()
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
        every_sighting=options.report_unused,
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
            echo(text, nl=False)
    if options.show_values and options.format in CI_FORMATS:
        echo(
            f"leakguard: note: the {options.format} report never holds found values; "
            "--show-values applies to text, json and csv.",
            err=True,
        )
    for note in notes(options.format, report, text):
        echo(f"leakguard: warning: {note}", err=True)

    stats = outcome.stats
    if options.verbose:
        # A hook that scanned nothing must say so: the count is the proof it looked.
        echo(
            f"leakguard: scanned {stats.fragments} file(s)/blob(s), {stats.lines} line(s), "
            f"{stats.bytes} bytes from {printable(outcome.source)}",
            err=True,
        )
    if options.explain:
        from leakguard.explain import explanation

        echo(explanation(outcome), err=True, nl=False)
    if options.report_unused:
        from leakguard.explain import unused_report

        whole = kind == "git" and not source.compare_with_parent
        echo(unused_report(setup.filters.unused(), whole), err=True, nl=False)
    incomplete = [issue for issue in stats.issues if issue.incomplete]
    if incomplete:
        first = incomplete[0]
        summary = (
            f"{len(incomplete)} item(s) could not be scanned "
            f"(first: {printable(first.path)}: {printable(first.detail)})"
        )
        if not options.allow_partial:
            echo(
                f"leakguard: scan error: {summary}; the result is not trustworthy (exit 2). "
                "--allow-partial accepts an incomplete scan.",
                err=True,
            )
            sys.exit(EXIT_ERROR)
        echo(f"leakguard: warning: {summary}; accepted with --allow-partial.", err=True)
    failing = setup.failing(outcome.findings)
    if len(failing) < len(outcome.findings):
        echo(
            f"leakguard: {len(outcome.findings) - len(failing)} finding(s) below fail_on "
            f"{setup.fail_on} do not fail the build",
            err=True,
        )
    if failing and options.exit_zero:
        echo(
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
