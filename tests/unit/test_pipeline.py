"""sitegen.pipeline: the build's own decisions (where output may go, which files are published, which
links lead nowhere, which posts clash) and `run` end to end on a small site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitegen import pipeline
from tests.conftest import post_text, snapshot
from tests.unit.site_parts import post

ROOT = Path(__file__).resolve().parents[2]


def test_an_output_inside_the_sources_is_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for inside, folder in ((site / "content" / "out", "content"), (site / "data", "data"), (site, ".")):
        found = pipeline.output_problems(pipeline.Options(site=site, output=inside))
        assert [(p.code, dict(p.args)["folder"]) for p in found] == [("output_inside_source", folder)]
    assert pipeline.output_problems(pipeline.Options(site=site, output=site / "public")) == []


def test_posts_on_one_url_are_both_reported() -> None:
    a, b = post("a"), post("a")
    b = type(b)(**{**{f: getattr(b, f) for f in b.__dataclass_fields__}, "source": "content/tin-tuc/khac.md"})
    found = pipeline.duplicate_urls([a, b, post("c")])
    assert sorted(p.path for p in found) == ["content/tin-tuc/a.md", "content/tin-tuc/khac.md"]


def test_a_check_writes_nothing_and_a_build_writes_everything(make_site) -> None:
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A", body="[tệp](/thieu.pdf)")})
    checked = pipeline.run(pipeline.Options(site=site, output=site / "public", check_only=True))
    assert not (site / "public").exists() and checked.stats is None
    assert [p.code for p in checked.problems] == ["missing_file"]
    built = pipeline.run(pipeline.Options(site=site, output=site / "public"))
    files = snapshot(site / "public")
    assert built.pages == len([name for name in files if not name.startswith(".")])
    index = [name for name in files if name.startswith("pagefind/")]  # a check makes no search index
    assert index and checked.pages == built.pages - len(index)
    assert "feed.xml" in files and "tin-tuc/index.html" in files


def test_a_failed_build_leaves_the_last_output_as_it_was(make_site) -> None:
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A")})
    pipeline.run(pipeline.Options(site=site, output=site / "public"))
    before = snapshot(site / "public")
    (site / "content/tin-tuc/b.md").write_text(post_text("Bài B", date="32/13/2024"), encoding="utf-8")
    result = pipeline.run(pipeline.Options(site=site, output=site / "public"))
    assert result.problems.failed() and result.stats is None
    assert snapshot(site / "public") == before


def test_an_output_that_is_a_file_is_refused(make_site) -> None:
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A")})
    (site / "out").write_text("không phải thư mục", encoding="utf-8")
    result = pipeline.run(pipeline.Options(site=site, output=site / "out"))
    assert [p.code for p in result.problems] == ["output_not_folder"]


# forking workers; counting views from logs; a province's build
UNUSED_BY_AN_EDIT = ("multiprocessing", "crawleruseragents", "sitegen.province")


def test_a_small_build_imports_only_what_it_uses(make_site) -> None:
    """A single site's build of a few pages from the command line, a post's body edited, runs in one
    process and counts no views from logs: it does not pay for importing the modules those need (a new
    process each time)."""
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A")})
    script = ("import sys\nfrom sitegen import cli\ncode = cli.main(['build', '--site', sys.argv[1]])\n"
              "print(code, *sorted(name for name in sys.argv[2:] if name in sys.modules))")
    for body in ("Nội dung đầu.", "Nội dung đã sửa."):
        (site / "content/tin-tuc/a.md").write_text(post_text("Bài A", body=body), encoding="utf-8")
        ran = subprocess.run([sys.executable, "-c", script, str(site), *UNUSED_BY_AN_EDIT], cwd=ROOT,
                             capture_output=True, text=True, check=False)
        assert ran.stdout.splitlines()[-1].split() == ["0"], ran.stderr


def test_the_search_starts_before_the_plan_only_when_no_index_is_kept(make_site, monkeypatch) -> None:
    """A first or --no-cache build hands Pagefind its records while the pages are planned; a build with an
    index kept starts the search after the plan (whose stats its thread would slow)."""
    from sitegen import incremental, search

    order: list[str] = []
    start, plan = search.start, incremental.Work.plan
    monkeypatch.setattr(search, "start", lambda *args: order.append("search") or start(*args))
    monkeypatch.setattr(incremental.Work, "plan", lambda *args, **kw: order.append("plan") or plan(*args, **kw))
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A")})
    out = site / "public"

    def build(**options) -> list[str]:
        order.clear()
        assert pipeline.run(pipeline.Options(site=site, output=out, **options)).stats is not None
        return list(order)

    assert build(use_cache=False) == ["search", "plan"]
    assert build() == ["search", "plan"]  # the first build with the cache: nothing kept yet
    (site / "content/tin-tuc/a.md").write_text(post_text("Bài A", body="Nội dung mới."), encoding="utf-8")
    assert build() == ["plan", "search"]
    assert build(use_cache=False) == ["search", "plan"]


def test_a_build_freezes_what_it_read_and_planned_and_thaws_it_at_its_end(make_site, monkeypatch) -> None:
    """The cache, the catalogue and the plan are left out of the cyclic collector's passes while the pages
    render (store.settled), and are the collector's again once the build ends, even when it fails."""
    import gc

    from sitegen import incremental

    frozen: list[int] = []
    render = incremental.Work.render

    def rendering(self, *args, **kwargs):
        frozen.append(gc.get_freeze_count())
        return render(self, *args, **kwargs)

    monkeypatch.setattr(incremental.Work, "render", rendering)
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A")})
    options = pipeline.Options(site=site, output=site / "public")
    assert pipeline.run(options).stats is not None
    (site / "content/tin-tuc/b.md").write_text(post_text("Bài B", "2024-03-02 09:00"), encoding="utf-8")
    assert pipeline.run(options).stats is not None
    assert len(frozen) == 2 and min(frozen) > 10_000 and gc.get_freeze_count() == 0

    def failing(self, *args, **kwargs):
        raise RuntimeError("hỏng giữa chừng")

    monkeypatch.setattr(incremental.Work, "render", failing)
    (site / "content/tin-tuc/c.md").write_text(post_text("Bài C", "2024-03-03 09:00"), encoding="utf-8")
    with pytest.raises(RuntimeError):
        pipeline.run(options)
    assert gc.get_freeze_count() == 0
