"""sitegen.posts: one Markdown file -> one Post, from the declared fields and the rendered body."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.kinds import Post
from sitegen.markup import Renderer
from sitegen.model import Config
from sitegen.posts import compile_post, missing_refs
from sitegen.problems import problem
from tests.conftest import post_text, site_config
from tests.unit.site_parts import post

SITE_TOML = """\
title = "Cổng thông tin điện tử xã Mẫu Sơn"
base_url = "https://mauson.example/xa/"

[[categories]]
key = "tin-tuc"
name = "Tin tức"
"""
RENDERER = Renderer("/xa/")


@pytest.fixture(scope="module")
def cfg() -> Config:
    return site_config(SITE_TOML)


def compile_text(rel: str, text: str, cfg: Config) -> tuple[Post | None, list]:
    return compile_post(Path("/nowhere"), rel, cfg, RENDERER, text.encode("utf-8"))


def test_a_post_gets_its_url_summary_and_image_path(cfg: Config) -> None:
    text = post_text(title="Họp báo quý III", date="2025-10-03", image="anh/hop-bao.jpg", image_caption="Họp báo",
                     body="Sáng nay, UBND xã tổ chức họp báo.\n\n![Bản đồ](../ban-do.png)\n")
    post, found = compile_text("content/tin-tuc/2025/hop-bao.md", text, cfg)
    assert found == [] and post is not None
    assert post.url == "tin-tuc/2025/hop-bao-quy-iii/" and post.summary == "Sáng nay, UBND xã tổ chức họp báo."
    assert (post.image, post.image_alt, post.has_time, post.is_page) == (
        "/tin-tuc/2025/anh/hop-bao.jpg", "Họp báo", False, False)
    assert post.local_refs == (("/tin-tuc/ban-do.png", 10), ("/tin-tuc/2025/anh/hop-bao.jpg", 5))
    assert 'src="/xa/tin-tuc/ban-do.png"' in post.body_html


def test_a_page_is_named_by_its_file(cfg: Config) -> None:
    post, found = compile_text("content/pages/lien-he.md", "---\ntitle: Liên hệ\nsummary: Địa chỉ\n---\nVăn phòng\n",
                               cfg)
    assert found == [] and post is not None
    assert (post.url, post.slug, post.summary, post.date, post.category, post.is_page) == (
        "lien-he/", "lien-he", "Địa chỉ", None, None, True)


def test_a_mistake_gives_no_post_and_the_problem_at_its_line(cfg: Config) -> None:
    post, found = compile_text("content/tin-tuc/a.md", post_text(views="nhiều"), cfg)
    assert post is None and [(p.code, p.line) for p in found] == [("bad_views", 5)]
    post, found = compile_text("content/tin-tuc/a.md", post_text(body="[x](../../../ngoai.md)"), cfg)
    assert post is None and [p.code for p in found] == ["path_outside_link"]


def test_links_to_files_that_are_not_published_are_warnings() -> None:
    item = post("a", local_refs=(("/anh/c%C3%B3.png", 4), ("/tin-tuc/", 5), ("/thieu.pdf", 6)))
    found = missing_refs([item], {"anh/có.png", "tin-tuc/index.html"}, [])
    assert [(p.line, p.severity, dict(p.args)["value"]) for p in found] == [(6, "warning", "/thieu.pdf")]


def test_no_link_is_missing_when_a_template_error_left_pages_unmade() -> None:
    item = post("a", local_refs=(("/tin-tu-co-so/", 5),))
    assert missing_refs([item], set(), [problem("templates/base.html", 3, "template_error", reason="?")]) == []
    assert len(missing_refs([item], set(), [problem("content/b.md", 3, "bad_date", value="?")])) == 1
