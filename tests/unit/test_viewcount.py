"""sitegen.viewcount: the counts file survives its trip to disk, refuses damage, and adds views to posts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sitegen import viewcount
from tests.unit.site_parts import post


def test_the_counts_file_comes_back_as_it_was_saved(tmp_path: Path) -> None:
    counted = viewcount.Counted(Counter({"tin-tuc/2026/a/": 12}), Counter({"2026-03-14": 12}),
                                {"head": [3, 400, "tail"]}, 29_000_000, {"2026-03-14": {b"12345678", b"abcdefgh"}})
    viewcount.save(tmp_path, counted)
    loaded, found = viewcount.load(tmp_path, counting=True)
    assert found == [] and loaded == counted
    for_build, _ = viewcount.load(tmp_path)
    assert for_build.seen == {} and for_build.pages == counted.pages  # a build leaves the digests packed
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["views.json"]


def test_no_file_is_an_empty_count_and_a_damaged_one_a_problem(tmp_path: Path) -> None:
    assert viewcount.load(tmp_path) == (viewcount.Counted(), [])
    path = tmp_path / viewcount.VIEWS_FILE
    path.parent.mkdir(parents=True)
    path.write_text('{"format": 1, "pages": {"a/": -3}}', encoding="utf-8")
    counted, found = viewcount.load(tmp_path)
    assert counted is None and [p.code for p in found] == ["views_damaged"]
    path.write_text("{khong phai json", encoding="utf-8")
    assert [p.code for p in viewcount.load(tmp_path)[1]] == ["views_damaged"]


def test_counted_views_add_to_the_posts_and_their_digests_at_old_addresses_too() -> None:
    a = post("a", views=100, aliases=("/tin-cu/a/", "cu.html"))
    b = post("b")
    counted = viewcount.Counted(pages=Counter({a.url: 5, "tin-cu/a/": 2, "cu.html": 50}))
    shown, digests = viewcount.apply(counted, [a, b], {a.source: "da", b.source: "db"})
    assert [p.views for p in shown] == [107, 0]  # an .html alias is not a page address
    assert digests[b.source] == "db" and digests[a.source] != "da"
    assert viewcount.apply(viewcount.Counted(), [a], {a.source: "da"}) == ([a], {a.source: "da"})
    assert viewcount.alias_address("/tin-cu/a") == "tin-cu/a/" and viewcount.alias_address("x.htm") == ""
