"""Render template jobs: skip those whose inputs did not change, spread the rest over processes.

A job's fingerprint covers everything its page is made from: the templates,
the config, the data files, the variables every page shares, the job's own
variables and, for every post it shows, a hash of exactly the fields it can
see (a Link or a Card never carries the body). Equal fingerprints mean equal
bytes, and a page is skipped only while its file keeps the size and mtime it
was written with.
"""

from __future__ import annotations

import io
import json
import os
import pickle
from collections.abc import Callable
from dataclasses import fields, is_dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2

from sitegen import templates, workers, writer
from sitegen.cache import BuildState, digest
from sitegen.context import Job
from sitegen.kinds import Card, Link, Post
from sitegen.problems import Problem

# out, staged file (None: unchanged), problems (None: a splice that could not be done)
Rendered = tuple[str, Path | None, list[Problem] | None]


class Fingerprints:
    """Hashes of posts and their views, each computed once per build."""

    def __init__(self, base: str, post_digests: dict[str, str] | None = None,
                 views: dict[str, str] | None = None, hide_list_views: bool = False) -> None:
        self.base = base
        # When no page template shows a listed post's `views` (templates.lists_show_views), Links and
        # Cards are known without them: a change of counts re-renders only the pages that show them.
        self.hide_list_views = hide_list_views
        self.post_digests = post_digests or {}  # a whole Post is known by its compile key and images
        self.views = {} if views is None else views  # view digests by post digest, kept between builds
        self.memo: dict[tuple[str, str], str] = {}

    def of_item(self, item: Post | Link | Card) -> str:
        key = (type(item).__name__, item.source)
        if key not in self.memo:
            post_digest = self.post_digests.get(item.source)
            if isinstance(item, Post) and post_digest:
                self.memo[key] = post_digest
                return post_digest
            kind = key[0]
            if self.hide_list_views and not isinstance(item, Post):
                item, kind = replace(item, views=0), kind + "~"
            if post_digest:  # a view of a known post version: hash its fields once, ever
                view_key = f"{kind}:{post_digest}"
                if view_key not in self.views:
                    self.views[view_key] = digest(kind, dump(plain(item, None)))
                self.memo[key] = self.views[view_key]
            else:
                self.memo[key] = digest(kind, dump(plain(item, None)))
        return self.memo[key]

    def of_job(self, job: Job) -> str:
        """Pickled with every post replaced by its hash: pickle is fast, and equal bytes mean equal values."""
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=5)
        pickler.dispatch_table = self._table  # type: ignore[misc]
        pickler.dump(job.context)
        return digest(self.base, job.template, job.out, buffer.getvalue())

    @property
    def _table(self) -> dict[type, Any]:
        def by_hash(item: Post | Link | Card) -> tuple[type, tuple[str]]:
            return str, ("#" + self.of_item(item),)

        return {Post: by_hash, Link: by_hash, Card: by_hash}


def dump(value: Any) -> str:
    """Compact, sorted JSON: equal values give equal text."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def plain(value: Any, prints: Fingerprints | None) -> Any:
    """A JSON picture of a template value; with `prints`, posts and their views by their hashes."""
    if prints is not None and isinstance(value, (Post, Link, Card)):
        return "#" + prints.of_item(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if is_dataclass(value):
        return [type(value).__name__] + [plain(getattr(value, f.name), prints) for f in fields(value)]
    if isinstance(value, dict):
        return {str(k): plain(v, prints) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v, prints) for v in value]
    return repr(value)


def templates_digest(site_dir: Path, config_bytes: bytes, theme: tuple[Path, ...] = ()) -> str:
    """Generator version, every template file of the site, its parent themes and the default theme
    (with their words), config."""
    from sitegen import __version__

    parts: list[str | bytes] = [__version__, config_bytes]
    for folder in templates.template_dirs(site_dir, theme):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
        parts.append("|")
    return digest(*parts)


def base_fingerprint(templates_key: str, shared: dict[str, Any], prints: Fingerprints) -> str:
    """Everything every page depends on: templates and config, and the variables all pages share."""
    return digest(templates_key, dump(plain(shared, prints)))


PageRecord = tuple[str, int, int, str]  # fingerprint, size, mtime, fingerprint without the shared partials


def intact(out: Path, rel: str, record: PageRecord | None, fingerprint: str, field: int = 0) -> bool:
    """The file still holds what was written under `fingerprint` (record[field]): same size and mtime."""
    if record is None or record[field] != fingerprint:
        return False
    try:
        info = os.stat(os.path.join(out, rel))
    except OSError:
        return False
    return (info.st_size, info.st_mtime_ns) == record[1:3]


def splice_one(out: Path, rel: str, changes: list[tuple[bytes, bytes]]) -> tuple[Path | None, bool]:
    """Put the new shared partials in place of the old ones in an intact page: (staged file, done).

    Not done when an old partial shows more than once: which of them came from
    shared_include is then unknown, so the page is rendered instead.
    """
    page = (out / rel).read_bytes()
    for old, new in changes:
        count = page.count(old)
        if count > 1:
            return None, False
        if count:
            page = page.replace(old, new)
    return writer.stage_if_changed(out, rel, page), True


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


def record_pages(state: BuildState, out: Path, written: dict[str, tuple[str, str]],
                 locate: Callable[[str], str] | None = None) -> None:
    """Remember the fingerprints, size and mtime of each page written or confirmed this build.

    `locate` gives where a page's file is when it is not in place yet (a prepared group commit).
    """
    for rel, (fingerprint, own) in written.items():
        try:
            info = os.stat(locate(rel) if locate else os.path.join(out, rel))
        except OSError:
            continue
        record = (fingerprint, info.st_size, info.st_mtime_ns, own)
        if state.pages.get(rel) != record:
            state.pages[rel] = record
            state.dirty = True
