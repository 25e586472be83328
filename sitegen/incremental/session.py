"""One build's dealings with what earlier builds left: the door of the incremental package.

The build asks, in order: compile these sources (`compile`), give me these posts
whole (`whole`), the templates (`environment`), plan these pages (`plan`),
render the plan (`render`), copy these static files (`copy_static`), and at the
end record what was written (`finish`). A `--no-cache` build goes through the
same calls with a memory that remembers nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from sitegen import catalog, context, render, spare, template_use, templates, workers, writer
from sitegen.hashing import digest
from sitegen.incremental import folders, listing, others, store
from sitegen.incremental.compiling import Bodies, Compiled, compile_all
from sitegen.incremental.fingerprints import (
    ArticleKeys,
    Fingerprints,
    TemplateKeys,
    base_fingerprint,
    intact,
    templates_digest,
)
from sitegen.incremental.planning import (
    Ground,
    JobsFor,
    Plan,
    full_plan,
    layout_key,
    plan_unchanged,
)
from sitegen.incremental.state import Ledger, Memory, Saved
from sitegen.kinds import Post
from sitegen.loader import Parsed
from sitegen.model import Config
from sitegen.problems import Problem, Problems, os_problem

Fingerprinted = dict[str, tuple[str, str]]  # out -> (fingerprint, fingerprint without the shared partials)


@dataclass(frozen=True)
class Setup:
    site: Path
    output: Path
    cfg: Config
    config_bytes: bytes = b""  # site.toml as read: part of every page's fingerprint
    theme: tuple[Path, ...] = ()
    worker_count: int = 1
    use_cache: bool = True
    seen: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # path -> size, mtime, inode seen already
    parsed: Parsed | None = None  # Markdown files parsed already (loader.read_source)


@dataclass
class Counts:
    compiled: int = 0  # Markdown files compiled (not taken from the cache)
    rendered: int = 0  # pages rendered
    spliced: int = 0  # pages that only got the new shared partials put in
    layout_kept: bool = False  # only the changed posts' own pages were looked at


@dataclass
class _Made:
    """What this build made that the next one compares against (saved by `finish`)."""

    templates_key: str = ""
    fragments: dict[str, str] = field(default_factory=dict)
    others: dict[str, str] = field(default_factory=dict)  # "Các tin khác" by category and variant (others.py)
    fragments_key: str = ""
    layout_key: str = ""
    views_before: int = 0  # view digests known before this build's fingerprints


def begin(setup: Setup, memory: Memory | None = None) -> Work:
    """A build with `memory` (serve's, kept in this process), else with the cache folder's (saved at the end),
    else, with `use_cache` off, with nothing remembered."""
    folder = listing.cache_dir_for(setup.site, setup.output)
    if memory is not None:
        work = Work(setup, memory, None)
    elif not setup.use_cache:
        work = Work(setup, Memory(remember=False), None)
    else:
        work = Work(setup, store.load(folder, setup.cfg), folder)
    store.settled()  # the cache just read
    return work


class Work:
    def __init__(self, setup: Setup, memory: Memory, save_to: Path | None) -> None:
        self.setup = setup
        self.ledger = Ledger(memory)
        self.ledger.scratch.seen = setup.seen
        self.save_to = save_to
        self.counts = Counts()
        self.made = _Made()
        self.bodies: Bodies | None = None
        self.folders = folders.Folders(setup.output, memory.saved.folders)

    @property
    def folder(self) -> Path | None:
        """The cache folder, for what other stages keep there (compiled documents); None with --no-cache."""
        return listing.cache_dir_for(self.setup.site, self.setup.output) if self.setup.use_cache else None

    def compile(self, sources: list[str], statics: list[str]) -> Compiled:
        s = self.setup
        compiled, self.bodies = compile_all(self.ledger, s.site, s.cfg, s.worker_count, sources, statics, s.parsed)
        self.counts.compiled = compiled.count
        store.settled()  # the posts, compiled or read from the cache
        return compiled

    def whole(self, posts: list[Post]) -> dict[str, Post]:
        """These posts with their bodies, by source (a post read from the cache has none until asked)."""
        full = self.bodies.full if self.bodies is not None else (lambda post: post)
        return {post.source: full(post) for post in posts}

    def environment(self, problems: Problems) -> jinja2.Environment | None:
        """The Jinja environment for these templates; serve keeps the last one between builds."""
        s, saved, memory = self.setup, self.ledger.saved, self.ledger.memory
        seen = templates_digest(s.site, s.config_bytes, s.theme, saved.templates_seen)
        key = self.made.templates_key = seen[1]
        if seen != saved.templates_seen and self.ledger.remember:
            saved.templates_seen, self.ledger.scratch.dirty = seen, True
        env = memory.envs.get(key)
        if env is None:  # a new environment compiles the templates again
            env = templates.make_env(s.site, s.cfg, theme=s.theme)
            found = templates.check_syntax(env, s.site, compile_all=key != saved.templates_ok, theme=s.theme)
            if found:
                problems.extend(found)
                return None
            memory.envs = {key: env}
            self.ledger.scratch.dirty |= saved.templates_ok != key
            saved.templates_ok = key
        return env

    def plan(self, env: jinja2.Environment | None, shared: dict[str, Any], cat: catalog.Catalog,
             digests: dict[str, str], copies: dict[str, Path], jobs_for: JobsFor, extra_key: str,
             problems: Problems, writing: bool, own_extra: list[context.Job] | None = None) -> Plan | None:
        """Which pages to keep, splice or render; None without templates (`environment` said why) or when
        a shared partial cannot be rendered."""
        if env is None:
            return None
        saved, made = self.ledger.saved, self.made
        made.views_before = len(saved.views)
        whole = Fingerprints("", digests, saved.views)  # what every page shares is known whole
        use = self._shared_use(env)
        names = {k: v for k, v in shared.items() if k in templates.SHARED_NAMES}
        made.fragments_key = digest(made.templates_key, base_fingerprint("", names, whole))
        fragments = self._fragments(env, use, shared, problems)
        if fragments is None:
            return None
        templates.new_build(env, fragments)
        made.fragments = {name: str(html) for name, html in fragments.items()}
        visible = {k: v for k, v in shared.items() if k in use.visible or k not in templates.SHARED_NAMES}
        page_keys = TemplateKeys(env, made.templates_key, self.setup.config_bytes,
                                 templates.template_dirs(self.setup.site, self.setup.theme), saved.template_keys)
        seen_shared = base_fingerprint("", visible, whole)
        splicer = self._others(env, use, cat)
        prints = Fingerprints(digest(made.templates_key, seen_shared), digests, saved.views,
                              hide_list_views=template_use.LISTED_VIEWS not in use.visible,
                              pages=(seen_shared, page_keys.of), spliced_others=splicer is not None)
        keys = ArticleKeys(self.ledger, cat, prints)
        ground = Ground(self.setup.cfg, cat, saved, self.ledger.remember, self.setup.output, copies, self.setup.site,
                        tuple(own_extra or ()), self.folders, splicer)
        if self.ledger.remember:  # --no-cache keeps nothing to compare it with next time
            made.layout_key = layout_key(cat, prints, copies, extra_key)
        plan = plan_unchanged(ground, keys, digests, made.layout_key, made.fragments, jobs_for) if writing else None
        if plan is None:
            plan = full_plan(ground, keys, jobs_for, made.fragments)
        problems.extend(plan.problems)
        self.counts.layout_kept = plan.layout_kept
        if page_keys.changed and self.ledger.remember:
            saved.template_keys, self.ledger.scratch.dirty = page_keys.keys, True
        store.settled()  # every page's job and fingerprint
        return plan

    def _shared_use(self, env: jinja2.Environment) -> template_use.SharedUse:
        """What the templates do with the shared variables: read off them once per set of templates."""
        saved = self.ledger.saved
        if saved.shared_use[0] != self.made.templates_key:
            use = template_use.shared_use(env, context.TEMPLATES)
            saved.shared_use = (self.made.templates_key, use.fragments, tuple(sorted(use.visible)))
            self.ledger.scratch.dirty = True
        return template_use.SharedUse(saved.shared_use[1], frozenset(saved.shared_use[2]))

    def _others(self, env: jinja2.Environment, use: template_use.SharedUse,
                cat: catalog.Catalog) -> others.Splicer | None:
        """"Các tin khác" of every category, rendered apart to be spliced into the articles; None when the
        templates show it otherwise (template_use.others_apart) or nothing is remembered."""
        if not self.ledger.remember or template_use.OTHERS in use.visible:
            return None
        variants = others.render(env, cat)
        if variants is None:
            return None
        self.made.others = variants
        return others.Splicer(cat, variants, self.ledger.saved.others)

    def _fragments(self, env: jinja2.Environment, use: template_use.SharedUse, shared: dict,
                   problems: Problems) -> dict[str, Markup] | None:
        """The shared partials of this build, rendered once here, so every page and every worker gets the same.

        When their key (templates and shared variables) is the last build's, they are the last build's.
        """
        saved = self.ledger.saved
        if self.made.fragments_key == saved.fragments_key and set(use.fragments) == set(saved.fragments):
            return {name: Markup(saved.fragments[name]) for name in use.fragments}
        fragments = {}
        for name in use.fragments:
            html, found = templates.render_shared(env, name, shared)
            problems.extend(found)
            if html is None:
                return None
            fragments[name] = html
        return fragments

    def render(self, plan: Plan, env: jinja2.Environment, shared: dict, tx: writer.Transaction | None,
               problems: Problems, out: Path | None) -> None:
        """Render and splice the planned pages in the workers; a page that cannot be spliced is rendered.
        `out` None: render only to find problems, nothing is staged."""
        assert self.bodies is not None
        bodies, saved = self.bodies, self.ledger.saved
        if tx is not None:
            for rel in plan.kept:
                tx.keep(rel)
        jobs = bodies.in_shard_order(plan.jobs)  # the workers read the bodies their jobs show (Bodies.stored_job)
        by_out = {job.out: job for job in jobs}
        splices = list(plan.splices) if out is not None else []
        changes = [(saved.fragments[name].encode(), html.encode()) for name, html in self.made.fragments.items()
                   if name in saved.fragments and saved.fragments[name] != html]  # splices need the same names
        own = [[(old.encode(), new.encode())] if (old, new) != ("", "") else []
               for old, new in (plan.own_changes.get(rel, ("", "")) for rel in splices)]

        def take(done: list[render.Rendered]) -> list[context.Job]:
            """Adopt what was written; returns the pages whose splice could not be done, to render."""
            unspliced = []
            for rel, staged, found in done:
                if found is None:  # a splice that could not be done, or a job whose body is lost
                    job = (by_out[rel] if rel in by_out else plan.job_of(rel)).with_context()
                    unspliced.append(bodies.job(job))
                    continue
                problems.extend(found)
                if out is not None and tx is not None and not found:
                    tx.adopt(rel, staged)
            return unspliced

        count = self.setup.worker_count
        spares = _spares_for(tx, saved, jobs, splices, changes, own)
        written = [saved.pages[rel][1:3] for rel in splices]  # checked by the splice itself (planning)
        def prepare(job: context.Job) -> context.Job | None:
            """In a worker: the page's variables, when the plan left them to it, and the bodies its posts show."""
            return bodies.stored_job(job.with_context())

        again = take(render.render_jobs(env, shared, jobs, out, count, splices, changes, spares, written, prepare,
                                        own))
        take(render.render_jobs(env, shared, again, out, count))
        unspliced = sum(job.out not in by_out for job in again)
        self.counts.rendered, self.counts.spliced = len(jobs) + unspliced, len(splices) - unspliced
        if len(saved.views) != self.made.views_before:
            self.ledger.scratch.dirty = True

    def copy_static(self, tx: writer.Transaction, copies: dict[str, Path]) -> Fingerprinted:
        """Copy the static files whose content differs from the output's; returns {output path: (hash, hash)}."""
        hashes, todo = {}, []
        for rel, source in sorted(copies.items()):
            content = self.ledger.file_hash(source)
            hashes[rel] = (content, content)
            record = self.ledger.saved.pages.get(rel)
            if (record is not None and record[0] == content and self.folders.unchanged(rel)
                    or intact(tx.out, rel, record, content)):
                tx.keep(rel)
            else:
                todo.append(rel)
        staged = workers.spread(_copy_chunk, todo, self.setup.worker_count, out=tx.out, copies=copies)
        for rel, path in zip(todo, staged, strict=True):
            tx.adopt(rel, path)
        return hashes

    def finish(self, tx: writer.Transaction, written: set[str], pages: Fingerprinted,
               digests: dict[str, str]) -> list[Problem]:
        """Record what this build wrote and made, forget what it no longer uses, and save it
        (with the cache folder's memory); a note if the cache could not be saved."""
        ledger, saved, made = self.ledger, self.ledger.saved, self.made
        if not ledger.remember:
            return []
        for rel, (fingerprint, own) in pages.items():
            if rel in written or _recorded(saved.pages.get(rel)) != (fingerprint, own):
                _record_page(ledger, tx.located(rel), rel, fingerprint, own)
        if (saved.fragments, saved.fragments_key) != (made.fragments, made.fragments_key):
            saved.fragments, saved.fragments_key, ledger.scratch.dirty = made.fragments, made.fragments_key, True
        if saved.others != made.others:
            saved.others, ledger.scratch.dirty = made.others, True
        if (saved.layout_key, saved.post_digests) != (made.layout_key, set(digests.values())):
            saved.layout_key, saved.post_digests, ledger.scratch.dirty = made.layout_key, set(digests.values()), True
        now = folders.record(self.setup.output, pages, written, self.folders)
        if now != saved.folders:
            saved.folders, ledger.scratch.dirty = now, True
        ledger.keep_only_current(set(pages), set(digests.values()))
        if self.save_to is None:
            return []
        try:
            store.save(self.save_to, ledger)
        except OSError as err:  # the site is written: the next build only has no cache to start from
            store.discard(self.save_to)
            return [os_problem(_site_rel(self.setup.site, self.save_to), "cache_not_saved", err, "note")]
        return []


def _spares_for(tx: writer.Transaction | None, saved: Saved, jobs: list[context.Job], splices: list[str],
                changes: list[tuple[bytes, bytes]], own: list[list[tuple[bytes, bytes]]]) -> list[str | None]:
    """A spare file for each page to render that the last build wrote (for its old size), then for each
    page to splice (for its new size: its old one and what the partials add); render.render_jobs.
    A build of fewer pages than spare.FEW_PAGES (one post's edit) uses none: listing the spare folder
    would cost more than it saves."""
    if tx is not None and len(jobs) + len(splices) < spare.FEW_PAGES:
        tx.spares.in_use = False
    if tx is None or not tx.spares.in_use or not (saved.pages and (jobs or splices)):
        return []
    recorded = [saved.pages.get(job.out) for job in jobs]
    handed = iter(tx.spares.assign([record[1] for record in recorded if record] +
                                   _spliced_sizes(saved, splices, changes, own)))
    return [next(handed) if record else None for record in recorded] + list(handed)


def _spliced_sizes(saved: Saved, splices: list[str], changes: list[tuple[bytes, bytes]],
                   own: list[list[tuple[bytes, bytes]]]) -> list[int]:
    grow = sum(len(new) - len(old) for old, new in changes)
    return [max(saved.pages[rel][1] + grow + sum(len(new) - len(old) for old, new in mine), 0)
            for rel, mine in zip(splices, own, strict=True)]


def _record_page(ledger: Ledger, where: str, rel: str, fingerprint: str, own: str) -> None:
    """Remember the fingerprints, size and mtime of a page written or confirmed this build; `where` is its
    file (its staged file until a prepared group commit is done)."""
    try:
        info = os.stat(where)
    except OSError:
        return
    ledger.record_page(rel, (fingerprint, info.st_size, info.st_mtime_ns, own))


def _recorded(record: tuple[str, int, int, str] | None) -> tuple[str, str] | None:
    return (record[0], record[3]) if record else None


def _copy_chunk(rels: list[str]) -> list[Path | None]:
    work = workers.inherited()
    return [writer.stage_if_changed(work["out"], rel, work["copies"][rel]) for rel in rels]


def _site_rel(site_dir: Path, path: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return path.as_posix()
