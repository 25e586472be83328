"""The build, stage by stage: read, compile, catalogue, render, check, write.

Every stage before the write is a pure function of the site's files and the
build time, which is what lets the cache skip work: a post is compiled again
only when its bytes (or the settings that shape it) change, and a page is
rendered again only when its fingerprint changes (see render.py).
"""

from __future__ import annotations

import functools
import os
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote

import jinja2
from markupsafe import Markup

from sitegen import (
    cache,
    catalog,
    config,
    context,
    data,
    dates,
    feeds,
    i18n,
    images,
    loader,
    locking,
    portal,
    render,
    search,
    templates,
    traffic,
    viewcount,
    workers,
    writer,
)
from sitegen.cache import BuildState
from sitegen.kinds import Post
from sitegen.markup import Renderer
from sitegen.model import Config
from sitegen.posts import compile_post
from sitegen.problems import Problem, Problems, os_problem, problem

Compiled = tuple[Post | None, list[Problem]]


class Extension(Protocol):
    """What a site adds to or changes in its own build as part of a group of sites (see province.py)."""

    def config(self, cfg: Config) -> Config:
        """The site's config as its pages see it (a commune learns its province's portal here)."""

    def jobs(self, cfg: Config, cat: catalog.Catalog, jobs: list[context.Job]) -> list[context.Job]:
        """Every page to render, given the site's own."""

    def feeds(self, cfg: Config, now: datetime) -> dict[str, bytes]:
        """Feed files to add, by output path."""

    def key(self) -> str:
        """A digest of everything the extension adds: a change renders its pages again."""


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


@dataclass
class Result:
    problems: Problems = field(default_factory=Problems)
    language: str = "vi"
    pages: int = 0
    stats: writer.WriteStats | None = None
    build_time: datetime | None = None
    rendered: int = 0  # pages rendered (not taken from the cache)
    spliced: int = 0  # pages that only got the new shared partials put in
    fragments: dict[str, str] = field(default_factory=dict)  # the shared partials of this build
    fragments_key: str = ""  # what they were made from
    layout_key: str = ""  # what every page but those showing a whole post is made of (_layout_key)
    layout_kept: bool = False  # only the changed posts' own pages were looked at (_plan_unchanged)
    compiled: int = 0  # Markdown files compiled (not taken from the cache)
    notices: list[Problem] = field(default_factory=list)  # notes for the operator; they never fail a build
    pending: writer.Transaction | None = None  # with defer_commit: the prepared, uncommitted write


def run(opts: Options, state: BuildState | None = None) -> Result:
    """Build (or with check_only, validate) the site; `state` carries the cache between runs in one process."""
    result = Result()
    problems = result.problems
    try:
        result.language = config.guess_language(
            (opts.site / config.CONFIG_FILE).read_bytes().decode("utf-8-sig", errors="replace"))
    except OSError:  # load_config reports it
        pass
    cfg = problems.take(config.load_config(opts.site))
    if cfg is None:
        return result
    if opts.extension is not None:
        cfg = opts.extension.config(cfg)
    result.language = cfg.language
    refused = output_problems(opts)
    if refused:
        problems.extend(refused)
        return result
    if opts.check_only:
        return _run_locked(opts, cfg, state, result, None)
    if opts.defer_commit:  # part of a group: its caller locked the output
        return _run_locked(opts, cfg, state, result, _HeldLock(opts.output_created))
    if opts.output.exists() and not opts.output.is_dir():
        problems.append(problem(str(opts.output), 0, "output_not_folder", value=opts.output))
        return result
    lock = locking.OutputLock(opts.output)
    try:
        got = lock.acquire(opts.lock_wait, lambda: _tell(result, problem(
            str(opts.output), 0, "output_lock_waiting", "note", seconds=f"{opts.lock_wait:g}")))
    except OSError as err:
        problems.append(os_problem(str(opts.output), "write_failed", err))
        return result
    if not got:
        problems.append(problem(str(opts.output), 0, "output_locked", seconds=f"{opts.lock_wait:g}"))
        return result
    try:
        return _run_locked(opts, cfg, state, result, lock)
    finally:
        lock.release()


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


@dataclass(frozen=True)
class _HeldLock:
    """The output's lock as held by the caller of a deferred build (see province.build)."""

    created: bool


