"""Spread chunks of work over forked worker processes, results in input order."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
THRESHOLD = 64  # fewer items than this run in-process: starting a pool costs more than it saves
_INHERITED: dict[str, Any] = {}  # set before forking; the workers read it through inherited()


def count(requested: int) -> int:
    """Worker processes to use: as asked, or one per core."""
    return requested if requested > 0 else (os.cpu_count() or 1)


def inherited() -> dict[str, Any]:
    """What `spread` handed to the workers (and to an in-process run) for this call."""
    return _INHERITED


def spread(work: Callable[[list[T]], list[R]], items: list[T], workers: int, **inherit: Any) -> list[R]:
    """work(chunk) over `items` in up to `workers` forked processes; `inherit` is shared by forking, not pickling."""
    return list(stream(work, items, workers, **inherit))


def stream(work: Callable[[list[T]], list[R]], items: list[T], workers: int, **inherit: Any) -> Iterator[R]:
    """As `spread`, but results come out in order as their chunks finish, so the caller can use
    them while the workers go on."""
    _INHERITED.update(inherit)
    try:
        if workers <= 1 or len(items) < THRESHOLD:
            yield from work(items)
            return
        import multiprocessing  # here: a small rebuild never needs it, and it is slow to import
        from concurrent.futures import ProcessPoolExecutor

        if "fork" not in multiprocessing.get_all_start_methods():
            yield from work(items)
            return
        # Small chunks: the last ones finish close together, so no worker waits long for the other.
        size = max(8, len(items) // (workers * 32))
        chunks = [items[i: i + size] for i in range(0, len(items), size)]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for chunk in pool.map(work, chunks):
                yield from chunk
    finally:
        _INHERITED.clear()
