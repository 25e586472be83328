"""A province's portal and its communes' sites: one command, one theme, news flowing up.

The province's site.toml lists its members (`[[members]]`, key and path);
each member is a site folder of its own. One build makes every site: the
members in parallel over worker processes (each member's own pages in one
process), then the province, whose home page, `/tin-tu-co-so/` and feeds
show the members' newest posts, read from the members' sources (never
their built output, so the sites can be built in any order, on any
machine). Every site stages its files and nothing is renamed into place
until all of them built cleanly: a mistake in one commune leaves every
output as it was (writer.commit_all).

A member whose inputs (its files, the province's theme, the default theme,
the options) and output are as its last build left them, and with no post
falling due since, is not built again at all: that is what keeps one edit
in a province of a hundred communes quick.
"""

from __future__ import annotations

import functools
import html
import os
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
from feedgen.feed import FeedGenerator

from sitegen import (
    __version__,
    config,
    context,
    dates,
    feeds,
    hashing,
    i18n,
    incremental,
    loader,
    locking,
    pipeline,
    workers,
    writer,
)
from sitegen.catalog import Catalog, page_urls, paginate
from sitegen.model import Config
from sitegen.posts import post_url
from sitegen.problems import Problem, Problems, os_problem, problem
from sitegen.text import slugify

NEWS_URL = "tin-tu-co-so/"
MEMBERS_URL = "xa-phuong/"
HOME_NEWS = 8  # member posts in the home page's "Tin từ cơ sở"
NEWS_LIMIT = 1000  # member posts listed under /tin-tu-co-so/ (each member's site keeps its whole archive)
_MEMBER_KEYS: dict[str, tuple[type, bool]] = {"key": (str, True), "path": (str, True)}
_STAMP = "member-stamp.json"


@dataclass(frozen=True)
class Member:
    key: str
    rel: str  # the path written in site.toml, from the province's folder ("data/xa/tan-hoa")
    folder: Path
    line: int  # of its [[members]] header


@dataclass(frozen=True, slots=True)
class MemberInfo:
    """What the province shows of a member: /xa-phuong/ and the name beside its news."""

    key: str
    title: str
    url: str  # its base_url (or its preview address)
    address: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class NewsItem:
    """A member's published post as the province shows it: from its front matter, never its body."""

    member: str  # the member's key
    member_name: str
    title: str
    url: str  # absolute: the member's own page
    date: datetime
    has_time: bool
    updated: datetime | None
    id: str  # the member's own feed id of the post
    summary: str
    author: str


@dataclass(frozen=True)
class Settings:
    """The command line, for every site of the province."""

    site: Path
    output: Path
    members_output: Path | None = None
    only: str | None = None
    no_members: bool = False
    drafts: bool = False
    future: bool = False
    strict: bool = False
    check_only: bool = False
    workers: int = 0
    use_cache: bool = True
    environ: dict[str, str] | None = None
    preview_origin: str = ""  # serve: members at <origin>/<key>/, the province at <origin>/
    lock_wait: float = 600.0  # seconds to wait for another build writing into one of the outputs


@dataclass
class Outcome:
    """One site's build: its problems (paths from the province's folder) and its prepared write."""

    key: str  # "" for the province
    problems: list[Problem] = field(default_factory=list)
    pending: writer.Transaction | None = None
    stats: writer.WriteStats | None = None
    skipped: bool = False  # unchanged since its last build: not built at all
    stamp: dict | None = None  # written beside its cache once the group is committed
    news: list[NewsItem] = field(default_factory=list)
    info: MemberInfo | None = None
    files: int = 0  # files of its output (checked, with `check`)
    notices: list[Problem] = field(default_factory=list)


@dataclass
class GroupResult:
    language: str = "vi"
    problems: Problems = field(default_factory=Problems)
    outcomes: list[Outcome] = field(default_factory=list)
    pages: int = 0
    notices: list[Problem] = field(default_factory=list)  # notes for the operator; they never fail a build

    @property
    def stats(self) -> writer.WriteStats | None:
        done = [o.stats for o in self.outcomes if o.stats is not None]
        if not done:
            return None
        return writer.WriteStats(sum(s.written for s in done), sum(s.unchanged for s in done),
                                 sum(s.removed for s in done))


