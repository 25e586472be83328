"""Spread chunks of work over forked worker processes, results in input order."""

from __future__ import annotations

import os
import signal
import threading
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
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            for chunk in pool.map(work, chunks):
                yield from chunk
    finally:
        _INHERITED.clear()


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """In a new worker: end it when the build that forked it dies, even by SIGKILL, so no worker outlives it.

    Linux sends the worker SIGKILL itself (prctl PR_SET_PDEATHSIG); elsewhere a thread
    watches for the parent to go. A parent gone before either was set up ends the worker now.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError):  # not Linux
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        threading.Event().wait(1.0)
    os._exit(1)
