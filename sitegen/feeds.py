"""RSS 2.0 and Atom feeds (feedgen) for the site and every category, and JSON Feed 1.1."""

from __future__ import annotations

import functools
import html
import json
import mimetypes
import os
import re
import unicodedata
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from sitegen import __version__
from sitegen.catalog import Catalog
from sitegen.kinds import Post
from sitegen.model import Category, Config

if TYPE_CHECKING:  # feedgen (and lxml) are imported by a build that writes feeds, when it does
    from feedgen.feed import FeedGenerator

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_LOCAL_ATTR = re.compile(r'(\s(?:href|src|poster|cite)=")(/(?!/)[^"]*|#[^"]*)"')
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)"')
GENERATOR = "sitegen"
TAG_DATE = "2000"  # the date part of derived tag: URIs; fixed, so ids never move
_TAG_SAFE = "/-._~!$&'()*+,;=:@%"  # kept as they are in the specific part of a tag: URI (RFC 4151)


def _tag(host: str, specific: str) -> str:
    """A tag: URI; the specific part in NFC with anything not allowed in a URI percent-encoded (UTF-8).

    An ASCII path without spaces comes out as it was, so the ids already published do not move.
    """
    return f"tag:{host},{TAG_DATE}:{quote(unicodedata.normalize('NFC', specific), safe=_TAG_SAFE)}"


def entry_id(cfg: Config, post: Post) -> str:
    """The permanent identity of a post: its front-matter id, else a tag: URI of its source path.

    Never the title or the URL, so correcting a title, slug or category does not
    make readers see the post again as new.
    """
    host = urlsplit(cfg.base_url).hostname or "localhost"
    if post.id:
        if _UUID.match(post.id):
            return f"urn:uuid:{post.id.lower()}"
        if re.match(r"^[a-z][a-z0-9+.-]*:\S+$", post.id, re.IGNORECASE):
            return post.id
        return _tag(host, post.id.replace(" ", "-"))
    return _tag(host, post.source.removeprefix("content/").removesuffix(".md"))


def absolutize(fragment: str, cfg: Config, page_url: str) -> str:
    """Root-relative and fragment links -> absolute URLs, as feed readers need."""
    origin = cfg.base_url[: len(cfg.base_url) - len(cfg.base_path)]
    page = cfg.base_url + page_url

    def fix(match: re.Match[str]) -> str:
        value = match[2]
        return f'{match[1]}{page + value if value.startswith("#") else origin + value}"'

    def fix_set(match: re.Match[str]) -> str:
        parts = [p.strip() for p in match[2].split(",")]
        fixed = [origin + p if p.startswith("/") and not p.startswith("//") else p for p in parts]
        return f'{match[1]}{", ".join(fixed)}"'

    return _SRCSET.sub(fix_set, _LOCAL_ATTR.sub(fix, fragment))


def _cover_file(site_dir: Path, post: Post) -> Path | None:
    """The post's own cover image file (an image elsewhere, by URL, has none)."""
    return site_dir / "content" / post.image.lstrip("/") if post.image.startswith("/") else None


def _enclosure(site_dir: Path, cfg: Config, post: Post) -> dict[str, str] | None:
    path = _cover_file(site_dir, post)
    if path is None:
        return None
    try:
        length = path.stat().st_size
    except OSError:
        return None
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return {"url": cfg.base_url + post.image.lstrip("/"), "length": str(length), "type": kind}


def _feed(cfg: Config, now: datetime, title: str, home: str, self_path: str, posts: list[Post],
          site_dir: Path, category: Category | None) -> FeedGenerator:
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(cfg.base_url + home)
    fg.title(title)
    fg.description((category.description if category else "") or cfg.description or title)
    _links(fg, cfg, home, self_path)
    fg.language(cfg.language)
    fg.author({"name": cfg.author or cfg.title, **({"email": cfg.email} if cfg.email else {})})
    fg.generator(GENERATOR, version=__version__)
    fg.load_extension("dc")
    if cfg.logo:
        logo = cfg.base_url + cfg.logo.lstrip("/")
        fg.logo(logo)
        fg.image(url=logo, title=title, link=cfg.base_url + home)
    for post in posts:  # newest first; order="append" keeps it so
        _entry(fg, cfg, post, site_dir)
    return dated(fg, now)


