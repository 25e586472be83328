"""sitegen.structured: JSON-LD that search engines read: the agency and its news."""

from __future__ import annotations

from dataclasses import replace

from sitegen import structured
from tests.unit.site_parts import CFG, catalogue, post


def test_the_agency_is_described_with_what_site_toml_gives() -> None:
    bare = structured.organization(CFG)
    assert bare == {"@type": "GovernmentOrganization", "name": CFG.title, "url": CFG.base_url}
    full = structured.organization(replace(CFG, author="UBND xã Tân Hòa", logo="/assets/logo.png",
                                           address="Thôn Đông", phone="0203 123 456", email="ubnd@tanhoa.example"))
    assert full["name"] == "UBND xã Tân Hòa" and full["logo"]["url"] == "https://tanhoa.example/assets/logo.png"
    assert full["address"]["addressCountry"] == "VN" and full["telephone"] == "0203 123 456"


def test_a_news_article_carries_dates_with_the_sites_offset_and_its_cover() -> None:
    item = post("a", image="/anh/bia.jpg", image_width=800, image_height=450, author="Trần Bình")
    ld = structured.news_article(CFG, item)
    assert ld["@type"] == "NewsArticle" and ld["url"] == "https://tanhoa.example/tin-tuc/2026/a/"
    assert ld["datePublished"].endswith("+07:00") and ld["dateModified"] == ld["datePublished"]
    assert ld["image"] == {"@type": "ImageObject", "url": "https://tanhoa.example/anh/bia.jpg", "width": 800,
                           "height": 450}
    assert ld["author"] == {"@type": "Person", "name": "Trần Bình"} and ld["articleSection"] == "Tin tức"
    card = catalogue(post("b")).cards([post("b")])[0]
    assert structured.news_article(CFG, card)["author"]["@type"] == "GovernmentOrganization"
    assert len(structured.news_article(CFG, replace(item, title="x" * 200))["headline"]) == 110
