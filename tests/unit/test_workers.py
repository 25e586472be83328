"""sitegen.workers: work spread over forked processes comes back whole and in order."""

from __future__ import annotations

import os

from sitegen import workers


def _square_with_pid(chunk: list[int]) -> list[tuple[int, int]]:
    offset = workers.inherited()["offset"]
    return [(n * n + offset, os.getpid()) for n in chunk]


def test_results_come_back_in_order_from_several_processes() -> None:
    items = list(range(500))
    done = workers.spread(_square_with_pid, items, 2, offset=1)
    assert [value for value, _ in done] == [n * n + 1 for n in items]
    assert len({pid for _, pid in done} - {os.getpid()}) >= 1  # forked workers did the work
    assert workers.inherited() == {}  # nothing handed over outlives the call


def test_a_small_batch_runs_in_process() -> None:
    done = workers.spread(_square_with_pid, [1, 2, 3], 4, offset=0)
    assert done == [(1, os.getpid()), (4, os.getpid()), (9, os.getpid())]


def test_count_is_as_asked_or_one_per_core() -> None:
    assert workers.count(3) == 3 and workers.count(0) == (os.cpu_count() or 1)
