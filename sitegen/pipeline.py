"""The build, stage by stage: config, data, sources, compile, catalogue, jobs, plan, render, feeds,
static files, commit (`run`).

Every stage before the write is a pure function of the site's files and the
build time, which is what lets earlier builds' work be used again: what to
compile, render or keep is the incremental package's business (sitegen/incremental).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sitegen import catalog, config, context, dates, i18n, incremental, loader, locking, templates, writer
from sitegen.incremental import narrow, quiet, store
from sitegen.kinds import Post
from sitegen.loader import published_name
from sitegen.model import Config
from sitegen.posts import missing_refs, renderer_for
from sitegen.problems import Problem, Problems, os_problem, problem

if TYPE_CHECKING:
    from sitegen import portal, search

__all__ = ["Extension", "Options", "Result", "published_name", "run"]


class Extension(Protocol):
    """What a site adds to or changes in its own build as part of a group of sites (see province.py)."""

    def config(self, cfg: Config) -> Config:
        """The site's config as its pages see it (a commune learns its province's portal here)."""

    def jobs(self, cfg: Config, cat: catalog.Catalog, jobs: list[context.Job]) -> list[context.Job]:
        """Every page to render, given the site's own."""

    def feeds(self, cfg: Config, now: datetime) -> dict[str, bytes]:
        """Feed files to add, by output path."""

    def key(self) -> str:
        """A digest of what pages other than own_jobs' see of the extension: a change renders every page."""

    def own_jobs(self, cfg: Config, cat: catalog.Catalog) -> list[context.Job]:
        """The pages showing what it adds: looked at on every build, like the pages of an edited post."""

    def shared(self, shared: dict[str, Any]) -> None:
        """What every page of this build shares (a province keeps it to render its news pages on their own)."""

    def search_records(self, cfg: Config) -> list[search.Record]:
        """What the site search holds beside the site's own pages (a province's communes, by name)."""


@dataclass(frozen=True)
class Options:
    site: Path
    output: Path
    drafts: bool = False
    future: bool = False
    strict: bool = False
    check_only: bool = False
    environ: dict[str, str] | None = None  # None: os.environ
    workers: int = 0  # 0: one per core
    use_cache: bool = True
    lock_wait: float = 600.0  # seconds to wait for another build writing into the same output
    theme: tuple[Path, ...] = ()  # parent theme folders, between the site's own and the default theme
    extension: Extension | None = None
    # Stage and prepare only; Result.pending is committed with its group. The caller holds the output's
    # lock (made the folder when `output_created`) until then.
    defer_commit: bool = False
    output_created: bool = False
    parsed: loader.Parsed | None = None  # Markdown files the caller parsed already (a province, its members' news)


@dataclass
class Result:
    problems: Problems = field(default_factory=Problems)
    language: str = "vi"
    pages: int = 0
    names: set[str] = field(default_factory=set)  # the output's files, as this build made them
    stats: writer.WriteStats | None = None
    build_time: datetime | None = None
    next_due: datetime | None = None  # when the next scheduled post is published (catalog.next_due)
    rendered: int = 0  # pages rendered (not taken from the cache)
    spliced: int = 0  # pages that only got the new shared partials put in
    layout_kept: bool = False  # only the changed posts' own pages were looked at (planning.plan_unchanged)
    narrow: bool = False  # only those pages were rendered, from the index of the last build (incremental/narrow.py)
    compiled: int = 0  # Markdown files compiled (not taken from the cache)
    notices: list[Problem] = field(default_factory=list)  # notes for the operator; they never fail a build
    pending: writer.Transaction | None = None  # with defer_commit: the prepared, uncommitted write


def run(opts: Options, memory: incremental.Memory | None = None) -> Result:
    """Build (or with check_only, validate) the site; `memory`: its state kept in the caller's process (tests)."""
    result = Result()
    cfg = _site_config(opts, result)
    with _output_locked(opts, cfg, result) as lock:
        if cfg is None or lock is None:
            return result
        now = result.build_time = dates.build_time(cfg.tz, opts.environ)
        with store.collector_off():  # tens of thousands of stats and records: no garbage
            stamp, inputs = _stamp(opts, memory)
            done = stamp is not None and _without_build(opts, cfg, now, (stamp[0], inputs), result)
        if done:
            return result
        seen = {os.path.join(opts.site, rel): tuple(info) for rel, info in inputs[1].items()} if inputs else {}
        with store.settling():  # what the build makes is frozen stage by stage (Work, store.settled)
            built = _build(opts, cfg, lock, memory, result, now, seen)
        if stamp is not None and built is not None:
            quiet.save_after(stamp[0], inputs, opts.output, built[:2], cfg, now, result)
            narrow.keep(stamp[0], inputs, built[2])
            with suppress(OSError):  # a cache: the next build compiles the templates again
                templates.save_compiled(stamp[0] / templates.COMPILED_FILE)
    return result


