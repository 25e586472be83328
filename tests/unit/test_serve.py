"""sitegen.serve: the preview serves the output as a static server would, and sees every edit."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from sitegen import pipeline, serve, writer


def _output(tmp_path: Path) -> Path:
    out = tmp_path / "public"
    (out / "tin-tuc").mkdir(parents=True)
    (out / "tin-tuc" / "index.html").write_text("<p>Tin tức</p>", encoding="utf-8")
    (out / "404.html").write_text("<p>Không tìm thấy</p>", encoding="utf-8")
    (out / "feed.json").write_text("{}", encoding="utf-8")
    (out / writer.MANIFEST).write_text("[]", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("bí mật", encoding="utf-8")
    return out


def test_folders_serve_their_index_and_ask_for_the_slash(tmp_path: Path) -> None:
    out = _output(tmp_path)
    assert serve.serve_file(out, "/tin-tuc/")[::2] == ("200 OK", "<p>Tin tức</p>".encode())
    status, headers, _ = serve.serve_file(out, "/tin-tuc", "/xa/")
    assert status.startswith("301") and ("Location", "/xa/tin-tuc/") in headers
    assert ("Content-Type", "application/json; charset=utf-8") in serve.serve_file(out, "/feed.json")[1]


def test_nothing_outside_the_output_or_of_the_writer_is_served(tmp_path: Path) -> None:
    out = _output(tmp_path)
    for path in ("/../secret.txt", "/tin-tuc/../../secret.txt", f"/{writer.MANIFEST}", "/a\x00b", "/a\\..\\b",
                 "/" + "x" * 300, "/khong-co/"):
        status, _, body = serve.serve_file(out, path)
        assert status.startswith("404") and body == "<p>Không tìm thấy</p>".encode(), path
    os.symlink(tmp_path / "secret.txt", out / "link.txt")
    assert serve.serve_file(out, "/link.txt")[0].startswith("404")


def test_the_watched_state_changes_with_any_edit_addition_or_removal(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content" / "tin-tuc").mkdir(parents=True)
    (site / "site.toml").write_text("title = 'x'", encoding="utf-8")
    post = site / "content" / "tin-tuc" / "a.md"
    post.write_text("một", encoding="utf-8")
    (site / "public").mkdir()
    first = serve.source_state(site)
    assert set(first) == {str(site / "site.toml"), str(post)}  # the output is not watched
    post.write_text("một hai", encoding="utf-8")
    second = serve.source_state(site)
    assert second != first
    (site / "content" / "tin-tuc" / "b.md").write_text("b", encoding="utf-8")
    post.unlink()
    assert set(serve.source_state(site)) == {str(site / "site.toml"), str(site / "content/tin-tuc/b.md")}


def test_hidden_files_are_not_watched_as_the_build_does_not_read_them(tmp_path: Path) -> None:
    """A commune's build cache lies in the province's data/ folder (data/xa-phuong/tan-hoa/.sitegen-cache/):
    each build writing it must not look like an edit, which rebuilt and reloaded once more after each build."""
    site = tmp_path / "site"
    (site / "data" / "xa" / ".sitegen-cache").mkdir(parents=True)
    (site / "data" / "xa" / ".sitegen-cache" / "build-cache.json").write_text("{}", encoding="utf-8")
    (site / "data" / "xa" / "site.toml").write_text("title = 'x'", encoding="utf-8")
    (site / "content" / ".ghi-chu.md").parent.mkdir(parents=True)
    (site / "content" / ".ghi-chu.md").write_text("x", encoding="utf-8")
    assert set(serve.source_state(site)) == {str(site / "data" / "xa" / "site.toml")}


def test_a_built_site_in_the_sources_is_not_watched(tmp_path: Path) -> None:
    """A commune's own output (data/xa-phuong/tan-hoa/public/, by `python build.py`) is no source of the
    preview: a build from the command line while it ran made it rebuild and reload every open page."""
    site = tmp_path / "site"
    (site / "data" / "xa" / "public" / "tin-tuc").mkdir(parents=True)
    (site / "data" / "xa" / "public" / writer.MANIFEST).write_text("", encoding="utf-8")
    (site / "data" / "xa" / "public" / "tin-tuc" / "index.html").write_text("<p>", encoding="utf-8")
    (site / "data" / "xa" / "site.toml").write_text("title = 'x'", encoding="utf-8")
    assert set(serve.source_state(site)) == {str(site / "data" / "xa" / "site.toml")}


def test_the_preview_answers_only_its_own_host_names() -> None:
    hosts = serve.allowed_hosts("127.0.0.1", 8000)
    assert {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"} <= hosts and "evil.example:8000" not in hosts
    assert "localhost" not in hosts and "localhost" in serve.allowed_hosts("127.0.0.1", 80)


def test_the_error_page_puts_errors_above_warnings(tmp_path: Path) -> None:
    golden = Path(__file__).resolve().parents[1] / "golden" / "site"
    site = tmp_path / "site"
    shutil.copytree(golden, site, ignore=shutil.ignore_patterns("public"))
    first = site / "content" / "cai-cach-hanh-chinh" / "2022" / "ke-hoach.md"
    first.write_text(first.read_text(encoding="utf-8") + "\n[trang cũ](/khong-co-trang-nay/)\n", encoding="utf-8")
    last = site / "content" / "tin-tuc" / "2023" / "hoi-nghi.md"
    text = last.read_text(encoding="utf-8")
    last.write_text(re.sub(r"^date: .*$", "date: 2023-13-45", text, count=1, flags=re.M), encoding="utf-8")
    preview = serve.Preview(pipeline.Options(site=site, output=tmp_path / "public", workers=1), echo=lambda _: None)
    assert not preview.rebuild()
    answered: list[str] = []
    body = b"".join(preview({"PATH_INFO": "/"}, lambda status, headers: answered.append(status))).decode()
    assert answered[0].startswith("500")
    error, warning = body.find("hoi-nghi.md:"), body.find("ke-hoach.md:")
    assert -1 < error < warning, body
