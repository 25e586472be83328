"""What the sites of a province add to their builds (pipeline extensions): a member's header names the
province's portal; the province gets "Tin từ cơ sở" on its home page, /tin-tu-co-so/ with its feeds,
/xa-phuong/, and its members in its search."""

from __future__ import annotations

import functools
import html
import re
from dataclasses import replace
from datetime import datetime
from typing import Any

from sitegen import context, feeds, hashing
from sitegen.catalog import Catalog, page_urls, paginate
from sitegen.model import Config
from sitegen.province.members import MEMBERS_URL, NEWS_URL, MemberInfo
from sitegen.province.news import HOME_NEWS, NEWS_LIMIT, NewsItem
from sitegen.search_records import Record
from sitegen.text import slugify


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

    def own_jobs(self, cfg: Config, cat: Catalog) -> list[context.Job]:
        return []

    def shared(self, shared: dict[str, Any]) -> None:
        pass

    def search_records(self, cfg: Config) -> list[Record]:
        return []


UNITS = ("xã", "phường", "đặc khu", "thị trấn")  # the words before a commune's name in its site's title


def name_order(member: MemberInfo) -> tuple:
    """How /xa-phuong/ orders the members: by the name after the unit in their titles ("Trang thông tin
    điện tử phường Bắc Sơn" as "bac son"), "đ" as "d", numbers by value ("phường 2" before "phường 10")."""
    words = member.title.split()
    folded = [word.casefold() for word in words]
    name_at = 0  # the whole title when it names no unit
    for at in range(len(words)):
        for unit in UNITS:
            size = len(unit.split())
            if folded[at:at + size] == unit.split() and at + size < len(words):
                name_at = at + size
    parts = re.split(r"(\d+)", slugify(" ".join(words[name_at:])))
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in parts if part), member.title


