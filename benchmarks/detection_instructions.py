"""A fixed piece of a history scan, for counting instructions with callgrind.

Wall time on the project's VM drifts by a third within a day; the instructions a piece of work
runs do not. This scans the history units of the most-changed paths of REPO (lock and cache
files left out: their cost is reading, not judging) in two `UnitScanner`s that take batches of
64 in turn, as two workers would, and prints the units and candidates it saw. Run it under
callgrind with each checkout on `PYTHONPATH`:

    PYTHONPATH=CHECKOUT valgrind --tool=callgrind \\
        python benchmarks/detection_instructions.py REPO --paths 300

and compare the "Collected" totals; the candidates must be the same.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from leakguard.config import Config
from leakguard.detectors.engine import Detector
from leakguard.scan import UnitScanner, scan_serially
from leakguard.sources.git import open_repository
from leakguard.sources.history import GitHistory

BATCH = 64


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--paths", type=int, default=300, help="most-changed paths scanned")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    history = GitHistory(open_repository(args.repo))
    units = list(history.units())
    versions = Counter(u.path for u in units if "lock" not in u.path and "cache" not in u.path)
    kept = {path for path, _ in versions.most_common(args.paths)}
    units = [unit for unit in units if unit.path in kept]
    rules = Config().rules()
    scanners = [UnitScanner(Detector(rules), history.reader()) for _ in range(args.workers)]
    candidates = 0
    try:
        for start in range(0, len(units), BATCH):
            scanner = scanners[start // BATCH % args.workers]
            for result in scan_serially(scanner, units[start : start + BATCH]):
                candidates += len(result.candidates)
    finally:
        for scanner in scanners:
            scanner.reader.close()
    print(f"{len(units)} units, {candidates} candidates")


if __name__ == "__main__":
    main()
