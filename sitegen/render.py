"""Render template jobs, or splice new shared partials into pages, spread over processes.

Which pages to render or splice is the incremental package's choice (sitegen/incremental).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import jinja2

from sitegen import templates, workers, writer
from sitegen.context import Job
from sitegen.problems import Problem

# out, staged file (None: unchanged), problems (None: a splice that could not be done)
Rendered = tuple[str, Path | None, list[Problem] | None]


def splice_one(out: Path, rel: str, changes: list[tuple[bytes, bytes]]) -> tuple[Path | None, bool]:
    """Put the new shared partials in place of the old ones in an intact page: (staged file, done).

    Not done when an old partial shows more than once, or two of them overlap:
    which of them came from shared_include is then unknown, so the page is
    rendered instead. Each old partial is found in the page as written, and the
    new page is joined from slices of it in one go.
    """
    page = _read(os.path.join(out, rel))
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
    return writer.stage_changed(out, rel, b"".join(parts)), True


def _read(path: str) -> bytes:
    with open(path, "rb", buffering=0) as handle:
        return handle.readall()


def render_one(env: jinja2.Environment, shared: dict[str, Any], job: Job, out: Path | None) -> Rendered:
    page, found = templates.render(env, job.template, {**shared, **job.context})
    if page is None or out is None:
        return job.out, None, found
    return job.out, writer.stage_if_changed(out, job.out, page.encode("utf-8")), found


def _render_chunk(indices: list[int]) -> list[Rendered]:
    work = workers.inherited()
    jobs, splices, out = work["jobs"], work["splices"], work["out"]
    done = []
    for i in indices:
        if i < len(jobs):
            done.append(render_one(work["env"], work["shared"], jobs[i], out))
        else:
            staged, spliced = splice_one(out, splices[i - len(jobs)], work["changes"])
            done.append((splices[i - len(jobs)], staged, [] if spliced else None))
    return done


def render_jobs(env: jinja2.Environment, shared: dict[str, Any], jobs: list[Job], out: Path | None,
                worker_count: int, splices: list[str] | None = None,
                changes: list[tuple[bytes, bytes]] | None = None) -> list[Rendered]:
    """Render `jobs` (staging changed files under `out` unless None), in order, maybe in parallel.

    `splices` are pages under `out` that only need `changes` (old partial, new
    partial) made; one that cannot be spliced comes back with None for its problems.
    """
    splices = splices or []
    return workers.spread(_render_chunk, list(range(len(jobs) + len(splices))), worker_count,
                          env=env, shared=shared, jobs=jobs, out=out, splices=splices, changes=changes or [])
