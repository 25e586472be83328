"""sitegen.incremental.quiet: a command-line build with nothing to do does nothing, and only then."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson
import pytest

from sitegen import pipeline
from sitegen.incremental import listing, quiet
from tests.conftest import BUILD_EPOCH, post_text

SCHEDULED = "content/tin-tuc/sau.md"


def _site(make_site) -> Path:
    return make_site({"content/tin-tuc/a.md": post_text("Bài A", body="Xem [tệp](/tai-lieu/thieu.pdf)."),
                      "content/tin-tuc/b.md": post_text("Bài B", date="2024-03-16 09:00"),
                      SCHEDULED: post_text("Bài hẹn giờ", date="2030-01-01 08:00")})


def _build(site: Path, **options: object) -> pipeline.Result:
    return pipeline.run(pipeline.Options(site=site, output=site / "public", **options))  # type: ignore[arg-type]


@pytest.fixture
def quiet_builds(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each build since was a quiet one (the build itself never ran)."""
    seen: list[bool] = []
    build = pipeline._build

    def watched(*args: object) -> object:
        seen[-1] = False
        return build(*args)  # type: ignore[arg-type]

    def run(opts: pipeline.Options, memory: object = None) -> pipeline.Result:
        seen.append(True)
        return original(opts, memory)  # type: ignore[arg-type]

    original = pipeline.run
    monkeypatch.setattr(pipeline, "_build", watched)
    monkeypatch.setattr(pipeline, "run", run)
    return seen


def test_a_build_with_nothing_changed_does_nothing_and_says_the_same(make_site, quiet_builds) -> None:
    site = _site(make_site)
    first = pipeline.run(pipeline.Options(site=site, output=site / "public"))
    again = pipeline.run(pipeline.Options(site=site, output=site / "public"))
    assert quiet_builds == [False, True]
    assert again.pages == first.pages and again.stats is not None and first.stats is not None
    assert (again.stats.written, again.stats.unchanged) == (0, first.stats.written + first.stats.unchanged)
    assert [p.code for p in again.problems] == [p.code for p in first.problems] == ["missing_file"]
    assert again.next_due == first.next_due is not None


@pytest.mark.parametrize("change", ["source", "data", "template", "page removed", "killed commit", "options",
                                    "cache removed"])
def test_any_change_makes_an_ordinary_build(make_site, quiet_builds, change: str) -> None:
    site = _site(make_site)
    pipeline.run(pipeline.Options(site=site, output=site / "public"))
    before = {p.relative_to(site / "public").as_posix(): p.read_bytes() for p in (site / "public").rglob("*.html")}
    opts = pipeline.Options(site=site, output=site / "public", drafts=change == "options")
    if change == "source":
        with (site / "content/tin-tuc/b.md").open("a", encoding="utf-8") as handle:
            handle.write("\nThêm.\n")
    elif change == "data":
        (site / "data").mkdir(exist_ok=True)
        (site / "data/lien-ket.json").write_text("[]", encoding="utf-8")
    elif change == "template":
        (site / "templates").mkdir()
        (site / "templates/footer-note.html").write_text("x", encoding="utf-8")
    elif change == "page removed":
        next((site / "public/tin-tuc").rglob("index.html")).unlink()
    elif change == "killed commit":
        (site / "public/.sitegen-building").touch()
    elif change == "cache removed":
        shutil.rmtree(listing.cache_dir_for(site, site / "public"))
    pipeline.run(opts)
    assert quiet_builds == [False, False]
    after = {p.relative_to(site / "public").as_posix(): p.read_bytes() for p in (site / "public").rglob("*.html")}
    if change in ("page removed", "killed commit", "cache removed"):
        assert after == before


def test_a_scheduled_post_falling_due_makes_an_ordinary_build(make_site, quiet_builds,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(make_site)
    first = pipeline.run(pipeline.Options(site=site, output=site / "public"))
    assert first.next_due is not None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(first.next_due.timestamp())))
    pipeline.run(pipeline.Options(site=site, output=site / "public"))
    assert quiet_builds == [False, False]
    assert (site / "public/tin-tuc").is_dir() and "Bài hẹn giờ" in (site / "public/index.html").read_text("utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)  # a build time before the last build's: not quiet either
    pipeline.run(pipeline.Options(site=site, output=site / "public"))
    assert quiet_builds == [False, False, False]


def test_an_old_folder_vouches_for_its_files_and_a_new_one_lists_them(make_site, quiet_builds) -> None:
    site = _site(make_site)
    pipeline.run(pipeline.Options(site=site, output=site / "public"))
    old = (site / "public/index.html").stat().st_mtime_ns - 60_000_000_000
    for folder in [site / "public", *(p for p in (site / "public").rglob("*") if p.is_dir())]:
        os.utime(folder, ns=(old, old))
    with (site / "content/tin-tuc/b.md").open("a", encoding="utf-8") as handle:
        handle.write("\nThêm.\n")
    pipeline.run(pipeline.Options(site=site, output=site / "public"))
    pipeline.run(pipeline.Options(site=site, output=site / "public"))
    assert quiet_builds == [False, False, True]
    stamp = orjson.loads((listing.cache_dir_for(site, site / "public") / quiet.STAMP_FILE).read_bytes())
    assert "index.html" in stamp["files"]  # the output folder changed with the build: its files one by one
    untouched = [folder for folder in stamp["folders"] if (site / "public" / folder / "index.html").is_file()]
    assert untouched  # the folders the last build did not write into: one stat each
    (site / "public" / untouched[0] / "index.html").unlink()
    pipeline.run(pipeline.Options(site=site, output=site / "public"))
    assert quiet_builds[-1] is False and (site / "public" / untouched[0] / "index.html").is_file()


def test_serve_a_check_and_no_cache_keep_no_stamp(make_site) -> None:
    from sitegen import incremental

    site = _site(make_site)
    folder = listing.cache_dir_for(site, site / "public")
    pipeline.run(pipeline.Options(site=site, output=site / "public", check_only=True))
    pipeline.run(pipeline.Options(site=site, output=site / "public", use_cache=False))
    pipeline.run(pipeline.Options(site=site, output=site / "public"), incremental.Memory())
    assert not (folder / quiet.STAMP_FILE).exists()
    pipeline.run(pipeline.Options(site=site, output=site / "public"))
    assert (folder / quiet.STAMP_FILE).is_file()
