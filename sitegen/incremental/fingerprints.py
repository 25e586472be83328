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
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from sitegen import __version__, catalog, context, template_use, templates
from sitegen.hashing import digest, dump, plain
from sitegen.incremental.state import Ledger, PageRecord
from sitegen.kinds import Card, Link, Post


class Fingerprints:
    """Hashes of posts and their views, each computed once per build."""

    def __init__(self, base: str, post_digests: dict[str, str] | None = None,
                 views: dict[str, str] | None = None, hide_list_views: bool = False,
                 pages: tuple[str, Callable[[str], str]] | None = None,
                 spliced_others: bool = False) -> None:
        self.base = base  # every template, the config and the visible shared variables
        # (the visible shared variables, the key of a page template: TemplateKeys.of); None: `base` for all
        self.pages = pages
        self.bases: dict[str, str] = {}
        # When no page template shows a listed post's `views` (template_use.lists_show_views), Links and
        # Cards are known without them: a change of counts re-renders only the pages that show them.
        self.hide_list_views = hide_list_views
        self.post_digests = post_digests or {}  # a whole Post is known by its compile key and images
        self.views = {} if views is None else views  # view digests by post digest, kept between builds
        self.memo: dict[tuple[str, str], str] = {}
        # "Các tin khác" is spliced (others.py): an article's `others` is left out of its own fingerprint
        self.spliced_others = spliced_others

    def of_item(self, item: Post | Link | Card) -> str:
        key = (type(item).__name__, item.source)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self._digest(item, key[0])
        return found

    def _digest(self, item: Post | Link | Card, kind: str) -> str:
        post_digest = self.post_digests.get(item.source)
        if isinstance(item, Post):
            return post_digest or digest(kind, dump(plain(item, None)))
        if self.hide_list_views:
            kind += "~"
        if not post_digest:
            return digest(kind, dump(self._plain_view(item)))
        view_key = f"{kind}:{post_digest}"  # a view of a known post version: hash its fields once, ever
        found = self.views.get(view_key)
        if found is None:
            found = self.views[view_key] = digest(kind, dump(self._plain_view(item)))
        return found

    def _plain_view(self, item: Link | Card) -> Any:
        return plain(replace(item, views=0) if self.hide_list_views else item, None)

    def page_base(self, template: str) -> str:
        """What every page of `template` depends on: the templates it is rendered from, the config and the
        visible shared variables. Editing a template then changes only the pages that use it."""
        if self.pages is None:
            return self.base
        found = self.bases.get(template)
        if found is None:
            found = self.bases[template] = digest(self.pages[0], self.pages[1](template))
        return found

    def of_card(self, cat: catalog.Catalog, post: Post) -> str:
        """The digest of the post's Card, which is made only when it is not known by the post's digest."""
        post_digest = self.post_digests.get(post.source)
        if post_digest:
            found = self.views.get(f"{'Card~' if self.hide_list_views else 'Card'}:{post_digest}")
            if found is not None:
                return found
        return self.of_item(cat.cards((post,))[0])

    def of_job(self, job: context.Job) -> str:
        """Pickled with every post replaced by its hash: pickle is fast, and equal bytes mean equal values."""
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=5)
        pickler.dispatch_table = self._table  # type: ignore[misc]
        variables = job.context
        if self.spliced_others and job.template == context.ARTICLE and variables is not None:
            variables = {name: value for name, value in variables.items() if name != template_use.OTHERS}
        pickler.dump(variables)
        return digest(self.page_base(job.template), job.template, job.out, buffer.getvalue())

    @property
    def _table(self) -> dict[type, Any]:
        def by_hash(item: Post | Link | Card) -> tuple[type, tuple[str]]:
            return str, ("#" + self.of_item(item),)

        return {Post: by_hash, Link: by_hash, Card: by_hash}


def template_files(site_dir: Path, theme: tuple[Path, ...] = ()) -> list[list[tuple[str, str, os.stat_result]]]:
    """Every template file of the site, its parent themes and the default theme (with their words), folder by
    folder: (path inside the folder, path, stat), by name. Only the template folders are walked."""
    return [sorted(_walk(os.fspath(folder), "")) for folder in templates.template_dirs(site_dir, theme)]


def _walk(folder: str, prefix: str) -> list[tuple[str, str, os.stat_result]]:
    found: list[tuple[str, str, os.stat_result]] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:  # no such folder (a site without its own templates)
        return found
    for entry in entries:
        if entry.is_dir():
            found += _walk(entry.path, f"{prefix}{entry.name}/")
        elif entry.is_file():
            found.append((prefix + entry.name, entry.path, entry.stat()))
    return found


