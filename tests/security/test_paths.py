"""No post, image, alias, data file or template reference reads or writes outside the site or the output.

Every case is a site beside a folder `outside/` holding a secret; the build
must stop with an error at the offending line (or, for a site path that
merely names a missing file, warn), leave every file outside the output
as it was, and never put the secret in the output.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.security.conftest import tree

SECRET = "BÍ-MẬT-NGOÀI-TRANG"
POST_START = "---\ntitle: Bài viết\ndate: 2024-03-15 09:00\ncategory: Tin tức\n"  # lines 1-4


def post_with(**extra: object) -> str:
    """A post whose extra keys start on line 5, in the order given."""
    lines = yaml.safe_dump(extra, allow_unicode=True, sort_keys=False, width=10_000) if extra else ""
    return POST_START + lines + "---\nNội dung.\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text(POST_START + f"---\n{SECRET}\n", encoding="utf-8")
    (folder / "secret.jpg").write_bytes(SECRET.encode())
    (folder / "secret.toml").write_text(f'title = "{SECRET}"\n', encoding="utf-8")
    (folder / "secret.html").write_text(f"{SECRET} {{{{ site.title }}}}\n", encoding="utf-8")
    return folder


def _untouched_except_output(root: Path, before: dict[str, bytes], site: Path) -> None:
    after = tree(root)
    skip = ("public/", ".sitegen-cache/")
    site_rel = site.relative_to(root).as_posix() + "/"

    def keep(rel: str) -> bool:
        return not any(rel.startswith(site_rel + s) or rel + "/" == site_rel + s for s in skip)

    assert {k: v for k, v in after.items() if keep(k)} == {k: v for k, v in before.items() if keep(k)}


def _secret_not_in(out: Path) -> None:
    for path in out.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


# --- front matter and body paths: (id, post text, expected line, words of the message) -------------

IMAGE = "content/tin-tuc/a.md:5: lỗi: đường dẫn 'image: "
LINK_WORDS = "trỏ ra ngoài thư mục content/"
FIELD_CASES = [
    ("image-dotdot", post_with(image="../../x.jpg", image_alt="x"), 5, "trỏ ra ngoài thư mục trang"),
    ("image-dotdot-etc", post_with(image="../../../etc/passwd", image_alt="x"), 5, "trỏ ra ngoài thư mục trang"),
    ("image-dotdot-inside-path", post_with(image="anh/../../../../x.jpg", image_alt="x"), 5,
     "trỏ ra ngoài thư mục trang"),
    ("image-site-path-dotdot", post_with(image="/images/../../../x.jpg", image_alt="x"), 5,
     "trỏ ra ngoài thư mục trang"),
    ("image-windows-backslash", post_with(image="C:\\x.jpg", image_alt="x"), 5, "trỏ ra ngoài thư mục trang"),
    ("image-windows-slash", post_with(image="C:/Windows/x.jpg", image_alt="x"), 5, "trỏ ra ngoài thư mục trang"),
    ("image-backslash-dotdot", post_with(image="..\\..\\x.jpg", image_alt="x"), 5, "trỏ ra ngoài thư mục trang"),
    ("image-unc", post_with(image="\\\\server\\share\\x.jpg", image_alt="x"), 5, "trỏ ra ngoài thư mục trang"),
    ("image-nul", post_with(image="/images/a.jpg\0../../x", image_alt="x"), 5, "U+0000"),
    ("image-file-url", post_with(image="file:///etc/passwd", image_alt="x"), 5, "phải là tệp trong trang"),
    ("alias-dotdot", post_with(aliases=["/../../x/"]), 5, "địa chỉ cũ '/../../x/'"),
    ("alias-relative", post_with(aliases=["../x/"]), 5, "địa chỉ cũ '../x/'"),
    ("alias-dotdot-inside", post_with(aliases=["/tin-cu/../../../x/"]), 5, "địa chỉ cũ"),
    ("alias-windows", post_with(aliases=["C:\\x"]), 5, "địa chỉ cũ"),
    ("alias-backslash", post_with(aliases=["/tin-cu\\..\\..\\x"]), 5, "địa chỉ cũ"),
    ("alias-nul", post_with(aliases=["/tin-cu/\0/x/"]), 5, "U+0000"),
    ("alias-other-host", post_with(aliases=["//evil.example/x/"]), 5, "địa chỉ cũ"),
    ("alias-second-item", post_with(aliases=["/tin-cu/a/", "/../b/"]), 5, "địa chỉ cũ '/../b/'"),
    ("link-dotdot", POST_START + "---\nXem [mật khẩu](../../../etc/passwd).\n", 6, LINK_WORDS),
    ("image-in-body-dotdot", POST_START + "---\nMột\n\n![ảnh](../../../../outside/secret.jpg)\n", 8, LINK_WORDS),
    ("link-windows", POST_START + "---\n[tệp](C:\\Users\\x.docx)\n", 6, "trỏ tới một tệp trên máy tính của bạn"),
    ("link-backslash", POST_START + "---\n\n\n[tệp](..\\..\\x.pdf)\n", 8, "dùng dấu '\\' của Windows"),
]


@pytest.mark.parametrize(("case", "text", "line", "words"), FIELD_CASES, ids=[c[0] for c in FIELD_CASES])
def test_path_escape_is_an_error_at_its_line(case: str, text: str, line: int, words: str, make_site, run_cli,
                                             tmp_path: Path, outside: Path) -> None:
    site = make_site({"content/tin-tuc/a.md": text})
    before = tree(tmp_path)
    for command in ("build", "check"):
        code, out, err = run_cli(command, "--site", str(site))
        assert code == 1, err
        assert "Traceback" not in out + err
        problems = [ln for ln in err.splitlines() if re.match(r"^\S+:\d+: lỗi: ", ln)]
        assert any(ln.startswith(f"content/tin-tuc/a.md:{line}: lỗi: ") and words in ln for ln in problems), err
    assert tree(tmp_path) == before  # nothing written anywhere, the site's own output included


def test_absolute_os_path_is_a_site_path(make_site, run_cli, tmp_path: Path, outside: Path) -> None:
    """`image: /etc/passwd` means content/etc/passwd: a missing file (a warning at its line), never /etc."""
    secret = str(outside / "secret.jpg")
    site = make_site({"content/tin-tuc/a.md": post_with(image=secret, image_alt="x")
                      .replace("Nội dung.", f"![ảnh]({secret}) [tệp](/etc/passwd)")})
    before = tree(tmp_path)
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    assert f"content/tin-tuc/a.md:5: cảnh báo: liên kết tới '{secret}' nhưng trang không có tệp này" in err
    assert "content/tin-tuc/a.md:8: cảnh báo: liên kết tới '/etc/passwd'" in err
    _secret_not_in(site / "public")
    assert b"root:" not in b"".join(p.read_bytes() for p in (site / "public").rglob("*") if p.is_file())
    rss = (site / "public" / "feed.xml").read_text(encoding="utf-8")
    assert "<enclosure" not in rss  # no size of a file outside the site, not even of /etc/passwd
    _untouched_except_output(tmp_path, before, site)
    code, out, err = run_cli("build", "--site", str(site), "--strict")
    assert code == 1


# --- symbolic links ---------------------------------------------------------------------------------

def _link(path: Path, target: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


SYMLINKS = [
    ("post", "content/tin-tuc/b.md", "secret.md", "content/tin-tuc/b.md:1: lỗi: liên kết tượng trưng"),
    ("image", "content/images/a.jpg", "secret.jpg", "content/images/a.jpg:1: lỗi: liên kết tượng trưng"),
    ("folder", "content/anh", ".", "content/anh:1: lỗi: liên kết tượng trưng"),
    ("content-folder", "content", ".", "content:1: lỗi: liên kết tượng trưng"),
    ("data-file", "data/van_ban.toml", "secret.toml", "data/van_ban.toml:1: lỗi: liên kết tượng trưng"),
    ("data-folder", "data", ".", "data:1: lỗi: liên kết tượng trưng"),
    ("template", "templates/article.html", "secret.html", "templates/article.html:1: lỗi:"),
    ("template-folder", "templates/partials", ".", "templates/partials:1: lỗi:"),
    ("asset", "assets/css/site.css", "secret.html", "assets/css/site.css:1: lỗi:"),
]


@pytest.mark.parametrize(("case", "where", "target", "expected"), SYMLINKS)
def test_symlink_pointing_outside_is_an_error(case: str, where: str, target: str, expected: str, make_site,
                                              run_cli, tmp_path: Path, outside: Path) -> None:
    site = make_site({"content/tin-tuc/a.md": post_with()})
    if case == "content-folder":
        (outside / "tin-tuc").mkdir()
        (outside / "tin-tuc" / "a.md").write_text(post_with(), encoding="utf-8")
        (site / "content" / "tin-tuc" / "a.md").unlink()
        (site / "content" / "tin-tuc").rmdir()
        (site / "content").rmdir()
    _link(site / where, outside / target)
    before = tree(tmp_path)
    code, out, err = run_cli("build", "--site", str(site))
    assert "Traceback" not in out + err
    assert code == 1, err
    assert expected in err, err
    assert tree(tmp_path) == before


def test_symlink_inside_the_site_is_fine(make_site, run_cli) -> None:
    site = make_site({"content/tin-tuc/a.md": post_with(image="/images/b.jpg", image_alt="x"),
                      "content/images/a.jpg": b"\xff\xd8\xff\xd9"})
    (site / "content" / "images" / "b.jpg").symlink_to("a.jpg")
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    assert (site / "public" / "images" / "b.jpg").read_bytes() == b"\xff\xd8\xff\xd9"


# --- template references ----------------------------------------------------------------------------

TEMPLATE_REFS = [
    ("include-dotdot", '{% extends "default/article.html" %}\n{% block content %}\n'
                       '{% include "../../../outside/secret.html" %}\n{% endblock %}\n', 3),
    ("include-etc", '{% extends "default/article.html" %}\n{% block content %}\n\n'
                    '{% include "../../../../../../../../etc/passwd" %}\n{% endblock %}\n', 4),
    ("extends-absolute", '{# ghi chú #}\n{% extends "/etc/passwd" %}\n', 2),
    ("extends-absolute-outside", '{% extends "OUTSIDE" %}\n', 1),
    ("import-dotdot", '{% import "../outside/secret.html" as x %}\n{% extends "default/article.html" %}\n', 1),
]


@pytest.mark.parametrize(("case", "template", "line"), TEMPLATE_REFS)
def test_template_reference_outside_is_a_clean_error(case: str, template: str, line: int, make_site, run_cli,
                                                     tmp_path: Path, outside: Path) -> None:
    site = make_site({"content/tin-tuc/a.md": post_with(),
                      "templates/article.html": template.replace("OUTSIDE", str(outside / "secret.html"))})
    before = tree(tmp_path)
    for command in ("build", "check"):
        code, out, err = run_cli(command, "--site", str(site))
        assert "Traceback" not in out + err
        assert code == 1, err
        assert SECRET not in out + err
        assert re.search(r"^templates/\S*:\d+: lỗi: (lỗi|không có) mẫu giao diện", err, re.MULTILINE), err
    assert tree(tmp_path) == before


@pytest.mark.parametrize(("case", "template", "line"), TEMPLATE_REFS)
def test_template_reference_outside_names_the_line_that_asks(case: str, template: str, line: int, make_site,
                                                              run_cli, outside: Path) -> None:
    site = make_site({"content/tin-tuc/a.md": post_with(),
                      "templates/article.html": template.replace("OUTSIDE", str(outside / "secret.html"))})
    code, out, err = run_cli("build", "--site", str(site))
    assert re.search(rf"^templates/article\.html:{line}: lỗi: (lỗi|không có) mẫu giao diện", err, re.MULTILINE), err


# --- the output folder ------------------------------------------------------------------------------

def test_symlinked_output_folder_leading_out_is_never_written_through(make_site, run_cli, tmp_path: Path,
                                                                       outside: Path) -> None:
    site = make_site({"content/tin-tuc/a.md": post_with()})
    (site / "public").mkdir()
    (site / "public" / "tin-tuc").symlink_to(outside, target_is_directory=True)
    before = tree(outside)
    code, out, err = run_cli("build", "--site", str(site))
    assert "Traceback" not in out + err
    assert code == 1
    assert "không ghi được thư mục kết quả" in err
    assert tree(outside) == before
    assert not list(outside.glob(".tmp-*"))


def test_symlinked_output_file_is_replaced_not_followed(make_site, run_cli, outside: Path) -> None:
    site = make_site({"content/tin-tuc/a.md": post_with()})
    (site / "public").mkdir()
    (site / "public" / "robots.txt").symlink_to(outside / "secret.toml")
    before = tree(outside)
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    assert tree(outside) == before
    assert not (site / "public" / "robots.txt").is_symlink()
    assert b"Sitemap:" in (site / "public" / "robots.txt").read_bytes()


def test_manifest_naming_files_outside_removes_nothing_there(make_site, run_cli, outside: Path) -> None:
    """A forged .sitegen-files can make a build remove only files inside the output."""
    site = make_site({"content/tin-tuc/a.md": post_with()})
    (site / "public").mkdir()
    names = ["../../outside/secret.md", str(outside / "secret.jpg"), "tin-tuc/../../outside/secret.toml", "C:\\x"]
    (site / "public" / ".sitegen-files").write_text("\n".join(names) + "\n", encoding="utf-8")
    before = tree(outside)
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    assert tree(outside) == before


def test_every_output_path_stays_inside(make_site, run_cli, tmp_path: Path, outside: Path) -> None:
    """Odd but valid names (dots, Unicode, spaces) land inside the output, nowhere else."""
    site = make_site({
        "content/tin-tuc/a.md": post_with(aliases=["/tin-cu/...../", "/tin cũ/ả.html", "/.hidden/"]),
        "content/tin-tuc/..b.md": post_with(title="Bài hai"),
        "content/tệp/a..b .pdf": b"%PDF-1.4\n",
    })
    before = tree(tmp_path)
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    _untouched_except_output(tmp_path, before, site)
    out_root = (site / "public").resolve()
    for path in (site / "public").rglob("*"):
        assert path.resolve().is_relative_to(out_root)
    assert (site / "public" / "tệp" / "a..b .pdf").is_file()
    assert (site / "public" / "tin-cu" / "....." / "index.html").is_file()
    assert (site / "public" / "tin cũ" / "ả.html").is_file()


def test_a_slug_of_dots_is_an_error_not_a_path(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({"content/tin-tuc/a.md": post_with(slug="..")})
    before = tree(tmp_path)
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 1 and "content/tin-tuc/a.md:5: lỗi: " in err
    assert tree(tmp_path) == before


# --- the preview server -----------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/../../etc/passwd", "/tin-tuc/../../../outside/secret.md", "/..\\..\\outside\\x",
                                  "/%2e%2e/%2e%2e/outside/secret.md", "//outside/secret.md", "/a\x00/../../x",
                                  "/link/secret.md", "/link-file", "/C:/x", "/.%00./outside/secret.md"])
def test_preview_serves_only_the_output_folder(path: str, tmp_path: Path, outside: Path) -> None:
    from urllib.parse import unquote

    from sitegen.serve import serve_file

    out = tmp_path / "public"
    out.mkdir()
    (out / "index.html").write_text("trang chủ", encoding="utf-8")
    (out / "404.html").write_text("không thấy", encoding="utf-8")
    (out / "link").symlink_to(outside, target_is_directory=True)
    (out / "link-file").symlink_to(outside / "secret.md")
    status, _, body = serve_file(out, unquote(path))  # as the WSGI app hands it over: already unquoted
    assert not status.startswith("200"), (path, status)
    assert SECRET.encode() not in body and b"root:" not in body


def test_preview_binds_loopback_by_default() -> None:
    from sitegen import cli

    args = cli.make_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1"
