"""Pure functions: (config, catalog, item) -> what each template gets, and where it goes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sitegen.catalog import Catalog, page_urls, paginate
from sitegen.kinds import Card, Link, Post
from sitegen.model import Category, Config
from sitegen.text import cut

# Every template a job names (the pages' roots, for template_use.shared_use).
TEMPLATES = ("index.html", "article.html", "page.html", "list.html", "redirect.html", "404.html", "robots.txt",
             "sitemap.xml", "van-ban/register.html", "van-ban/document.html", "lich-cong-tac/week.html", "leaders.html",
             "stats.html", "search.html")
ARTICLE = "article.html"  # the template of every article
STATS_URL = "thong-ke/"  # the access statistics page
SEARCH_URL = "tim-kiem/"  # the search page (search.py makes its index)
HOME_POSTS = 6
BLOCK_POSTS = 5
OTHER_POSTS = 5


@dataclass(frozen=True, slots=True)
class Job:
    """One output file to render: template, output path, its own variables, who asked.

    A job may come without its variables (context None): then either `make`
    builds them from `inputs` alone (and the site config), so `inputs` stand
    for the page in a fingerprint, or it is an article whose fingerprint the
    caller knows already.
    """

    template: str
    out: str  # path inside the output folder
    context: dict[str, Any] | None
    source: str  # the file that makes this page, for collision messages
    make: Callable[[], dict[str, Any]] | None = None
    inputs: tuple[Any, ...] | None = None

    def with_context(self) -> Job:
        if self.context is not None or self.make is None:
            return self
        return Job(self.template, self.out, self.make(), self.source)

    def made_by(self, make: Callable[[], dict[str, Any]]) -> Job:
        """The job with its variables made by `make` where it is rendered (faster than dataclasses.replace)."""
        return Job(self.template, self.out, None, self.source, make, self.inputs)


def out_path(url: str) -> str:
    return f"{url}index.html" if url.endswith("/") or not url else url


@functools.lru_cache(maxsize=64)
def _site_feeds(cfg: Config) -> tuple[tuple[tuple[str, str], ...], ...]:
    return tuple(tuple(feed.items()) for feed in _make_site_feeds(cfg))


@functools.lru_cache(maxsize=256)
def _page_feeds(cfg: Config, category: Category | None) -> list[dict[str, str]]:
    """The feeds a page announces; one list per section, shared by its pages (templates only read it)."""
    return site_feeds(cfg) + (category_feeds(cfg, category) if category else [])


def site_feeds(cfg: Config) -> list[dict[str, str]]:
    return [dict(feed) for feed in _site_feeds(cfg)]


def _make_site_feeds(cfg: Config) -> list[dict[str, str]]:
    title = cfg.title
    return [
        {"title": cfg.words["feed_rss"].format(title=title), "url": "feed.xml", "type": "application/rss+xml"},
        {"title": cfg.words["feed_atom"].format(title=title), "url": "atom.xml", "type": "application/atom+xml"},
        {"title": cfg.words["feed_json"].format(title=title), "url": "feed.json", "type": "application/feed+json"},
    ]


def category_feeds(cfg: Config, cat: Category) -> list[dict[str, str]]:
    return [dict(feed) for feed in _category_feeds(cfg, cat)]


@functools.lru_cache(maxsize=256)
def _category_feeds(cfg: Config, cat: Category) -> tuple[tuple[tuple[str, str], ...], ...]:
    return tuple(tuple(feed.items()) for feed in _make_category_feeds(cfg, cat))


def _make_category_feeds(cfg: Config, cat: Category) -> list[dict[str, str]]:
    title = f"{cfg.title} - {cat.name}"
    return [
        {"title": cfg.words["feed_rss"].format(title=title), "url": f"{cat.key}/feed.xml",
         "type": "application/rss+xml"},
        {"title": cfg.words["feed_atom"].format(title=title), "url": f"{cat.key}/atom.xml",
         "type": "application/atom+xml"},
    ]


def page_info(cfg: Config, kind: str, url: str, title: str, crumbs: list[tuple[str, str | None]],
              description: str = "", category: Category | None = None, image: str = "") -> dict[str, Any]:
    feeds = _page_feeds(cfg, category)
    home = cfg.words["home"]
    trail = [{"name": home, "url": ""}] + [{"name": n, "url": u} for n, u in crumbs]
    trail[-1]["url"] = None
    return {
        "kind": kind, "url": url, "title": title, "canonical": cfg.base_url + url,
        "description": cut(description or cfg.description or cfg.title, 300),
        "breadcrumb": trail, "feeds": feeds, "category": category, "image": image,
    }


def common(cfg: Config, cat: Catalog, data: dict[str, Any]) -> dict[str, Any]:
    """The variables every page shares. Lists get Links, never whole posts (see model.Link)."""
    return {"site": cfg, "latest": cat.links(cat.latest), "most_viewed": cat.links(cat.most_viewed), "data": data,
            "pages": cat.links(cat.pages), "stats": cat.traffic}


def home_job(cfg: Config, cat: Catalog) -> Job:
    blocks = [{"category": c, "posts": cat.cards(cat.by_category[c.key][:BLOCK_POSTS])}
              for c in cfg.categories if cat.by_category[c.key]]
    page = page_info(cfg, "home", "", cfg.title, [], cfg.description)
    page["breadcrumb"] = []
    return Job("index.html", "index.html",
               {"page": page, "home_posts": cat.cards(cat.posts[:HOME_POSTS]), "blocks": blocks}, "site.toml")


def other_posts(cat: Catalog, post: Post) -> list[Post]:
    """"Các tin khác": the newest posts of the same category, this one left out."""
    nearby = cat.by_category[post.category.key][: OTHER_POSTS + 1]  # never scan the whole category
    return [p for p in nearby if p.source != post.source][:OTHER_POSTS]


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")


def share_image(post: Post) -> str:
    """The picture link previews show (og:image): the cover, else the first image of the site in the body."""
    if post.image:
        return post.image
    return next((ref for ref, _ in post.local_refs if ref.lower().endswith(IMAGE_SUFFIXES)), "")


def article_job(cfg: Config, cat: Catalog | None, post: Post, others: list[Link] | None = None) -> Job:
    """The article page of `post`; `others` ("Các tin khác") taken from `cat` unless given."""
    crumbs = [(post.category.name, f"{post.category.key}/"), (post.title, None)]
    page = page_info(cfg, "article", post.url, post.title, crumbs, post.summary, post.category, share_image(post))
    if others is None:
        assert cat is not None
        others = cat.links(other_posts(cat, post))
    return Job(ARTICLE, out_path(post.url), {"page": page, "post": post, "others": others}, post.source)


def standalone_job(cfg: Config, post: Post) -> Job:
    page = page_info(cfg, "page", post.url, post.title, [(post.title, None)], post.summary,
                     image=share_image(post))
    return Job("page.html", out_path(post.url), {"page": page, "post": post}, post.source)


def listing_jobs(cfg: Config, cat: Catalog, kind: str, title: str, first_url: str, posts: tuple[Post, ...],
                 category: Category | None = None, source: str = "site.toml") -> list[Job]:
    pages = paginate(posts, cfg.per_page, first_url)
    jobs = []
    for n, (url, chunk) in enumerate(pages):
        inputs = (kind, title, first_url, n, len(pages), tuple(cat.cards(chunk)), category)
        jobs.append(Job("list.html", out_path(url), None, source, functools.partial(_listing, cfg, *inputs), inputs))
    return jobs


def _listing(cfg: Config, kind: str, title: str, first_url: str, n: int, count: int,
             cards: tuple[Card, ...], category: Category | None) -> dict[str, Any]:
    urls = page_urls(first_url, count)
    shown = title if n == 0 else cfg.words["page_n"].format(title=title, n=n + 1)
    listing = {"title": shown, "posts": list(cards), "page_no": n + 1, "pages": len(urls),
               "prev_url": urls[n - 1] if n else None,
               "next_url": urls[n + 1] if n + 1 < len(urls) else None, "page_urls": urls}
    crumbs = [(title, first_url)] + ([(shown, None)] if n else [])
    page = page_info(cfg, kind, urls[n], shown, crumbs, category.description if category else "", category)
    return {"page": page, "listing": listing}


def all_listing_jobs(cfg: Config, cat: Catalog) -> list[Job]:
    jobs = []
    for category in cfg.categories:
        jobs += listing_jobs(cfg, cat, "category", category.name, f"{category.key}/",
                             cat.by_category[category.key], category)
    for tag, posts in cat.tags:
        jobs += listing_jobs(cfg, cat, "tag", cfg.words["tag"].format(name=tag.name),
                             f"tag/{tag.slug}/", posts)
    for year, posts in cat.years:
        jobs += listing_jobs(cfg, cat, "archive", cfg.words["archive"].format(year=year),
                             f"archive/{year}/", posts)
    return jobs


def not_found_job(cfg: Config) -> Job:
    title = cfg.words["not_found"]
    page = page_info(cfg, "404", "404.html", title, [(title, None)])
    return Job("404.html", "404.html", {"page": page}, "site.toml")


def sitemap_job(cfg: Config, cat: Catalog, listing_urls: list[str]) -> Job:
    inputs = (tuple(cat.cards(cat.posts + cat.pages)), tuple(listing_urls))
    return Job("sitemap.xml", "sitemap.xml", None, "site.toml", functools.partial(_sitemap, cfg, *inputs), inputs)


def _sitemap(cfg: Config, cards: tuple[Card, ...], listing_urls: tuple[str, ...]) -> dict[str, Any]:
    newest = next((c.date.date().isoformat() for c in cards if not c.is_page and c.date), "")
    entries = [{"loc": cfg.base_url, "lastmod": newest}]
    for card in cards:
        stamp = card.updated or card.date
        entries.append({"loc": cfg.base_url + card.url, "lastmod": stamp.date().isoformat() if stamp else ""})
    entries += [{"loc": cfg.base_url + url, "lastmod": ""} for url in listing_urls]
    page = page_info(cfg, "sitemap", "sitemap.xml", "sitemap", [])
    return {"page": page, "entries": entries}


def stats_job(cfg: Config, cat: Catalog) -> Job:
    """/thong-ke/: the views counted from the web server's logs (traffic.py)."""
    title = cfg.words["stats_title"]
    page = page_info(cfg, "stats", STATS_URL, title, [(title, None)])
    return Job("stats.html", out_path(STATS_URL), {"page": page, "traffic": cat.traffic}, "data/views.json")


