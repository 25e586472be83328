"""sitegen.context: which pages a site has and what each template gets, from a catalogue in memory."""

from __future__ import annotations

from collections import Counter
from dataclasses import fields

from sitegen import context
from sitegen.kinds import Card, Link, Post
from tests.unit.site_parts import CCHC, CFG, catalogue, page, post


def test_every_page_of_a_small_site_is_a_job_once() -> None:
    cat = catalogue(post("a", 1), post("b", 2), post("c", 3, CCHC, aliases=("tin-cu/c.html",)), page("gioi-thieu"))
    outs = [job.out for job in context.all_jobs(CFG, cat)]
    assert [out for out, n in Counter(outs).items() if n > 1] == []
    for wanted in ("index.html", "tin-tuc/2026/a/index.html", "cai-cach-hanh-chinh/2026/c/index.html",
                   "gioi-thieu/index.html", "tin-tuc/index.html", "tin-cu/c.html", "404.html", "robots.txt",
                   "sitemap.xml", "thong-ke/index.html", "archive/2026/index.html"):
        assert wanted in outs, wanted


def test_listings_are_paginated_by_per_page() -> None:
    cat = catalogue(post("a", 1), post("b", 2), post("c", 3))  # per_page 2: two pages of Tin tức
    listings = [job for job in context.all_jobs(CFG, cat) if job.template == "list.html"
                and job.out.startswith("tin-tuc/")]
    assert len(listings) == 2
    first, second = (job.with_context().context for job in listings)
    assert [c.source for c in first["listing"]["posts"]] == [post("a").source, post("b").source]
    assert [c.source for c in second["listing"]["posts"]] == [post("c").source]
    assert first["listing"]["next_url"] == second["page"]["url"] and second["listing"]["prev_url"] == "tin-tuc/"


def test_listings_show_cards_and_shared_lists_show_links_never_whole_posts() -> None:
    cat = catalogue(post("a", 1), post("b", 2), page("gioi-thieu"))
    shared = context.common(CFG, cat, {})
    assert all(isinstance(item, Link) for name in ("latest", "most_viewed", "pages") for item in shared[name])
    for job in context.all_jobs(CFG, cat):
        values = job.with_context().context
        if job.template == "list.html":
            assert all(isinstance(card, Card) for card in values["listing"]["posts"])
        if job.template == "index.html":
            assert all(isinstance(card, Card) for card in values["home_posts"])


def test_articles_come_without_their_variables_when_asked() -> None:
    a, b = post("a", 1), post("b", 2)
    for article_variables in (True, False):
        jobs = context.all_jobs(CFG, catalogue(a, b), article_variables)
        articles = {job.source: job for job in jobs if job.template == "article.html"}
        assert set(articles) == {a.source, b.source}
        if article_variables:
            assert articles[b.source].context is not None and articles[b.source].context["post"] == b
        else:
            assert all(job.context is None and job.make is None for job in articles.values())
        assert [(job.template, job.out) for job in jobs] == \
            [(job.template, job.out) for job in context.all_jobs(CFG, catalogue(a, b))]


def test_other_posts_are_the_newest_of_the_category_without_the_post_itself() -> None:
    posts = [post(f"p{n}", n) for n in range(1, 9)]
    cat = catalogue(*posts, post("khac", 1, CCHC))
    others = context.other_posts(cat, posts[2])
    assert [p.slug for p in others] == ["p1", "p2", "p4", "p5", "p6"]
    assert len(context.other_posts(cat, posts[7])) == context.OTHER_POSTS


def test_own_jobs_are_the_article_and_its_redirects() -> None:
    item = post("a", aliases=("cu/a/", "a.htm"))
    jobs = context.own_jobs(CFG, catalogue(item), item)
    assert [(job.template, job.out) for job in jobs] == [
        ("article.html", "tin-tuc/2026/a/index.html"), ("redirect.html", "cu/a/index.html"),
        ("redirect.html", "a.htm")]
    assert all(isinstance(job.context["post"], Post) for job in jobs)


def test_extra_pages_are_listed_in_the_sitemap() -> None:
    extra = [context.Job("list.html", "van-ban/index.html", {}, "content/van-ban")]
    sitemap = next(job for job in context.all_jobs(CFG, catalogue(post("a")), extra=extra)
                   if job.out == "sitemap.xml")
    locs = [entry["loc"] for entry in sitemap.with_context().context["entries"]]
    assert "https://tanhoa.example/van-ban/" in locs and "https://tanhoa.example/tin-tuc/2026/a/" in locs


def test_out_path_and_share_image() -> None:
    assert context.out_path("tin-tuc/") == "tin-tuc/index.html"
    assert context.out_path("") == "index.html" and context.out_path("404.html") == "404.html"
    body_only = post("a", local_refs=(("/anh/b.pdf", 3), ("/anh/c.JPG", 4)))
    assert context.share_image(body_only) == "/anh/c.JPG"
    assert context.share_image(post("b", image="/anh/bia.png")) == "/anh/bia.png"


def test_a_job_given_a_maker_keeps_every_other_field() -> None:
    job = context.Job("list.html", "tin-tuc/index.html", None, "site.toml", None, ("category", "Tin tức"))
    later = job.made_by(lambda: {"listing": "made"})
    assert {f.name: getattr(later, f.name) for f in fields(job) if f.name != "make"} == \
        {f.name: getattr(job, f.name) for f in fields(job) if f.name != "make"}
    assert later.with_context().context == {"listing": "made"}