def _stamp(opts: Options, memory: incremental.Memory | None) -> tuple[tuple[Path, str] | None, Any]:
    """Where a command-line build of a site on its own keeps its stamp, and what it reads (quiet.inputs)."""
    if memory is not None or not opts.use_cache or opts.check_only or opts.extension or opts.defer_commit:
        return None, None
    options = [opts.drafts, opts.future, opts.strict, [os.fspath(folder) for folder in opts.theme]]
    inputs = quiet.inputs(opts.site, opts.output, opts.theme, options)
    return (incremental.cache_dir_for(opts.site, opts.output), inputs[0]), inputs


def _without_build(opts: Options, cfg: Config, now: datetime, stamp: tuple[Path, Any], result: Result) -> bool:
    """Nothing to do (quiet.py) or a few posts' bodies changed (narrow.py): `result` filled; else the stamp goes."""
    folder, inputs = stamp
    last = quiet.read(folder)
    holds = last is not None and quiet.output_holds(last, opts.output, now)
    if holds and last.get("inputs") == inputs[0]:
        quiet.repeat(last, result)
        return True
    templates.load_compiled(folder / templates.COMPILED_FILE)  # one edit then compiles no template
    if holds and narrow.attempt(narrow.Attempt(opts.site, opts.output, opts.theme, cfg, now, folder, inputs), last,
                                result):
        return True
    quiet.forget(folder)  # the index stays, to be brought up to this build (narrow.keep): it holds for no stamp
    return False


def _build(opts: Options, cfg: Config, lock: _HeldLock | _CheckOnly | locking.OutputLock,
           memory: incremental.Memory | None, result: Result, now: datetime,
           seen: dict[str, tuple[int, int, int]]) -> tuple[set[str], dict[str, tuple[int, int]], narrow.Basis] | None:
    """The build itself, its stages imported here (quiet.py, narrow.py end without them); once committed, the
    output's files, the output folders it recorded (incremental/folders.py) and narrow.py's basis, else None."""
    from sitegen import data, feeds, portal, search, staticfiles, traffic, viewcount, viewfile
    problems = result.problems
    work = incremental.begin(_setup(opts, cfg, seen), memory)
    site_data = problems.take(data.load_data(opts.site))
    sources, statics, found = loader.walk_content(opts.site)
    problems.extend(found)
    sources, statics, portal_sources = portal.split(sources, statics)  # documents and schedule weeks
    site_portal = problems.take(portal.load(opts.site, cfg, portal_sources, renderer_for(cfg), now, site_data,
                                            work.folder))
    site_data = portal.with_widget(site_data, site_portal)
    compiled = work.compile(sources, statics)
    problems.extend(compiled.problems)
    counted = problems.take(viewfile.load(opts.site)) or viewfile.Counted()
    posts, digests = viewcount.apply(counted, compiled.posts, compiled.digests)  # views counted from logs
    posts = _unique_urls(posts, problems)
    cat = traffic.attach(catalog.build(posts, cfg, now, opts.drafts, opts.future), counted, cfg, now)
    result.next_due = catalog.next_due(posts, now, opts.drafts, opts.future)
    copies = staticfiles.collect(opts.site, statics, problems, opts.theme)
    added_feeds, added = _added(opts, cfg, now)
    with _writing(opts, result) as writing:
        tx = writing.open(lock)
        # the search records and the feeds show no count of views: they know a post by its digest as compiled
        searched = cat.posts + cat.pages, site_portal.register.documents, compiled.digests, work, tx, added
        indexing = writing.indexing = search.start(cfg, *searched) if search.nothing_kept(work, tx) else None
        env = work.environment(problems)
        shared = context.common(cfg, cat, site_data) | portal.shared(cfg, site_portal, now, cat.pages)
        if opts.extension is not None:
            opts.extension.shared(shared)
        plan = work.plan(env, shared, cat, digests, copies, _jobs_for(opts, cfg, cat, site_portal),
                         _layout_extra(opts, site_portal), problems, tx is not None, _own_extra(opts, cfg, cat))
        indexing = writing.indexing = indexing or search.start(cfg, *searched)
        if plan is not None:
            work.render(plan, env, shared, tx, problems, _render_into(opts, tx, problems))
        pages = plan.fingerprints if plan else {}
        names = set(pages) | set(copies) | set(feeds.feed_paths(cfg)) | set(portal.feed_paths(site_portal))
        names |= set(added_feeds)
        if tx is not None:
            for rel, body in (feeds.feeds_made(opts.site, cfg, cat, now, compiled.digests, work.whole)
                              | portal.build_feeds(cfg, site_portal, now) | added_feeds).items():
                tx.put(rel, body)
            pages = pages | work.copy_static(tx, copies)
            problems.extend(indexing.finish(tx, names))
        problems.extend(missing_refs(cat.posts + cat.pages, names, problems))
        result.pages, result.names = len(names), names
        _commit(opts, tx, result)
    result.compiled, result.rendered, result.spliced = work.counts.compiled, work.counts.rendered, work.counts.spliced
    result.layout_kept = work.counts.layout_kept
    if result.stats is None:
        return None
    site_portal.memo.save()
    indexing.save()
    result.notices += work.finish(tx, set(result.stats.paths), pages, digests)
    in_feeds = {post.source for post in feeds.shown(cfg, cat)}
    basis = narrow.Basis(cfg, cat, shared, work.made.fragments, counted, indexing.records(), in_feeds, digests)
    return names, work.ledger.saved.folders, basis