def dated(fg: FeedGenerator, fallback: datetime) -> FeedGenerator:
    """The feed's own date (RSS lastBuildDate, Atom updated): the last change of its newest entry, which is
    what both formats define it as; `fallback` for a feed with no entry. The feed's bytes then
    change only with its entries: a rebuild for any other reason (an hourly count of views) leaves every
    feed file as it was, and a reader's conditional request gets "not modified"."""
    stamps = [entry.updated() for entry in fg.entry()]
    fg.lastBuildDate(max(stamps) if stamps else fallback)
    return fg


def _links(fg: FeedGenerator, cfg: Config, home: str, self_path: str) -> None:
    """The feed's own address and its listing's, in place of any it had."""
    fg.link(href=cfg.base_url + self_path, rel="self", replace=True)  # feedgen: the last link is RSS <link>
    fg.link(href=cfg.base_url + home, rel="alternate")


@functools.cache
def _entry_class() -> type:
    """feedgen 1.0.0 writes an Atom entry's <link> elements with their href only (its issue #135):
    the article and the cover become two links without rel, and readers take the cover for the
    article. Its entry here writes each <link> again from the links the entry was given."""
    from feedgen.entry import FeedEntry

    class Entry(FeedEntry):
        def atom_entry(self, extensions: bool = True) -> Any:
            entry = super().atom_entry(extensions)
            written = entry.findall("link")
            for element, given in zip(written, self.link(), strict=True):
                for name in ("rel", "type", "hreflang", "title", "length"):
                    if given.get(name):
                        element.set(name, str(given[name]))
            return entry

    return Entry


def _entry(fg: FeedGenerator, cfg: Config, post: Post, site_dir: Path) -> None:
    fe = fg.add_entry(_entry_class()(), order="append")
    fe.id(entry_id(cfg, post))
    fe.title(post.title)
    fe.link(href=cfg.base_url + post.url, rel="alternate")
    fe.published(post.date)
    fe.updated(post.updated or post.date)
    author = post.author or cfg.author or cfg.title
    fe.author({"name": author})
    fe.dc.dc_creator(author)  # RSS <author> must be an e-mail address; readers show dc:creator
    fe.category(term=post.category.key, label=post.category.name,
                scheme=cfg.base_url + post.category.key + "/")
    summary = post.summary or post.title
    # RSS <description> is HTML to every reader: the plain-text summary goes in escaped, so a
    # summary reading "<script>" shows as text. Atom's summary says type="text" and stays as is.
    # (feedgen: description() first, as content() and summary() then leave it alone.)
    fe.description(html.escape(summary, quote=False))
    fe.content(absolutize(post.body_html, cfg, post.url), type="html")
    fe.summary(summary, type="text")
    enclosure = _enclosure(site_dir, cfg, post)
    if enclosure:
        fe.enclosure(**enclosure)


def feed_paths(cfg: Config) -> list[str]:
    """Output paths of every feed the site has."""
    paths = ["feed.xml", "atom.xml", "feed.json"]
    for category in cfg.categories:
        paths += [f"{category.key}/feed.xml", f"{category.key}/atom.xml"]
    return paths


def _groups(cfg: Config, cat: Catalog) -> list[list[Post]]:
    """The posts of each feed: the whole site's, then each category's in cfg.categories' order."""
    return [cat.posts[: cfg.feed_items]] + [cat.by_category[c.key][: cfg.feed_items] for c in cfg.categories]


def shown(cfg: Config, cat: Catalog) -> list[Post]:
    """The posts the feeds show: the feeds need their bodies."""
    return [post for posts in _groups(cfg, cat) for post in posts]


# The feeds each site's last build in this process made, and what they were made of (feeds_made): for the
# sites built last, KEEP_SITES of them (a site's feeds are some 2 MB; a province's preview builds 100 sites).
_LAST: dict[str, tuple[tuple, dict[str, bytes]]] = {}
KEEP_SITES = 4


