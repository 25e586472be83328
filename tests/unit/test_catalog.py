"""sitegen.catalog: what is published, in which order, grouped and paginated."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sitegen import catalog
from sitegen.kinds import Post
from sitegen.model import Category, Config, Tag

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2024, 3, 15, 9, 0, tzinfo=TZ)
TIN = Category("tin-tuc", "Tin tức")
CCHC = Category("cai-cach-hanh-chinh", "Cải cách hành chính")
CFG = Config(title="Cổng", base_url="https://mauson.example/", categories=(TIN, CCHC), tz=TZ,
             latest_count=3, per_page=2)


def post(name: str, when: datetime | None = NOW - timedelta(days=1), category: Category = TIN,
         **extra: object) -> Post:
    return Post(source=f"content/{category.key}/{name}.md", title=name, slug=name,
                url=f"{category.key}/{when.year if when else 0}/{name}/", body_html="<p>x</p>", summary="x",
                date=when, category=category, **extra)


def page(name: str, **extra: object) -> Post:
    return Post(source=f"content/pages/{name}.md", title=name, slug=name, url=f"{name}/", body_html="",
                summary="", date=None, has_time=False, category=None, is_page=True, **extra)


def sources(posts: tuple[Post, ...] | list[Post]) -> list[str]:
    return [p.slug for p in posts]


def test_drafts_hidden_unless_asked() -> None:
    items = [post("a"), post("nhap", draft=True)]
    assert sources(catalog.build(items, CFG, NOW).posts) == ["a"]
    assert sources(catalog.build(items, CFG, NOW, drafts=True).posts) == ["a", "nhap"]


def test_future_hidden_unless_asked() -> None:
    items = [post("cu"), post("tuong-lai", NOW + timedelta(seconds=1))]
    assert sources(catalog.build(items, CFG, NOW).posts) == ["cu"]
    assert sources(catalog.build(items, CFG, NOW, future=True).posts) == ["tuong-lai", "cu"]


def test_post_dated_exactly_at_build_time_is_published() -> None:
    items = [post("dung-gio", NOW)]
    assert sources(catalog.build(items, CFG, NOW).posts) == ["dung-gio"]


def test_build_time_compared_as_instants_across_offsets() -> None:
    utc_now = NOW.astimezone(ZoneInfo("UTC"))
    items = [post("a", NOW), post("b", NOW + timedelta(minutes=1))]
    assert sources(catalog.build(items, CFG, utc_now).posts) == ["a"]


def test_future_draft_needs_both_flags() -> None:
    items = [post("x", NOW + timedelta(days=1), draft=True)]
    assert catalog.build(items, CFG, NOW, drafts=True).posts == ()
    assert catalog.build(items, CFG, NOW, future=True).posts == ()
    assert sources(catalog.build(items, CFG, NOW, drafts=True, future=True).posts) == ["x"]


def test_hidden_posts_appear_nowhere() -> None:
    hidden = post("nhap", draft=True, tags=("CCHC",), views=10_000)
    cat = catalog.build([post("a", tags=("CCHC",)), hidden], CFG, NOW)
    everywhere = (list(cat.posts) + list(cat.latest) + list(cat.most_viewed)
                  + [p for group in cat.by_category.values() for p in group]
                  + [p for _, group in cat.tags for p in group]
                  + [p for _, group in cat.years for p in group])
    assert hidden not in everywhere


def test_preview_posts_appear_everywhere() -> None:
    shown = post("nhap", NOW + timedelta(days=2), draft=True, tags=("CCHC",), views=10_000)
    cat = catalog.build([post("a"), shown], CFG, NOW, drafts=True, future=True)
    assert shown in cat.posts and shown in cat.latest and shown in cat.most_viewed
    assert shown in cat.by_category["tin-tuc"]
    assert shown in dict(cat.tags)[Tag("cchc", "CCHC")]


def test_newest_first_ties_by_source_path() -> None:
    same = NOW - timedelta(hours=5)
    items = [post("c", same), post("moi", NOW - timedelta(hours=1)), post("a", same), post("b", same),
             post("cu", NOW - timedelta(days=30))]
    assert sources(catalog.build(items, CFG, NOW).posts) == ["moi", "a", "b", "c", "cu"]


def test_order_does_not_depend_on_input_order() -> None:
    same = NOW - timedelta(hours=5)
    items = [post(name, same) for name in "dacb"] + [post("x", same, CCHC)]
    first = catalog.build(items, CFG, NOW)
    second = catalog.build(list(reversed(items)), CFG, NOW)
    assert first == second
    assert [p.source for p in first.posts] == sorted(p.source for p in items)


def test_latest_holds_latest_count() -> None:
    items = [post(f"p{i}", NOW - timedelta(hours=i)) for i in range(6)]
    assert sources(catalog.build(items, CFG, NOW).latest) == ["p0", "p1", "p2"]


def test_by_category_every_category_present() -> None:
    items = [post("a", NOW - timedelta(hours=2)), post("b", NOW - timedelta(hours=1))]
    cat = catalog.build(items, CFG, NOW)
    assert sources(cat.by_category["tin-tuc"]) == ["b", "a"]
    assert cat.by_category["cai-cach-hanh-chinh"] == ()


def test_tags_grouped_by_slug() -> None:
    items = [post("a", NOW - timedelta(hours=1), tags=("CCHC", "PAPI")),
             post("b", NOW - timedelta(hours=2), tags=("cchc",)),
             post("c", NOW - timedelta(hours=3), tags=("CCHC",)),
             post("d", NOW - timedelta(hours=4), tags=("Cải cách",))]
    groups = {tag.slug: (tag.name, sources(members)) for tag, members in catalog.build(items, CFG, NOW).tags}
    assert groups == {"cchc": ("CCHC", ["a", "b", "c"]), "papi": ("PAPI", ["a"]),
                      "cai-cach": ("Cải cách", ["d"])}


def test_tags_sorted_by_slug() -> None:
    items = [post("a", tags=("Xây dựng", "An ninh", "Bầu cử"))]
    assert [t.slug for t, _ in catalog.build(items, CFG, NOW).tags] == ["an-ninh", "bau-cu", "xay-dung"]


def test_tag_name_is_the_most_used_spelling() -> None:
    items = [post("a", tags=("cchc",)), post("b", tags=("CCHC",)), post("c", tags=("CCHC",))]
    [(tag, _)] = catalog.build(items, CFG, NOW).tags
    assert tag == Tag("cchc", "CCHC")


def test_post_with_two_spellings_of_a_tag_listed_once() -> None:
    [(_, members)] = catalog.build([post("a", tags=("CCHC", "cchc", "Cchc"))], CFG, NOW).tags
    assert sources(members) == ["a"]


def test_tags_without_slug_ignored() -> None:
    assert catalog.build([post("a", tags=("!!!",))], CFG, NOW).tags == ()


def test_years_newest_first() -> None:
    items = [post("a", datetime(2022, 5, 1, tzinfo=TZ)), post("b", datetime(2024, 1, 1, tzinfo=TZ)),
             post("c", datetime(2022, 12, 31, 23, 0, tzinfo=TZ))]
    years = [(year, sources(group)) for year, group in catalog.build(items, CFG, NOW).years]
    assert years == [(2024, ["b"]), (2022, ["c", "a"])]


def test_most_viewed_order() -> None:
    views = {"it": 3, "nhieu": 900, "vua": 50, "bang-moi": 50, "khong": 0, "x": 1, "y": 2}
    items = [post(name, NOW - timedelta(hours=hours), views=count)
             for hours, (name, count) in enumerate(views.items(), start=1)]
    most = catalog.build(items, CFG, NOW).most_viewed
    assert sources(most) == ["nhieu", "vua", "bang-moi", "it", "y"]
    assert len(most) == catalog.MOST_VIEWED_COUNT


def test_pages_kept_apart_without_dates() -> None:
    items = [post("a"), page("lien-he"), page("gioi-thieu"), page("an", draft=True)]
    cat = catalog.build(items, CFG, NOW)
    assert sources(cat.pages) == ["gioi-thieu", "lien-he"]
    assert sources(cat.posts) == ["a"]
    assert sources(catalog.build(items, CFG, NOW, drafts=True).pages) == ["an", "gioi-thieu", "lien-he"]


def test_empty_site() -> None:
    cat = catalog.build([], CFG, NOW)
    assert cat.posts == cat.latest == cat.most_viewed == cat.tags == cat.years == ()
    assert cat.by_category == {"tin-tuc": (), "cai-cach-hanh-chinh": ()}


@pytest.mark.parametrize(("count", "pages"), [(0, 1), (1, 1), (2, 1), (3, 2), (4, 2), (5, 3)])
def test_paginate(count: int, pages: int) -> None:
    items = tuple(post(f"p{i}") for i in range(count))
    result = catalog.paginate(items, 2, "tin-tuc/")
    assert [url for url, _ in result] == ["tin-tuc/"] + [f"tin-tuc/page/{n}/" for n in range(2, pages + 1)]
    assert [p for _, chunk in result for p in chunk] == list(items)
    assert all(1 <= len(chunk) <= 2 for _, chunk in result) or count == 0


def test_paginate_home_and_empty() -> None:
    assert catalog.paginate((), 20, "") == [("", ())]
    items = tuple(post(f"p{i}") for i in range(3))
    assert [url for url, _ in catalog.paginate(items, 1, "")] == ["", "page/2/", "page/3/"]


def test_newest_first_helper_is_stable_and_total() -> None:
    a, b = post("a"), post("b")
    b2 = replace(b, source="content/tin-tuc/0.md")
    assert catalog.newest_first([a, b, b2]) == [b2, a, b]


def test_most_viewed_leaves_out_posts_nobody_read() -> None:
    """A new site's "Xem nhiều nhất" would otherwise be its newest posts, each with "0 lượt xem"."""
    items = [post("doc-nhieu", views=40), post("chua-ai-doc"), post("doc-it", views=3)]
    assert sources(catalog.build(items, CFG, NOW).most_viewed) == ["doc-nhieu", "doc-it"]
    assert catalog.build([post("moi")], CFG, NOW).most_viewed == ()
