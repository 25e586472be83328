"""The site's shapes: frozen, no I/O. Posts, pages and their list views are declared in `kinds`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

# Characters of each page's text the site search holds by default (site.toml's search_text): the first
# paragraphs of a notice. It bounds the time Pagefind takes, the index's size and the bytes one query
# downloads, which all grow with the words indexed (README, "The site search").
SEARCH_TEXT = 400
WHOLE_TEXT = 0  # search_text = "all": every word of the page


@dataclass(frozen=True, slots=True)
class Category:
    key: str  # URL segment
    name: str  # shown to readers
    description: str = ""


class Words(Mapping[str, str]):
    """The theme's words in the site's language (key -> text), the site's own over the theme's.

    Read-only and hashable, so a Config holding it can key a cache.
    """

    __slots__ = ("_table", "_hash")

    def __init__(self, table: Mapping[str, str] | None = None) -> None:
        self._table = dict(table or {})
        self._hash = hash(tuple(sorted(self._table.items())))

    def __getitem__(self, key: str) -> str:
        return self._table[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Words) and self._table == other._table

    def __repr__(self) -> str:
        return f"Words({len(self._table)} keys)"

    def __getstate__(self) -> dict[str, str]:
        return self._table

    def __setstate__(self, table: dict[str, str]) -> None:
        self._table = table
        self._hash = hash(tuple(sorted(table.items())))


@dataclass(frozen=True, slots=True)
class Maintenance:
    """A planned downtime: announced site-wide from `shown_from` until it ends (Decree 224, art. 13)."""

    start: datetime
    end: datetime
    shown_from: datetime
    message: str = ""


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
    search: bool = True  # the site search (search.py); false leaves out the index, the page and the box
    search_text: int = SEARCH_TEXT  # characters of each page's text the search holds, or WHOLE_TEXT
    words: Words = Words()  # the theme's words (templates/words/<language>.toml), the site's own first
    maintenance: Maintenance | None = None
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
class Tag:
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class MonthBar:
    """One bar of the statistics page's chart: a month, its views and where the bar is drawn."""

    label: str  # "12/2026"
    count: int  # views in the month
    x: int
    y: int
    height: int


@dataclass(frozen=True, slots=True)
class Traffic:
    """What the statistics page (/thong-ke/) and the footer show of the views (traffic.py makes it)."""

    total: int  # counted views and the counts brought over in front matter
    brought: int  # the front matter's `views` of the published posts and pages
    last_day: str  # the last day with counted views, "2026-12-05", or ""
    last_day_views: int
    months: tuple[MonthBar, ...]  # the last 12 months, oldest first
    top: tuple[tuple[Any, int], ...]  # the most viewed posts and pages (kinds.Link), with their views
    categories: tuple[tuple[Category, int], ...]  # views per category, in site.toml's order
