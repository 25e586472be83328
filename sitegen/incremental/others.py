""""Các tin khác" spliced like the shared partials: rendered once per category, put into its articles.

An article shows its category's newest posts, itself left out
(context.other_posts). Every article of a category that is not among its
newest OTHER_POSTS + 1 shows the same list, the newest OTHER_POSTS; each of
those newest shows the others of them. So a category has at most
OTHER_POSTS + 2 different lists, its variants: "" for the common one and a
post's source for each of the newest. Each variant's HTML is rendered once
from partials/others.html (template_use.others_apart says when that HTML is
what every article with that list shows), and an article whose own fingerprint
is unchanged gets its new HTML in place of its old one, as the sidebar does.
"""

from __future__ import annotations

import jinja2

from sitegen import catalog, context, template_use, templates

Variants = dict[str, str]  # "<category>\x00<source or ''>" -> HTML of partials/others.html


def key(category: str, source: str = "") -> str:
    return f"{category}\x00{source}"


def render(env: jinja2.Environment, cat: catalog.Catalog) -> Variants | None:
    """The HTML of every variant of every category; None when one cannot be rendered apart (the pages are
    then rendered whole, and report the error)."""
    found: Variants = {}
    limit = context.OTHER_POSTS
    for category, posts in cat.by_category.items():
        newest = posts[: limit + 1]
        lists = {key(category): newest[:limit]}
        lists.update((key(category, post.source), [p for p in newest if p is not post][:limit]) for post in newest)
        for name, shown in lists.items():
            html, problems = templates.render(env, template_use.OTHERS_PARTIAL, {template_use.OTHERS: cat.links(shown)})
            if html is None or problems:
                return None
            found[name] = html
    return found


class Splicer:
    """The change of "Các tin khác" each article needs, from the last build's variants to this build's."""

    def __init__(self, cat: catalog.Catalog, now: Variants, last: Variants) -> None:
        self.cat, self.now, self.last = cat, now, last
        self._categories: dict[str, str] | None = None

    def change(self, source: str) -> tuple[str, str] | None:
        """(old HTML, new HTML) for the article of `source`, whose own fingerprint is the last build's (so is
        its category); None when it cannot be spliced: the last build did not render its variant, or
        its page shows no list yet (an empty one leaves nothing to replace)."""
        if self._categories is None:
            self._categories = {post.source: post.category.key for post in self.cat.posts if post.category}
        category = self._categories.get(source)
        if category is None:
            return None
        old = self.last.get(key(category, source), self.last.get(key(category)))
        new = self.now.get(key(category, source), self.now.get(key(category)))
        if old is None or new is None or (not old and new):
            return None
        return old, new
