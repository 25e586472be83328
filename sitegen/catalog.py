"""The published set: drafts and future posts filtered, sorted, grouped, paginated."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sitegen.kinds import Card, Link, Post
from sitegen.model import Config, Tag, Traffic
from sitegen.text import slugify

MOST_VIEWED_COUNT = 5


@dataclass(frozen=True, slots=True)
class Catalog:
    posts: tuple[Post, ...]  # published posts, newest first
    pages: tuple[Post, ...]  # standalone pages, by URL
    by_category: dict[str, tuple[Post, ...]]  # category key -> posts, newest first
    tags: tuple[tuple[Tag, tuple[Post, ...]], ...]  # by tag slug
    years: tuple[tuple[int, tuple[Post, ...]], ...]  # newest year first
    latest: tuple[Post, ...]
    most_viewed: tuple[Post, ...]
    traffic: Traffic | None = None  # the views, for the statistics page and the footer (traffic.py)
    _links: dict[str, Link] = field(default_factory=dict, compare=False, repr=False)
    _cards: dict[str, Card] = field(default_factory=dict, compare=False, repr=False)

    def links(self, posts: tuple[Post, ...] | list[Post]) -> list[Link]:
        """The posts as Links, each made once per build."""
        made = self._links
        return [made.get(p.source) or made.setdefault(p.source, Link.of(p)) for p in posts]

    def cards(self, posts: tuple[Post, ...] | list[Post]) -> list[Card]:
        """The posts as Cards, each made once per build."""
        made = self._cards
        return [made.get(p.source) or made.setdefault(p.source, Card.of(p)) for p in posts]


def newest_first(posts: list[Post]) -> list[Post]:
    """Newest first; ties broken by source path so order never depends on the file system."""
    by_path = sorted(posts, key=lambda p: p.source)
    return sorted(by_path, key=lambda p: p.date, reverse=True)


def is_published(post: Post, now: datetime, drafts: bool, future: bool) -> bool:
    if post.draft and not drafts:
        return False
    return future or post.is_page or post.date <= now


def next_due(items: list[Post], now: datetime, drafts: bool, future: bool) -> datetime | None:
    """When the next scheduled post is published (None: none is waiting)."""
    if future:
        return None
    return min((p.date for p in items if not p.is_page and p.date > now and (drafts or not p.draft)), default=None)


def build(items: list[Post], cfg: Config, now: datetime, drafts: bool = False,
          future: bool = False) -> Catalog:
    shown = [p for p in items if is_published(p, now, drafts, future)]
    posts = newest_first([p for p in shown if not p.is_page])
    pages = sorted((p for p in shown if p.is_page), key=lambda p: (p.url, p.source))
    by_category = {c.key: tuple(p for p in posts if p.category.key == c.key) for c in cfg.categories}
    most_viewed = sorted((p for p in posts if p.views > 0), key=lambda p: -p.views)[:MOST_VIEWED_COUNT]
    return Catalog(
        posts=tuple(posts), pages=tuple(pages), by_category=by_category,
        tags=_group_tags(posts), years=_group_years(posts),
        latest=tuple(posts[: cfg.latest_count]), most_viewed=tuple(most_viewed),
    )


def _group_tags(posts: list[Post]) -> tuple[tuple[Tag, tuple[Post, ...]], ...]:
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    members: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        for name in post.tags:
            slug = slugify(name)
            if not slug:
                continue
            spellings[slug][name] += 1
            if not members[slug] or members[slug][-1] is not post:
                members[slug].append(post)
    groups = []
    for slug in sorted(members):
        name = min(spellings[slug].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        groups.append((Tag(slug, name), tuple(members[slug])))
    return tuple(groups)


def _group_years(posts: list[Post]) -> tuple[tuple[int, tuple[Post, ...]], ...]:
    years: dict[int, list[Post]] = defaultdict(list)
    for post in posts:
        years[post.date.year].append(post)
    return tuple((year, tuple(years[year])) for year in sorted(years, reverse=True))


def paginate(posts: tuple[Post, ...], per_page: int, first_url: str) -> list[tuple[str, tuple[Post, ...]]]:
    """[(url of page n, its posts)]: first_url, then first_url + "page/2/" and on."""
    chunks = [posts[i: i + per_page] for i in range(0, len(posts), per_page)] or [()]
    return list(zip(page_urls(first_url, len(chunks)), chunks, strict=True))


def page_urls(first_url: str, count: int) -> list[str]:
    return [first_url if n == 0 else f"{first_url}page/{n + 1}/" for n in range(count)]