def _run_locked(opts: Options, cfg: Config, state: BuildState | None, result: Result,
                lock: locking.OutputLock | _HeldLock | None) -> Result:
    """The build proper, with the output folder locked (`lock` None: check only, nothing is written)."""
    problems = result.problems
    now = result.build_time = dates.build_time(cfg.tz, opts.environ)
    on_disk = state is None and opts.use_cache
    cache_dir = cache.cache_dir_for(opts.site, opts.output)
    if state is None:
        state = cache.load(cache_dir, cfg) if opts.use_cache else BuildState(remember=False)
    state.touched = set()
    site_data = problems.take(data.load_data(opts.site))
    sources, statics, found = loader.walk_content(opts.site)
    problems.extend(found)
    sources, statics, portal_sources = portal.split(sources, statics)  # documents and schedule weeks
    site_portal = problems.take(portal.load(opts.site, cfg, portal_sources, _renderer_for(cfg), now, site_data,
                                            cache_dir if opts.use_cache else None))
    site_data = portal.with_widget(site_data, site_portal)
    posts, digests, bodies = compile_all(opts, cfg, sources, state, result, statics)
    counted = problems.take(viewcount.load(opts.site)) or viewcount.Counted()
    posts, digests = viewcount.apply(counted, posts, digests)  # views counted from logs, per post
    clashes = duplicate_urls(posts)
    problems.extend(clashes)
    clashing = {p.path for p in clashes}
    posts = [p for p in posts if p.source not in clashing]
    cat = traffic.attach(catalog.build(posts, cfg, now, opts.drafts, opts.future), counted, cfg, now)
    copies = static_files(opts.site, statics, problems, opts.theme)
    added_feeds = opts.extension.feeds(cfg, now) if opts.extension is not None else {}
    tx = None
    try:
        if lock is not None:
            tx = writer.Transaction(opts.output, existed=not lock.created)
            indexing = search.start(cfg, cat.posts + cat.pages, site_portal.register.documents, digests, bodies.full,
                                    opts.output, cache_dir if opts.use_cache else None)  # runs while pages render
        pages = render_site(opts, cfg, cat, site_data, state, tx, copies, result, digests, bodies, site_portal)
        if tx is not None:
            for rel, body in feeds.build_feeds(opts.site, cfg, cat, now, bodies.full).items():
                tx.put(rel, body)
            for rel, body in portal.build_feeds(cfg, site_portal, now).items():
                tx.put(rel, body)
            for rel, body in added_feeds.items():
                tx.put(rel, body)
            pages.update(put_static(tx, copies, state, workers.count(opts.workers)))
            problems.extend(indexing.finish(tx))
        names = (set(pages) | set(copies) | set(feeds.feed_paths(cfg)) | set(portal.feed_paths(site_portal))
                 | set(added_feeds))
        problems.extend(missing_refs(cat, names))
        result.pages = len(names)
        if tx is None or problems.failed(opts.strict):
            return result
        result.stats = tx.prepare() if opts.defer_commit else tx.commit()
        result.pending = tx if opts.defer_commit else None
    except OSError as err:
        problems.append(_os_failure(opts, err))
        return result
    except writer.UnsafePath as err:
        problems.append(problem(str(opts.output), 0, "write_failed", reason=err))
        return result
    finally:
        if tx is not None and result.stats is None:
            tx.abort()
            writer.remove_leftovers(opts.output)  # also files staged by workers before the failure
    site_portal.memo.save()
    indexing.save()
    if not state.remember:
        return result
    written = set(result.stats.paths)
    render.record_pages(state, opts.output, {rel: fps for rel, fps in pages.items() if rel in written
                                              or _recorded(state, rel) != fps}, tx.located)
    if (state.fragments, state.fragments_key) != (result.fragments, result.fragments_key):
        state.fragments, state.fragments_key, state.dirty = result.fragments, result.fragments_key, True
    if (state.layout_key, state.post_digests) != (result.layout_key, set(digests.values())):
        state.layout_key, state.post_digests, state.dirty = result.layout_key, set(digests.values()), True
    keep_only_current(state, pages, set(digests.values()))
    if on_disk:
        try:
            cache.save(cache_dir, state)
        except OSError as err:  # the site is written: the next build only has no cache to start from
            cache.discard(cache_dir)
            result.notices.append(os_problem(_site_rel(opts.site, cache_dir), "cache_not_saved", err, "note"))
    return result


