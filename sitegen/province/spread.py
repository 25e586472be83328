"""The members' builds spread over forked worker processes, the biggest first.

A worker killed on its own (the out-of-memory killer, most often) breaks the
pool: the members built so far have their prepared writes undone, and the
output of each member stopped midway is put back as it was, before the
build reports it (cli.py).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sitegen import context, posts, templates, workers, writer
from sitegen.model import Config
from sitegen.province.members import Settings, member_output
from sitegen.template_use import shared_use

if TYPE_CHECKING:
    from concurrent.futures import Future

_GROUP: dict = {}  # the work, the job and the tasks, set before forking: the workers inherit them


def _task(index: int) -> Any:
    return _GROUP["work"](_GROUP["job"], _GROUP["tasks"][index])


def _warm(settings: Settings, cfg: Config) -> None:
    """Compile the province's and the default theme's templates, read what pages take from them and make
    the Markdown renderer here, before forking: every worker inherits them instead of doing it again (and
    the province's own build, in this process, finds them done too)."""
    env = templates.make_env(settings.site, cfg)
    templates.check_syntax(env, settings.site)  # its problems are each site's build's to report
    shared_use(env, context.TEMPLATES)
    posts.renderer_for(cfg)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def run_tasks(work: Callable[[Any, Any], Any], job: Any, tasks: Sequence[Any], count: int) -> list[Any]:
    """work(job, task) for each task, in up to `count` forked workers, the biggest first (each free worker
    takes the next); the outcomes in the tasks' order."""
    if count <= 1 or len(tasks) <= 1 or not _can_fork():
        return [work(job, task) for task in tasks]
    import multiprocessing
    from concurrent.futures import BrokenExecutor, ProcessPoolExecutor

    order = sorted(range(len(tasks)), key=lambda i: tasks[i].size, reverse=True)
    _warm(job.settings, tasks[0].cfg)
    _GROUP.update(work=work, job=job, tasks=tasks)
    try:  # the workers are forked on the first submit, before the pool starts its thread
        # Each worker dies with the build (workers.die_with_parent): one left running after the build was killed
        # would hold the locks of the outputs it inherited, and every later build would wait for it in vain.
        with ProcessPoolExecutor(min(count, len(tasks)), mp_context=multiprocessing.get_context("fork"),
                                 initializer=workers.die_with_parent, initargs=(os.getpid(),)) as pool:
            futures = {i: pool.submit(_task, i) for i in order}
            try:
                return [futures[i].result() for i in range(len(tasks))]
            except BrokenExecutor:
                pool.shutdown(wait=True)  # no worker is left writing
                _undo(job, tasks, futures)
                raise
    finally:
        _GROUP.clear()


def _undo(job: Any, tasks: Sequence[Any], futures: Mapping[int, Future]) -> None:
    """The prepared write of each member built aborted; the output of each one stopped midway cleared of what
    it staged (or removed, when its lock made it for this run)."""
    for index, future in futures.items():
        outcome = future.result() if future.done() and future.exception() is None else None
        if outcome is not None:
            if outcome.pending is not None:
                writer.abort_all([outcome.pending])
            continue
        member = tasks[index].member
        out = member_output(job.settings, member)
        if job.created.get(member.key, False):
            shutil.rmtree(out, ignore_errors=True)
        else:
            writer.remove_leftovers(out)
            (out / writer.BUILDING).unlink(missing_ok=True)
