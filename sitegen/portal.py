"""What makes a state portal beyond news: the document register, the work schedule, the leaders' page,
the planned-downtime notice. Reads their sources, makes their pages (as context.Job) and feeds.

The build hands this module the Markdown files under content/van-ban/ and
the TOML weeks under content/lich-cong-tac/ (`split`), then adds its jobs
and feeds to the site's.
"""

from __future__ import annotations

import functools
import pickle
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen import decree30, documents, feeds, hashing, schedule
from sitegen.catalog import page_urls, paginate
from sitegen.context import Job, out_path, page_info, site_feeds
from sitegen.documents import Document, Register
from sitegen.feeds import TAG_DATE
from sitegen.kinds import Post
from sitegen.markup import Renderer
from sitegen.model import Config
from sitegen.problems import Problem, problem
from sitegen.schedule import Week

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

REGISTER_URL = f"{documents.FOLDER}/"
SCHEDULE_URL = f"{schedule.FOLDER}/"
LEADERS_DATA = "lanh_dao"  # data/lanh_dao.toml
LEADERS_URL = "lanh-dao/"


@dataclass(frozen=True)
class Sources:
    documents: list[str] = field(default_factory=list)  # content/van-ban/**/*.md
    weeks: list[str] = field(default_factory=list)  # content/lich-cong-tac/**/*.toml


@dataclass(frozen=True)
class Portal:
    register: Register
    weeks: tuple[Week, ...]  # oldest first
    current: Week | None  # the week of the build time, or the latest before it
    leaders: dict[str, Any] | None
    key: str  # a digest of everything above: equal keys, equal portal pages
    memo: documents.Memo  # compiled documents for the next build: saved once this build succeeded

    @property
    def has_documents(self) -> bool:
        return bool(self.register.documents)


def split(sources: list[str], statics: list[str]) -> tuple[list[str], list[str], Sources]:
    """(posts and pages, static files, the portal's own sources)."""
    docs = [rel for rel in sources if documents.is_document_path(rel)]
    weeks = [rel for rel in statics if schedule.is_week_path(rel)]
    taken = set(docs) | set(weeks)
    return ([rel for rel in sources if rel not in taken], [rel for rel in statics if rel not in taken],
            Sources(docs, weeks))


def load(site_dir: Path, cfg: Config, sources: Sources, renderer: Renderer, now: datetime,
         data: dict[str, Any], cache_folder: Path | None = None) -> tuple[Portal, list[Problem]]:
    """Documents, weeks and leaders; `cache_folder` keeps compiled documents between builds (None: not kept)."""
    found: list[Problem] = []
    docs = []
    memo = documents.Memo(cache_folder)
    for rel in sources.documents:
        raw = _read(site_dir, rel, found)
        if raw is not None:
            doc, problems = documents.compile_document(site_dir, rel, raw, cfg, renderer, memo)
            found += problems
            if doc is not None:
                docs.append(doc)
    register = documents.register(docs)
    found += register.problems
    weeks = _weeks(site_dir, cfg, sources.weeks, found)
    current = schedule.current(weeks, now.date())
    leaders = data.get(LEADERS_DATA) if isinstance(data.get(LEADERS_DATA), dict) else None
    key = hashing.digest(pickle.dumps((register.documents, weeks, current, leaders), protocol=5).hex())
    return Portal(register, tuple(weeks), current, leaders, key, memo), found


def _read(site_dir: Path, rel: str, found: list[Problem]) -> bytes | None:
    try:
        return (site_dir / rel).read_bytes()
    except OSError as err:
        found.append(problem(rel, 0, "unreadable", reason=err.strerror or err))
        return None