def compile_settings(cfg: Config) -> str:
    """The settings that shape a compiled post: any change compiles every post again."""
    return repr([cfg.base_url, cfg.language, cfg.timezone, list(cfg.embed_hosts),
                 [[c.key, c.name, c.description] for c in cfg.categories]])


def compile_key(settings: str, rel: str, content_hash: str) -> str:
    """A compiled post depends on its bytes, its path and the settings Markdown rendering reads."""
    return cache.digest(rel, content_hash, settings)


class Bodies:
    """Posts read from the cache come without their bodies; `full` reads a body when a page or feed shows it."""

    def __init__(self, opts: Options, cfg: Config, state: BuildState, keys: dict[str, str], sizer: _Sizer) -> None:
        self.opts, self.cfg, self.state, self.sizer = opts, cfg, state, sizer
        self.keys = keys  # source -> compile key

    def full(self, post: Post) -> Post:
        if post.body_html != cache.NOT_LOADED:
            return post
        key = self.keys[post.source]
        compiled, found, signature = self.state.compiled[key]
        body = self.state.body(key, signature)
        if body is not None:
            self.state.compiled[key] = (replace(compiled, body_html=body), found, signature)
            return replace(post, body_html=body)  # the post as shown: its counted views added (viewcount)
        # The body shard is damaged or lost: compile the post again (the same bytes give the same post).
        again = self.sizer.size(compile_post(self.opts.site, post.source, self.cfg, _renderer_for(self.cfg))[0])
        body = again.body_html if again else ""
        self.state.set_compiled(key, (replace(compiled, body_html=body), found, signature))
        return replace(post, body_html=body)

    def job(self, job: context.Job) -> context.Job:
        """The job with every post of its context whole (articles, pages and redirects hold one)."""
        if job.context is None or not any(isinstance(v, Post) for v in job.context.values()):
            return job
        whole = {name: self.full(v) if isinstance(v, Post) else v for name, v in job.context.items()}
        return replace(job, context=whole)


def compile_all(opts: Options, cfg: Config, sources: list[str], state: BuildState, result: Result,
                statics: list[str] | None = None) -> tuple[list[Post], dict[str, str], Bodies]:
    """Every Markdown file as a Post with its image sizes, from the cache when its key is known.

    A file whose size, mtime or inode changed is read (and hashed) only by the
    worker that compiles it. Also returns each post's digest (its compile key and
    the images it was sized with), which stands for the whole Post in page fingerprints.
    """
    site, settings = os.fspath(opts.site), compile_settings(cfg)
    keys = {}
    for rel in sources:
        known = state.known_hash(os.path.join(site, rel))
        if known is not None:
            keys[rel] = compile_key(settings, rel, known)
    sizer = _Sizer(opts.site, cfg, state, statics or [])
    # Image signatures are looked at only when some file beside the posts changed since they were.
    images = _images_state(site, statics, state) if statics is not None else None
    same_images = images is not None and images == state.images_checked
    stale = [rel for rel in sources if keys.get(rel) not in state.compiled
             or (not same_images and state.compiled[keys[rel]][2] != sizer.signature(state.compiled[keys[rel]][0]))]
    for rel, (post, found, record) in zip(stale, _compile_many(opts, cfg, stale), strict=True):
        keys[rel] = compile_key(settings, rel, record[3] if record else "unreadable")
        if record is not None:
            state.remember_hash(os.path.join(site, rel), record)
        state.set_compiled(keys[rel], (sizer.size(post), found + sizer.undecodable(post), sizer.signature(post)))
    result.compiled = len(stale)
    posts, digests = [], {}
    for rel in sources:
        post, found, signature = state.compiled[keys[rel]]
        result.problems.extend(found)
        if post is not None:
            posts.append(post)
            digests[rel] = cache.digest(keys[rel], signature)
    state.used = set(keys.values())
    if statics is not None and not same_images:
        state.images_checked = _images_state(site, statics, state, hash_new=True) or ""
        state.dirty = True
    return posts, digests, Bodies(opts, cfg, state, keys, sizer)


