"""sitegen.kinds: posts and pages declared once; the README's table and every derived shape follow it."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from sitegen import kinds, loader
from sitegen.kinds import Card, Link, Post
from sitegen.model import Config
from sitegen.schema import Check, Field, Kind, Restore, model_class, table
from tests.conftest import post_text, site_config

README = Path(__file__).resolve().parents[2] / "README.md"
SITE_TOML = """\
title = "Cổng thông tin điện tử xã Mẫu Sơn"
base_url = "https://mauson.example/"

[[categories]]
key = "tin-tuc"
name = "Tin tức"
"""


@pytest.fixture(scope="module")
def cfg() -> Config:
    return site_config(SITE_TOML)


def check(kind: Kind, raw: str, cfg: Config, rel: str = "content/tin-tuc/a.md") -> tuple[dict | None, list]:
    src, found = loader.parse_source(rel, raw, kind is kinds.PAGE)
    assert src is not None, found
    return kind.check(src.meta, Check(src.path, src.lines, src.start_line, cfg))


def test_the_readme_table_is_the_one_the_declarations_give() -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- front-matter table:")
    shown = text[text.index("\n", start) + 1: text.index("<!-- end of front-matter table -->")]
    assert shown == kinds.front_matter_table(), "paste the output of `python -m sitegen.kinds` into README.md"


def test_the_model_and_its_views_have_the_declared_fields() -> None:
    assert [f.name for f in dataclasses.fields(Post)] == [f.name for f in kinds.ENTRY]
    assert [f.name for f in dataclasses.fields(Link)] == list(kinds.LINK)
    assert [f.name for f in dataclasses.fields(Card)] == list(kinds.CARD) and issubclass(Card, Link)
    assert "body_html" not in kinds.CARD  # a body edit must not change the listings


def test_the_known_keys_are_the_front_matter_fields() -> None:
    assert kinds.POST.keys == kinds.PAGE.keys == (
        "title", "date", "category", "views", "tags", "summary", "image", "image_caption", "image_alt", "author",
        "slug", "draft", "updated", "id", "aliases", "search")


def test_a_post_needs_title_date_and_category_a_page_only_a_title(cfg: Config) -> None:
    raw = "---\ntitle: Giới thiệu\n---\nNội dung\n"
    values, found = check(kinds.POST, raw, cfg)
    assert values is None and sorted(p.params["key"] for p in found) == ["category", "date"]
    values, found = check(kinds.PAGE, raw, cfg, "content/pages/gioi-thieu.md")
    assert found == [] and values is not None
    assert (values["slug"], values["date"], values["has_time"]) == ("gioi-thieu", None, False)


def test_a_page_ignores_its_category(cfg: Config) -> None:
    values, found = check(kinds.PAGE, "---\ntitle: Liên hệ\ncategory: Không có\n---\n", cfg, "content/pages/lh.md")
    assert found == [] and values is not None and values["category"] is None


def test_a_post_gets_its_slug_from_the_title_and_its_alt_from_the_caption(cfg: Config) -> None:
    values, found = check(kinds.POST, post_text(title="Đoàn kiểm tra", image="/a.jpg", image_caption="Ảnh"), cfg)
    assert values is not None and (values["slug"], values["image_alt"]) == ("doan-kiem-tra", "Ảnh")
    assert found == []


def test_every_value_comes_back_from_the_cache_record(cfg: Config) -> None:
    post = Post(source="content/tin-tuc/a.md", url="tin-tuc/2025/a/", body_html="<p>x</p>", title="A", slug="a",
                date=kinds.read_date("2025-07-01 08:00", "date", Check("", {}, 1, cfg)), category=cfg.categories[0],
                views=3, tags=("CCHC",), aliases=("/cu/",), local_refs=(("/a.jpg", 4),), image_width=8,
                updated=None, draft=True, is_page=False)
    record = kinds.POST.record(post)
    back = kinds.POST.restore(record, Restore(cfg.tz, {c.key: c for c in cfg.categories}), body_html="")
    assert back == dataclasses.replace(post, body_html="")


def test_an_optional_field_is_one_declaration(cfg: Config) -> None:
    """What the README promises: one Field gives the check, the attribute, the record and the table row."""
    source_name = Field("source_name", kinds.TEXT, "", doc="where the story first appeared")
    entry = (*kinds.ENTRY, source_name)
    extended = Kind("post", entry, model_class("Post", entry, __name__, "A post."), kinds.POST.rules)
    raw = post_text(source_name="  Báo   Lạng Sơn ")
    values, found = check(extended, raw, cfg)
    assert found == [] and values is not None and values["source_name"] == "Báo Lạng Sơn"
    assert [p.params["key"] for p in check(kinds.POST, raw, cfg)[1]] == ["source_name"]  # unknown before
    item = extended.model(**values, source="content/tin-tuc/a.md", url="tin-tuc/2024/a/", body_html="")
    restored: Any = extended.restore(extended.record(item), Restore(cfg.tz, {c.key: c for c in cfg.categories}),
                                     body_html="")
    assert restored.source_name == "Báo Lạng Sơn"
    assert "| `source_name` | no | text | where the story first appeared |" in table((extended,))