def search_job(cfg: Config, cat: Catalog, document_years: tuple[int, ...] = ()) -> Job:
    """/tim-kiem/: the search page; its choices are the categories and the years that have posts."""
    title = cfg.words["search"]
    page = page_info(cfg, "search", SEARCH_URL, title, [(title, None)])
    years = sorted({str(year) for year, _ in cat.years} | {str(year) for year in document_years}, reverse=True)
    # more_categories: names beside the site's categories that results may be narrowed to (a province's
    # "Xã, phường", province/pages.py)
    return Job("search.html", out_path(SEARCH_URL), {"page": page, "years": years, "more_categories": [],
                                                     "archive_years": [str(year) for year, _ in cat.years]},
               "site.toml")


def robots_job(cfg: Config) -> Job:
    page = page_info(cfg, "robots", "robots.txt", "robots", [])
    return Job("robots.txt", "robots.txt", {"page": page}, "site.toml")


def redirect_jobs(cfg: Config, post: Post) -> list[Job]:
    """A small page at each old URL of a post that sends readers (and search engines) on."""
    jobs = []
    for alias in post.aliases:
        path = alias.strip("/")
        out = path if path.endswith((".html", ".htm")) else (f"{path}/index.html" if path else "index.html")
        page = page_info(cfg, "redirect", post.url, cfg.words["moved"], [])
        jobs.append(Job("redirect.html", out, {"page": page, "post": post}, post.source))
    return jobs


