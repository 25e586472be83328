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
from dataclasses import fields, is_dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2

from sitegen import templates, workers, writer
from sitegen.cache import BuildState, digest
from sitegen.context import Job
from sitegen.model import Card, Link, Post
from sitegen.problems import Problem

Rendered = tuple[str, Path | None, list[Problem]]  # out, staged file (None: unchanged), problems


class Fingerprints:
    """Hashes of posts and their views, each computed once per build."""

    def __init__(self, base: str, post_digests: dict[str, str] | None = None,
                 views: dict[str, str] | None = None) -> None:
        self.base = base
        self.post_digests = post_digests or {}  # a whole Post is known by its compile key and images
        self.views = {} if views is None else views  # view digests by post digest, kept between builds
        self.memo: dict[tuple[str, str], str] = {}

    def of_item(self, item: Post | Link | Card) -> str:
        key = (type(item).__name__, item.source)
        if key not in self.memo:
            post_digest = self.post_digests.get(item.source)
            if isinstance(item, Post) and post_digest:
                self.memo[key] = post_digest
            elif post_digest:  # a view of a known post version: hash its fields once, ever
                view_key = f"{key[0]}:{post_digest}"
                if view_key not in self.views:
                    self.views[view_key] = digest(key[0], _dump(plain(item, None)))
                self.memo[key] = self.views[view_key]
            else:
                self.memo[key] = digest(key[0], _dump(plain(item, None)))
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


def _dump(value: Any) -> str:
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


def templates_digest(site_dir: Path, config_bytes: bytes) -> str:
    """Generator version, every template file of the site and the theme, UI strings, config."""
    from sitegen import __version__, ui

    parts: list[str | bytes] = [__version__, config_bytes, _dump(ui.UI_STRINGS)]
    for folder in (site_dir / "templates", templates.THEME_DIR / "templates"):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
        parts.append("|")
    return digest(*parts)


def base_fingerprint(templates_key: str, shared: dict[str, Any], prints: Fingerprints) -> str:
    """Everything every page depends on: templates and config, and the variables all pages share."""
    return digest(templates_key, _dump(plain(shared, prints)))


def intact(out: Path, rel: str, record: tuple[str, int, int] | None, fingerprint: str) -> bool:
    if record is None or record[0] != fingerprint:
        return False
    try:
        info = os.stat(os.path.join(out, rel))
    except OSError:
        return False
    return (info.st_size, info.st_mtime_ns) == record[1:]


def render_one(env: jinja2.Environment, shared: dict[str, Any], job: Job, out: Path | None) -> Rendered:
    page, found = templates.render(env, job.template, {**shared, **job.context})
    if page is None or out is None:
        return job.out, None, found
    return job.out, writer.stage_if_changed(out, job.out, page.encode("utf-8")), found


def _render_chunk(indices: list[int]) -> list[Rendered]:
    work = workers.inherited()
    return [render_one(work["env"], work["shared"], work["jobs"][i], work["out"]) for i in indices]


def render_jobs(env: jinja2.Environment, shared: dict[str, Any], jobs: list[Job], out: Path | None,
                worker_count: int) -> list[Rendered]:
    """Render `jobs` (staging changed files under `out` unless None), in order, maybe in parallel."""
    return workers.spread(_render_chunk, list(range(len(jobs))), worker_count,
                          env=env, shared=shared, jobs=jobs, out=out)


def record_pages(state: BuildState, out: Path, written: dict[str, str]) -> None:
    """Remember the fingerprint, size and mtime of each page written or confirmed this build."""
    for rel, fingerprint in written.items():
        try:
            info = os.stat(os.path.join(out, rel))
        except OSError:
            continue
        record = (fingerprint, info.st_size, info.st_mtime_ns)
        if state.pages.get(rel) != record:
            state.pages[rel] = record
            state.dirty = True