def feeds_made(site_dir: Path, cfg: Config, cat: Catalog, now: datetime, digests: dict[str, str],
               whole: Callable[[list[Post]], dict[str, Post]]) -> dict[str, bytes]:
    """build_feeds, or the feeds the last build of this site in this process made from the same: the config,
    each feed's posts as compiled (their digests), their covers' files (an enclosure's length) and, when the
    site has no post, the build time. `serve` builds again after every save, and most edits change no feed;
    `whole` gives the posts with their bodies, asked for only when the feeds are made."""
    groups = _groups(cfg, cat)
    made_of = (cfg, now if not groups[0] else None,
               tuple(tuple((p.source, digests.get(p.source), _cover(site_dir, p)) for p in posts) for posts in groups))
    last = _LAST.pop(os.fspath(site_dir), None)
    made = last[1] if last is not None and last[0] == made_of else build_feeds(site_dir, cfg, cat, now,
                                                                                 whole(shown(cfg, cat)))
    _LAST[os.fspath(site_dir)] = (made_of, made)  # the newest last, the oldest forgotten
    while len(_LAST) > KEEP_SITES:
        del _LAST[next(iter(_LAST))]
    return made


def _cover(site_dir: Path, post: Post) -> tuple[int, int] | None:
    """The size and mtime of the post's cover file, whose size its enclosure gives; None without one."""
    path = _cover_file(site_dir, post)
    try:
        info = os.stat(path) if path is not None else None
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns) if info else None


def build_feeds(site_dir: Path, cfg: Config, cat: Catalog, now: datetime,
                whole: dict[str, Post] | None = None) -> dict[str, bytes]:
    """Every feed file of the site, by output path; `whole` has the posts of `shown` with their bodies,
    by source (without it, the catalogue's posts are whole already)."""
    def full(post: Post) -> Post:
        return whole.get(post.source, post) if whole is not None else post

    outputs: dict[str, bytes] = {}
    site_posts, *category_posts = [[full(post) for post in posts] for posts in _groups(cfg, cat)]
    groups: list[tuple[str, str, Category | None, list[Post]]] = [("", cfg.title, None, site_posts)]
    groups += [(f"{category.key}/", f"{cfg.title} - {category.name}", category, posts)
               for category, posts in zip(cfg.categories, category_posts, strict=True)]
    # a feed with no post (a category not used yet) is as new as the site's: the build time only for an empty site
    quiet = max((post.updated or post.date for post in site_posts), default=now)
    for home, title, category, posts in groups:
        fg = _feed(cfg, quiet, title, home, home + "feed.xml", posts, site_dir, category)
        outputs[home + "feed.xml"] = fg.rss_str(pretty=True)
        _links(fg, cfg, home, home + "atom.xml")  # the same entries, made once: only the self link differs
        outputs[home + "atom.xml"] = fg.atom_str(pretty=True)
    outputs["feed.json"] = json_feed(cfg, site_posts, site_dir)
    return outputs


def json_feed(cfg: Config, posts: list[Post], site_dir: Path) -> bytes:
    """JSON Feed 1.1 (feedgen has no writer for it)."""
    items = []
    for post in posts:
        item = {
            "id": entry_id(cfg, post), "url": cfg.base_url + post.url, "title": post.title,
            "content_html": absolutize(post.body_html, cfg, post.url), "summary": post.summary,
            "date_published": post.date.isoformat(),
            "date_modified": (post.updated or post.date).isoformat(),
            "authors": [{"name": post.author or cfg.author or cfg.title}],
            "tags": [post.category.name, *post.tags],
        }
        if post.image.startswith("/"):
            item["image"] = cfg.base_url + post.image.lstrip("/")
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1", "title": cfg.title,
        "home_page_url": cfg.base_url, "feed_url": cfg.base_url + "feed.json",
        "description": cfg.description or cfg.title, "language": cfg.language,
        "authors": [{"name": cfg.author or cfg.title}], "items": items,
    }
    if cfg.logo:
        feed["icon"] = cfg.base_url + cfg.logo.lstrip("/")
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def listing_feed(cfg: Config, now: datetime, title: str, home: str, name: str) -> FeedGenerator:
    """The head of a feed of one of the portal's own listings (documents, member news) at `home` + `name`:
    titled and described by `title`, linked to itself and its listing, by the site; `dated` once its entries
    are in."""
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(cfg.base_url + home)
    fg.title(title)
    fg.description(title)
    fg.link(href=cfg.base_url + home + name, rel="self")  # feedgen: the last link is RSS <link>
    fg.link(href=cfg.base_url + home, rel="alternate")
    fg.language(cfg.language)
    fg.author({"name": cfg.author or cfg.title})
    fg.generator(GENERATOR, version=__version__)
    fg.lastBuildDate(now)  # feedgen's default would be the clock's time
    return fg