def _images_state(site: str, statics: list[str], state: BuildState, hash_new: bool = False) -> str | None:
    """A digest of the content hashes of every non-Markdown file of content/; None if one is not known
    (its size, mtime or inode changed, or it is new) unless `hash_new` has it read."""
    parts = []
    for rel in statics:
        path = os.path.join(site, rel)
        try:
            known = state.file_hash(path) if hash_new else state.known_hash(path)
        except OSError:
            return None
        if known is None:
            return None
        parts += [rel, known]
    return cache.digest(*parts)


def _compile_many(opts: Options, cfg: Config, sources: list[str]) -> Iterator[tuple[Post | None, list[Problem],
                                                                                   cache.FileRecord | None]]:
    return workers.stream(_compile_chunk, sources, workers.count(opts.workers), site=opts.site, cfg=cfg)


def _renderer_for(cfg: Config) -> Renderer:
    return _renderer(cfg.base_path, cfg.embed_hosts, cfg.words["backlink"])


@functools.lru_cache(maxsize=4)
def _renderer(base_path: str, embed_hosts: tuple[str, ...], backlink: str) -> Renderer:
    """One Markdown renderer per process and settings: making one costs as much as rendering a few posts."""
    return Renderer(base_path, embed_hosts, backlink)


def _compile_chunk(sources: list[str]) -> list[tuple[Post | None, list[Problem], cache.FileRecord | None]]:
    """Compile in a worker: each file is read once, for its hash and its post."""
    work = workers.inherited()
    site, cfg = work["site"], work["cfg"]
    renderer = _renderer_for(cfg)
    done = []
    for rel in sources:
        try:
            info = os.stat(os.path.join(site, rel))
            raw = (site / rel).read_bytes()
        except OSError:  # compile_post reports it
            done.append((*compile_post(site, rel, cfg, renderer), None))
            continue
        record = (info.st_size, info.st_mtime_ns, info.st_ino, cache.digest(raw))
        done.append((*compile_post(site, rel, cfg, renderer, raw), record))
    return done


_IMAGE_SUFFIXES = context.IMAGE_SUFFIXES


class _Sizer:
    """Pixel sizes of the images a post shows: its cover and every local <img> of its body."""

    def __init__(self, site: Path, cfg: Config, state: BuildState, statics: list[str]) -> None:
        self.content = site / "content"
        self.cfg = cfg
        self.state = state
        # Published (NFC) name -> the name on disk, where a Mac saved it decomposed (NFD).
        self.on_disk = {published_name(rel): rel.split("/", 1)[1] for rel in statics
                        if published_name(rel) != rel.split("/", 1)[1]}

    def _file(self, site_path: str) -> str:
        name = unicodedata.normalize("NFC", unquote(site_path.lstrip("/")))
        return self.on_disk.get(name, name)

    def _hash(self, site_path: str) -> str:
        try:
            return self.state.file_hash(os.path.join(self.content, self._file(site_path)))
        except OSError:
            return ""

    def signature(self, post: Post | None) -> str:
        """The content hashes of the post's local images: sizes are redone when one changes."""
        if post is None:
            return ""
        paths = [ref for ref, _ in post.local_refs if ref.lower().endswith(_IMAGE_SUFFIXES)]
        return cache.digest(*[self._hash(path) for path in paths]) if paths else ""

    def size_of(self, site_path: str) -> tuple[int, int] | None:
        key = self._hash(site_path)
        if not key:
            return None
        if key not in self.state.sizes:
            path = self.content / self._file(site_path)
            self.state.sizes[key] = images.dimensions(path) or (0, 0)
        return self.state.sizes[key] if self.state.sizes[key][0] else None

    def undecodable(self, post: Post | None) -> list[Problem]:
        """A warning for each image of the post that is there but whose size cannot be read: a damaged
        file, or a web page saved as .jpg, would otherwise be published silently."""
        if post is None:
            return []
        return [problem(post.source, line, "image_undecodable", "warning", value="content" + unquote(ref))
                for ref, line in dict.fromkeys(post.local_refs)
                if ref.lower().endswith(_IMAGE_SUFFIXES) and self._hash(ref) and self.size_of(ref) is None]

    def size(self, post: Post | None) -> Post | None:
        if post is None:
            return None
        cover = self.size_of(post.image) if post.image.startswith("/") else None
        body = post.body_html
        if "<img" in body:
            body = images.add_sizes(body, self.size_of, self.cfg.base_path)
        return replace(post, body_html=body, image_width=cover[0] if cover else 0,
                       image_height=cover[1] if cover else 0)