def templates_digest(site_dir: Path, config_bytes: bytes, theme: tuple[Path, ...] = (),
                     known: tuple[str, str] = ("", "")) -> tuple[str, str]:
    """(what the template files look like, a digest of the generator version, their content and the config).

    The first is made of the files' names, sizes, mtimes and inodes; while it is `known`'s, the second is
    `known`'s too and no template is read (the same trust the sources get, state.Ledger.known_hash).
    """
    folders = template_files(site_dir, theme)
    seen: list[str] = [__version__]
    for files in folders:
        seen += [f"{rel}\x00{info.st_size}\x00{info.st_mtime_ns}\x00{info.st_ino}" for rel, _, info in files]
        seen.append("|")
    looks = digest(*seen, config_bytes)
    if looks == known[0] and known[1]:
        return known
    parts: list[str | bytes] = [__version__, config_bytes]
    for files in folders:
        for rel, path, _ in files:
            with open(path, "rb") as handle:
                parts += [rel, handle.read()]
        parts.append("|")
    return looks, digest(*parts)


class TemplateKeys:
    """The key of each page template: a digest of the sources of the templates its pages are rendered from
    (template_use.page_sources), of the theme's words and of the config, so that editing one template renders
    again only the pages that use it, through extends, include and import.

    Kept between builds with the digest of all the templates (`whole`) they were
    made from: while that holds, no template is read. A template whose reach the
    analysis cannot follow (a name chosen at run time) gets a key of all the templates.
    """

    def __init__(self, env: Any, whole: str, config_bytes: bytes, folders: list[Path],
                 known: dict[str, str]) -> None:
        self.env, self.whole, self.config_bytes, self.folders = env, whole, config_bytes, folders
        self.keys = dict(known) if known.get("") == whole else {"": whole}
        self.changed = self.keys != known
        self._common = ""

    def of(self, template: str) -> str:
        found = self.keys.get(template)
        if found is None:
            found = self.keys[template] = self._make(template)
            self.changed = True
        return found

    def _make(self, template: str) -> str:
        sources = template_use.page_sources(self.env, template)
        if sources is None:
            return digest("*", self.whole)
        return digest(self.common(), *[part for name in sorted(sources) for part in (name, sources[name])])

    def common(self) -> str:
        """The version, the config and the words of the theme (templates/words/, which `t()` reads)."""
        if not self._common:
            parts: list[str | bytes] = [__version__, self.config_bytes]
            for folder in self.folders:
                for rel, path, _ in sorted(_walk(os.fspath(folder / "words"), "words/")):
                    with open(path, "rb") as handle:
                        parts += [rel, handle.read()]
                parts.append("|")
            self._common = digest(*parts)
        return self._common


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
    """Page fingerprints from cheap keys: an article's is its key, a listing's is remembered under its key
    between builds (in the cache, or in a Memory its caller keeps).

    An article page is made from its post, the Links of "Các tin khác" and what
    every page shares, so (base fingerprint, post digest, those Links' digests)
    determines it and is its fingerprint: its variables are made only where it
    is rendered, never to plan it. When "Các tin khác" is spliced (others.py),
    the Links are left out. A listing or the sitemap comes with the inputs its
    variables are made from (context.Job.inputs), which play the same part;
    its fingerprint is that of its variables, made when its key changed.
    """

    def __init__(self, ledger: Ledger, cat: catalog.Catalog, prints: Fingerprints) -> None:
        self.ledger = ledger
        self.memo = ledger.saved.articles
        self.cat = cat
        self.prints = prints
        self.pending: dict[str, str] = {}
        self.others: dict[tuple[str, str], list[str]] = {}
        self.articles: dict[str, str] = {}  # output path -> the fingerprint of an article (noted)

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

    def note(self, post: Post) -> None:
        """Work out the fingerprint of the post's article from its key, without its variables."""
        others = ["spliced"] if self.prints.spliced_others else self._others(post)
        out = context.out_path(post.url)
        self.articles[out] = digest(self.prints.page_base(context.ARTICLE), self.prints.of_item(post), *others)
        if self.memo.pop(out, None) is not None:  # remembered by a build from before articles were so known
            self.ledger.scratch.dirty = True

    def fingerprint(self, job: context.Job) -> str:
        if job.template == context.ARTICLE and job.out in self.articles:
            return self.articles[job.out]
        if job.inputs is not None:
            key = digest(self.prints.page_base(job.template), job.template, job.out,
                         dump(plain(job.inputs, self.prints)))
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
