"""From configuration and options to what a scan runs: its rules, detector and filter chain.

The order of the filter chain is the order decisions are explained in, and decides what
`--report-unused` calls unused: comments in the file first, then the configured allowlists,
then the baseline last, so that a baseline entry that an allowlist already covers shows up as
unused and can be cleaned up.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from leakguard.config import DEFAULT_BASELINE, Config, builtin_rules
from leakguard.detectors.engine import Detector
from leakguard.filters import Filter, FilterChain
from leakguard.models import Finding, Severity
from leakguard.ruleset import RuleSet

if TYPE_CHECKING:
    from leakguard.baseline import Baseline
    from leakguard.runner import Options


class ScanSetup(NamedTuple):
    config: Config
    detector: Detector
    filters: FilterChain
    baseline: Baseline | None
    fail_on: Severity

    def failing(self, findings: Sequence[Finding]) -> list[Finding]:
        """The findings that fail the build: those at or above `fail_on`."""
        return [finding for finding in findings if finding.severity >= self.fail_on]


def known_rule_ids(config: Config, active: RuleSet) -> set[str]:
    """Every rule id a comment may name: active, disabled and built-in ones."""
    known = {rule.id for rule in active} | {rule.id for rule in config.custom_rules}
    known.update(rule.id for rule in builtin_rules())
    return known


def choose_baseline(option: Path | None, config: Config, root: Path | None) -> Baseline | None:
    """`--baseline FILE`, else the configured one, else `.leakguard-baseline.json` in the root
    of the scan when it exists. A file named explicitly (option or configuration) must exist."""
    default = (root if root is not None else Path.cwd()) / DEFAULT_BASELINE
    chosen = option or config.baseline or (default if default.is_file() else None)
    if chosen is None:
        return None  # as for most scans: the baseline module is not even imported
    from leakguard.baseline import load_baseline

    return load_baseline(chosen)


def build_filters(
    config: Config,
    rules: RuleSet,
    root: Path | None,
    baseline: Baseline | None,
    extra: Sequence[Filter] = (),
) -> FilterChain:
    """`root`: the directory scanned paths are relative to (the repository, or the current
    directory for files and standard input)."""
    from leakguard.filters.inline import InlineAllowFilter

    filters: list[Filter] = [InlineAllowFilter(known_rule_ids(config, rules))]
    if config.allowlists:
        from leakguard.filters.commits import CommitAllowFilter
        from leakguard.filters.paths import PathAllowFilter
        from leakguard.filters.patterns import PatternAllowFilter
        from leakguard.filters.stopwords import StopwordFilter

        filters.extend(
            [
                PathAllowFilter(config.allowlists, config.source, root),
                CommitAllowFilter(config.allowlists, config.source),
                PatternAllowFilter(config.allowlists, config.source),
                StopwordFilter(config.allowlists, config.source),
            ]
        )
    if baseline is not None:
        from leakguard.filters.baseline import BaselineFilter

        filters.append(BaselineFilter(baseline, root))
    filters.extend(extra)
    return FilterChain(filters)


def build_setup(
    config: Config,
    root: Path | None,
    *,
    engine: str = "auto",
    ner_model: str | None = None,
    baseline: Baseline | None = None,
    fail_on: Severity | None = None,
    extra_filters: Sequence[Filter] = (),
) -> ScanSetup:
    rules = config.rules()
    detector = Detector(rules, engine=engine, settings=config.detection_settings(ner_model))
    return ScanSetup(
        config=config,
        detector=detector,
        filters=build_filters(config, rules, root, baseline, extra_filters),
        baseline=baseline,
        fail_on=config.fail_on if fail_on is None else fail_on,
    )


def setup_for_scan(options: Options, root: Path | None) -> ScanSetup:
    """What a scanning command runs, from its options and the configuration they lead to."""
    from leakguard.config import find_config

    config = find_config(options.config, root)
    return build_setup(
        config,
        root if root is not None else Path.cwd(),
        engine=options.engine,
        ner_model=options.ner_model,
        baseline=choose_baseline(options.baseline, config, root),
        fail_on=Severity.parse(options.fail_on) if options.fail_on else None,
    )