def duplicate_urls(posts: list[Post]) -> list[Problem]:
    first: dict[str, Post] = {}
    found = []
    for post in sorted(posts, key=lambda p: p.source):
        other = first.setdefault(post.url, post)
        if other is not post:
            found.append(problem(post.source, 1, "duplicate_url", url="/" + post.url, other=other.source))
            found.append(problem(other.source, 1, "duplicate_url", url="/" + post.url, other=post.source))
    return found


def render_site(opts: Options, cfg: Config, cat: catalog.Catalog, site_data: dict, state: BuildState,
                tx: writer.Transaction | None, copies: dict[str, Path], result: Result,
                digests: dict[str, str], bodies: Bodies, site_portal: portal.Portal) -> dict[str, tuple[str, str]]:
    """Render every page whose fingerprint changed, or splice in the shared partials when only they changed.

    Returns {output path: (fingerprint, fingerprint without the shared partials)}.
    """
    problems = result.problems
    templates_key = render.templates_digest(opts.site, (opts.site / config.CONFIG_FILE).read_bytes(), opts.theme)
    env = _environment(opts, cfg, state, templates_key, problems)
    if env is None:
        return {}
    shared = context.common(cfg, cat, site_data) | portal.shared(cfg, site_portal, result.build_time, cat.pages)
    views_before = len(state.views)
    whole = render.Fingerprints("", digests, state.views)  # what every page shares is known whole
    use = _shared_use(env, state, templates_key)
    shared_names = {k: v for k, v in shared.items() if k in templates.SHARED_NAMES}
    result.fragments_key = cache.digest(templates_key, render.base_fingerprint("", shared_names, whole))
    fragments = _fragments(env, use, shared, state, result.fragments_key, problems)
    if fragments is None:
        return {}
    templates.new_build(env, fragments)
    result.fragments = {name: str(html) for name, html in fragments.items()}
    visible = {k: v for k, v in shared.items() if k in use.visible or k not in templates.SHARED_NAMES}
    prints = render.Fingerprints(render.base_fingerprint(templates_key, visible, whole), digests, state.views,
                                 hide_list_views=templates.LISTED_VIEWS not in use.visible)
    keys = ArticleKeys(state, cat, prints)
    if state.remember:  # --no-cache keeps nothing to compare it with next time
        result.layout_key = _layout_key(cat, prints, _fragments_key(result.fragments), copies, site_portal.key)
        if opts.extension is not None:
            result.layout_key = cache.digest(result.layout_key, opts.extension.key())
    plan = _plan_unchanged(opts, cfg, cat, state, tx, copies, keys, digests, result.layout_key)
    result.layout_kept = plan is not None
    if plan is None:
        plan = _plan(opts, cfg, cat, state, tx, copies, keys, problems, result.fragments,
                     portal.jobs(cfg, site_portal))
    _carry_out(opts, cfg, cat, env, shared, state, tx, result, plan, bodies)
    if len(state.views) != views_before:
        state.dirty = True
    return plan.fingerprints


def _carry_out(opts: Options, cfg: Config, cat: catalog.Catalog, env: jinja2.Environment, shared: dict,
               state: BuildState, tx: writer.Transaction | None, result: Result, plan: Plan, bodies: Bodies) -> None:
    """Render and splice the planned pages in the workers; a page that cannot be spliced is rendered."""
    problems = result.problems
    out = None if tx is None or problems.failed(opts.strict) else opts.output
    jobs = [bodies.job(job) for job in plan.jobs]
    splices = list(plan.splices) if out is not None else []
    changes = [(state.fragments[name].encode(), html.encode()) for name, html in result.fragments.items()
               if name in state.fragments and state.fragments[name] != html]  # splices need the same names
    count = workers.count(opts.workers)

    def take(done: list[render.Rendered]) -> list[context.Job]:
        """Adopt what was written; returns the pages whose splice could not be done, to render."""
        unspliced = []
        for rel, staged, found in done:
            if found is None:
                unspliced.append(bodies.job(_with_context(cfg, cat, plan.splices[rel])))
                continue
            problems.extend(found)
            if out is not None and tx is not None and not found:
                tx.adopt(rel, staged)
        return unspliced

    again = take(render.render_jobs(env, shared, jobs, out, count, splices, changes))
    take(render.render_jobs(env, shared, again, out, count))
    result.rendered, result.spliced = len(jobs) + len(again), len(splices) - len(again)


