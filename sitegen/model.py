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


@dataclass(frozen=True, slots=True)
class Tag:
    slug: str
    name: str
