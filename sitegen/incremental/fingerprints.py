"""Fingerprints of pages: equal fingerprints mean equal bytes.

A job's fingerprint covers everything its page is made from: the templates,
the config, the data files, the variables every page shares, the job's own
variables and, for every post it shows, a hash of exactly the fields it can
see (a Link or a Card never carries the body). A page is skipped only while
its file keeps the size and mtime it was written with.
"""

from __future__ import annotations

import io
import os
import pickle
from dataclasses import replace
from pathlib import Path
from typing import Any

from sitegen import __version__, catalog, context, templates
from sitegen.hashing import digest, dump, plain
from sitegen.incremental.state import Ledger, PageRecord
from sitegen.kinds import Card, Link, Post


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

    def of_job(self, job: context.Job) -> str:
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


def templates_digest(site_dir: Path, config_bytes: bytes, theme: tuple[Path, ...] = ()) -> str:
    """Generator version, every template file of the site, its parent themes and the default theme
    (with their words), config."""
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


def intact(out: Path, rel: str, record: PageRecord | None, fingerprint: str, field: int = 0) -> bool:
    """The file still holds what was written under `fingerprint` (record[field]): same size and mtime."""
    if record is None or record[field] != fingerprint:
        return False
    try:
        info = os.stat(os.path.join(out, rel))
    except OSError:
        return False
    return (info.st_size, info.st_mtime_ns) == record[1:3]


class ArticleKeys:
    """Page fingerprints remembered between builds (in the cache, and in memory by `serve`) under a cheap key.

    An article page is made from its post, the Links of "Các tin khác" and what
    every page shares, so (base fingerprint, post digest, those Links' digests)
    determines it: when that key is unchanged, the article's context is not even
    built. A listing or the sitemap comes with the inputs its variables are made
    from (context.Job.inputs), which play the same part.
    """

    def __init__(self, ledger: Ledger, cat: catalog.Catalog, prints: Fingerprints) -> None:
        self.ledger = ledger
        self.memo = ledger.saved.articles
        self.cat = cat
        self.prints = prints
        self.pending: dict[str, str] = {}
        self.others: dict[tuple[str, str], list[str]] = {}

    def _others(self, post: Post) -> list[str]:
        """Digests of the Links of context.other_posts(post); the same for every post of a category
        but the few newest, so they are worked out once per category (and once for each of those)."""
        category = post.category.key if post.category else ""
        newest = self.cat.by_category[category][: context.OTHER_POSTS + 1]
        key = (category, post.source if any(p.source == post.source for p in newest) else "")
        if key not in self.others:
            links = self.cat.links(context.other_posts(self.cat, post))
            self.others[key] = [self.prints.of_item(link) for link in links]
        return self.others[key]

    def known(self, post: Post) -> bool:
        key = digest(self.prints.base, self.prints.of_item(post), *self._others(post))
        out = context.out_path(post.url)
        if self.memo.get(out, ("",))[0] == key:
            return True
        self.pending[out] = key
        return False

    def fingerprint(self, job: context.Job) -> str:
        if job.inputs is not None:
            key = digest(self.prints.base, job.template, job.out, dump(plain(job.inputs, self.prints)))
            if self.memo.get(job.out, ("",))[0] == key:
                return self.memo[job.out][1]
            self.pending[job.out] = key
            job = job.with_context()
        elif job.context is None:
            return self.memo[job.out][1]
        value = self.prints.of_job(job)
        if job.out in self.pending:
            self.memo[job.out] = (self.pending[job.out], value)
            self.ledger.scratch.dirty = True
        return value
