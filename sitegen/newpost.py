"""`new "Tiêu đề"`: a ready-to-edit post (or page) with its front matter filled in."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sitegen import config, dates, schedule
from sitegen.loader import PAGES_DIR
from sitegen.model import Category, Config
from sitegen.problems import Problem, problem
from sitegen.text import closest, slugify


@dataclass(frozen=True, slots=True)
class NewPost:
    path: Path  # where the file was written
    rel: str  # the same, relative to the site folder


def find_category(cfg: Config, wanted: str | None) -> Category | None:
    if not wanted:
        return cfg.categories[0]
    folded = " ".join(wanted.split()).casefold()
    for cat in cfg.categories:
        if folded in (cat.key, cat.name.casefold()) or slugify(folded) == cat.key:
            return cat
    return None


def front_matter(title: str, now: datetime, slug: str, category: Category | None) -> str:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    if category is not None:
        lines += [f"date: {now:%Y-%m-%d %H:%M}", f"category: {json.dumps(category.name, ensure_ascii=False)}"]
    lines += [f"slug: {slug}", f"id: {uuid.uuid4()}", "draft: true"]
    if category is not None:
        lines += ["tags: []", "views: 0"]
    return "\n".join(lines) + "\n---\n"


def _unknown_category(cfg: Config, wanted: str | None) -> Problem:
    hint = closest(wanted or "", [c.name for c in cfg.categories]) or ""
    known = ", ".join(f"{c.name} ({c.key})" for c in cfg.categories)
    return problem("site.toml", 0, "unknown_category", value=wanted, hint=hint, known=known)


def _now(cfg: Config, environ: dict[str, str] | None) -> datetime:
    """The build time when SOURCE_DATE_EPOCH is given (tests, reproducible set-ups), else now."""
    return dates.build_time(cfg.tz, environ) if environ and "SOURCE_DATE_EPOCH" in environ else datetime.now(cfg.tz)


def create(site: Path, title: str, category_name: str | None, page: bool,
           environ: dict[str, str] | None = None) -> tuple[NewPost | None, list[Problem], str]:
    """Write the new file; returns (result, problems, language)."""
    cfg, found = config.load_config(site)
    if cfg is None:
        return None, found, "vi"
    slug = slugify(title)
    if not title.strip() or not slug:
        return None, [problem("content", 0, "new_bad_title", value=title)], cfg.language
    category = None if page else find_category(cfg, category_name)
    if not page and category is None:
        return None, [_unknown_category(cfg, category_name)], cfg.language
    now = _now(cfg, environ)
    rel = f"content/{PAGES_DIR}/{slug}.md" if page else f"content/{category.key}/{now.year}/{slug}.md"
    target = site / rel
    if target.exists():
        return None, [problem(rel, 0, "new_exists")], cfg.language
    body = "Viết nội dung bài ở đây.\n" if cfg.language != "en" else "Write the post here.\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(front_matter(title.strip(), now, slug, category) + "\n" + body)
    return NewPost(target, rel), [], cfg.language


def create_week(site: Path, environ: dict[str, str] | None = None) -> tuple[NewPost | None, list[Problem], str]:
    """`new --schedule`: next week's content/lich-cong-tac/<year>-W<week>.toml, its working days laid out."""
    cfg, found = config.load_config(site)
    if cfg is None:
        return None, found, "vi"
    today = dates.build_time(cfg.tz, environ).date()
    name, text = schedule.next_week_file(today, cfg.language)
    rel = f"content/{schedule.FOLDER}/{name}"
    target = site / rel
    if target.exists():
        return None, [problem(rel, 0, "new_exists")], cfg.language
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:
        handle.write(text + "\n")
    return NewPost(target, rel), [], cfg.language
