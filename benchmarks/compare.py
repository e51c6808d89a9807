"""leakguard against its peers: wall time, CPU and peak memory, run for run.

Full-history mode (the default) scans each repository with leakguard and with every peer found
on PATH (gitleaks, betterleaks, kingfisher) or given with `--peer`, and prints a markdown table
per repository: median wall time (with min-max), user+sys CPU of the whole process tree, peak
RSS, findings, and the ratio of leakguard's wall time to each tool's. Tools are interleaved run
by run (and their order rotated each run), so that a noisy machine slows them all alike.

    python benchmarks/compare.py REPO [REPO...] [--runs 3] [--jobs 1,2] [--json results.json]
    python benchmarks/compare.py --precommit [--runs 15] [--drop-caches]
    python benchmarks/compare.py REPO --no-peers --runs 1          # leakguard alone

Peers are looked up on PATH by their binary names; `--peer NAME=TEMPLATE` adds or replaces one.
A template is a command line with placeholders: {repo}, {report} (a fresh temporary file ending
in .json, removed after the run), {cache} (a directory kept across runs, for rule caches) and, in
`--precommit` mode, {files} (the staged paths). Peers run with network validation off
(kingfisher `--no-validate`; gitleaks and betterleaks validate nothing unless asked) and, when
the machine allows it, every tool runs in a new network namespace (`unshare -n`) with no network
at all. Never point gitleaks' `--report-path` at /dev/null: it deletes its report path on error.

Memory: "peak RSS" is the largest single process of the tree (`wait4` rusage of the run, which
is what `/usr/bin/time -v` shows); "tree RSS" is the peak of the sum over the tree, sampled from
/proc, an upper bound since forked workers share pages.

`--precommit` builds a temporary repository with a deterministic 5-file / 200-line staged change
(no secrets) and times, whole process and new each run, `leakguard staged` (as the pre-commit
hook runs it), `leakguard staged` with an empty cache (the first commit after installing),
`detect-secrets-hook` on the staged files, and the peers' staged modes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

LEAKGUARD_ROOT = Path(__file__).resolve().parent.parent

# name -> (binary, history template, staged template, exit codes that mean "ran fine")
PEERS: dict[str, tuple[str, str, str, tuple[int, ...]]] = {
    "gitleaks": (
        "gitleaks",
        "{bin} git --no-banner --report-format json --report-path {report} {repo}",
        "{bin} git --staged --no-banner --report-format json --report-path {report} {repo}",
        (0, 1),
    ),
    "betterleaks": (
        "betterleaks",
        "{bin} git --no-banner -o {report} {repo}",
        "{bin} git --staged --no-banner -o {report} {repo}",
        (0, 1),
    ),
    "kingfisher": (
        "kingfisher",
        "{bin} scan {repo} --no-validate --no-update-check --rule-cache-dir {cache} "
        "-f json -o {report}",
        "{bin} scan {repo} --staged --no-validate --no-update-check --rule-cache-dir {cache} "
        "-f json -o {report}",
        (0, 200),  # 200: findings
    ),
}
DETECT_SECRETS = ("detect-secrets-hook", "{bin} {files}", (0, 1))
VERSION_ARGS = {
    "gitleaks": ["version"],
    "betterleaks": ["--version"],
    "kingfisher": ["--version"],
    "detect-secrets-hook": ["--version"],
}


@dataclass
class Tool:
    name: str
    template: list[str]  # argv with {placeholders}
    ok_codes: tuple[int, ...] = (0, 1)
    is_leakguard: bool = False
    fresh_cache: bool = False  # a new, empty XDG_CACHE_HOME for every run
    version: str = ""


@dataclass
class Run:
    tool: str
    argv: list[str]
    wall: float
    cpu: float  # user + sys of the process and every descendant it waited for
    max_rss_mb: float  # largest single process (wait4 ru_maxrss)
    tree_rss_mb: float | None  # peak of the sum over the process tree, sampled
    exit_code: int
    ok: bool
    findings: int | None = None
    identity: list[list[Any]] | None = None  # leakguard: the findings, for the identity check
    error: str = ""


@dataclass
class Target:
    label: str
    path: Path
    facts: dict[str, Any] = field(default_factory=dict)
    runs: list[Run] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Measuring one run


class TreeSampler:
    """Peak of the summed RSS of a process and its descendants, read from /proc."""

    def __init__(self, root: int, interval: float) -> None:
        self.root = root
        self.interval = interval
        self.peak_pages = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE")

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_pages * self._page / 1e6

    def _loop(self) -> None:
        while True:
            self.peak_pages = max(self.peak_pages, self._sample())
            if self._stop.wait(self.interval):
                return

    def _sample(self) -> int:
        children: dict[int, list[int]] = {}
        rss: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    text = stat.read()
            except OSError:
                continue
            fields = text[text.rfind(b")") + 2 :].split()
            pid = int(entry)
            children.setdefault(int(fields[1]), []).append(pid)  # fields[1]: ppid
            rss[pid] = int(fields[21])  # rss, in pages
        total = 0
        stack = [self.root]
        while stack:
            pid = stack.pop()
            total += rss.get(pid, 0)
            stack.extend(children.get(pid, ()))
        return total


def measure(
    argv: list[str], cwd: Path | None, env: dict[str, str], log: Path, interval: float
) -> tuple[float, float, float, float | None, int]:
    """Run argv to its end: wall, CPU, largest-process RSS (MB), tree RSS (MB), exit code."""
    with open(log, "wb") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=stderr,
        )  # fmt: skip
        sampler = TreeSampler(process.pid, interval) if interval > 0 else None
        try:
            with sampler or contextlib.nullcontext():
                _, status, usage = os.wait4(process.pid, 0)
        except BaseException:  # Ctrl-C or SIGTERM: leave no scan running behind us
            process.terminate()
            process.wait()
            raise
        wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code  # reaped here; Popen must not wait for it again
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, sampler.peak_mb if sampler else None, code


# ---------------------------------------------------------------------------------------------
# Tools


def leakguard_prefix(given: str | None) -> list[str]:
    if given:
        return shlex.split(given)
    script = Path(sys.executable).parent / "leakguard"
    if script.exists():
        return [str(script)]
    found = shutil.which("leakguard")
    return [found] if found else [sys.executable, "-m", "leakguard"]


def leakguard_tools(prefix: list[str], jobs: list[int | None], precommit: bool) -> list[Tool]:
    if precommit:
        # Exactly what the published pre-commit hook runs (.pre-commit-hooks.yaml).
        hook = [*prefix, "staged"]
        return [
            # The staged change holds no secret: anything but 0 is a failure.
            Tool("leakguard", hook, (0,), is_leakguard=True),
            Tool("leakguard, empty cache", hook, (0,), is_leakguard=True, fresh_cache=True),
        ]
    tools = []
    for count in jobs:
        name = "leakguard" if count is None else f"leakguard -j{count}"
        argv = [*prefix, "git", "--format", "json", "--output", "{report}"]
        if count is not None:
            argv += ["--jobs", str(count)]
        tools.append(Tool(name, [*argv, "{repo}"], (0, 1), is_leakguard=True))
    return tools


def peer_tools(args: argparse.Namespace) -> list[Tool]:
    tools: dict[str, Tool] = {}
    if not args.no_peers:
        known = dict(PEERS)
        for name, (binary, history, staged, codes) in known.items():
            path = shutil.which(binary)
            if path:
                template = staged if args.precommit else history
                tools[name] = Tool(name, _split(template, path), codes)
        if args.precommit:
            binary, template, codes = DETECT_SECRETS
            path = shutil.which(binary)
            if path:
                tools[binary] = Tool(binary, _split(template, path), codes)
    for spec in args.peer:
        name, sep, template = spec.partition("=")
        if not sep or not name or not template.strip():
            raise SystemExit(f"--peer wants NAME=TEMPLATE, got {spec!r}")
        codes = PEERS[name][3] if name in PEERS else (0, 1)
        tools[name] = Tool(name, shlex.split(template), codes)
    for name in args.skip:
        tools.pop(name, None)
    for tool in tools.values():
        tool.version = tool_version(tool)
    return list(tools.values())


def _split(template: str, binary: str) -> list[str]:
    return [binary if part == "{bin}" else part for part in shlex.split(template)]


def tool_version(tool: Tool) -> str:
    binary = Path(tool.template[0]).name
    extra = VERSION_ARGS.get(binary)
    if extra is None:
        return ""
    try:
        result = subprocess.run(
            [tool.template[0], *extra], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    text = (result.stdout or result.stderr).strip()
    return text.splitlines()[0] if text else ""


def leakguard_version(prefix: list[str]) -> str:
    result = subprocess.run(
        [*prefix, "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    version = result.stdout.strip()
    commit = subprocess.run(
        ["git", "-C", str(LEAKGUARD_ROOT), "rev-parse", "--short=12", "HEAD"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    dirty = subprocess.run(
        ["git", "-C", str(LEAKGUARD_ROOT), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    if commit:
        version += f" (commit {commit}{', working tree with uncommitted changes' if dirty else ''})"
    return version


def network_wrapper(mode: str) -> list[str]:
    """`unshare -n` for `cut` (or, with `auto`, when it works here); nothing for `keep`."""
    if mode == "keep":
        return []
    unshare = shutil.which("unshare")
    for wrapper in ([unshare, "-n"], [unshare, "-rn"]) if unshare else ():
        probe = subprocess.run([*wrapper, "true"], capture_output=True, check=False)
        if probe.returncode == 0:
            return wrapper
    if mode == "cut":
        raise SystemExit("--network cut asked for, but `unshare -n` does not work here")
    return []


# ---------------------------------------------------------------------------------------------
# Reports of the tools


def count_findings(report: Path) -> tuple[int | None, list[list[Any]] | None]:
    """Findings in a JSON report (leakguard's, gitleaks', betterleaks', kingfisher's), and for
    leakguard's the findings' identity (fingerprint and place), to compare runs."""
    try:
        data = json.loads(report.read_bytes() or b"null")
    except (OSError, ValueError):
        return None, None
    if isinstance(data, list):
        return len(data), None
    if isinstance(data, dict) and isinstance(data.get("findings"), list):
        findings = data["findings"]
        if data.get("tool", {}).get("name") == "leakguard":
            identity = sorted(
                [
                    f["fingerprint"],
                    f["location"].get("commit"),
                    f["location"].get("path"),
                    f["location"].get("line"),
                    f["location"].get("column"),
                ]
                for f in findings
            )
            return len(findings), identity
        return len(findings), None
    return None, None


# ---------------------------------------------------------------------------------------------
# Running


@dataclass
class Settings:
    runs: int
    warmup: int
    interval: float
    wrapper: list[str]
    work: Path
    drop_caches: bool
    files: list[str] = field(default_factory=list)


def tool_env(tool: Tool, settings: Settings, run_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    # Byte-compiled modules as an installed package has them: with this set (as some CI images
    # do), every run would compile leakguard's sources again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["XDG_CACHE_HOME"] = str(
        run_dir / "xdg-cache" if tool.fresh_cache else settings.work / "xdg"
    )
    for variable in ("NO_COLOR",):
        env.setdefault(variable, "1")
    return env


def run_tool(tool: Tool, target: Target, settings: Settings, cwd: Path | None) -> Run:
    run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=settings.work))
    report = run_dir / "report.json"
    values = {
        "{repo}": str(target.path),
        "{report}": str(report),
        "{cache}": str(settings.work / f"cache-{_slug(tool.name)}"),
    }
    Path(values["{cache}"]).mkdir(exist_ok=True)
    argv: list[str] = []
    for part in tool.template:
        if part == "{files}":
            argv.extend(settings.files)
        else:
            for key, value in values.items():
                part = part.replace(key, value)
            argv.append(part)
    if settings.drop_caches:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    log = run_dir / "stderr.txt"
    wall, cpu, max_rss, tree_rss, code = measure(
        [*settings.wrapper, *argv], cwd, tool_env(tool, settings, run_dir), log, settings.interval
    )
    findings, identity = count_findings(report) if report.exists() else (None, None)
    # A tool that was given a report file and wrote none (or garbage) did not run as meant,
    # whatever its exit code (Python exits 1 on an ImportError, as leakguard does on findings).
    wants_report = any("{report}" in part for part in tool.template)
    ok = code in tool.ok_codes and (findings is not None or not wants_report)
    error = "" if ok else log.read_text(errors="replace")[-600:].strip() or "no report written"
    shutil.rmtree(run_dir, ignore_errors=True)
    return Run(
        tool.name, [*settings.wrapper, *argv], wall, cpu, max_rss, tree_rss, code, ok,
        findings, identity if tool.is_leakguard else None, error,
    )  # fmt: skip


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name)


def benchmark(
    tools: list[Tool], target: Target, settings: Settings, cwd: Path | None = None
) -> None:
    """Warm-up runs (page cache, rule caches, byte-compiled modules), then the timed runs,
    every tool once per round, the order rotated round by round."""
    for _ in range(settings.warmup):
        for tool in tools:
            warm = run_tool(tool, target, settings, cwd)
            if not warm.ok:
                print(f"  warm-up of {tool.name} failed (exit {warm.exit_code}): {warm.error}")
    for round_number in range(settings.runs):
        shift = round_number % len(tools)
        for tool in tools[shift:] + tools[:shift]:
            run = run_tool(tool, target, settings, cwd)
            target.runs.append(run)
            status = "" if run.ok else f"  FAILED exit {run.exit_code}: {run.error[:300]}"
            print(
                f"  {target.label} run {round_number + 1}/{settings.runs} {tool.name}: "
                f"{run.wall:.2f} s wall, {run.cpu:.2f} s CPU, {run.max_rss_mb:.0f} MB{status}",
                file=sys.stderr,
            )


# ---------------------------------------------------------------------------------------------
# Tables


@dataclass
class Summary:
    tool: str
    runs: int
    failed: int
    wall: float
    wall_min: float
    wall_max: float
    cpu: float
    max_rss_mb: float
    tree_rss_mb: float | None
    findings: int | None
    command: str


def summarize(target: Target, tools: list[Tool]) -> list[Summary]:
    rows = []
    for tool in tools:
        runs = [run for run in target.runs if run.tool == tool.name]
        good = [run for run in runs if run.ok] or runs
        if not runs:
            continue
        walls = [run.wall for run in good]
        trees = [run.tree_rss_mb for run in good if run.tree_rss_mb is not None]
        counts = {run.findings for run in good}
        rows.append(
            Summary(
                tool=tool.name,
                runs=len(runs),
                failed=sum(not run.ok for run in runs),
                wall=statistics.median(walls),
                wall_min=min(walls),
                wall_max=max(walls),
                cpu=statistics.median(run.cpu for run in good),
                max_rss_mb=max(run.max_rss_mb for run in good),
                tree_rss_mb=max(trees) if trees else None,
                findings=counts.pop() if len(counts) == 1 else None,
                command=shlex.join(runs[-1].argv),
            )
        )
    return rows


def identical_findings(target: Target) -> bool | None:
    """Whether every leakguard run (every --jobs value) reported the very same findings."""
    identities = [json.dumps(r.identity) for r in target.runs if r.identity is not None and r.ok]
    return None if not identities else len(set(identities)) == 1


def markdown(target: Target, tools: list[Tool], *, precommit: bool) -> str:
    rows = summarize(target, tools)
    leakguards = [row for row in rows if row.tool.startswith("leakguard")]
    scale = 1000 if precommit else 1
    unit = "ms" if precommit else "s"

    def t(value: float) -> str:
        return f"{value * scale:.0f}" if precommit else f"{value:.2f}"

    header = [
        "tool",
        f"wall {unit}, median (min-max)",
        f"CPU {unit} (user+sys)",
        "peak RSS MB (largest process)",
        "peak RSS MB (tree sum)",
    ]
    if not precommit:
        header.append("findings")
    header += [f"{lg.tool} ÷ tool (wall)" for lg in leakguards]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for row in rows:
        failed = f" ({row.failed} of {row.runs} runs FAILED)" if row.failed else ""
        cells = [
            f"{row.tool}{failed}",
            f"{t(row.wall)} ({t(row.wall_min)}-{t(row.wall_max)})",
            t(row.cpu),
            f"{row.max_rss_mb:.0f}",
            "-" if row.tree_rss_mb is None else f"{row.tree_rss_mb:.0f}",
        ]
        if not precommit:
            cells.append("varies" if row.findings is None else str(row.findings))
        cells += [f"{lg.wall / row.wall:.2f}" for lg in leakguards]
        lines.append("| " + " | ".join(cells) + " |")
    same = identical_findings(target)
    if same is not None:
        lines.append("")
        lines.append(
            "leakguard findings identical in every run and every --jobs value: "
            + ("yes" if same else "**NO**")
        )
    lines.append("")
    lines.append("Commands (the last timed run of each):")
    lines.append("")
    lines.append("```")
    lines.extend(f"{row.tool}: {row.command}" for row in rows)
    lines.append("```")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Facts about the machine and the repositories


def machine_facts(wrapper: list[str]) -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    git = subprocess.run(["git", "--version"], capture_output=True, text=True, check=False)
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": cpu,
        "cpus": len(os.sched_getaffinity(0)),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "git": git.stdout.strip(),
        "network": "cut (" + " ".join(wrapper) + ")" if wrapper else "not cut",
        "loadavg_start": os.getloadavg(),
        "pythonpath": os.environ.get("PYTHONPATH", ""),
    }


def repository_facts(path: Path) -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(path), *args], capture_output=True, text=True, check=False
        ).stdout.strip()

    commits = git("rev-list", "--all", "--count")
    return {"commits": int(commits) if commits.isdigit() else None}


# ---------------------------------------------------------------------------------------------
# The pre-commit scenario


PRECOMMIT_FILES = {
    # path: (kind, already in HEAD)
    "src/wijken/api.py": ("py", True),
    "frontend/src/components/MeldingForm.tsx": ("ts", True),
    "deploy/helm/values.yaml": ("yaml", True),
    "frontend/src/locales/nl.json": ("json", False),
    "docs/architectuur.md": ("md", False),
}
PRECOMMIT_LINES = 40  # added per file: 5 x 40 = 200


def precommit_line(kind: str, rng: random.Random, number: int) -> str:
    word = rng.choice(["melding", "wijk", "status", "categorie", "locatie", "afdeling", "token"])
    value = rng.randrange(1000)
    if kind == "py":
        return f"    {word}_{number} = settings.get({word!r}, default={value})  # stap {number}"
    if kind == "ts":
        return f"  const {word}{number} = use{word.title()}(props.{word}, {value}); // {number}"
    if kind == "yaml":
        return f"  {word}{number}: {{ enabled: true, replicas: {value % 5 + 1} }}"
    if kind == "json":
        return f'  "{word}.{number}": "Tekst voor {word} nummer {number}",'
    return f"- De {word} wordt in stap {number} verwerkt ({value} per dag)."


def build_precommit_repo(root: Path) -> list[str]:
    """A repository with one commit and a staged change of 5 files, 200 added lines."""
    rng = random.Random(20261128)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
        "GIT_AUTHOR_DATE": "2026-01-01T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-01-01T12:00:00+00:00",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True)

    root.mkdir(parents=True)
    git("init", "-q", "-b", "main")
    for path, (kind, in_head) in PRECOMMIT_FILES.items():
        if in_head:
            lines = [precommit_line(kind, rng, n) for n in range(60)]
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text("\n".join(lines) + "\n")
    git("add", "-A")
    git("commit", "-q", "-m", "Eerste versie")
    for path, (kind, _) in PRECOMMIT_FILES.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        old = target.read_text() if target.exists() else ""
        added = [precommit_line(kind, rng, 100 + n) for n in range(PRECOMMIT_LINES)]
        target.write_text(old + "\n".join(added) + "\n")
    git("add", "-A")
    return list(PRECOMMIT_FILES)


# ---------------------------------------------------------------------------------------------


def parse_jobs(text: str | None) -> list[int | None]:
    if not text:
        return [None]
    try:
        values = [int(part) for part in text.split(",")]
    except ValueError:
        raise SystemExit(f"--jobs wants N or N,M,..., got {text!r}") from None
    if any(value < 1 for value in values):
        raise SystemExit("--jobs values must be at least 1")
    return list(dict.fromkeys(values))


def _stop_on_sigterm() -> None:
    def stop(_signal: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def main(argv: list[str] | None = None) -> int:
    _stop_on_sigterm()
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("repos", nargs="*", type=Path, help="repositories to scan (full history)")
    parser.add_argument("--runs", type=int, help="timed runs per tool (default 3; 15 --precommit)")
    parser.add_argument("--warmup", type=int, help="untimed runs per tool first (default 1; 2)")
    parser.add_argument(
        "--jobs",
        help="passed to leakguard as --jobs; N,M,... runs leakguard once per value "
        "(default: leakguard's own default, all cores)",
    )
    parser.add_argument("--json", type=Path, help="write every run and the summaries here")
    parser.add_argument(
        "--peer",
        action="append",
        default=[],
        metavar="NAME=TEMPLATE",
        help="add or replace a peer: a command line with {repo} {report} {cache} {files}",
    )
    parser.add_argument("--skip", action="append", default=[], metavar="NAME", help="leave out")
    parser.add_argument("--no-peers", action="store_true", help="leakguard only")
    parser.add_argument(
        "--leakguard",
        metavar="COMMAND",
        help="how to start leakguard (default: the leakguard next to this Python, or -m)",
    )
    parser.add_argument(
        "--precommit", action="store_true", help="time a 5-file/200-line staged scan instead"
    )
    parser.add_argument(
        "--drop-caches",
        action="store_true",
        help="drop the page cache before every run (root only): a cold start from disk",
    )
    parser.add_argument(
        "--network",
        choices=["auto", "cut", "keep"],
        default="auto",
        help="cut: run every tool without network (unshare -n); auto: cut it when possible",
    )
    parser.add_argument(
        "--sample-interval",
        type=float,
        default=0.05,
        help="seconds between samples of the process tree's RSS (0: do not sample)",
    )
    parser.add_argument("--work-dir", type=Path, help="for reports and caches (default: temp)")
    args = parser.parse_args(argv)

    if args.precommit and args.repos:
        parser.error("--precommit builds its own repository: give no REPO")
    if not args.precommit and not args.repos:
        parser.error("give at least one REPO, or --precommit")
    for repo in args.repos:
        if not (repo / ".git").exists() and not (repo / "HEAD").exists():
            parser.error(f"{repo} is not a git repository")
    if args.drop_caches and os.geteuid() != 0:
        parser.error("--drop-caches needs root")
    runs = args.runs if args.runs is not None else (15 if args.precommit else 3)
    warmup = args.warmup if args.warmup is not None else (2 if args.precommit else 1)
    if runs < 1 or warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")

    prefix = leakguard_prefix(args.leakguard)
    tools = leakguard_tools(prefix, parse_jobs(args.jobs), args.precommit) + peer_tools(args)
    for tool in tools:
        if tool.is_leakguard:
            tool.version = leakguard_version(prefix)
    wrapper = network_wrapper(args.network)

    with _work_dir(args.work_dir) as work:
        settings = Settings(runs, warmup, args.sample_interval, wrapper, work, args.drop_caches)
        facts = machine_facts(wrapper)
        targets: list[Target] = []
        if args.precommit:
            repo = work / "precommit-repo"
            settings.files = build_precommit_repo(repo)
            target = Target("pre-commit, 5 files / 200 added lines", repo)
            benchmark(tools, target, settings, cwd=repo)
            targets.append(target)
        else:
            for path in args.repos:
                target = Target(path.resolve().name, path.resolve(), repository_facts(path))
                print(f"{target.label}: {len(tools)} tools x {runs} runs", file=sys.stderr)
                benchmark(tools, target, settings)
                targets.append(target)
        facts["loadavg_end"] = os.getloadavg()

    print(render(facts, tools, targets, settings, precommit=args.precommit))
    if args.json:
        args.json.write_text(json.dumps(results(facts, tools, targets, settings), indent=1) + "\n")
    failed = any(not run.ok for target in targets for run in target.runs)
    differs = any(identical_findings(target) is False for target in targets)
    return 1 if failed or differs else 0


@contextlib.contextmanager
def _work_dir(given: Path | None) -> Iterator[Path]:
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        yield given.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="leakguard-compare-") as name:
        yield Path(name)


def render(
    facts: dict[str, Any],
    tools: list[Tool],
    targets: list[Target],
    settings: Settings,
    *,
    precommit: bool,
) -> str:
    load = ", ".join(f"{value:.1f}" for value in facts["loadavg_start"])
    parts = [
        f"Machine: {facts['cpu']}, {facts['cpus']} CPUs, Linux {facts['kernel']}, "
        f"{facts['git']}, Python {facts['python']}; network {facts['network']}; "
        f"load average at start {load}; {facts['date']}.",
        f"Median of {settings.runs} runs after {settings.warmup} warm-up run(s) per tool, "
        "tools interleaved run by run"
        + ("; page cache dropped before every run." if settings.drop_caches else "."),
        "",
        "Versions: " + "; ".join(f"{tool.name}: {tool.version or '?'}" for tool in tools),
    ]
    if facts["pythonpath"]:
        parts.append(f"PYTHONPATH={facts['pythonpath']} (leakguard imported from there)")
    for target in targets:
        commits = target.facts.get("commits")
        title = f"### {target.label}" + (f" ({commits:,} commits)" if commits else "")
        parts += ["", title, "", markdown(target, tools, precommit=precommit)]
    return "\n".join(parts)


def results(
    facts: dict[str, Any], tools: list[Tool], targets: list[Target], settings: Settings
) -> dict[str, Any]:
    return {
        "machine": facts,
        "runs": settings.runs,
        "warmup": settings.warmup,
        "drop_caches": settings.drop_caches,
        "tools": [
            {"name": t.name, "template": t.template, "version": t.version, "ok_codes": t.ok_codes}
            for t in tools
        ],
        "targets": [
            {
                "label": target.label,
                "path": str(target.path),
                "facts": target.facts,
                "identical_leakguard_findings": identical_findings(target),
                "summary": [row.__dict__ for row in summarize(target, tools)],
                "runs": [
                    {key: value for key, value in run.__dict__.items() if key != "identity"}
                    for run in target.runs
                ],
            }
            for target in targets
        ],
    }


if __name__ == "__main__":
    sys.exit(main())
