"""Render template jobs, or splice new shared partials into pages, spread over processes.

Which pages to render or splice is the incremental package's choice (sitegen/incremental).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from sitegen import templates, workers, writer
from sitegen.context import Job
from sitegen.problems import Problem

# out, staged file (None: unchanged), problems (None: a splice that could not be done, or a job whose
# body is lost: the caller renders it)
Rendered = tuple[str, str | Path | None, list[Problem] | None]


def splice_one(out: Path, rel: str, changes: list[tuple[bytes, bytes]], spare: str | None = None,
               written: tuple[int, int] | None = None) -> tuple[str | None, bool]:
    """Put the new shared partials in place of the old ones in an intact page: (staged file, done).

    Not done when the page's file is gone or, with `written` (its size and
    mtime as the last build wrote it), no longer that file; nor when an old
    partial shows more than once, or two of them overlap: which of them came
    from shared_include is then unknown. The page is then rendered instead.
    Each old partial is found in the page as written, and the new page is
    joined from slices of it in one go, then written into `spare`
    (writer.stage_into_spare) when the transaction assigned one.
    """
    page = _read(os.path.join(out, rel), written)
    if page is None:
        return None, False
    spans = []
    for old, new in changes:
        at = page.find(old)
        if at < 0:
            continue
        if page.find(old, at + len(old)) >= 0:
            return None, False
        spans.append((at, at + len(old), new))
    if not spans:
        return None, True
    spans.sort()
    parts, last = [], 0
    for start, end, new in spans:
        if start < last:  # two partials overlap
            return None, False
        parts += [page[last:start], new]
        last = end
    parts.append(page[last:])
    return writer.stage_into_spare(out, rel, b"".join(parts), spare), True


def _read(path: str, written: tuple[int, int] | None) -> bytes | None:
    """The bytes of the file at `path`; None if there is none, or it is not the one `written` describes."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if written is not None and (info.st_size, info.st_mtime_ns) != written:
            return None
        parts = [os.read(fd, info.st_size + 1)]
        while parts[-1] and len(parts) < 64:  # a file that grew since the fstat
            parts.append(os.read(fd, 1 << 20))
        return b"".join(parts)
    finally:
        os.close(fd)


def render_one(env: jinja2.Environment, shared: dict[str, Any], job: Job, out: Path | None,
               spare: str | None = None) -> Rendered:
    """Render `job` and stage its page if it changed, into `spare` when the transaction assigned it one."""
    page, found = templates.render(env, job.template, {**shared, **job.context})
    if page is None or out is None:
        return job.out, None, found
    return job.out, writer.stage_if_changed(out, job.out, page.encode("utf-8"), assigned=spare), found


def _render_chunk(indices: list[int]) -> list[Rendered]:
    work = workers.inherited()
    jobs, splices, out, prepare = work["jobs"], work["splices"], work["out"], work["prepare"]
    done: list[Rendered] = []
    for i in indices:
        if i < len(jobs):
            job = prepare(jobs[i])
            done.append(render_one(work["env"], work["shared"], job, out, work["spares"][i]) if job is not None
                        else (jobs[i].out, None, None))
        else:
            at = i - len(jobs)
            changes = work["changes"] + work["own"][at]  # the shared partials and the page's own
            staged, spliced = splice_one(out, splices[at], changes, work["spares"][i], work["written"][at])
            done.append((splices[i - len(jobs)], staged, [] if spliced else None))
    return done


def _as_it_is(job: Job) -> Job:
    return job


def render_jobs(env: jinja2.Environment, shared: dict[str, Any], jobs: list[Job], out: Path | None,
                worker_count: int, splices: list[str] | None = None,
                changes: list[tuple[bytes, bytes]] | None = None,
                spares: list[str | None] | None = None,
                written: list[tuple[int, int] | None] | None = None,
                prepare: Callable[[Job], Job | None] | None = None,
                own: list[list[tuple[bytes, bytes]]] | None = None) -> list[Rendered]:
    """Render `jobs` (staging changed files under `out` unless None), in order, maybe in parallel.

    Each job is first passed through `prepare` (in the worker: reading the bodies of its posts), and
    one it gives None for comes back with None for its problems, to be rendered by the caller.

    `splices` are pages under `out` that only need `changes` (old partial, new
    partial) made, provided its file still has the size and mtime in `written`; one that
    cannot be spliced comes back with None for its problems. `own`: the changes each of
    them needs besides (an article's "Các tin khác").

    `spares`: for each job, then each splice, the spare file (spare.Spares.assign) its page is written
    into if it changed; None, or no list: staged as any file.
    """
    splices = splices or []
    return workers.spread(_render_chunk, list(range(len(jobs) + len(splices))), worker_count,
                          env=env, shared=shared, jobs=jobs, out=out, splices=splices, changes=changes or [],
                          prepare=prepare or _as_it_is,
                          spares=spares or [None] * (len(jobs) + len(splices)),
                          written=written or [None] * len(splices),
                          own=own or [[]] * len(splices))
