"""News flowing up: a member's posts as the province shows them, read from the member's sources.

Only front matter is read (title, date, summary, id; for a post without a summary, the start of its body
for the first paragraph), never a whole body nor the
member's built output, so the province can be built before, after or without
its members, on any machine. What was read is kept by file (size, mtime and
inode), so a rebuild reads only the files that changed.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sitegen import feeds, loader, posts
from sitegen.incremental import compile_settings
from sitegen.model import Config
from sitegen.problems import Problem

HOME_NEWS = 8  # member posts in the home page's "Tin từ cơ sở"
NEWS_LIMIT = 1000  # member posts listed under /tin-tu-co-so/ (each member's site keeps its whole archive)

Stats = dict[str, list[int]]  # path from the site's folder -> size, mtime, inode
Record = list  # title, url, date, has_time, updated, id, summary, author, draft, date as a timestamp (JSON)
_FORMAT = "news-3"  # of the records: kept with the settings they were read with
LEAD_CHARS = 2000  # of a body read for the first paragraph of a post without a summary


@dataclass(frozen=True, slots=True)
class NewsItem:
    """A member's published post as the province shows it: from its front matter (and its body's start when it
    has no summary), never its built page."""

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


def _record(values: dict[str, Any], rel: str, cfg: Config) -> Record | None:
    """What the province keeps of a member's post (its checked front-matter values), as JSON: None for a
    standalone page."""
    if loader.is_page_path(rel) or values["date"] is None or values["category"] is None:
        return None
    url = cfg.base_url + posts.post_url(values, False)
    entry_id = feeds.entry_id(cfg, SimpleNamespace(id=values["id"], source=rel))  # type: ignore[arg-type]
    updated = values["updated"]
    return [values["title"], url, values["date"].isoformat(), values["has_time"],
            updated.isoformat() if updated else None, entry_id, values["summary"], values["author"],
            bool(values["draft"]), values["date"].timestamp()]


def _read_record(folder: Path, rel: str, cfg: Config,
                 parsed: loader.Parsed | None) -> tuple[Record | None, list[Problem]]:
    """The record of one file, and the problems of its front matter (those the member's build reports)."""
    src, found = loader.read_source(folder, rel, loader.is_page_path(rel), parsed=parsed)
    if src is None:
        return None, found
    values, checked = loader.check_fields(src, cfg)
    if values is not None and not values["summary"]:
        values = {**values, "summary": lead(src.body, cfg)}
    return (_record(values, rel, cfg) if values is not None else None), found + checked


def lead(body: str, cfg: Config) -> str:
    """The first paragraph of a body, as the member's own pages and feeds give a post without a summary.
    Only the body's start is rendered, cut at a blank line outside code (the province reads every member
    post; whole bodies would cost it a second Markdown pass over each), unless it holds no paragraph."""
    cut = body.find("\n\n", LEAD_CHARS)
    start = body[:cut] if cut > 0 else body
    if start.count("```") % 2 or start.count("~~~") % 2:  # inside a fenced block: the cut is no paragraph's end
        start = body
    found = posts.renderer_for(cfg).render(start).summary
    return found if found or start is body else posts.renderer_for(cfg).render(body).summary


def sources(stats: Stats) -> list[str]:
    """The Markdown files of content/ among a site's files, as loader.walk_content names them."""
    return sorted(rel for rel in stats if rel.startswith("content/") and rel.lower().endswith(".md"))


def known_records(known: dict, stats: Stats, cfg: Config) -> list[Record] | None:
    """The records of the last run when every Markdown file is as it was then (None otherwise)."""
    files = known.get("files")
    if known.get("settings") != _settings(cfg) or not isinstance(files, dict):
        return None
    names = sources(stats)
    if len(names) != len(files) or any(files.get(rel, (None,))[0] != stats[rel] for rel in names):
        return None
    return [entry[1] for entry in files.values() if entry[1]]


def read_news(folder: Path, cfg: Config, known: dict, stats: Stats,
              parsed: loader.Parsed | None = None) -> tuple[dict, list[Record], list[Problem]]:
    """Every post of a member as a record, from its front matter, and the problems found in it: a file
    whose size, mtime and inode are those of `known` (the last run's records) is not read again, unless
    it had errors (so they are reported on every run, and a member with a warning is still skipped). The
    files read are added to `parsed` (loader.read_source), for the member's build to take."""
    settings = _settings(cfg)
    old = known.get("files", {}) if known.get("settings") == settings else {}
    files: dict[str, list] = {}
    problems: list[Problem] = []
    for rel in sources(stats):
        before = old.get(rel)
        if before is not None and before[0] == stats[rel]:
            files[rel] = before
            continue
        record, found = _read_record(folder, rel, cfg, parsed)
        problems += found
        if not any(item.severity == "error" for item in found):
            files[rel] = [stats[rel], record]
    records = [entry[1] for entry in files.values() if entry[1]]
    return {"settings": settings, "files": files}, records, problems


def _settings(cfg: Config) -> str:
    return f"{_FORMAT} {compile_settings(cfg)}"


def due(records: Iterable[Record], now: datetime, drafts: bool, future: bool) -> datetime | None:
    """When the next of these posts falls due (a future post is published then); None if none will."""
    if future:
        return None
    dates = [when for when in (datetime.fromisoformat(r[2]) for r in records if drafts or not r[8]) if when > now]
    return min(dates, default=None)


def newest(members: Iterable[tuple[str, str, list[Record]]], now: datetime, drafts: bool, future: bool,
           limit: int = NEWS_LIMIT) -> list[NewsItem]:
    """The `limit` newest published posts of all members ((key, name, records) each), newest first."""
    stamp = now.timestamp()
    shown = [(record[9], record[1], key, name, record) for key, name, records in members for record in records
             if (drafts or not record[8]) and (future or record[9] <= stamp)]
    return [NewsItem(key, name, record[0], record[1], datetime.fromisoformat(record[2]), record[3],
                     datetime.fromisoformat(record[4]) if record[4] else None, record[5], record[6], record[7])
            for _, _, key, name, record in heapq.nlargest(limit, shown)]
