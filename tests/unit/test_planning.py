"""sitegen.incremental.planning: which pages are kept, spliced or rendered, decided from the last build's
records. The only disk it looks at is whether a page to keep is still the file recorded."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from sitegen import context
from sitegen.hashing import digest
from sitegen.incremental.fingerprints import ArticleKeys, Fingerprints
from sitegen.incremental.planning import Ground, Plan, fragments_key, full_plan, layout_key, plan_unchanged
from sitegen.incremental.state import Ledger, Memory, Saved
from sitegen.kinds import Post
from tests.unit.site_parts import CFG, catalogue, post

FRAGMENTS = {"sidebar.html": "<aside>Tin mới nhất</aside>"}


def _digests(*posts: Post) -> dict[str, str]:
    """What compiling gives: a digest standing for the whole post (its bytes, in a build)."""
    return {p.source: digest(repr(p)) for p in posts}


def _plan(posts: list[Post], saved: Saved, out: Path, fragments: dict[str, str] = FRAGMENTS,
          remember: bool = True, copies: dict[str, Path] | None = None) -> Plan:
    cat = catalogue(*posts)
    ledger = Ledger(Memory(saved, remember=remember))
    prints = Fingerprints("base", _digests(*posts), saved.views)
    ground = Ground(CFG, cat, saved, remember, out, copies or {}, out.parent)
    return full_plan(ground, ArticleKeys(ledger, cat, prints),
                     lambda: context.all_jobs(CFG, cat, False), fragments)


def _write(out: Path, plan: Plan, saved: Saved, fragments: dict[str, str] = FRAGMENTS) -> None:
    """What a build does after rendering: the files, and their records."""
    for job in plan.jobs + list(plan.splices.values()):
        path = out / job.out
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"page {job.out} {fragments}", encoding="utf-8")
    for rel, (whole, own) in plan.fingerprints.items():
        info = os.stat(out / rel)
        saved.pages[rel] = (whole, info.st_size, info.st_mtime_ns, own)
    saved.fragments = dict(fragments)


def test_without_memory_every_page_is_rendered_and_nothing_fingerprinted(tmp_path: Path) -> None:
    plan = _plan([post("a"), post("b")], Saved(), tmp_path / "out", remember=False)
    assert plan.kept == [] and plan.splices == {} and len(plan.jobs) == len(plan.fingerprints) > 5
    assert set(plan.fingerprints.values()) == {("", "")}
    # no fingerprint needs a page's variables: the worker that renders a page makes them
    articles = [job for job in plan.jobs if job.template == context.ARTICLE]
    assert len(articles) == 2 and all(job.context is None for job in articles)
    assert all(job.with_context().context is not None for job in plan.jobs)
    assert articles[0].with_context().context["post"].source == articles[0].source


def test_a_static_file_in_a_pages_place_is_a_problem_named_by_its_path(tmp_path: Path) -> None:
    copies = {"tin-tuc/index.html": tmp_path / "content/tin-tuc/index.html"}
    plan = _plan([post("a")], Saved(), tmp_path / "out", copies=copies)
    assert [(p.code, dict(p.args)["other"]) for p in plan.problems] == [("duplicate_url", "content/tin-tuc/index.html")]
    assert "tin-tuc/index.html" not in plan.fingerprints


def test_pages_written_under_their_fingerprint_are_kept(tmp_path: Path) -> None:
    out, saved, posts = tmp_path / "out", Saved(), [post("a"), post("b", 2)]
    first = _plan(posts, saved, out)
    assert first.kept == [] and len(first.jobs) == len(first.fingerprints)
    _write(out, first, saved)
    again = _plan(posts, saved, out)
    assert again.jobs == [] and sorted(again.kept) == sorted(first.fingerprints)
    assert again.fingerprints == first.fingerprints


def test_a_touched_file_is_rendered_again(tmp_path: Path) -> None:
    out, saved, posts = tmp_path / "out", Saved(), [post("a")]
    _write(out, _plan(posts, saved, out), saved)
    (out / "404.html").write_text("sửa tay", encoding="utf-8")
    again = _plan(posts, saved, out)
    assert [job.out for job in again.jobs] == ["404.html"]


def test_new_shared_partials_are_spliced_into_untouched_pages(tmp_path: Path) -> None:
    out, saved, posts = tmp_path / "out", Saved(), [post("a"), post("b", 2)]
    _write(out, _plan(posts, saved, out), saved)
    newer = {"sidebar.html": "<aside>Tin mới nhất: bài c</aside>"}
    plan = _plan(posts, saved, out, fragments=newer)
    assert plan.jobs == [] and plan.kept == [] and sorted(plan.splices) == sorted(plan.fingerprints)
    renamed = _plan(posts, saved, out, fragments={"footer.html": "<footer/>"})  # other partials: no splice
    assert renamed.splices == {} and len(renamed.jobs) == len(renamed.fingerprints)


def test_pages_to_splice_are_left_for_the_splice_to_look_at(tmp_path: Path, monkeypatch) -> None:
    """A new post changes every page's sidebar: the plan stats none of them (thousands of calls on a large
    site), since the splice reads a page only if it has its recorded size and mtime. A page touched since
    is planned as a splice all the same; the splice renders it (tests/test_incremental.py)."""
    out, saved, posts = tmp_path / "out", Saved(), [post("a"), post("b", 2)]
    _write(out, _plan(posts, saved, out), saved)
    (out / "404.html").write_text("sửa tay", encoding="utf-8")
    looked: list[str] = []
    real_stat = os.stat

    def stat(path: str | Path, *args, **kwargs) -> os.stat_result:
        looked.append(os.fspath(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    plan = _plan(posts, saved, out, fragments={"sidebar.html": "<aside>Tin mới nhất: bài c</aside>"})
    assert looked == []
    assert plan.jobs == [] and "404.html" in plan.splices and sorted(plan.splices) == sorted(plan.fingerprints)


def test_a_post_whose_listing_fields_change_renders_its_listings(tmp_path: Path) -> None:
    out, saved = tmp_path / "out", Saved()
    a, b = post("a"), post("b", 2)
    _write(out, _plan([a, b], saved, out), saved)
    plan = _plan([replace(a, title="Tiêu đề mới"), b], saved, out)
    rendered = {job.out for job in plan.jobs}
    assert {"tin-tuc/2026/a/index.html", "tin-tuc/index.html", "index.html"} <= rendered
    assert "cai-cach-hanh-chinh/index.html" not in rendered


def _ground(posts: list[Post], saved: Saved, out: Path) -> tuple[Ground, ArticleKeys, Fingerprints]:
    cat = catalogue(*posts)
    prints = Fingerprints("base", _digests(*posts), saved.views)
    return Ground(CFG, cat, saved, True, out, {}, out.parent), ArticleKeys(Ledger(Memory(saved)), cat, prints), prints


def _jobs(ground: Ground):
    return lambda: context.all_jobs(CFG, ground.cat, False)


def _built_then_edited(tmp_path: Path) -> tuple[Path, Saved, Post, Post]:
    """Two posts built and saved, then the first one's body edited: (out, saved, edited, the other)."""
    out, saved = tmp_path / "out", Saved()
    a, b = post("a"), post("b", 2)
    _write(out, _plan([a, b], saved, out), saved)
    ground, _, prints = _ground([a, b], saved, out)
    saved.layout_key = layout_key(ground.cat, prints, {}, "")
    saved.post_digests = set(_digests(a, b).values())
    edited = replace(a, body_html="<p>Thân bài đã sửa</p>")
    return out, saved, edited, b


