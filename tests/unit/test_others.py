"""sitegen.incremental.others: "Các tin khác" of each category rendered once per variant, and the change
each article needs from the last build's variant to this build's: the HTML a page shows in a full render."""

from __future__ import annotations

from pathlib import Path

import jinja2

from sitegen import catalog, context, templates
from sitegen.incremental import others
from sitegen.kinds import Post
from tests.unit.site_parts import CCHC, CFG, catalogue, post

ROOT = Path(__file__).resolve().parents[2]


def _shown(env: jinja2.Environment, cat: catalog.Catalog, item: Post) -> str:
    """What the article of `item` shows in a full render."""
    page = templates.render(env, "partials/others.html", {"others": cat.links(context.other_posts(cat, item))})[0]
    assert page is not None
    return page


def test_every_article_shows_the_html_of_its_variant() -> None:
    env = templates.make_env(ROOT, CFG)
    posts = [post(f"t{n}", days_ago=n + 1) for n in range(9)] + [post("c", category=CCHC)]
    cat = catalogue(*posts)
    variants = others.render(env, cat)
    assert variants is not None
    assert len([k for k in variants if k.startswith("tin-tuc")]) == context.OTHER_POSTS + 2
    assert variants[others.key(CCHC.key, posts[-1].source)] == ""  # its only post shows no list
    splicer = others.Splicer(cat, variants, variants)
    for item in posts:
        old, new = splicer.change(item.source) or ("?", "?")
        assert old == new == _shown(env, cat, item)


def test_a_new_post_changes_the_list_of_every_article_of_its_category() -> None:
    env = templates.make_env(ROOT, CFG)
    posts = [post(f"t{n}", days_ago=n + 2) for n in range(8)] + [post("c1", category=CCHC), post("c2", category=CCHC)]
    before, after = catalogue(*posts), catalogue(*posts, post("moi", days_ago=1))
    last, now = others.render(env, before), others.render(env, after)
    assert last is not None and now is not None
    splicer = others.Splicer(after, now, last)
    for item in posts:
        old, new = splicer.change(item.source) or ("?", "?")
        assert (old, new) == (_shown(env, before, item), _shown(env, after, item))
        assert (old == new) == (item.category == CCHC)


def test_an_article_that_showed_no_list_cannot_be_spliced() -> None:
    """Its page holds nothing to put the new list in place of: it is rendered."""
    env = templates.make_env(ROOT, CFG)
    alone = post("c1", category=CCHC)
    before, after = catalogue(alone), catalogue(alone, post("c2", category=CCHC))
    splicer = others.Splicer(after, others.render(env, after) or {}, others.render(env, before) or {})
    assert splicer.change(alone.source) is None
    assert others.Splicer(after, others.render(env, after) or {}, {}).change(alone.source) is None  # unknown