def _weeks(site_dir: Path, cfg: Config, rels: list[str], found: list[Problem]) -> list[Week]:
    weeks: dict[tuple[int, int], Week] = {}
    for rel in rels:
        raw = _read(site_dir, rel, found)
        if raw is None:
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            found.append(problem(rel, 0, "not_utf8"))
            continue
        week, problems = schedule.read_week(rel, text, cfg)
        found += problems
        if week is None:
            continue
        other = weeks.setdefault((week.year, week.week), week)
        if other is not week:
            found.append(problem(rel, 1, "schedule_duplicate_week", other=other.source))
    return sorted(weeks.values(), key=lambda w: (w.year, w.week))


def with_widget(data: dict[str, Any], portal: Portal) -> dict[str, Any]:
    """The site's data with `van_ban` (the "Công khai văn bản" widget) made from the newest documents,
    when the site has documents; otherwise data/van_ban.csv stays as it is."""
    if not portal.has_documents:
        return data
    return {**data, "van_ban": documents.widget_rows(portal.register), "van_ban_register": REGISTER_URL}


ABOUT_PAGES = "content/pages/gioi-thieu"  # gioi-thieu.md and the pages in gioi-thieu/: the "Giới thiệu" menu


def shared(cfg: Config, portal: Portal, now: datetime, pages: tuple[Post, ...]) -> dict[str, Any]:
    """What every page's frame shows: the "Giới thiệu" menu (the pages Decree 224 art. 9 asks for), the
    register and the schedule in the menu, and the planned-downtime notice while it is due."""
    notice = cfg.maintenance
    shown = notice is not None and notice.shown_from <= now < notice.end
    about = [p for p in pages if p.source == ABOUT_PAGES + ".md" or p.source.startswith(ABOUT_PAGES + "/")]
    about.sort(key=lambda p: (p.source != ABOUT_PAGES + ".md", p.source))
    menu = [{"name": p.title, "url": p.url} for p in about]
    if portal.leaders:
        menu.append({"name": _leaders_title(cfg, portal.leaders), "url": LEADERS_URL})
    nav = []
    if portal.has_documents:
        nav.append({"name": _word(cfg, "register"), "url": REGISTER_URL})
    if portal.weeks:
        nav.append({"name": _word(cfg, "schedule"), "url": SCHEDULE_URL})
    return {"notice": notice if shown else None, "about_menu": menu, "portal_nav": nav}


def _leaders_title(cfg: Config, leaders: dict[str, Any]) -> str:
    return str(leaders.get("title") or _word(cfg, "leaders"))


# --- pages -------------------------------------------------------------------------------------------


def _word(cfg: Config, key: str, **args: object) -> str:
    """One of the theme's words (templates/words/), its {placeholders} filled in."""
    return cfg.words[key].format(**args) if args else cfg.words[key]


def doc_feeds(cfg: Config) -> list[dict[str, str]]:
    return [dict(feed) for feed in _doc_feeds(cfg)]


@functools.lru_cache(maxsize=16)
def _doc_feeds(cfg: Config) -> tuple[tuple[tuple[str, str], ...], ...]:
    title = _word(cfg, "doc_feed_title", title=cfg.title)
    return ((("title", _word(cfg, "feed_rss", title=title)), ("url", f"{REGISTER_URL}feed.xml"),
             ("type", "application/rss+xml")),
            (("title", _word(cfg, "feed_atom", title=title)), ("url", f"{REGISTER_URL}atom.xml"),
             ("type", "application/atom+xml")))


def feed_paths(portal: Portal) -> list[str]:
    return [f"{REGISTER_URL}feed.xml", f"{REGISTER_URL}atom.xml"] if portal.has_documents else []


def jobs(cfg: Config, portal: Portal) -> list[Job]:
    """Every page of the portal's own: register, filters, documents, weeks, leaders."""
    made = []
    if portal.has_documents:
        made += register_jobs(cfg, portal.register)
        made += [document_job(cfg, doc) for doc in portal.register.documents]
    if portal.weeks:
        made += week_jobs(cfg, portal)
    if portal.leaders:
        made.append(leaders_job(cfg, portal.leaders))
    return made