def test_a_body_edit_plans_only_the_posts_own_pages(tmp_path: Path) -> None:
    out, saved, edited, b = _built_then_edited(tmp_path)
    ground, keys, prints = _ground([edited, b], saved, out)
    layout = layout_key(ground.cat, prints, {}, "")
    assert layout == saved.layout_key  # the body is on no listing
    plan = plan_unchanged(ground, keys, _digests(edited, b), layout, FRAGMENTS, _jobs(ground))
    assert plan is not None and plan.layout_kept
    assert [job.out for job in plan.jobs] == ["tin-tuc/2026/a/index.html"]
    assert "tin-tuc/2026/b/index.html" in plan.kept and "index.html" in plan.kept
    assert plan_unchanged(ground, keys, _digests(edited, b), "another layout", FRAGMENTS, _jobs(ground)) is None
    (out / "index.html").unlink()  # a page gone behind the build's back: only the full plan finds it
    assert plan_unchanged(ground, keys, _digests(edited, b), layout, FRAGMENTS, _jobs(ground)) is None


def test_new_partials_with_an_unchanged_layout_are_spliced_from_the_records(tmp_path: Path) -> None:
    out, saved, edited, b = _built_then_edited(tmp_path)
    ground, keys, _ = _ground([edited, b], saved, out)
    new = {"sidebar.html": "<aside>Tin mới nhất, lượt xem mới</aside>"}
    plan = plan_unchanged(ground, keys, _digests(edited, b), saved.layout_key, new, _jobs(ground))
    assert plan is not None and plan.layout_kept and plan.kept == []
    assert [job.out for job in plan.jobs] == ["tin-tuc/2026/a/index.html"]
    assert "tin-tuc/2026/a/index.html" not in plan.splices and plan.splices["index.html"] is None
    own = saved.pages["index.html"][3]
    assert plan.fingerprints["index.html"] == (digest(own, fragments_key(new)), own)
    job = plan.job_of("index.html")  # made only if a splice cannot be done
    assert job.out == "index.html" and job.context is not None
    renamed = {"other.html": "<aside></aside>"}
    assert plan_unchanged(ground, keys, _digests(edited, b), saved.layout_key, renamed, _jobs(ground)) is None


def test_a_splice_that_cannot_be_done_gets_its_articles_variables_only_when_rendered(tmp_path: Path) -> None:
    """The jobs of spliced pages are listed only if a splice fails, and an article's variables are then made
    for that article alone, where it is rendered."""
    out, saved, edited, b = _built_then_edited(tmp_path)
    ground, keys, _ = _ground([edited, b], saved, out)
    new = {"sidebar.html": "<aside>Tin mới nhất, lượt xem mới</aside>"}
    plan = plan_unchanged(ground, keys, _digests(edited, b), saved.layout_key, new, _jobs(ground))
    assert plan is not None and plan.splices[context.out_path(b.url)] is None
    job = plan.job_of(context.out_path(b.url))
    assert job.template == context.ARTICLE and job.context is None and job.make is not None
    assert job.with_context().context["post"].source == b.source


def test_the_layout_key_follows_what_listings_show(tmp_path: Path) -> None:
    a, b = post("a"), post("b", 2)
    ground, _, prints = _ground([a, b], Saved(), tmp_path)
    base = layout_key(ground.cat, prints, {}, "")
    assert layout_key(ground.cat, prints, {"anh/x.png": tmp_path}, "") != base
    assert layout_key(ground.cat, prints, {}, "documents") != base
    for changed in (replace(a, title="Khác"), replace(a, aliases=("cu/",)), replace(a, summary="Khác")):
        other, _, other_prints = _ground([changed, b], Saved(), tmp_path)
        assert layout_key(other.cat, other_prints, {}, "") != base
