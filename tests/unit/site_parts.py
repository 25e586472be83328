"""Posts, pages and a config made in memory, for unit tests that need no site on disk."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sitegen import catalog, words
from sitegen.kinds import Post
from sitegen.model import Category, Config

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 15, 9, 0, tzinfo=TZ)
TIN = Category("tin-tuc", "Tin tức")
CCHC = Category("cai-cach-hanh-chinh", "Cải cách hành chính")
CFG = Config(title="Cổng thông tin xã Tân Hòa", base_url="https://tanhoa.example/", categories=(TIN, CCHC), tz=TZ,
             latest_count=3, per_page=2, words=words.load(None, "vi")[0])


def post(name: str, days_ago: int = 1, category: Category = TIN, **extra: object) -> Post:
    when = NOW - timedelta(days=days_ago)
    return Post(source=f"content/{category.key}/{name}.md", title=f"Bài {name}", slug=name,
                url=f"{category.key}/{when.year}/{name}/", body_html=f"<p>Nội dung {name}</p>",
                summary=f"Tóm tắt {name}", date=when, category=category, **extra)


def page(name: str, **extra: object) -> Post:
    return Post(source=f"content/trang/{name}.md", title=f"Trang {name}", slug=name, url=f"{name}/",
                body_html="<p>Trang</p>", summary="", date=None, has_time=False, category=None, is_page=True,
                **extra)


def catalogue(*items: Post) -> catalog.Catalog:
    return catalog.build(list(items), CFG, NOW)
