"""sitegen.incremental.narrow: a command-line build where a few posts' bodies changed renders their own pages
alone from the last build's index; anything else takes the full build, and the output is always a cold
build's."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from sitegen import pipeline
from sitegen.incremental import narrow
from sitegen.kinds import Post
from tests.test_incremental import (
    KIEM_TRA,
    TONG_KET,
    _append,
    _matches_cold,
    _replace,
    sequence_site,
)

ARTICLE = "cai-cach-hanh-chinh/2021/tong-ket-cai-cach-hanh-chinh-nam-2021/index.html"
ROOT = Path(__file__).resolve().parents[2]
# The full build's own stages and the planner: a body edit's narrow build, a process of its own, never loads them.
FULL_BUILD_ONLY = ("sitegen.data", "sitegen.feeds", "sitegen.portal", "sitegen.staticfiles", "sitegen.traffic",
                   "sitegen.viewcount", "sitegen.incremental.planning", "sitegen.incremental.session",
                   "sitegen.render", "sitegen.template_use", "multiprocessing",
                   "sitegen.pagefind", "sitegen.pagefind_files", "cbor2", "subprocess")


def test_the_digest_of_what_other_pages_show_leaves_out_only_the_body_and_its_links() -> None:
    post = Post(source="content/a/b.md", url="a/2024/b/", body_html="<p>Một</p>", title="Tiêu đề", date=None,
                category=None, summary="Tóm tắt")
    assert narrow.shape(replace(post, body_html="<p>Hai</p>", local_refs=(("/x.pdf", 3),))) == narrow.shape(post)
    for change in ({"title": "Khác"}, {"summary": "Khác"}, {"views": 5}, {"image_width": 640}, {"tags": ("A",)},
                   {"aliases": ("/cu/",)}, {"search": False}):
        assert narrow.shape(replace(post, **change)) != narrow.shape(post), change


def _build(site: Path) -> pipeline.Result:
    result = pipeline.run(pipeline.Options(site=site, output=site / "public"))
    assert not result.problems.failed(), result.problems.sorted()
    return result


@pytest.fixture
def site(tmp_path: Path) -> Path:
    made = sequence_site(tmp_path)
    _build(made)
    return made


def _index(site: Path) -> Path:
    return narrow.index_path(site / ".sitegen-cache/public")


def test_a_body_edit_renders_the_posts_own_pages_alone_as_a_cold_build_would(site: Path, tmp_path: Path) -> None:
    _append(site, TONG_KET, "\nMột đoạn mới ở cuối bài.\n")
    result = _build(site)
    assert result.narrow and result.compiled == 1
    assert set(result.stats.paths) == {ARTICLE}  # the redirect page shows nothing of the body
    assert "Một đoạn mới ở cuối bài." in (site / "public" / ARTICLE).read_text(encoding="utf-8")
    assert _matches_cold(site, tmp_path / "cold")
    assert _build(site).stats.written == 0  # then nothing to do: the stamp was written again


def test_a_front_matter_edit_takes_the_full_build(site: Path, tmp_path: Path) -> None:
    _replace(site, TONG_KET, "title: Tổng kết", "title: Báo cáo tổng kết")
    assert not _build(site).narrow
    assert _matches_cold(site, tmp_path / "cold")


def test_an_edit_of_the_first_paragraph_changes_the_listings_summary_through_the_full_build(
        site: Path, tmp_path: Path) -> None:
    _replace(site, TONG_KET, "Văn bản này quy định", "Báo cáo này tổng kết")
    assert not _build(site).narrow
    listings = b"".join(p.read_bytes() for p in (site / "public/cai-cach-hanh-chinh").rglob("index.html"))
    assert "Báo cáo này tổng kết".encode() in listings  # the card's summary, the first paragraph
    assert _matches_cold(site, tmp_path / "cold")


def test_a_post_shown_in_a_feed_takes_the_full_build(site: Path, tmp_path: Path) -> None:
    _append(site, KIEM_TRA, "\nĐoạn bổ sung cho bản tin.\n")
    assert not _build(site).narrow
    assert "Đoạn bổ sung cho bản tin." in (site / "public/cai-cach-hanh-chinh/feed.xml").read_text(encoding="utf-8")
    assert _matches_cold(site, tmp_path / "cold")


def test_a_post_with_a_warning_is_reported_by_the_full_build_every_time(site: Path, tmp_path: Path) -> None:
    _append(site, TONG_KET, "\nXem [phụ lục](/tep/khong-co.pdf).\n")
    result = _build(site)
    assert not result.narrow and [p.code for p in result.problems] == ["missing_file"]
    assert [p.code for p in _build(site).problems] == ["missing_file"]  # nothing changed: said again
    _append(site, TONG_KET, "\nThêm một dòng.\n")
    result = _build(site)
    assert not result.narrow and [p.code for p in result.problems] == ["missing_file"]
    _replace(site, TONG_KET, "(/tep/khong-co.pdf)", "(/gioi-thieu/)")
    result = _build(site)
    assert not result.narrow and not result.problems
    _append(site, TONG_KET, "\nDòng cuối.\n")
    result = _build(site)
    assert result.narrow and not result.problems
    assert not _build(site).problems
    assert _matches_cold(site, tmp_path / "cold")


def test_a_body_edit_beside_another_changed_file_takes_the_full_build(site: Path, tmp_path: Path) -> None:
    _append(site, TONG_KET, "\nMột đoạn mới.\n")
    (site / "content/images/them.png").write_bytes((site / "content/images/logo.png").read_bytes())
    assert not _build(site).narrow
    assert _matches_cold(site, tmp_path / "cold")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty tables", "foreign owner", "writable by others",
                                    "forged values", "missing"])
def test_a_damaged_or_foreign_index_is_ignored(site: Path, tmp_path: Path, damage: str) -> None:
    index = _index(site)
    assert index.is_file() and index.stat().st_mode & 0o077 == 0
    if damage == "garbage":
        index.write_bytes(os.urandom(8192))
    elif damage == "truncated":
        index.write_bytes(index.read_bytes()[:2048])
    elif damage == "empty tables":
        with sqlite3.connect(index) as db:
            db.execute("DELETE FROM meta")
            db.execute("DELETE FROM posts")
        db.close()
    elif damage == "foreign owner":
        if os.getuid() != 0:
            pytest.skip("only root can give a file away")
        os.chown(index, 12345, 12345)
    elif damage == "writable by others":
        index.chmod(0o666)
    elif damage == "forged values":
        with sqlite3.connect(index) as db:
            db.execute("UPDATE meta SET value = ? WHERE name = 'kept'", (b"\x80\x05not a pickle",))
        db.close()
    else:
        index.unlink()
    _append(site, TONG_KET, "\nMột đoạn mới.\n")
    assert not _build(site).narrow
    assert _matches_cold(site, tmp_path / "cold")
    _append(site, TONG_KET, "\nĐoạn thứ hai.\n")  # the full build kept a sound index again
    assert _build(site).narrow
    assert _matches_cold(site, tmp_path / "cold2")


def test_no_cache_and_check_never_take_it(site: Path, tmp_path: Path) -> None:
    _append(site, TONG_KET, "\nMột đoạn mới.\n")
    check = pipeline.run(pipeline.Options(site=site, output=site / "public", check_only=True))
    assert not check.narrow and not check.problems.failed()
    cold = pipeline.run(pipeline.Options(site=site, output=tmp_path / "cold", use_cache=False))
    assert not cold.narrow
    assert _build(site).narrow
    assert _matches_cold(site, tmp_path / "cold")


def test_a_body_edit_from_the_command_line_loads_none_of_the_full_builds_stages(site: Path, tmp_path: Path) -> None:
    _append(site, TONG_KET, "\nMột đoạn mới ở cuối bài.\n")
    script = ("import sys\nfrom sitegen import pipeline\nfrom pathlib import Path\n"
              "result = pipeline.run(pipeline.Options(site=Path(sys.argv[1]), output=Path(sys.argv[1]) / 'public'))\n"
              "print(result.narrow, *sorted(name for name in sys.argv[2:] if name in sys.modules))")
    ran = subprocess.run([sys.executable, "-c", script, str(site), *FULL_BUILD_ONLY], cwd=ROOT, capture_output=True,
                         text=True, check=False)
    assert ran.stdout.split() == ["True"], ran.stderr
    assert _matches_cold(site, tmp_path / "cold")


def test_build_py_gives_the_same_pages_and_exit_code_after_a_body_edit(site: Path, tmp_path: Path) -> None:
    """The program build.py runs (cli.program) ends as `main` does: its summary printed, its output whole."""
    _append(site, TONG_KET, "\nMột đoạn mới ở cuối bài.\n")
    ran = subprocess.run([sys.executable, str(ROOT / "build.py"), "--site", str(site)], capture_output=True,
                         text=True, check=False)
    assert ran.returncode == 0 and "1 ghi mới" in ran.stdout, ran.stderr
    assert "Một đoạn mới ở cuối bài." in (site / "public" / ARTICLE).read_text(encoding="utf-8")
    assert _matches_cold(site, tmp_path / "cold")