def own_jobs(cfg: Config, cat: Catalog | None, post: Post, others: list[Link] | None = None) -> list[Job]:
    """The pages that show the whole post: its article (or standalone page) and its redirects."""
    first = standalone_job(cfg, post) if post.is_page else article_job(cfg, cat, post, others)
    return [first, *redirect_jobs(cfg, post)]


def all_jobs(cfg: Config, cat: Catalog, article_variables: bool = True,
             extra: list[Job] | tuple[Job, ...] = ()) -> list[Job]:
    """Every page to render. `article_variables` False: the articles come without their variables (None), for
    a planner that knows their fingerprints without them (incremental.fingerprints.ArticleKeys) and leaves
    them to be made where each page is rendered.
    `extra`: pages of other kinds of content (documents, schedule weeks), listed in the sitemap too."""
    listings = all_listing_jobs(cfg, cat)
    jobs = [home_job(cfg, cat)]
    jobs += [article_job(cfg, cat, post) if article_variables else Job(ARTICLE, out_path(post.url), None, post.source)
             for post in cat.posts]
    jobs += [standalone_job(cfg, post) for post in cat.pages]
    jobs += listings
    for post in cat.posts + cat.pages:
        jobs += redirect_jobs(cfg, post)
    jobs += extra
    if cfg.search:
        jobs.append(search_job(cfg, cat, tuple(int(j.out.split("/")[2]) for j in extra
                                               if j.out.startswith("van-ban/nam/"))))
    jobs += [stats_job(cfg, cat), not_found_job(cfg), robots_job(cfg),
             sitemap_job(cfg, cat, [j.out.removesuffix("index.html") for j in [*listings, *extra]])]
    return jobs
