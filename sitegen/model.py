"""The site's shapes: frozen, no I/O. Posts, pages and their list views are declared in `kinds`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo


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
class Tag:
    slug: str
    name: str