class ProvinceNews:
    """The province's build: "Tin từ cơ sở" on its home page, /tin-tu-co-so/ with its feeds, /xa-phuong/.

    Member news is kept out of what every page shares (the sidebar), so a
    member's new post re-renders only these pages, never the province's articles.
    """

    def __init__(self, news: list[NewsItem], members: list[MemberInfo], per_page: int) -> None:
        self.news = sorted(news, key=lambda n: (n.date, n.url), reverse=True)[:NEWS_LIMIT]
        self.members = sorted(members, key=name_order)
        self.per_page = per_page  # the province's, for key()
        self.made: dict[str, Any] = {}  # what this build's news pages were made from (refresh.py keeps it)

    def digest(self) -> str:
        """Everything the province shows of its members: its stamp holds only while this does."""
        return _digest([self.news, self.members])

    def shown(self, cfg: Config) -> dict[str, str]:
        """A digest of what each page showing the news or the members shows of them, by output path: one
        whose digest is that of the last build is as that build made it (refresh.py)."""
        pages = paginate(tuple(self.news), cfg.per_page, NEWS_URL)  # type: ignore[arg-type]
        found = {context.out_path(url): _digest([n, len(pages), chunk]) for n, (url, chunk) in enumerate(pages)}
        found["index.html"] = _digest(self.news[:HOME_NEWS])
        found[context.out_path(MEMBERS_URL)] = _digest(self.members)
        return found

    def config(self, cfg: Config) -> Config:
        return cfg

    def key(self) -> str:
        """What the province's other pages see of the news: which of its own pages exist (the sitemap lists
        them). The news themselves are shown only by own_jobs' pages, looked at on every build."""
        return hashing.digest(*page_urls(NEWS_URL, _page_count(len(self.news), self.per_page)), MEMBERS_URL)

    def _page(self, cfg: Config, kind: str, url: str, title: str, crumbs: list) -> dict:
        page = context.page_info(cfg, kind, url, title, crumbs)
        if kind == "member-news":
            page["feeds"] = page["feeds"] + news_feed_links(cfg)
        return page

    def jobs(self, cfg: Config, cat: Catalog, jobs: list[context.Job]) -> list[context.Job]:
        added = self._own_pages(cfg)
        urls = [job.out.removesuffix("index.html") for job in added]
        done = []
        for job in jobs:
            if job.out == "index.html" and job.context is not None:
                job = self._home(job)
            elif job.out == "sitemap.xml" and job.inputs is not None:
                job = context.sitemap_job(cfg, cat, [*job.inputs[1], *urls])
            elif job.out == context.out_path(context.SEARCH_URL) and job.context is not None:
                job = replace(job, context={**job.context, "more_categories": [cfg.words["members"]]})
            done.append(job)
        return done + added

    def own_jobs(self, cfg: Config, cat: Catalog) -> list[context.Job]:
        """The pages that show the news and the members: the home page, /tin-tu-co-so/ and /xa-phuong/."""
        home = context.home_job(cfg, cat)
        self.made.update(cfg=cfg, home=home.context)
        return self.shown_jobs(cfg, home)

    def shown_jobs(self, cfg: Config, home: context.Job) -> list[context.Job]:
        """own_jobs, given the home page's job as the province's posts make it."""
        return [self._home(home), *[job.with_context() for job in self._own_pages(cfg)]]

    def shared(self, shared: dict[str, Any]) -> None:
        self.made["shared"] = shared

    def search_records(self, cfg: Config) -> list[Record]:
        """Each member by its site's name, address and phone, under "Xã, phường": "an phu" on the
        province's search finds xã An Phú's site, whose own pages its own search holds."""
        words, category = cfg.words, cfg.words["members"]
        return [Record(m.url, m.title, _contact(words, m), "", category, "", unseen=m.phone.replace(" ", ""))
                for m in self.members]

    def searched(self, cfg: Config) -> str:
        """A digest of what the province's search holds of its members: the news pages alone (refresh.py)
        leave the search index as it was, so a change here needs the province's full build."""
        return _digest([r.values() for r in self.search_records(cfg)] if cfg.search else [])

    def _home(self, job: context.Job) -> context.Job:
        return replace(job, context={**(job.context or {}), "member_news": self.news[:HOME_NEWS],
                                     "member_news_url": NEWS_URL, "members_url": MEMBERS_URL})

    def _own_pages(self, cfg: Config) -> list[context.Job]:
        """/tin-tu-co-so/ (paginated) and /xa-phuong/."""
        title = cfg.words["member_news"]
        pages = paginate(tuple(self.news), cfg.per_page, NEWS_URL)  # type: ignore[arg-type]
        added = []
        for n, (url, chunk) in enumerate(pages):
            inputs = (n, len(pages), chunk)
            added.append(context.Job("news.html", context.out_path(url), None, "site.toml",
                                     functools.partial(self._listing, cfg, title, n, len(pages), chunk), inputs))
        members_title = cfg.words["members"]
        added.append(context.Job("members.html", context.out_path(MEMBERS_URL), {
            "page": self._page(cfg, "members", MEMBERS_URL, members_title, [(members_title, None)]),
            "members": self.members}, "site.toml"))
        return added

    def _listing(self, cfg: Config, title: str, n: int, count: int, chunk: tuple[NewsItem, ...]) -> dict:
        urls = page_urls(NEWS_URL, count)
        shown = title if n == 0 else cfg.words["page_n"].format(title=title, n=n + 1)
        crumbs = [(title, NEWS_URL)] + ([(shown, None)] if n else [])
        listing = {"title": shown, "posts": list(chunk), "page_no": n + 1, "pages": len(urls),
                   "prev_url": urls[n - 1] if n else None, "next_url": urls[n + 1] if n + 1 < len(urls) else None,
                   "page_urls": urls, "feeds": news_feed_links(cfg)}
        return {"page": self._page(cfg, "member-news", urls[n], shown, crumbs), "listing": listing}

    def feeds(self, cfg: Config, now: datetime) -> dict[str, bytes]:
        newest = self.news[: cfg.feed_items]
        title = f"{cfg.title} - {cfg.words['member_news']}"
        return {NEWS_URL + "feed.xml": _news_feed(cfg, now, title, "feed.xml", newest).rss_str(pretty=True),
                NEWS_URL + "atom.xml": _news_feed(cfg, now, title, "atom.xml", newest).atom_str(pretty=True)}


def _contact(words: dict[str, str], member: MemberInfo) -> str:
    """"Địa chỉ: Thôn Đồng Tâm, xã Tân Hòa. Điện thoại: 0205 3 861 202.": a commune's record's text."""
    parts = [(words["address"], member.address), (words["phone"], member.phone)]
    return " ".join(f"{label}: {value.rstrip('.')}." for label, value in parts if value)


def _digest(value: object) -> str:
    return hashing.digest(hashing.dump(hashing.plain(value, None)))


def _page_count(items: int, per_page: int) -> int:
    return len(paginate(tuple(range(items)), per_page, NEWS_URL))  # type: ignore[arg-type]


def news_feed_links(cfg: Config) -> list[dict[str, str]]:
    title = f"{cfg.title} - {cfg.words['member_news']}"
    return [{"title": cfg.words["feed_rss"].format(title=title), "url": NEWS_URL + "feed.xml",
             "type": "application/rss+xml"},
            {"title": cfg.words["feed_atom"].format(title=title), "url": NEWS_URL + "atom.xml",
             "type": "application/atom+xml"}]


def _news_feed(cfg: Config, now: datetime, title: str, name: str, news: list[NewsItem]) -> feeds.FeedGenerator:
    fg = feeds.listing_feed(cfg, now, title, NEWS_URL, name)
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
        if name == "feed.xml":  # RSS's description is HTML; in Atom, feedgen would make it the entry's content
            entry.description(html.escape(summary, quote=False))
        entry.summary(summary, type="text")
    return feeds.dated(fg, now)