def _filters(cfg: Config, reg: Register) -> dict[str, list[dict[str, Any]]]:
    return {
        "types": [{"name": name, "url": f"{REGISTER_URL}loai/{decree30.type_slug(name)}/", "count": len(docs)}
                  for name, docs in reg.by_type],
        "years": [{"name": str(year), "url": f"{REGISTER_URL}nam/{year}/", "count": len(docs)}
                  for year, docs in reg.by_year],
        "fields": [{"name": name, "url": f"{REGISTER_URL}linh-vuc/{docs[0].field_slug}/", "count": len(docs)}
                   for name, docs in reg.by_field],
    }


def register_jobs(cfg: Config, reg: Register) -> list[Job]:
    filters = _filters(cfg, reg)
    groups: list[tuple[str, str, tuple[Document, ...]]] = [(_word(cfg, "register"), REGISTER_URL,
                                                             reg.documents)]
    groups += [(_word(cfg, "register_type", name=name), f"{REGISTER_URL}loai/{decree30.type_slug(name)}/", docs)
               for name, docs in reg.by_type]
    groups += [(_word(cfg, "register_year", year=year), f"{REGISTER_URL}nam/{year}/", docs)
               for year, docs in reg.by_year]
    groups += [(_word(cfg, "register_field", name=name), f"{REGISTER_URL}linh-vuc/{docs[0].field_slug}/", docs)
               for name, docs in reg.by_field]
    made = []
    for title, first_url, docs in groups:
        pages = paginate(docs, cfg.per_page, first_url)  # type: ignore[arg-type]
        urls = page_urls(first_url, len(pages))
        for n, (page_url, chunk) in enumerate(pages):
            made.append(Job("van-ban/register.html", out_path(page_url),
                            _register_context(cfg, title, first_url, n, urls, chunk, filters), "content/van-ban"))
    return made


def _register_context(cfg: Config, title: str, first_url: str, n: int, urls: list[str],
                      chunk: tuple[Document, ...], filters: dict[str, Any]) -> dict[str, Any]:
    shown = title if n == 0 else _word(cfg, "page_n", title=title, n=n + 1)
    register_name = _word(cfg, "register")
    crumbs = [(register_name, REGISTER_URL)] if first_url != REGISTER_URL else []
    crumbs += [(title, first_url)] + ([(shown, None)] if n else [])
    page = page_info(cfg, "register", urls[n], shown, crumbs)
    page["feeds"] = site_feeds(cfg) + doc_feeds(cfg)
    listing = {"title": shown, "documents": list(chunk), "page_no": n + 1, "pages": len(urls),
               "prev_url": urls[n - 1] if n else None, "next_url": urls[n + 1] if n + 1 < len(urls) else None,
               "page_urls": urls, "first_url": first_url}
    return {"page": page, "listing": listing, "filters": filters}


def document_job(cfg: Config, doc: Document) -> Job:
    crumbs = [(_word(cfg, "register"), REGISTER_URL), (doc.so_ky_hieu, None)]
    title = _word(cfg, "doc_title", loai=doc.loai, number=doc.so_ky_hieu)
    page = page_info(cfg, "document", doc.url, title, crumbs, doc.trich_yeu)
    page["feeds"] = site_feeds(cfg) + doc_feeds(cfg)
    return Job("van-ban/document.html", out_path(doc.url), {"page": page, "doc": doc}, doc.source)


def week_jobs(cfg: Config, portal: Portal) -> list[Job]:
    weeks = portal.weeks
    made = []
    index = [{"url": w.url, "label": week_label(cfg, w)} for w in reversed(weeks)]
    for n, week in enumerate(weeks):
        context = _week_context(cfg, week, weeks[n - 1] if n else None, weeks[n + 1] if n + 1 < len(weeks) else None,
                                week.url, index)
        made.append(Job("lich-cong-tac/week.html", out_path(week.url), context, week.source))
        if week is portal.current:
            current = _week_context(cfg, week, weeks[n - 1] if n else None,
                                    weeks[n + 1] if n + 1 < len(weeks) else None, SCHEDULE_URL, index)
            made.append(Job("lich-cong-tac/week.html", out_path(SCHEDULE_URL), current, week.source))
    return made


