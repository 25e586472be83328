"""sitegen.newpost: `new` writes a draft in the right folder, never over an existing file."""

from __future__ import annotations

from sitegen import config, loader, newpost
from tests.conftest import MINIMAL_TOML


def test_a_new_post_is_a_valid_draft_in_its_category_folder(make_site) -> None:
    site = make_site()
    made, found, lang = newpost.create(site, "  Họp dân   thôn Đông ", "tin tức", False,
                                       {"SOURCE_DATE_EPOCH": "1780000000"})
    assert found == [] and lang == "vi" and made is not None
    assert made.rel == "content/tin-tuc/2026/hop-dan-thon-dong.md"
    cfg = config.load_config(site)[0]
    source, problems = loader.read_source(site, made.rel, False)
    assert problems == [] and source is not None
    assert source.meta["title"] == "Họp dân   thôn Đông" and source.meta["draft"] is True
    again = newpost.create(site, "Họp dân thôn Đông", None, False, {"SOURCE_DATE_EPOCH": "1780000000"})
    assert again[0] is None and [p.code for p in again[1]] == ["new_exists"]
    assert cfg.categories[0].key == "tin-tuc"


def test_an_unknown_category_names_the_known_ones(make_site) -> None:
    site = make_site(toml=MINIMAL_TOML)
    made, found, _ = newpost.create(site, "Bài", "Thời sự", False)
    assert made is None and [p.code for p in found] == ["unknown_category"]
    assert "Tin tức (tin-tuc)" in found[0].params["known"]


def test_a_title_without_letters_is_refused_and_a_page_has_no_category(make_site) -> None:
    site = make_site()
    assert [p.code for p in newpost.create(site, "!!!", None, False)[1]] == ["new_bad_title"]
    made, found, _ = newpost.create(site, "Giới thiệu", None, True)
    assert found == [] and made is not None and made.rel.endswith("/gioi-thieu.md")
    assert "category" not in made.path.read_text(encoding="utf-8")