def _environment(opts: Options, cfg: Config, state: BuildState, templates_key: str,
                 problems: Problems) -> jinja2.Environment | None:
    """The Jinja environment for these templates; serve keeps the last one between builds."""
    env = state.envs.get(templates_key)
    if env is None:  # a new environment compiles the templates again
        env = templates.make_env(opts.site, cfg, theme=opts.theme)
        found = templates.check_syntax(env, opts.site, compile_all=templates_key != state.templates_ok,
                                       theme=opts.theme)
        if found:
            problems.extend(found)
            return None
        state.envs = {templates_key: env}
        state.dirty |= state.templates_ok != templates_key
        state.templates_ok = templates_key
    return env


def _shared_use(env: jinja2.Environment, state: BuildState, templates_key: str) -> templates.SharedUse:
    """What the templates do with the shared variables: read off them once per set of templates."""
    if state.shared_use[0] != templates_key:
        use = templates.shared_use(env, context.TEMPLATES)
        state.shared_use = (templates_key, use.fragments, tuple(sorted(use.visible)))
        state.dirty = True
    return templates.SharedUse(state.shared_use[1], frozenset(state.shared_use[2]))


def _fragments(env: jinja2.Environment, use: templates.SharedUse, shared: dict, state: BuildState,
               key: str, problems: Problems) -> dict[str, Markup] | None:
    """The shared partials of this build, rendered once here, so every page and every worker gets the same.

    `key` covers the templates and the shared variables: when it is the last
    build's, the partials are the last build's.
    """
    if key == state.fragments_key and set(use.fragments) == set(state.fragments):
        return {name: Markup(state.fragments[name]) for name in use.fragments}
    fragments = {}
    for name in use.fragments:
        html, found = templates.render_shared(env, name, shared)
        problems.extend(found)
        if html is None:
            return None
        fragments[name] = html
    return fragments


@dataclass
class Plan:
    jobs: list[context.Job] = field(default_factory=list)  # pages to render
    splices: dict[str, context.Job] = field(default_factory=dict)  # pages to splice, by output path
    fingerprints: dict[str, tuple[str, str]] = field(default_factory=dict)


def _plan(opts: Options, cfg: Config, cat: catalog.Catalog, state: BuildState, tx: writer.Transaction | None,
          copies: dict[str, Path], keys: ArticleKeys, problems: Problems, fragments: dict[str, str],
          extra: list[context.Job]) -> Plan:
    """Sort every page into kept (intact), spliced (only the shared partials changed) or rendered.

    A page is spliced only when its file is the one written under its current
    own fingerprint together with the partials of the last build.
    """
    plan, makers = Plan(), {}
    now_key, last_key = _fragments_key(fragments), _fragments_key(state.fragments)
    can_splice = set(fragments) == set(state.fragments)
    jobs = context.all_jobs(cfg, cat, keys.known if state.remember else lambda post: False, extra)
    if opts.extension is not None:
        jobs = opts.extension.jobs(cfg, cat, jobs)
    for job in jobs:
        if job.out in makers or job.out in copies:
            other = makers.get(job.out) or _site_rel(opts.site, copies[job.out])
            problems.append(problem(job.source, 1, "duplicate_url", url="/" + job.out, other=other))
            continue
        makers[job.out] = job.source
        if not state.remember:  # --no-cache: every page is rendered and nothing is kept
            plan.fingerprints[job.out] = ("", "")
            plan.jobs.append(_with_context(cfg, cat, job))
            continue
        own = keys.fingerprint(job)
        whole = cache.digest(own, now_key)
        plan.fingerprints[job.out] = (whole, own)
        record = state.pages.get(job.out)
        if render.intact(opts.output, job.out, record, whole):
            if tx is not None:
                tx.keep(job.out)
        elif (can_splice and record is not None and record[0] == cache.digest(own, last_key)
              and render.intact(opts.output, job.out, record, own, field=3)):
            plan.splices[job.out] = job
        else:
            plan.jobs.append(_with_context(cfg, cat, job))
    return plan


