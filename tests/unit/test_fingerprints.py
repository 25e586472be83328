"""sitegen.incremental.fingerprints: equal fingerprints for equal pages, and only for those."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from sitegen import context
from sitegen.catalog import Catalog
from sitegen.incremental.fingerprints import ArticleKeys, Fingerprints, base_fingerprint, intact, templates_digest
from sitegen.incremental.state import Ledger, Memory
from tests.unit.site_parts import CFG, catalogue, post


def test_a_list_view_is_known_by_the_fields_it_shows_not_the_body() -> None:
    a = post("a", views=7)
    cat = catalogue(a)
    card, link = cat.cards([a])[0], cat.links([a])[0]
    edited = replace(a, body_html="<p>Thân bài khác</p>")
    assert Fingerprints("").of_item(card) == Fingerprints("").of_item(catalogue(edited).cards([edited])[0])
    assert Fingerprints("").of_item(card) != Fingerprints("").of_item(link)
    retitled = replace(a, title="Khác")
    assert Fingerprints("").of_item(card) != Fingerprints("").of_item(catalogue(retitled).cards([retitled])[0])


def test_views_are_left_out_of_list_views_when_no_template_shows_them() -> None:
    a = post("a", views=7)
    more = replace(a, views=8)
    card, card_more = catalogue(a).cards([a])[0], catalogue(more).cards([more])[0]
    assert Fingerprints("").of_item(card) != Fingerprints("").of_item(card_more)
    hidden = Fingerprints("", hide_list_views=True), Fingerprints("", hide_list_views=True)
    assert hidden[0].of_item(card) == hidden[1].of_item(card_more)


def test_a_whole_post_is_known_by_its_digest_and_views_are_remembered_by_it() -> None:
    a = post("a")
    views: dict[str, str] = {}
    prints = Fingerprints("", {a.source: "d1"}, views)
    assert prints.of_item(a) == "d1"
    prints.of_item(catalogue(a).links([a])[0])
    assert list(views) == ["Link:d1"]


def test_a_job_fingerprint_covers_base_template_out_and_context() -> None:
    a = post("a")
    cat = catalogue(a)
    job = context.article_job(CFG, cat, a)
    prints = Fingerprints("base", {a.source: "d1"})
    assert prints.of_job(job) == Fingerprints("base", {a.source: "d1"}).of_job(job)
    assert prints.of_job(job) != Fingerprints("other base", {a.source: "d1"}).of_job(job)
    assert prints.of_job(job) != Fingerprints("base", {a.source: "d2"}).of_job(job)
    assert prints.of_job(job) != prints.of_job(replace(job, out="khac/index.html"))
    assert base_fingerprint("t", {"x": 1}, prints) != base_fingerprint("t", {"x": 2}, prints)


def test_an_articles_fingerprint_is_its_cheap_key_made_without_its_variables() -> None:
    """An article is known by its post, the Links of "Các tin khác" and what every page shares: no build
    makes its variables to plan it, and the fingerprint is the same whether the job carries them or not."""
    a, b = post("a"), post("b", 2)
    cat = catalogue(a, b)

    def article_print(catalog: Catalog, digests: dict[str, str], base: str = "base", with_variables: bool = False,
                      memory: Memory | None = None) -> str:
        keys = ArticleKeys(Ledger(memory or Memory()), catalog, Fingerprints(base, digests))
        keys.note(a)
        job = context.article_job(CFG, catalog, a) if with_variables else \
            context.Job("article.html", context.out_path(a.url), None, a.source)
        return keys.fingerprint(job)

    value = article_print(cat, {a.source: "da", b.source: "db"})
    assert article_print(cat, {a.source: "da", b.source: "db"}, with_variables=True) == value
    assert article_print(cat, {a.source: "da", b.source: "db2"}) == value  # b's body is not on a's page
    assert article_print(cat, {a.source: "da2", b.source: "db"}) != value
    assert article_print(cat, {a.source: "da", b.source: "db"}, base="other") != value
    assert article_print(catalogue(a, replace(b, title="Bài b mới")), {a.source: "da", b.source: "db"}) != value
    older = Memory()  # a cache from a build that remembered articles' fingerprints under their key
    older.saved.articles[context.out_path(a.url)] = ("key", "value")
    article_print(cat, {a.source: "da", b.source: "db"}, memory=older)
    assert older.saved.articles == {}


def test_a_page_is_intact_only_with_its_size_and_mtime(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text("trang", encoding="utf-8")
    info = os.stat(page)
    record = ("f", info.st_size, info.st_mtime_ns, "own")
    assert intact(tmp_path, "a.html", record, "f") and intact(tmp_path, "a.html", record, "own", field=3)
    assert not intact(tmp_path, "a.html", record, "g") and not intact(tmp_path, "a.html", None, "f")
    os.utime(page, ns=(1, 1))
    assert not intact(tmp_path, "a.html", record, "f")
    assert not intact(tmp_path, "missing.html", record, "f")


def test_the_templates_digest_follows_every_template_file_and_the_config(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "templates" / "partials").mkdir(parents=True)
    first = templates_digest(site, b"title = 'a'")
    assert templates_digest(site, b"title = 'b'")[1] != first[1]
    (site / "templates" / "partials" / "footer.html").write_text("<footer/>", encoding="utf-8")
    second = templates_digest(site, b"title = 'a'", known=first)
    assert second[1] != first[1]
    assert templates_digest(site, b"title = 'a'", known=second) == second


def test_templates_whose_files_look_the_same_are_not_read_again(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "templates").mkdir(parents=True)
    page = site / "templates" / "article.html"
    page.write_text("{{ post.title }}", encoding="utf-8")
    looks, _ = templates_digest(site, b"")
    assert templates_digest(site, b"", known=(looks, "remembered")) == (looks, "remembered")
    page.write_text("{{ post.title }}!", encoding="utf-8")  # a new size: read again
    assert templates_digest(site, b"", known=(looks, "remembered"))[1] != "remembered"
    stamp = page.stat().st_mtime_ns
    page.write_text("{{ post.title }}?", encoding="utf-8")  # the same size, another mtime: read again
    os.utime(page, ns=(stamp + 1_000_000, stamp + 1_000_000))
    known = templates_digest(site, b"")
    assert templates_digest(site, b"", known=(known[0], "remembered")) == (known[0], "remembered")
    os.utime(page, ns=(stamp + 2_000_000, stamp + 2_000_000))
    assert templates_digest(site, b"", known=(known[0], "remembered"))[1] == known[1]