def week_label(cfg: Config, week: Week) -> str:
    start, end = week.start, week.end
    return _word(cfg, "week", week=week.week, year=week.year, start=f"{start.day:02d}/{start.month:02d}",
                      end=f"{end.day:02d}/{end.month:02d}/{end.year}")


def _week_context(cfg: Config, week: Week, prev: Week | None, next_: Week | None, url: str,
                  index: list[dict[str, str]]) -> dict[str, Any]:
    schedule_name = _word(cfg, "schedule")
    label = week_label(cfg, week)
    crumbs = [(schedule_name, None)] if url == SCHEDULE_URL else [(schedule_name, SCHEDULE_URL), (label, None)]
    page = page_info(cfg, "schedule", url, f"{schedule_name} {label}" if url != SCHEDULE_URL else schedule_name,
                     crumbs, f"{schedule_name} {label}")
    page["canonical"] = cfg.base_url + week.url
    return {"page": page, "week": week, "label": label,
            "prev": {"url": prev.url, "label": week_label(cfg, prev)} if prev else None,
            "next": {"url": next_.url, "label": week_label(cfg, next_)} if next_ else None,
            "index": index}


def leaders_job(cfg: Config, leaders: dict[str, Any]) -> Job:
    title = _leaders_title(cfg, leaders)
    page = page_info(cfg, "leaders", LEADERS_URL, title, [(title, None)], str(leaders.get("description", "")))
    people = [p for p in leaders.get("nguoi", []) if isinstance(p, dict)]
    return Job("leaders.html", out_path(LEADERS_URL), {"page": page, "leaders": people}, "data/lanh_dao.toml")


# --- feeds -------------------------------------------------------------------------------------------


def build_feeds(cfg: Config, portal: Portal, now: datetime) -> dict[str, bytes]:
    """RSS and Atom of the newest documents, at van-ban/feed.xml and van-ban/atom.xml."""
    if not portal.has_documents:
        return {}
    newest = portal.register.documents[: cfg.feed_items]
    return {f"{REGISTER_URL}feed.xml": _feed(cfg, now, newest, "feed.xml").rss_str(pretty=True),
            f"{REGISTER_URL}atom.xml": _feed(cfg, now, newest, "atom.xml").atom_str(pretty=True)}


def _feed(cfg: Config, now: datetime, docs: tuple[Document, ...], name: str) -> FeedGenerator:
    fg = feeds.listing_feed(cfg, now, _word(cfg, "doc_feed_title", title=cfg.title), REGISTER_URL, name)
    for doc in docs:
        _entry(fg, cfg, doc)
    return feeds.dated(fg, now)


def document_id(cfg: Config, doc: Document) -> str:
    """A tag: URI of the source path, as for posts: correcting a number keeps the entry's identity."""
    host = cfg.base_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    return f"tag:{host},{TAG_DATE}:{doc.source.removeprefix('content/').removesuffix('.md')}"


def _entry(fg: FeedGenerator, cfg: Config, doc: Document) -> None:
    fe = fg.add_entry(order="append")
    fe.id(document_id(cfg, doc))
    fe.title(_word(cfg, "doc_title", loai=doc.loai, number=doc.so_ky_hieu) + ": " + doc.trich_yeu)
    fe.link(href=cfg.base_url + doc.url, rel="alternate")
    fe.published(doc.ngay_ban_hanh)
    fe.updated(doc.ngay_ban_hanh)
    fe.author({"name": doc.co_quan})
    fe.category(term=doc.type_slug, label=doc.loai, scheme=cfg.base_url + f"{REGISTER_URL}loai/")
    fe.description(_escape(doc.trich_yeu))
    fe.summary(doc.trich_yeu, type="text")
    if doc.attachments:
        first = doc.attachments[0]
        fe.enclosure(url=cfg.base_url + first.path.lstrip("/"), length=str(first.size), type=first.media_type)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