def _layout_key(cat: catalog.Catalog, prints: render.Fingerprints, fragments_key: str,
                copies: dict[str, Path], portal_key: str) -> str:
    """What every page but those showing a whole post is made of.

    Besides the templates, the config and the shared variables (prints.base) and
    the shared partials, every such page sees posts only as Cards or Links, and
    which pages exist follows from the published posts in order (their Cards)
    and their aliases. The static files' paths are in it too: one that takes a
    page's place is a problem the full plan reports. Equal keys mean those pages
    are the last build's.
    """
    parts = [prints.base, fragments_key, portal_key, *sorted(copies), "\x02"]
    for card, post in zip(cat.cards(cat.posts + cat.pages), cat.posts + cat.pages, strict=True):
        parts += [prints.of_item(card), "\x01".join(post.aliases)]
    return cache.digest(*parts)


def _plan_unchanged(opts: Options, cfg: Config, cat: catalog.Catalog, state: BuildState,
                    tx: writer.Transaction | None, copies: dict[str, Path], keys: ArticleKeys,
                    digests: dict[str, str], layout_key: str) -> Plan | None:
    """The plan when only whole posts changed (a body edit): their own pages, and the rest kept as they are.

    None (make the full plan) unless the layout is the last build's and every
    other page is still as that build wrote it.
    """
    if not state.remember or layout_key != state.layout_key or tx is None:
        return None
    changed = [p for p in cat.posts + cat.pages if digests[p.source] not in state.post_digests]
    if len(changed) > workers.THRESHOLD:
        return None
    jobs = [job for post in changed for job in context.own_jobs(cfg, cat, post)]
    for post in changed:
        keys.known(post)  # so that the article's fingerprint is remembered under its cheap key
    own_outs = {job.out for job in jobs}
    plan = Plan()
    for out, record in state.pages.items():
        if out in copies or out in own_outs:
            continue
        if not render.intact(opts.output, out, record, record[0]):
            return None  # a page was touched or removed: the full plan finds and renders it
        plan.fingerprints[out] = (record[0], record[3])
    for out in plan.fingerprints:
        tx.keep(out)
    now_key = _fragments_key(state.fragments)
    for job in jobs:
        own = keys.fingerprint(job)
        plan.fingerprints[job.out] = (cache.digest(own, now_key), own)
        if render.intact(opts.output, job.out, state.pages.get(job.out), plan.fingerprints[job.out][0]):
            tx.keep(job.out)
        else:
            plan.jobs.append(job)
    return plan


def _fragments_key(fragments: dict[str, str]) -> str:
    return cache.digest(*[part for name in sorted(fragments) for part in (name, fragments[name])])


def _with_context(cfg: Config, cat: catalog.Catalog, job: context.Job) -> context.Job:
    if job.context is None and job.make is None:  # an article whose fingerprint was known
        return context.article_job(cfg, cat, next(p for p in cat.posts if p.source == job.source))
    return job.with_context()


class ArticleKeys:
    """Page fingerprints remembered between builds (in the cache, and in memory by `serve`) under a cheap key.

    An article page is made from its post, the Links of "Các tin khác" and what
    every page shares, so (base fingerprint, post digest, those Links' digests)
    determines it: when that key is unchanged, the article's context is not even
    built. A listing or the sitemap comes with the inputs its variables are made
    from (context.Job.inputs), which play the same part.
    """

    def __init__(self, state: BuildState, cat: catalog.Catalog, prints: render.Fingerprints) -> None:
        self.state = state
        self.memo = state.articles
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
        key = cache.digest(self.prints.base, self.prints.of_item(post), *self._others(post))
        out = context.out_path(post.url)
        if self.memo.get(out, ("",))[0] == key:
            return True
        self.pending[out] = key
        return False

    def fingerprint(self, job: context.Job) -> str:
        if job.inputs is not None:
            key = cache.digest(self.prints.base, job.template, job.out,
                               render.dump(render.plain(job.inputs, self.prints)))
            if self.memo.get(job.out, ("",))[0] == key:
                return self.memo[job.out][1]
            self.pending[job.out] = key
            job = job.with_context()
        elif job.context is None:
            return self.memo[job.out][1]
        value = self.prints.of_job(job)
        if job.out in self.pending:
            self.memo[job.out] = (self.pending[job.out], value)
            self.state.dirty = True
        return value