# --- [[members]] in site.toml --------------------------------------------------------------------------

def has_members(site: Path) -> bool:
    """Whether the site.toml of `site` lists members (a broken file: the normal build reports it)."""
    try:
        return "members" in tomllib.loads((site / config.CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def _member_lines(raw: str) -> list[int]:
    """0-based line index of each [[members]] header."""
    return [i for i, t in enumerate(raw.splitlines()) if re.match(r"^\s*\[\[\s*members\s*\]\]", t)]


def load_members(site: Path, cfg: Config) -> tuple[list[Member], list[Problem]]:
    """The members listed in the province's site.toml, checked: keys, paths, folders, repeats."""
    raw = (site / config.CONFIG_FILE).read_text(encoding="utf-8")
    entries = tomllib.loads(raw).get("members", [])
    if not isinstance(entries, list):
        return [], []  # config.load_config reported the type
    headers = _member_lines(raw)
    taken = {c.key for c in cfg.categories} | config.RESERVED_SEGMENTS | {NEWS_URL[:-1], MEMBERS_URL[:-1]}
    found: list[Problem] = []
    members: list[Member] = []
    seen: dict[str, int] = {}
    root = site.resolve()
    for index, entry in enumerate(entries):
        start = headers[index] if index < len(headers) else 0
        if not isinstance(entry, dict):
            found.append(problem(config.CONFIG_FILE, start + 1, "config_bad_type", key="members", expected="table"))
            continue
        entry_problems = config._check_keys(entry, _MEMBER_KEYS, raw, start, start + 1)
        found += entry_problems
        if entry_problems:
            continue
        key, rel = entry["key"].strip(), entry["path"].strip().rstrip("/")
        key_line, path_line = config.line_of(raw, "key", start), config.line_of(raw, "path", start)
        if not key or key != slugify(key):
            found.append(problem(config.CONFIG_FILE, key_line, "member_bad_key", value=key,
                                 suggestion=slugify(key) or "xa-moi"))
            continue
        if key in seen:
            found.append(problem(config.CONFIG_FILE, key_line, "member_duplicate_key", value=key, first=seen[key]))
            continue
        seen[key] = key_line
        if key in taken:
            found.append(problem(config.CONFIG_FILE, key_line, "member_key_taken", value=key))
            continue
        folder = site / rel
        if not rel or os.path.isabs(rel) or not folder.resolve().is_relative_to(root) or folder.resolve() == root:
            found.append(problem(config.CONFIG_FILE, path_line, "member_outside", value=rel))
            continue
        if any(folder.resolve().is_relative_to((site / name).resolve()) for name in ("content", "templates", "assets")):
            found.append(problem(config.CONFIG_FILE, path_line, "member_in_province", value=rel))
            continue
        if not (folder / config.CONFIG_FILE).is_file():
            found.append(problem(config.CONFIG_FILE, path_line, "member_missing", value=rel))
            continue
        members.append(Member(key, Path(rel).as_posix(), folder, start + 1))
    return members, found


def member_configs(members: list[Member], cfg: Config, raw: str) -> tuple[dict[str, Config], list[Problem]]:
    """Each member's own config; a base_url used twice (by two members, or a member and the
    province) is an error on the member's line."""
    configs: dict[str, Config] = {}
    found: list[Problem] = []
    owners = {cfg.base_url: "site.toml"}
    for member in members:
        member_cfg, problems = config.load_config(member.folder)
        found += [in_member(member, p) for p in problems]
        if member_cfg is None:
            continue
        other = owners.setdefault(member_cfg.base_url, member.key)
        if other != member.key:
            found.append(problem(config.CONFIG_FILE, config.line_of(raw, "path", member.line - 1),
                                 "member_duplicate_base_url", value=member_cfg.base_url, key=member.key,
                                 other=other))
        configs[member.key] = member_cfg
    return configs, found


def in_member(member: Member, item: Problem) -> Problem:
    """A member's problem with its path from the province's folder: data/xa/tan-hoa/content/a.md."""
    if not item.path or os.path.isabs(item.path):
        return item
    return replace(item, path=f"{member.rel}/{item.path}")


# --- What the sites add to their builds ------------------------------------------------------------------

class MemberPortal:
    """A member's build: its header names and links the province's portal; nothing else changes."""

    def __init__(self, portal_title: str, portal_url: str, base_url: str = "") -> None:
        self.portal_title, self.portal_url, self.base_url = portal_title, portal_url, base_url

    def config(self, cfg: Config) -> Config:
        cfg = replace(cfg, portal_title=self.portal_title, portal_url=self.portal_url)
        return replace(cfg, base_url=self.base_url) if self.base_url else cfg

    def jobs(self, cfg: Config, cat: Catalog, jobs: list[context.Job]) -> list[context.Job]:
        return jobs

    def feeds(self, cfg: Config, now: datetime) -> dict[str, bytes]:
        return {}

    def key(self) -> str:
        return ""


class ProvinceNews:
    """The province's build: "Tin từ cơ sở" on its home page, /tin-tu-co-so/ with its feeds, /xa-phuong/.

    Member news is kept out of what every page shares (the sidebar), so a
    member's new post re-renders only these pages, never the province's articles.
    """

    def __init__(self, news: list[NewsItem], members: list[MemberInfo]) -> None:
        self.news = sorted(news, key=lambda n: (n.date, n.url), reverse=True)[:NEWS_LIMIT]
        self.members = members

    def config(self, cfg: Config) -> Config:
        return cfg

    def key(self) -> str:
        return hashing.digest(hashing.dump(hashing.plain([self.news, self.members], None)))

    def _page(self, cfg: Config, kind: str, url: str, title: str, crumbs: list) -> dict:
        page = context.page_info(cfg, kind, url, title, crumbs)
        if kind == "member-news":
            page["feeds"] = page["feeds"] + news_feed_links(cfg)
        return page

    def jobs(self, cfg: Config, cat: Catalog, jobs: list[context.Job]) -> list[context.Job]:
        title = cfg.words["member_news"]
        pages = paginate(tuple(self.news), cfg.per_page, NEWS_URL)
        added = []
        for n, (url, chunk) in enumerate(pages):
            inputs = (n, len(pages), chunk)
            added.append(context.Job("news.html", context.out_path(url), None, "site.toml",
                                     functools.partial(self._listing, cfg, title, n, len(pages), chunk), inputs))
        members_title = cfg.words["members"]
        added.append(context.Job("members.html", context.out_path(MEMBERS_URL), {
            "page": self._page(cfg, "members", MEMBERS_URL, members_title, [(members_title, None)]),
            "members": self.members}, "site.toml"))
        urls = [url for url, _ in pages] + [MEMBERS_URL]
        done = []
        for job in jobs:
            if job.out == "index.html" and job.context is not None:
                job = replace(job, context={**job.context, "member_news": self.news[:HOME_NEWS],
                                            "member_news_url": NEWS_URL})
            elif job.out == "sitemap.xml" and job.inputs is not None:
                job = context.sitemap_job(cfg, cat, [*job.inputs[1], *urls])
            done.append(job)
        return done + added

    def _listing(self, cfg: Config, title: str, n: int, count: int, chunk: tuple[NewsItem, ...]) -> dict:
        urls = page_urls(NEWS_URL, count)
        shown = title if n == 0 else cfg.words["page_n"].format(title=title, n=n + 1)
        crumbs = [(title, NEWS_URL)] + ([(shown, None)] if n else [])
        listing = {"title": shown, "posts": list(chunk), "page_no": n + 1, "pages": len(urls),
                   "prev_url": urls[n - 1] if n else None, "next_url": urls[n + 1] if n + 1 < len(urls) else None,
                   "page_urls": urls}
        return {"page": self._page(cfg, "member-news", urls[n], shown, crumbs), "listing": listing}

    def feeds(self, cfg: Config, now: datetime) -> dict[str, bytes]:
        newest = self.news[: cfg.feed_items]
        title = f"{cfg.title} - {cfg.words['member_news']}"
        return {NEWS_URL + "feed.xml": _news_feed(cfg, now, title, "feed.xml", newest).rss_str(pretty=True),
                NEWS_URL + "atom.xml": _news_feed(cfg, now, title, "atom.xml", newest).atom_str(pretty=True)}


def news_feed_links(cfg: Config) -> list[dict[str, str]]:
    title = f"{cfg.title} - {cfg.words['member_news']}"
    return [{"title": cfg.words["feed_rss"].format(title=title), "url": NEWS_URL + "feed.xml",
             "type": "application/rss+xml"},
            {"title": cfg.words["feed_atom"].format(title=title), "url": NEWS_URL + "atom.xml",
             "type": "application/atom+xml"}]


def _news_feed(cfg: Config, now: datetime, title: str, name: str, news: list[NewsItem]) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(cfg.base_url + NEWS_URL)
    fg.title(title)
    fg.description(title)
    fg.link(href=cfg.base_url + NEWS_URL + name, rel="self")
    fg.link(href=cfg.base_url + NEWS_URL, rel="alternate")
    fg.language(cfg.language)
    fg.author({"name": cfg.author or cfg.title})
    fg.generator(feeds.GENERATOR, version=__version__)
    fg.lastBuildDate(now)
    fg.load_extension("dc")
    for item in news:
        entry = fg.add_entry(order="append")
        entry.id(item.id)
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate")
        entry.published(item.date)
        entry.updated(item.updated or item.date)
        entry.author({"name": item.member_name})
        entry.dc.dc_creator(item.author or item.member_name)
        entry.category(term=item.member, label=item.member_name)
        summary = item.summary or item.title
        entry.description(html.escape(summary, quote=False))
        entry.summary(summary, type="text")
    return fg


# --- Reading a member's news from its sources ---------------------------------------------------------------

def _stat(path: str) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def _news_record(values: dict[str, Any], rel: str, cfg: Config) -> list | None:
    """What the province keeps of a member's post (its checked front-matter values), as JSON: None for a
    standalone page."""
    if loader.is_page_path(rel) or values["date"] is None or values["category"] is None:
        return None
    url = cfg.base_url + post_url(values, False)
    entry_id = feeds.entry_id(cfg, SimpleNamespace(id=values["id"], source=rel))  # type: ignore[arg-type]
    updated = values["updated"]
    return [values["title"], url, values["date"].isoformat(), values["has_time"],
            updated.isoformat() if updated else None, entry_id, values["summary"], values["author"],
            bool(values["draft"])]


def read_news(member: Member, cfg: Config, known: dict) -> tuple[dict, list[list]]:
    """Every post of a member as a news record, from its front matter: a file whose size, mtime and
    inode are those of `known` (the last run's records) is not read again."""
    settings = incremental.compile_settings(cfg)
    old = known.get("files", {}) if known.get("settings") == settings else {}
    sources, _, _ = loader.walk_content(member.folder)
    files: dict[str, list] = {}
    for rel in sources:
        stamp = _stat(os.path.join(member.folder, rel))
        if stamp is None:
            continue
        before = old.get(rel)
        if before is not None and before[0] == stamp:
            files[rel] = before
            continue
        record = None
        src, _ = loader.read_source(member.folder, rel, loader.is_page_path(rel))
        if src is not None:
            fields_, _ = loader.check_fields(src, cfg)
            if fields_ is not None:
                record = _news_record(fields_, rel, cfg)
        files[rel] = [stamp, record]
    return {"settings": settings, "files": files}, [entry[1] for entry in files.values() if entry[1]]


def published_news(member: Member, cfg: Config, records: list[list], now: datetime, drafts: bool,
                   future: bool) -> tuple[list[NewsItem], datetime | None]:
    """The published items, and when the next post falls due (a future post is published then)."""
    items, due = [], None
    for title, url, date, has_time, updated, entry_id, summary, author, draft in records:
        when = datetime.fromisoformat(date)
        if draft and not drafts:
            continue
        if when > now and not future:
            due = when if due is None or when < due else due
            continue
        items.append(NewsItem(member.key, cfg.title, title, url, when, has_time,
                              datetime.fromisoformat(updated) if updated else None, entry_id, summary, author))
    return items, due


# --- Building the sites ------------------------------------------------------------------------------------

def member_output(settings: Settings, member: Member) -> Path:
    if settings.members_output is not None:
        return settings.members_output / member.key
    return member.folder / "public"


def _tree_stamp(folders: list[Path], parts: list) -> None:
    """(path, size, mtime, inode) of every file under the folders, in a fixed order."""
    for folder in folders:
        if folder.is_file():
            parts.append([os.fspath(folder), *(_stat(os.fspath(folder)) or [])])
            continue
        pending = [os.fspath(folder)] if folder.is_dir() else []
        while pending:
            try:
                entries = sorted(os.scandir(pending.pop()), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                else:
                    parts.append([entry.path, *(_stat(entry.path) or [])])


def theme_stamp(province: Path) -> str:
    """The province's theme and the default theme as files: an edit to either rebuilds every member."""
    from sitegen.templates import THEME_DIR

    parts: list = []
    _tree_stamp([province / "templates", province / "assets", THEME_DIR / "templates", THEME_DIR / "assets"], parts)
    return hashing.digest(orjson.dumps(parts).decode(), hashing.SCHEMA)


def inputs_stamp(member: Member, settings: Settings, theme: str, portal: tuple[str, str]) -> str:
    parts: list = []
    _tree_stamp([member.folder / name for name in ("site.toml", "content", "data", "templates", "assets")], parts)
    options = [settings.drafts, settings.future, settings.strict, settings.preview_origin, os.fspath(
        member_output(settings, member).resolve())]
    return hashing.digest(orjson.dumps([parts, options, portal]).decode(), theme)


def outputs_stamp(out: Path) -> str:
    """Every file the output's manifest lists, by size and mtime: an output touched since is built again."""
    names = sorted(writer.read_manifest(out))
    if not names:
        return ""
    return hashing.digest(*[f"{name}:{_stat(os.path.join(out, name))}" for name in [writer.MANIFEST, *names]])


def _read_json(path: Path) -> dict:
    try:
        value = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def _write_json(path: Path, value: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    tmp.write_bytes(orjson.dumps(value))
    os.replace(tmp, path)


@dataclass(frozen=True)
class _Job:
    """What a worker needs to build one member (inherited by forking)."""

    settings: Settings
    province_cfg: Config
    theme: str
    news_dir: Path  # where the province keeps what it read of each member
    build: bool  # False: read its news only (--no-members, or a failed province config)
    created: dict[str, bool] = field(default_factory=dict)  # member key ("" the province): output made by its lock


def _member_url(job: _Job, member: Member, cfg: Config) -> str:
    origin = job.settings.preview_origin
    return f"{origin}/{member.key}/" if origin else cfg.base_url


def member_task(job: _Job, member: Member, cfg: Config) -> Outcome:
    """Read one member's news and, unless it is unchanged since its last build, build it (prepared only)."""
    settings = job.settings
    outcome = Outcome(member.key)
    base_url = _member_url(job, member, cfg)
    outcome.info = MemberInfo(member.key, cfg.title, base_url, cfg.address, cfg.phone)
    shown = replace(cfg, base_url=base_url)
    now = dates.build_time(cfg.tz, settings.environ)
    news_path = job.news_dir / f"{member.key}.json"
    known = _read_json(news_path) if settings.use_cache else {}
    record, records = read_news(member, shown, known)
    if record != known and settings.use_cache and not settings.check_only:
        _write_json(news_path, record)
    outcome.news, due = published_news(member, shown, records, now, settings.drafts, settings.future)
    if not job.build:
        return outcome
    out = member_output(settings, member)
    portal_url = f"{settings.preview_origin}/" if settings.preview_origin else job.province_cfg.base_url
    portal = (job.province_cfg.title, portal_url)
    stamp_path = incremental.cache_dir_for(member.folder, out) / _STAMP
    inputs = inputs_stamp(member, settings, job.theme, portal)
    if not settings.check_only and settings.use_cache:
        last = _read_json(stamp_path)
        due_before = last.get("due")
        if (last.get("inputs") == inputs and last.get("outputs") == outputs_stamp(out)
                and (due_before is None or now < datetime.fromisoformat(due_before))):
            outcome.skipped = True
            return outcome
    opts = pipeline.Options(site=member.folder, output=out, drafts=settings.drafts, future=settings.future,
                            strict=settings.strict, check_only=settings.check_only, environ=settings.environ,
                            workers=1, use_cache=settings.use_cache, theme=(settings.site,),
                            extension=MemberPortal(*portal, base_url if settings.preview_origin else ""),
                            defer_commit=True, output_created=job.created.get(member.key, False))
    result = pipeline.run(opts)
    outcome.problems = [in_member(member, p) for p in result.problems]
    outcome.notices = [in_member(member, p) for p in result.notices]
    outcome.pending, outcome.stats, outcome.files = result.pending, result.stats, result.pages
    outcome.stamp = {"inputs": inputs, "due": due.isoformat() if due else None, "path": os.fspath(stamp_path)}
    return outcome


_GROUP: dict = {}  # the job, members and configs, set before forking: the workers inherit them


def _task(index: int) -> Outcome:
    job, members, configs = _GROUP["job"], _GROUP["members"], _GROUP["configs"]
    return member_task(job, members[index], configs[members[index].key])


def run_members(job: _Job, members: list[Member], configs: dict[str, Config], count: int) -> list[Outcome]:
    """One task per member over `count` forked workers (each member builds in one process)."""
    indices = list(range(len(members)))
    if count <= 1 or len(members) <= 1:
        return _in_order(job, members, configs)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return _in_order(job, members, configs)
    _GROUP.update(job=job, members=members, configs=configs)
    try:
        with ProcessPoolExecutor(min(count, len(members)), mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_task, indices))
    finally:
        _GROUP.clear()


def _in_order(job: _Job, members: list[Member], configs: dict[str, Config]) -> list[Outcome]:
    return [member_task(job, m, configs[m.key]) for m in members]


def build(settings: Settings) -> GroupResult:
    """Build (or check) the province and its members as one: all written, or none."""
    group = GroupResult()
    problems = group.problems
    site = settings.site
    raw_path = site / config.CONFIG_FILE
    if raw_path.is_file():
        group.language = config.guess_language(raw_path.read_text(encoding="utf-8", errors="replace"))
    cfg = problems.take(config.load_config(site))
    if cfg is None:
        return group
    group.language = cfg.language
    members = problems.take(load_members(site, cfg))
    if not members and not problems:
        problems.append(problem(config.CONFIG_FILE, 1, "no_members"))
    raw = raw_path.read_text(encoding="utf-8")
    configs = problems.take(member_configs(members, cfg, raw))
    if settings.only is not None and settings.only not in {m.key for m in members}:
        problems.append(problem(config.CONFIG_FILE, 1, "member_unknown", value=settings.only,
                                choices=", ".join(m.key for m in members)))
    if problems.failed(settings.strict):
        return group
    chosen = [m for m in members if m.key in configs and (settings.only is None or m.key == settings.only)]
    outputs = {m.key: member_output(settings, m) for m in chosen if not settings.no_members}
    if settings.only is None:
        outputs[""] = settings.output
    locks = {} if settings.check_only else _lock_all(outputs, settings, group)
    if locks is None:
        return group
    try:
        job = _Job(settings, cfg, theme_stamp(site), incremental.cache_dir_for(site, settings.output) / "members",
                   build=not settings.no_members, created={key: lock.created for key, lock in locks.items()})
        _build_all(group, job, chosen, configs)
    finally:
        for lock in locks.values():
            lock.release()
    return group


def _build_all(group: GroupResult, job: _Job, chosen: list[Member], configs: dict[str, Config]) -> None:
    settings, problems = job.settings, group.problems
    count = workers.count(settings.workers)
    group.outcomes = run_members(job, chosen, configs, count)
    if settings.only is None:
        news = [item for outcome in group.outcomes for item in outcome.news]
        infos = [outcome.info for outcome in group.outcomes if outcome.info is not None]
        group.outcomes.append(_build_province(settings, job, news, infos, count))
    for outcome in group.outcomes:
        problems.extend(outcome.problems)
        group.notices.extend(outcome.notices)
    group.pages = sum(o.files for o in group.outcomes)
    _finish(group, settings)


def _lock_all(outputs: dict[str, Path], settings: Settings, group: GroupResult) -> dict | None:
    """Lock every output the run writes (see locking.py) until the group is committed; None (and a
    problem) when another build holds one for longer than --wait."""
    locks: dict[str, locking.OutputLock] = {}
    for key, out in outputs.items():
        lock = locking.OutputLock(out)
        waiting = functools.partial(print, i18n.format_problem(problem(
            str(out), 0, "output_lock_waiting", "note", seconds=f"{settings.lock_wait:g}"), group.language),
            file=sys.stderr, flush=True)
        try:
            got = lock.acquire(settings.lock_wait, waiting)
        except OSError as err:
            group.problems.append(os_problem(str(out), "write_failed", err))
            got = None
        if not got:
            if got is not None:
                group.problems.append(problem(str(out), 0, "output_locked", seconds=f"{settings.lock_wait:g}"))
            for held in [*locks.values(), lock]:
                held.release()
                if held.created and held.out.is_dir() and not any(held.out.iterdir()):
                    held.out.rmdir()  # made only to be locked
            return None
        locks[key] = lock
    return locks


def _build_province(settings: Settings, job: _Job, news: list[NewsItem], infos: list[MemberInfo],
                    count: int) -> Outcome:
    opts = pipeline.Options(site=settings.site, output=settings.output, drafts=settings.drafts,
                            future=settings.future, strict=settings.strict, check_only=settings.check_only,
                            environ=settings.environ, workers=count, use_cache=settings.use_cache,
                            extension=ProvinceNews(news, infos), defer_commit=True,
                            output_created=job.created.get("", False))
    result = pipeline.run(opts)
    return Outcome("", list(result.problems), result.pending, result.stats, files=result.pages,
                   notices=list(result.notices))


def _finish(group: GroupResult, settings: Settings) -> None:
    """Commit every prepared write together, or none of them."""
    pending = [o.pending for o in group.outcomes if o.pending is not None]
    if settings.check_only:
        return
    if group.problems.failed(settings.strict):
        writer.abort_all(pending)
        for outcome in group.outcomes:
            outcome.stats = None
        return
    try:
        done = writer.commit_all(pending)
    except (OSError, writer.UnsafePath) as err:
        group.problems.append(problem(str(settings.output), 0, "write_failed", reason=err))
        return
    committed = [o for o in group.outcomes if o.pending is not None]
    for outcome, stats in zip(committed, done, strict=True):
        outcome.stats = stats
    for outcome in committed:
        if outcome.stamp is not None and outcome.pending is not None:
            out = outcome.pending.out
            path = Path(outcome.stamp.pop("path"))
            _write_json(path, {**outcome.stamp, "outputs": outputs_stamp(out)})


def members_of(site: Path) -> Iterator[Member]:
    """The members as listed (for serve), or none if the config does not load."""
    cfg, _ = config.load_config(site)
    if cfg is not None:
        yield from load_members(site, cfg)[0]
