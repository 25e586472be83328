"""sitegen.staticfiles: which files are published as they are, under which names."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from sitegen import staticfiles
from sitegen.problems import Problems


def test_static_files_publish_composed_names_and_refuse_two_for_one(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "assets" / "css").mkdir(parents=True)
    (site / "assets" / "css" / "site.css").write_text("body{}", encoding="utf-8")
    decomposed = unicodedata.normalize("NFD", "content/ảnh/bản đồ.png")
    problems = Problems()
    copies = staticfiles.collect(site, [decomposed, "content/ảnh/bản đồ.png"], problems)
    assert copies["ảnh/bản đồ.png"] == site / decomposed  # the first one, published under its NFC name
    assert copies["assets/css/site.css"] == site / "assets" / "css" / "site.css"  # the site's over the theme's
    assert copies["assets/favicon.svg"].parent.parent.name != "site"  # the default theme's own
    assert [p.code for p in problems] == ["same_name_nfc"]


def test_a_theme_chain_overlays_the_assets_file_by_file_and_links_leading_out_are_refused(tmp_path: Path) -> None:
    site, parent = tmp_path / "xa", tmp_path / "tinh"
    (parent / "assets" / "css").mkdir(parents=True)
    (parent / "assets" / "css" / "site.css").write_text("/* tỉnh */", encoding="utf-8")
    (parent / "assets" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "logo.svg").write_text("<svg>xã</svg>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("bí mật", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", site / "assets" / "link.txt")
    problems = Problems()
    found = staticfiles.theme_assets(site, problems, (parent,))
    assert found["assets/css/site.css"] == parent / "assets" / "css" / "site.css"
    assert found["assets/logo.svg"] == site / "assets" / "logo.svg"
    assert "assets/link.txt" not in found and [(p.path, p.code) for p in problems] == [
        ("assets/link.txt", "path_outside")]
