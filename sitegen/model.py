"""The shapes every stage passes on: frozen, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo


@dataclass(frozen=True, slots=True)
class Category:
    key: str  # URL segment
    name: str  # shown to readers
    description: str = ""


@dataclass(frozen=True, slots=True)
class Config:
    title: str
    base_url: str  # absolute, always ends with "/"
    categories: tuple[Category, ...]
    tz: tzinfo
    description: str = ""
    language: str = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    latest_count: int = 8
    per_page: int = 20
    feed_items: int = 20
    author: str = ""
    logo: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    embed_hosts: tuple[str, ...] = ()
    # A commune's site: the province portal its header links to (set by province.py, not by site.toml).
    portal_title: str = ""
    portal_url: str = ""

    @property
    def base_path(self) -> str:
        """The path part of base_url, e.g. "/" or "/sub/"."""
        rest = self.base_url.split("://", 1)[-1]
        return "/" + rest.split("/", 1)[1] if "/" in rest else "/"

    def category(self, key: str) -> Category | None:
        return next((c for c in self.categories if c.key == key), None)


@dataclass(frozen=True, slots=True)
class Post:
    """A post or a standalone page (is_page), with its rendered body."""

    source: str  # posix path relative to the site folder, e.g. "content/a/b.md"
    title: str
    slug: str
    url: str  # relative to the site root, no leading slash: "cat/2022/slug/"
    body_html: str
    summary: str
    date: datetime | None = None  # aware; None for pages
    has_time: bool = True  # False when written as a plain date
    category: Category | None = None
    views: int = 0
    tags: tuple[str, ...] = ()
    image: str = ""  # site-relative path as written ("/images/a.jpg")
    image_caption: str = ""
    image_alt: str = ""
    author: str = ""
    draft: bool = False
    updated: datetime | None = None
    id: str = ""
    aliases: tuple[str, ...] = ()
    is_page: bool = False
    local_refs: tuple[tuple[str, int], ...] = ()  # (site path, line) the body links to
    image_width: int = 0  # pixel size of the cover image, 0 when unknown
    image_height: int = 0


@dataclass(frozen=True, slots=True)
class Link:
    """What a short list of posts may show ("Tin mới nhất", "Các tin khác"): no summary, no body.

    Pages are re-rendered when a post they list changes; giving lists only
    these fields means a body edit does not re-render every page.
    """

    source: str
    title: str
    url: str
    date: datetime | None
    has_time: bool
    views: int
    category: Category | None
    is_page: bool

    @classmethod
    def of(cls, post: Post) -> Link:
        return cls(post.source, post.title, post.url, post.date, post.has_time, post.views,
                   post.category, post.is_page)


@dataclass(frozen=True, slots=True)
class Card(Link):
    """What a listing shows of a post: a Link plus summary, image and author, never the body."""

    summary: str
    image: str
    image_caption: str
    image_alt: str
    image_width: int
    image_height: int
    author: str
    tags: tuple[str, ...]
    updated: datetime | None

    @classmethod
    def of(cls, post: Post) -> Card:
        return cls(post.source, post.title, post.url, post.date, post.has_time, post.views, post.category,
                   post.is_page, post.summary, post.image, post.image_caption, post.image_alt,
                   post.image_width, post.image_height, post.author, post.tags, post.updated)


@dataclass(frozen=True, slots=True)
class Tag:
    slug: str
    name: str