def _added(opts: Options, cfg: Config, now: datetime) -> tuple[dict[str, bytes], list[search.Record]]:
    """What an extension adds to the build: feed files by output path, and records of the site search."""
    ext = opts.extension
    return (ext.feeds(cfg, now), ext.search_records(cfg) if cfg.search else []) if ext is not None else ({}, [])


def _site_config(opts: Options, result: Result) -> Config | None:
    """The site's config as its pages see it; None (problems said) when it cannot be used."""
    try:
        result.language = config.guess_language(
            (opts.site / config.CONFIG_FILE).read_bytes().decode("utf-8-sig", errors="replace"))
    except OSError:  # load_config reports it
        pass
    cfg = result.problems.take(config.load_config(opts.site))
    if cfg is None:
        return None
    if opts.extension is not None:
        cfg = opts.extension.config(cfg)
    result.language = cfg.language
    refused = output_problems(opts)
    result.problems.extend(refused)
    return None if refused else cfg


def _setup(opts: Options, cfg: Config, seen: dict[str, tuple[int, int, int]]) -> incremental.Setup:
    from sitegen import workers

    return incremental.Setup(opts.site, opts.output, cfg, (opts.site / config.CONFIG_FILE).read_bytes(),
                             opts.theme, workers.count(opts.workers), opts.use_cache, seen, opts.parsed)


def _jobs_for(opts: Options, cfg: Config, cat: catalog.Catalog,
              site_portal: portal.Portal) -> Callable[[], list[context.Job]]:
    """Every page of the site, the articles without their variables (incremental.planning.JobsFor)."""
    from sitegen import portal

    def jobs() -> list[context.Job]:
        found = context.all_jobs(cfg, cat, False, portal.jobs(cfg, site_portal))
        return opts.extension.jobs(cfg, cat, found) if opts.extension is not None else found

    return jobs


def _render_into(opts: Options, tx: writer.Transaction | None, problems: Problems) -> Path | None:
    """Where pages are staged: the output, unless nothing will be written (a check, or a failed build)."""
    return None if tx is None or problems.failed(opts.strict) else opts.output


def _own_extra(opts: Options, cfg: Config, cat: catalog.Catalog) -> list[context.Job]:
    return opts.extension.own_jobs(cfg, cat) if opts.extension is not None else []


def _layout_extra(opts: Options, site_portal: portal.Portal) -> str:
    """What pages are made of beside the posts: the portal's content, and what an extension adds."""
    return site_portal.key + ("\x03" + opts.extension.key() if opts.extension is not None else "")


def _unique_urls(posts: list[Post], problems: Problems) -> list[Post]:
    """Posts that share a URL are all left out (and reported)."""
    clashes = duplicate_urls(posts)
    problems.extend(clashes)
    clashing = {p.path for p in clashes}
    return [p for p in posts if p.source not in clashing]


@dataclass(frozen=True)
class _HeldLock:
    """The output's lock as held by the caller of a deferred build (see province.build)."""

    created: bool


@dataclass(frozen=True)
class _CheckOnly:
    """No lock: a check writes nothing."""

    created: bool = False


