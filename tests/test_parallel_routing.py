"""Which worker gets which unit: a path's versions go to one worker, and no worker idles while
another has units waiting; and what a worker's answer carries back. The scans themselves
(findings with any --jobs, workers that die) are tested against real repositories in
test_history.py and test_hostile_faults.py."""

from __future__ import annotations

import pickle
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

from leakguard.models import IssueKind, Origin, ScanIssue, ScanStats
from leakguard.parallel import BATCH, Router, Worker, _answer, _result
from leakguard.scan import UnitResult
from leakguard.sources import ScanUnit


def worker() -> Worker:
    # Routing reads only the queues: no process or pipe behind this one.
    none: Any = None
    return Worker(process=none, connection=none, begun=none)


def versions(paths: int, commits: int) -> Iterator[ScanUnit]:
    """The changed files of `commits` commits, each changing one to five of `paths` files."""
    choose = random.Random(7)
    sequence = 0
    for _ in range(commits):
        for index in choose.sample(range(paths), choose.randint(1, 5)):
            yield ScanUnit(f"src/file{index}.py", Origin.GIT, sequence)
            sequence += 1


def drain(router: Router, workers: list[Worker]) -> dict[str, Counter[int]]:
    """Take batches in turn, as the dispatcher does for workers that keep up; which worker got
    each path's versions."""
    got: dict[str, Counter[int]] = {}
    while True:
        batches = [router.batch_for(each, workers) for each in workers]
        if not any(batches):
            return got
        for number, batch in enumerate(batches):
            for unit in batch:
                got.setdefault(unit.path, Counter())[number] += 1


def test_the_versions_of_a_path_go_to_one_worker_as_far_as_the_load_allows() -> None:
    """Each path has a home worker. Handed out in batches of 64 in turn, with no routing, a
    path's versions are split about evenly between two workers."""
    workers = [worker(), worker()]
    units = list(versions(paths=40, commits=400))
    got = drain(Router(iter(units)), workers)
    at_home = sum(max(counts.values()) for counts in got.values())
    assert at_home >= 0.85 * len(units)
    shares = [sum(counts[number] for counts in got.values()) for number in (0, 1)]
    assert abs(shares[0] - shares[1]) <= 2 * BATCH


def test_a_worker_behind_gets_no_new_paths() -> None:
    """A worker busy with a large file keeps that file's versions; new paths go to the other."""
    workers = [worker(), worker()]
    lock_file = [ScanUnit("package-lock.json", Origin.GIT, n) for n in range(150)]
    others = [ScanUnit(f"src/file{n}.py", Origin.GIT, 150 + n) for n in range(100)]
    router = Router(iter([*lock_file, *others]))

    first = router.batch_for(workers[0], workers)
    second = router.batch_for(workers[1], workers)

    assert {unit.path for unit in first} == {"package-lock.json"}
    assert {unit.path for unit in workers[0].waiting} == {"package-lock.json"}
    assert len(second) == BATCH
    assert {unit.path for unit in second} <= {unit.path for unit in others}


def test_a_worker_without_units_of_its_own_takes_another_workers_with_their_paths() -> None:
    workers = [worker(), worker()]
    router = Router(ScanUnit("package-lock.json", Origin.GIT, n) for n in range(1000))
    router.batch_for(workers[0], workers)  # the first versions, and the file's home: worker 0

    # The next versions wait for worker 0; worker 1, with nothing of its own, takes some.
    taken = router.batch_for(workers[1], workers)
    assert len(taken) == BATCH
    assert workers[0].waiting

    # The versions after those follow the path to worker 1.
    following = router.batch_for(workers[1], workers)
    assert len(following) == BATCH
    assert min(unit.sequence for unit in following) > max(u.sequence for u in workers[0].waiting)


def test_units_routed_to_a_dead_worker_go_to_the_others() -> None:
    workers = [worker(), worker(), worker()]
    router = Router(versions(paths=30, commits=40))
    router.batch_for(workers[0], workers)  # fills every queue a little
    dead = max(workers, key=lambda each: len(each.waiting))
    held = list(dead.waiting)
    assert held
    live = [each for each in workers if each is not dead]
    router.reroute(dead, live)
    assert not dead.waiting
    waiting = [unit for each in live for unit in each.waiting]
    assert set(held) <= set(waiting)


def test_every_unit_is_handed_out_once() -> None:
    workers = [worker(), worker()]
    units = list(versions(paths=7, commits=300))
    handed: list[ScanUnit] = []
    router = Router(iter(units))
    while batches := [router.batch_for(each, workers) for each in workers]:
        if not any(batches):
            break
        for batch in batches:
            handed.extend(batch)
    assert router.exhausted
    assert sorted(handed) == sorted(units)


def test_an_answer_carries_back_every_count_of_a_unit() -> None:
    """A unit that held nothing is answered with its counts alone: a field of `ScanStats` that
    the short answer left out would be lost without a word."""
    unit = ScanUnit("src/app.py", Origin.GIT, 0)
    results = [UnitResult(unit, stats=ScanStats(fragments=1, bytes=2000, lines=40))]
    for each in fields(ScanStats):
        stats = ScanStats(fragments=1, bytes=2000, lines=40)
        issue = ScanIssue(IssueKind.BINARY, unit.path, "binary content")
        setattr(stats, each.name, [issue] if each.name == "issues" else 7)
        results.append(UnitResult(unit, stats=stats))

    for result in results:
        back = _result(unit, pickle.loads(pickle.dumps(_answer(result))))
        assert back.stats == result.stats
        assert back.unit == unit
