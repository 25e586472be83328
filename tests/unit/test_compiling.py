"""sitegen.incremental.compiling: a post is compiled again only when its bytes, settings or images change."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from sitegen import config, loader
from sitegen.incremental.compiling import compile_all, compile_settings
from sitegen.incremental.state import Ledger, Memory
from sitegen.incremental.store import NOT_LOADED
from tests.conftest import post_text


def _compile(site: Path, memory: Memory):
    cfg = config.load_config(site)[0]
    sources, statics, _ = loader.walk_content(site)
    return compile_all(Ledger(memory), site, cfg, 1, sources, statics)


def test_only_changed_files_are_compiled_again(make_site) -> None:
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A"), "content/tin-tuc/b.md": post_text("Bài B")})
    memory = Memory()
    first, _ = _compile(site, memory)
    assert first.count == 2 and sorted(p.title for p in first.posts) == ["Bài A", "Bài B"]
    again, _ = _compile(site, memory)
    assert again.count == 0 and again.digests == first.digests
    (site / "content/tin-tuc/a.md").write_text(post_text("Bài A", body="Đã sửa."), encoding="utf-8")
    edited, _ = _compile(site, memory)
    assert edited.count == 1 and edited.digests["content/tin-tuc/b.md"] == first.digests["content/tin-tuc/b.md"]
    assert edited.digests["content/tin-tuc/a.md"] != first.digests["content/tin-tuc/a.md"]


def test_the_settings_markdown_reads_are_part_of_the_key(make_site) -> None:
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A")})
    cfg = config.load_config(site)[0]
    assert compile_settings(replace(cfg, base_url="https://khac.example/")) != compile_settings(cfg)
    assert compile_settings(replace(cfg, title="Tên khác")) == compile_settings(cfg)  # not read by Markdown


def test_an_image_changed_in_place_gives_the_post_its_new_size(make_site) -> None:
    golden = Path(__file__).resolve().parents[1] / "golden/site/content/images"
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A", body="![Ảnh](/anh/x.png)"),
                      "content/anh/x.png": (golden / "logo.png").read_bytes()})
    memory = Memory()
    first, _ = _compile(site, memory)
    assert 'width="32" height="32"' in first.posts[0].body_html
    shutil.copyfile(golden / "doan-kiem-tra.png", site / "content/anh/x.png")
    again, _ = _compile(site, memory)
    assert again.count == 1 and 'width="64" height="36"' in again.posts[0].body_html


def test_an_undecodable_image_is_a_warning(make_site) -> None:
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A", body="![Ảnh](/anh/x.jpg)"),
                      "content/anh/x.jpg": b"<html>not a picture</html>"})
    done, _ = _compile(site, Memory())
    assert [(p.code, p.severity) for p in done.problems] == [("image_undecodable", "warning")]


def test_a_body_not_loaded_is_read_or_compiled_again(make_site) -> None:
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A", body="Thân bài gốc.")})
    memory = Memory()
    done, bodies = _compile(site, memory)
    key = bodies.keys["content/tin-tuc/a.md"]
    post, found, signature = memory.saved.compiled[key]
    memory.saved.compiled[key] = (replace(post, body_html=NOT_LOADED), found, signature)  # as read from a cache
    lost = replace(done.posts[0], body_html=NOT_LOADED)
    assert "Thân bài gốc." in bodies.full(lost).body_html  # no body stored: compiled again from the same bytes
    assert bodies.full(done.posts[0]) is done.posts[0]
