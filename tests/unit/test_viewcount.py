"""sitegen.viewcount: counted views added to the posts, at their old addresses too."""

from __future__ import annotations

from collections import Counter

from sitegen import viewcount
from tests.unit.site_parts import post


def test_counted_views_add_to_the_posts_and_their_digests_at_old_addresses_too() -> None:
    a = post("a", views=100, aliases=("/tin-cu/a/", "cu.html"))
    b = post("b")
    counted = viewcount.Counted(pages=Counter({a.url: 5, "tin-cu/a/": 2, "cu.html": 50}))
    shown, digests = viewcount.apply(counted, [a, b], {a.source: "da", b.source: "db"})
    assert [p.views for p in shown] == [107, 0]  # an .html alias is not a page address
    assert digests[b.source] == "db" and digests[a.source] != "da"
    assert viewcount.apply(viewcount.Counted(), [a], {a.source: "da"}) == ([a], {a.source: "da"})
    assert viewcount.alias_address("/tin-cu/a") == "tin-cu/a/" and viewcount.alias_address("x.htm") == ""