def theme_assets(site_dir: Path, problems: Problems, theme: tuple[Path, ...] = ()) -> dict[str, Path]:
    """assets/ of the default theme, overlaid file by file by each parent theme's, then by the site's own;
    links leading out refused."""
    found: dict[str, Path] = {}
    for root in (templates.THEME_DIR / "assets", *[folder / "assets" for folder in reversed(theme)],
                 site_dir / "assets"):
        if not root.is_dir():
            continue
        real_root = root.resolve()
        for path in sorted(root.rglob("*")):
            if path.name.startswith(".") or not path.is_file():
                continue
            if not path.resolve().is_relative_to(real_root):
                problems.append(problem(_site_rel(site_dir, path), 0, "path_outside"))
                continue
            found["assets/" + path.relative_to(root).as_posix()] = path
    return found


def static_files(site_dir: Path, statics: list[str], problems: Problems,
                 theme: tuple[Path, ...] = ()) -> dict[str, Path]:
    """Output path -> source file: the theme's assets, then every non-Markdown file of content/.

    Names are published composed (NFC), the way links are typed on Windows and
    normalised here, whatever form the file system gave (a Mac saves NFD); two
    files whose names differ only so would land on one name: an error.
    """
    copies = theme_assets(site_dir, problems, theme)
    origin: dict[str, str] = {}
    for rel in statics:
        out = published_name(rel)
        if out in origin:
            problems.append(problem(rel, 0, "same_name_nfc", other=origin[out]))
            continue
        origin[out] = rel
        copies[out] = site_dir / rel
    return copies


def published_name(rel: str) -> str:
    """content/ảnh/a.jpg -> ảnh/a.jpg, composed (NFC)."""
    return unicodedata.normalize("NFC", rel.split("/", 1)[1])


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


def put_static(tx: writer.Transaction, copies: dict[str, Path], state: BuildState,
               worker_count: int) -> dict[str, tuple[str, str]]:
    """Copy the static files whose content differs from the output's; returns {output path: (hash, hash)}."""
    hashes, todo = {}, []
    for rel, source in sorted(copies.items()):
        content = state.file_hash(source)
        hashes[rel] = (content, content)
        if render.intact(tx.out, rel, state.pages.get(rel), content):
            tx.keep(rel)
        else:
            todo.append(rel)
    staged = workers.spread(_copy_chunk, todo, worker_count, out=tx.out, copies=copies)
    for rel, path in zip(todo, staged, strict=True):
        tx.adopt(rel, path)
    return hashes


def _copy_chunk(rels: list[str]) -> list[Path | None]:
    work = workers.inherited()
    return [writer.stage_if_changed(work["out"], rel, work["copies"][rel]) for rel in rels]


def _recorded(state: BuildState, rel: str) -> tuple[str, str] | None:
    record = state.pages.get(rel)
    return (record[0], record[3]) if record else None


def _site_rel(site_dir: Path, path: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return path.as_posix()


def missing_refs(cat: catalog.Catalog, names: set[str]) -> list[Problem]:
    known = set(names)  # published names are NFC, and so are links (the source is normalised as it is read)
    found = []
    for post in cat.posts + cat.pages:
        for ref, line in post.local_refs:
            wanted = unicodedata.normalize("NFC", unquote(ref.lstrip("/")))
            if wanted in known or wanted.rstrip("/") + "/index.html" in known or wanted in ("", "/"):
                continue
            found.append(problem(post.source, line, "missing_file", "warning", value=ref))
    return found


def keep_only_current(state: BuildState, outputs: dict[str, tuple[str, str]], post_digests: set[str]) -> None:
    """Forget what this build no longer used, so the cache does not grow forever."""
    state.forget_compiled_except(state.used)
    files = {k: v for k, v in state.files.items() if k in state.touched}
    pages = {k: v for k, v in state.pages.items() if k in outputs}
    used_sizes = {v[3] for v in files.values()}
    sizes = {k: v for k, v in state.sizes.items() if k in used_sizes}
    articles = {k: v for k, v in state.articles.items() if k in outputs}
    views = {k: v for k, v in state.views.items() if k.partition(":")[2] in post_digests}
    if ((len(files), len(pages), len(sizes), len(articles), len(views))
            != (len(state.files), len(state.pages), len(state.sizes), len(state.articles), len(state.views))):
        state.dirty = True
    state.files, state.pages, state.sizes, state.articles, state.views = files, pages, sizes, articles, views