@contextmanager
def _output_locked(opts: Options, cfg: Config | None,
                   result: Result) -> Iterator[_HeldLock | _CheckOnly | locking.OutputLock | None]:
    """The output folder locked for this build (None: refused, problems said)."""
    problems = result.problems
    if cfg is None or opts.check_only:
        yield None if cfg is None else _CheckOnly()
        return
    if opts.defer_commit:  # part of a group: its caller locked the output
        yield _HeldLock(opts.output_created)
        return
    if opts.output.exists() and not opts.output.is_dir():
        problems.append(problem(str(opts.output), 0, "output_not_folder", value=opts.output))
        yield None
        return
    lock = locking.OutputLock(opts.output)
    try:
        got = lock.acquire(opts.lock_wait, lambda: _tell(result, problem(
            str(opts.output), 0, "output_lock_waiting", "note", seconds=f"{opts.lock_wait:g}")))
    except OSError as err:
        problems.append(os_problem(str(opts.output), "write_failed", err))
        got = None
    if got is False:
        problems.append(problem(str(opts.output), 0, "output_locked", seconds=f"{opts.lock_wait:g}"))
    if not got:
        yield None
        return
    try:
        yield lock
    finally:
        lock.release()


class _Writing:
    """The output's transaction once opened (None for a check, which writes nothing)."""

    def __init__(self, opts: Options) -> None:
        self.opts = opts
        self.tx: writer.Transaction | None = None
        self.indexing: search.Indexing | None = None  # its thread may still be staging the index's files

    def open(self, lock: _HeldLock | _CheckOnly | locking.OutputLock) -> writer.Transaction | None:
        if not isinstance(lock, _CheckOnly):
            self.tx = writer.Transaction(self.opts.output, existed=not lock.created)
        return self.tx


@contextmanager
def _writing(opts: Options, result: Result) -> Iterator[_Writing]:
    """A failed write is a problem, and leaves the output as it was."""
    writing = _Writing(opts)
    try:
        yield writing
    except OSError as err:
        result.problems.append(_os_failure(opts, err))
    except writer.UnsafePath as err:
        result.problems.append(problem(str(opts.output), 0, "write_failed", reason=err))
    finally:
        if writing.tx is not None and result.stats is None:
            if writing.indexing is not None:
                writing.indexing.wait()
            writing.tx.abort()
            writer.remove_leftovers(opts.output)  # also files staged by workers before the failure


def _commit(opts: Options, tx: writer.Transaction | None, result: Result) -> None:
    """Commit the write (or with defer_commit, prepare it for its group) unless the build failed."""
    if tx is None or result.problems.failed(opts.strict):
        return
    result.stats = tx.prepare() if opts.defer_commit else tx.commit()
    result.pending = tx if opts.defer_commit else None


def _os_failure(opts: Options, err: OSError) -> Problem:
    """A system error while writing: a source file that could not be read (an image without read
    permission, say) is named as such; anything else is the output's."""
    if err.filename:
        where = Path(os.fsdecode(err.filename)).absolute()
        site, out = opts.site.absolute(), opts.output.absolute()
        if where.is_relative_to(site) and not where.is_relative_to(out):
            return os_problem(where.relative_to(site).as_posix(), "unreadable", err, file="")
    return os_problem(str(opts.output), "write_failed", err)


def _tell(result: Result, note: Problem) -> None:
    """A note shown at once (the build goes on): printed to stderr as the report prints problems."""
    print(i18n.format_problem(note, result.language), file=sys.stderr, flush=True)


def duplicate_urls(posts: list[Post]) -> list[Problem]:
    first: dict[str, Post] = {}
    found = []
    for post in sorted(posts, key=lambda p: p.source):
        other = first.setdefault(post.url, post)
        if other is not post:
            found.append(problem(post.source, 1, "duplicate_url", url="/" + post.url, other=other.source))
            found.append(problem(other.source, 1, "duplicate_url", url="/" + post.url, other=post.source))
    return found


def output_problems(opts: Options) -> list[Problem]:
    """An output folder inside the site's own sources (content/, data/...) would publish itself on every build."""
    try:
        output = opts.output.resolve()
        site = opts.site.resolve()
    except (OSError, RuntimeError):
        return []
    for folder in ("content", "templates", "assets", "data"):
        if output == site / folder or output.is_relative_to(site / folder):
            return [problem(str(opts.output), 0, "output_inside_source", value=opts.output, folder=folder)]
    if output == site:
        return [problem(str(opts.output), 0, "output_inside_source", value=opts.output, folder=".")]
    return []
