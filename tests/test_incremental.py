"""Incremental builds give the same bytes as cold builds, whatever was edited, and rewrite only what changed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen import spare
from tests.conftest import post_text, snapshot

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "site"
KIEM_TRA = "content/cai-cach-hanh-chinh/2022/kiem-tra.md"
HOI_NGHI = "content/tin-tuc/2023/hoi-nghi.md"
# Added to the sites of the edit sequences: a standalone page and an older post, both long enough that an
# added paragraph leaves their search records as they are, and outside every feed: a body
# edit of either takes the narrow path (sitegen/incremental/narrow.py). Feeds there show two posts each.
QUY_CHE = "content/pages/quy-che.md"
GIOI_THIEU = "content/pages/gioi-thieu.md"  # short: a paragraph added changes its search record
TONG_KET = "content/cai-cach-hanh-chinh/2021/tong-ket.md"
_LONG_BODY = ("Văn bản này quy định việc đăng tải tin bài, văn bản và lịch công tác của Ủy ban nhân dân xã "
              "trên cổng thông tin điện tử.\n\nCán bộ được phân công kiểm tra nội dung trước khi đăng, bảo đảm "
              "chính xác, kịp thời và đúng quy định của pháp luật về thông tin trên mạng.\n\nThông tin đăng "
              "tải ghi rõ nguồn, ngày đăng và người chịu trách nhiệm; văn bản quy phạm pháp luật được đăng kèm "
              "tệp gốc để người dân tra cứu [giới thiệu](/gioi-thieu/).\n")


def _replace(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _other_category(site: Path) -> str:
    """The category HOI_NGHI is not in now: the edit always moves it (by the edit's number, two category
    edits of the same parity left the file's bytes as they were, which is no category edit)."""
    return "Tin tức" if "\ncategory: Thông báo\n" in (site / HOI_NGHI).read_text(encoding="utf-8") else "Thông báo"


def _set_line(site: Path, rel: str, key: str, value: str) -> None:
    """Replace the whole `key...` line (or add it after the first line), whatever it held before."""
    path = site / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    for index, line in enumerate(lines):
        if line.startswith(key):
            lines[index] = value
            break
    else:
        lines.insert(1, value)
    path.write_text("\n".join(lines), encoding="utf-8")


def _append(site: Path, rel: str, text: str) -> None:
    with (site / rel).open("a", encoding="utf-8") as handle:
        handle.write(text)


EDITS: dict[str, Callable[[Path, int], None]] = {
    "body": lambda s, n: _append(s, KIEM_TRA, f"\nĐoạn bổ sung số {n}.\n"),
    "page body": lambda s, n: _append(s, QUY_CHE, f"\nĐiều bổ sung số {n}.\n"),
    "short page body": lambda s, n: _append(s, GIOI_THIEU, f"\nLiên hệ số {n}.\n"),
    "old post body": lambda s, n: _append(s, TONG_KET, f"\nKết quả bổ sung số {n}.\n"),
    "first paragraph": lambda s, n: _set_line(s, HOI_NGHI, "Hội nghị", f"Hội nghị lần {n} thu hút hơn 100 đại biểu."),
    "title": lambda s, n: _set_line(s, HOI_NGHI, "title:", f"title: Hội nghị đối thoại lần {n}"),
    "date": lambda s, n: _set_line(s, KIEM_TRA, "date:", f"date: 0{1 + n % 9}/10/2022 09:30"),
    "category": lambda s, n: _set_line(s, HOI_NGHI, "category:", f"category: {_other_category(s)}"),
    "views": lambda s, n: _set_line(s, KIEM_TRA, "views:", f"views: {n * 1000 + 7}"),
    "delete": lambda s, n: (s / "content/tin-tuc/2023/nghiem-thu.md").unlink(missing_ok=True),
    "new post": lambda s, n: (s / f"content/thong-bao/2024/moi-{n}.md").write_text(
        f"---\ntitle: Thông báo mới số {n}\ndate: 2024-0{1 + n % 9}-15 10:00\ncategory: Thông báo\n"
        f"tags: [CCHC]\n---\nNội dung thông báo số {n}.\n", encoding="utf-8"),
    "newest date": lambda s, n: _set_line(s, HOI_NGHI, "date:", f"date: 202{4 + n % 3}-0{1 + n % 9}-20 09:00"),
    "old posts": lambda s, n: _old_posts(s, n),
    "template": lambda s, n: _write_template(s, n),
    "list template": lambda s, n: _write_template(s, n, "list.html"),
    "partial": lambda s, n: _write_partial(s, n),
    "data": lambda s, n: _set_line(s, "data/ho_so.toml", "received = ", f"received = {n * 11}"),
    "site.toml": lambda s, n: _set_line(s, "site.toml", "per_page = ", f"per_page = {1 + n % 3}"),
    "image": lambda s, n: shutil.copyfile(GOLDEN / "content/images/logo.png", s / "content/images/mot-cua.png"),
    "nothing": lambda s, n: None,
    "counted views": lambda s, n: _count_views(s, n),
}


def _old_posts(site: Path, n: int, count: int = 6) -> None:
    """Posts of "Thông báo" older than its newest: enough of them that some show "Các tin khác" that
    leaves none of them out."""
    folder = site / "content/thong-bao/2023"
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(count):
        (folder / f"cu-{n}-{k}.md").write_text(
            f"---\ntitle: Thông báo cũ {n}.{k}\ndate: 2023-{1 + k % 12:02d}-{1 + n % 28:02d} 08:00\n"
            f"category: Thông báo\n---\nNội dung cũ {n}.{k}.\n", encoding="utf-8")


def _count_views(site: Path, n: int) -> None:
    """What an hourly `views` run leaves: counts of two articles (the order of the most viewed may change)
    and of one day, so the sidebar and the footer change on every page."""
    pages = {"cai-cach-hanh-chinh/2022/doan-kiem-tra-cai-cach-hanh-chinh-lam-viec-tai-xa-kiem-thu/": n * 400,
             "tin-tuc/2023/hoi-nghi-doi-thoai-voi-nhan-dan-ve-thu-tuc-hanh-chinh/": 900 + n % 2 * 600}
    (site / "data" / "views.json").write_text(json.dumps(
        {"format": 1, "pages": pages, "days": {"2024-10-01": sum(pages.values())}, "logs": {}, "newest": 0,
         "seen": {}}), encoding="utf-8")


def _write_template(site: Path, n: int, name: str = "article.html") -> None:
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / name).write_text(
        '{% extends "default/' + name + '" %}{% block content %}<p>Ghi chú ' + str(n)
        + "</p>{{ super() }}{% endblock %}\n", encoding="utf-8")


def _write_partial(site: Path, n: int) -> None:
    """A site's own partials/cover.html, shadowing the theme's (articles and standalone pages include it)."""
    (site / "templates/partials").mkdir(parents=True, exist_ok=True)
    (site / "templates/partials/cover.html").write_text(
        '{% if post.image %}<figure class="cover-' + str(n) + '"><img src="{{ url(post.image) }}" alt=""></figure>'
        "{% endif %}\n", encoding="utf-8")


def fresh_site(tmp: Path) -> Path:
    site = tmp / "site"
    shutil.copytree(GOLDEN, site, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
    return site


def sequence_site(tmp: Path) -> Path:
    """The golden site with a long standalone page and an older post outside the feeds."""
    site = fresh_site(tmp)
    _set_line(site, "site.toml", "feed_items = ", "feed_items = 2")
    (site / QUY_CHE).write_text(f"---\ntitle: Quy chế hoạt động của cổng\n---\n{_LONG_BODY}", encoding="utf-8")
    (site / TONG_KET).parent.mkdir(parents=True)
    (site / TONG_KET).write_text("---\ntitle: Tổng kết cải cách hành chính năm 2021\ndate: 2021-12-30\n"
                                 f"category: Cải cách hành chính\naliases: [/tin-cu/tong-ket/]\n---\n{_LONG_BODY}",
                                 encoding="utf-8")
    return site


@contextmanager
def narrow_taken() -> Iterator[list[bool]]:
    """Whether each build (in this process) took the narrow path, in order."""
    from sitegen.incremental import narrow

    taken: list[bool] = []
    real = narrow.attempt

    def attempt(*args: Any) -> bool:
        taken.append(real(*args))
        return taken[-1]

    with mock.patch.object(narrow, "attempt", attempt):
        yield taken


NARROW_EDITS = ("page body", "old post body")  # edits the narrow path always takes on the command line


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(sorted(EDITS)), min_size=1, max_size=5))
def test_random_edits_match_a_cold_build(tmp_path_factory, run_cli, edits: list[str]) -> None:
    tmp = tmp_path_factory.mktemp("edits")
    site = sequence_site(tmp)
    assert run_cli("build", "--site", str(site))[0] == 0
    for number, name in enumerate(edits, start=1):
        EDITS[name](site, number)
        with narrow_taken() as taken:
            code, _, err = run_cli("build", "--site", str(site))
        assert code == 0, (name, err)
        assert (taken == [True]) == (name in NARROW_EDITS), (edits[:number], taken)
        cold = tmp / f"cold{number}"
        assert run_cli("build", "--site", str(site), "--output", str(cold), "--no-cache")[0] == 0
        assert _pages(site / "public") == _pages(cold), f"after {edits[:number]}"


@pytest.mark.parametrize("in_process", [False, True])
def test_a_standalone_pages_body_edit_is_built_like_an_articles(tmp_path: Path, run_cli, in_process: bool) -> None:
    """Only the page's own file changes; a standalone page has no "Các tin khác" and no cheap key."""
    site = fresh_site(tmp_path)
    rebuild = _rebuilder(site) if in_process else lambda: run_cli("build", "--site", str(site))
    if not in_process:
        assert rebuild()[0] == 0
    _append(site, GIOI_THIEU, "\nĐịa chỉ liên hệ: trụ sở Ủy ban nhân dân xã.\n")
    done = rebuild()
    assert (not done.problems.failed()) if in_process else done[0] == 0
    assert "trụ sở Ủy ban" in (site / "public/gioi-thieu/index.html").read_text(encoding="utf-8")
    assert _matches_cold(site, tmp_path / "cold")


def test_body_edits_through_the_narrow_path_then_a_full_build_match_a_cold_build(tmp_path: Path, run_cli) -> None:
    """A page the narrow path wrote is not in the cache's records: the next full build renders it again."""
    site = sequence_site(tmp_path)
    assert run_cli("build", "--site", str(site))[0] == 0
    for number, edits in enumerate([("page body", "old post body"), ("old post body",), ("page body", "title"),
                                    ("old post body",), ("nothing",), ("template",), ("page body",)], start=1):
        for name in edits:
            EDITS[name](site, number)
        with narrow_taken() as taken:
            assert run_cli("build", "--site", str(site))[0] == 0
        assert taken in ([True], [False], []), taken
        assert (taken == [True]) == all(name in NARROW_EDITS for name in edits), (edits, taken)
        assert _matches_cold(site, tmp_path / f"cold{number}"), edits


def _pages(folder: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(folder).items() if k != ".sitegen-files"}


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*")
            if p.is_file() and p.parent.name != spare.FOLDER}


def test_only_changed_files_are_rewritten(tmp_path: Path, run_cli) -> None:
    site = fresh_site(tmp_path)
    public = site / "public"
    assert run_cli("build", "--site", str(site))[0] == 0
    before = _mtimes(public)
    code, out, _ = run_cli("build", "--site", str(site))
    assert code == 0 and "(0 ghi mới" in out
    assert _mtimes(public) == before
    _append(site, KIEM_TRA, "\nMột đoạn mới ở cuối bài.\n")
    assert run_cli("build", "--site", str(site))[0] == 0
    after = _mtimes(public)
    changed = sorted(rel for rel in after if after[rel] != before.get(rel))
    article = "cai-cach-hanh-chinh/2022/doan-kiem-tra-cai-cach-hanh-chinh-lam-viec-tai-xa-kiem-thu/index.html"
    assert article in changed
    assert "tin-tuc/2023/hoi-nghi-doi-thoai-voi-nhan-dan-ve-thu-tuc-hanh-chinh/index.html" not in changed
    assert "index.html" not in changed  # the home page shows the post's card, which did not change
    # The search index holds the start of the body, and this post is short: its record changed too.
    assert all(rel.endswith((".xml", ".json")) or rel == article or rel == ".sitegen-files"
               or rel.startswith("pagefind/") for rel in changed)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "wrong shapes", "shard garbage",
                                    "bodies garbage", "bodies missing"])
def test_a_damaged_or_foreign_cache_is_ignored(tmp_path: Path, run_cli, damage: str) -> None:
    site = fresh_site(tmp_path)
    assert run_cli("build", "--site", str(site))[0] == 0
    folder = site / ".sitegen-cache/public"
    index = folder / "build-cache.json"
    shards = sorted((folder / "posts").glob("*.json"))
    bodies = sorted((folder / "bodies").glob("*.json"))
    assert shards and len(bodies) == len(shards)
    text = index.read_text(encoding="utf-8")
    body, _, trailer = text.rpartition("\n")
    if damage == "garbage":
        index.write_bytes(os.urandom(4096))
    elif damage == "truncated":
        index.write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "foreign":
        index.write_text(body + "\n" + trailer.replace("sitegen-cache-1", "sitegen-cache-0"), encoding="utf-8")
    elif damage == "shard garbage":
        for shard in shards:
            shard.write_bytes(os.urandom(512))
    elif damage == "bodies garbage":
        for shard in bodies:
            shard.write_bytes(os.urandom(512))
    elif damage == "bodies missing":
        shutil.rmtree(folder / "bodies")
    else:  # well-formed shards whose values have the wrong types: never trusted
        from sitegen.hashing import SCHEMA
        from sitegen.kinds import POST

        stored = [f.name for f in POST.fields if f.stored]
        for shard in shards + bodies:
            payload = json.loads(shard.read_text(encoding="utf-8").rpartition("\n")[0])
            for key, record in payload.items():
                if shard in bodies:
                    payload[key] = ["<script>alert(1)</script>"]
                elif record[0]:
                    record[0][stored.index("title")] = "<script>alert(1)</script>"
                    record[0][stored.index("views")] = "many"
            forged = json.dumps(payload)
            checksum = hashlib.blake2b(forged.encode(), digest_size=16).hexdigest()
            shard.write_text(f"{forged}\n{SCHEMA} {checksum}", encoding="utf-8")
    _append(site, KIEM_TRA, "\nThêm một dòng.\n")
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 0 and "Traceback" not in err
    cold = tmp_path / "cold"
    assert run_cli("build", "--site", str(site), "--output", str(cold), "--no-cache")[0] == 0
    assert _pages(site / "public") == _pages(cold)
    assert b"alert(1)" not in b"".join(_pages(site / "public").values())


def test_worker_counts_give_identical_output(tmp_path: Path) -> None:
    site = fresh_site(tmp_path)
    for number in range(160):  # enough posts that compiling and rendering go to worker processes
        day = 1 + number % 28
        (site / f"content/tin-tuc/2023/loat-{number}.md").write_text(
            f"---\ntitle: Tin số {number} về cải cách hành chính\n"
            f"date: {day:02d}/0{1 + number % 9}/2023 0{number % 10}:15\n"
            f"category: {('Tin tức', 'Thông báo', 'Cải cách hành chính')[number % 3]}\nviews: {number * 37 % 1000}\n"
            f"tags: [CCHC, Đợt {number % 7}]\n---\nĐoạn mở đầu của tin số {number}.\n\n## Nội dung\n\n"
            f"| Lĩnh vực | Số hồ sơ |\n|--|--:|\n| Hộ tịch | {number} |\n", encoding="utf-8")
    outputs = []
    for workers in ("1", "2", "3"):
        out = tmp_path / f"out{workers}"
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--site", str(site), "--output", str(out),
                        "--no-cache", "--jobs", workers], check=True, capture_output=True,
                       env={**os.environ, "SOURCE_DATE_EPOCH": "1790000000"})
        outputs.append(snapshot(out))
    assert len(outputs[0]) > 300
    assert outputs[0] == outputs[1] == outputs[2]


def _rebuilder(site: Path) -> Callable[[], Any]:
    """Build `site` once; the returned call builds it again in this process, as `serve` does."""
    from sitegen import pipeline

    opts = pipeline.Options(site=site, output=site / "public")
    assert not pipeline.run(opts).problems.failed()
    return lambda: pipeline.run(opts)


def _in_process(tmp: Path) -> tuple[Path, Callable[[], Any]]:
    site = fresh_site(tmp)
    return site, _rebuilder(site)


def _matches_cold(site: Path, cold: Path) -> bool:
    """Build `site` cold into `cold`; True when its pages equal those of site/public."""
    from sitegen import pipeline

    assert not pipeline.run(pipeline.Options(site=site, output=cold, use_cache=False)).problems.failed()
    return _pages(site / "public") == _pages(cold)


def test_in_process_rebuilds_repair_a_deleted_page(tmp_path: Path) -> None:
    """A page deleted behind the preview's back is rendered again at its next build."""
    site, rebuild = _in_process(tmp_path)
    article = site / "public/tin-tuc/2023/hoi-nghi-doi-thoai-voi-nhan-dan-ve-thu-tuc-hanh-chinh/index.html"
    before = article.read_bytes()
    assert rebuild().rendered == 0
    article.unlink()
    result = rebuild()
    assert result.rendered == 1 and article.read_bytes() == before
    _append(site, HOI_NGHI, "\nThêm một đoạn.\n")
    result = rebuild()
    assert b"Th\xc3\xaam m\xe1\xbb\x99t \xc4\x91o\xe1\xba\xa1n." in article.read_bytes()
    assert _matches_cold(site, tmp_path / "cold")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(sorted(EDITS)), min_size=1, max_size=5))
def test_random_edits_in_process_match_a_cold_build(tmp_path_factory, edits: list[str]) -> None:
    """The same property on `serve`'s path: every rebuild in one process."""
    tmp = tmp_path_factory.mktemp("serve-edits")
    site = sequence_site(tmp)
    rebuild = _rebuilder(site)
    for number, name in enumerate(edits, start=1):
        EDITS[name](site, number)
        assert not rebuild().problems.failed(), name
        assert _matches_cold(site, tmp / f"cold{number}"), f"after {edits[:number]}"


def _serve_like_rebuild(site: Path, tmp: Path, edit: Callable[[], None]) -> tuple[int, int]:
    """Build, edit, rebuild in one process; the rebuild must equal a cold build. Returns (rendered, spliced)."""
    rebuild = _rebuilder(site)
    edit()
    result = rebuild()
    assert not result.problems.failed()
    assert _matches_cold(site, tmp / "cold")
    return result.rendered, result.spliced


def test_a_new_post_splices_the_new_sidebar_into_untouched_pages(tmp_path: Path) -> None:
    """A new post changes "Tin mới nhất" on every page; pages that show nothing else of it are not rendered."""
    site = fresh_site(tmp_path)
    rendered, spliced = _serve_like_rebuild(site, tmp_path, lambda: EDITS["new post"](site, 1))
    articles = len(list((site / "content").rglob("*.md")))
    assert spliced > articles // 2  # the other categories' articles, pages, 404 ...
    assert 0 < rendered < spliced  # home, listings and "Các tin khác" of its category


def test_a_new_post_splices_its_categorys_other_posts_into_its_articles(tmp_path: Path) -> None:
    """"Các tin khác" of a category is rendered once and put into its articles: a new newest post renders
    none of the category's other articles, unless the site's templates show it some other way; a site's
    own partials/others.html is spliced as well."""
    layouts = {
        "theme": {},
        "own partial": {"partials/others.html": '{% if others %}<nav class="khac" aria-label="Khác"><ol>'
                        '{% for o in others %}<li>{{ o.title }}</li>{% endfor %}</ol></nav>{% endif %}\n'},
        "inline": {"article.html": '{% extends "default/article.html" %}{% block content %}{{ super() }}'
                   '<p class="so-tin">{{ others|length }}</p>{% endblock %}\n'},
    }
    rendered = {}
    for name, files in layouts.items():
        site = fresh_site(tmp_path / name.replace(" ", "-"))
        for rel, text in files.items():
            (site / "templates" / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / "templates" / rel).write_text(text, encoding="utf-8")
        _old_posts(site, 1, count=8)
        rendered[name], spliced = _serve_like_rebuild(site, tmp_path / f"{name}-cold",
                                                      lambda site=site: EDITS["new post"](site, 1))
        assert spliced > 9
        if name == "own partial":
            article = (site / "public/thong-bao/2024/thong-bao-moi-so-1/index.html").read_text(encoding="utf-8")
            assert '<nav class="khac" aria-label="Khác"><ol><li>Thông báo lịch tiếp công dân' in article
            other = next((site / "public").glob("thong-bao/2023/*/index.html")).read_text(encoding="utf-8")
            assert "<li>Thông báo mới số 1</li>" in other
    articles = 9  # the category's articles before the new post: the theme's and the site's partial splice them
    assert rendered["theme"] == rendered["own partial"] == rendered["inline"] - articles, rendered


def test_a_template_edit_renders_only_the_pages_that_use_it(tmp_path: Path) -> None:
    """Editing the article template renders the articles again and no listing; editing the listing
    template, the listings and no article."""
    site = fresh_site(tmp_path)
    rebuild = _rebuilder(site)
    for number, name in enumerate(("article.html", "list.html"), start=1):
        _write_template(site, number, name)
        result = rebuild()
        assert not result.problems.failed()
        assert _matches_cold(site, tmp_path / f"cold{number}")
        kinds = [page.read_text(encoding="utf-8").split('<body class="kind-', 1)[1].split('"')[0]
                 for page in (site / "public").rglob("*.html") if '<body class="kind-' in page.read_text("utf-8")]
        wanted = ("article",) if name == "article.html" else ("category", "tag", "archive")
        assert result.rendered == sum(kind in wanted for kind in kinds), name


def test_bodies_lost_from_the_cache_are_compiled_again_when_workers_render(tmp_path: Path, monkeypatch) -> None:
    """The rendering workers read the bodies their pages show; a body lost from the cache is compiled by
    the build's own process, which renders that page and keeps the body for the next build."""
    from sitegen import pipeline, workers

    monkeypatch.setattr(workers, "THRESHOLD", 1)  # the golden site's few pages go to the workers too
    site = fresh_site(tmp_path)
    opts = pipeline.Options(site=site, output=site / "public", workers=2)
    assert not pipeline.run(opts).problems.failed()
    folder = site / ".sitegen-cache/public"
    shards = sorted(p.name for p in (folder / "bodies").glob("*.json"))
    shutil.rmtree(folder / "bodies")
    _write_template(site, 1)  # every article is rendered again
    result = pipeline.run(opts)
    articles = [p for p in (site / "public").rglob("*.html") if '"kind-article"' in p.read_text(encoding="utf-8")]
    assert not result.problems.failed() and result.rendered == len(articles) > 1
    assert _matches_cold(site, tmp_path / "cold")
    kept = sorted(p.name for p in (folder / "bodies").glob("*.json"))  # the articles' bodies, compiled again
    assert len(kept) >= len(articles) - 1 and set(kept) <= set(shards)


def test_an_hourly_count_of_views_splices_every_other_page_from_the_records(tmp_path: Path) -> None:
    """New counts change the two articles' own pages, "Xem nhiều nhất" and the footer's totals: the
    other pages get the new partials without their jobs being made, and a page whose splice cannot be
    done is rendered from the job found for it."""
    site = fresh_site(tmp_path)
    (site / "templates").mkdir()
    (site / "templates/page.html").write_text(
        '{% extends "default/page.html" %}{% block content %}{{ super() }}'
        '<div class="again">{{ shared_include("partials/footer.html") }}</div>{% endblock %}\n', encoding="utf-8")
    rebuild = _rebuilder(site)
    for number in (1, 2):
        EDITS["counted views"](site, number)
        result = rebuild()
        assert not result.problems.failed() and result.layout_kept
        pages = len(list((site / "content/pages").glob("*.md")))
        assert result.spliced > 15 and result.rendered == 3 + pages  # the articles, statistics, pages (two footers)
        assert _matches_cold(site, tmp_path / f"cold{number}")
    article = site / "public/cai-cach-hanh-chinh/2022/doan-kiem-tra-cai-cach-hanh-chinh-lam-viec-tai-xa-kiem-thu"
    assert "Lượt xem: 2.034" in (article / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("edit", "removed", "touched"), [
    ("counted views", "tin-tuc/index.html", "thong-bao/index.html"),  # spliced from the records (layout kept)
    ("new post", "404.html", "gioi-thieu/index.html"),  # the full plan: every page gets the new "Tin mới nhất"
])
def test_splices_put_right_pages_removed_or_touched_behind_their_back(tmp_path: Path, edit: str, removed: str,
                                                                      touched: str) -> None:
    """An hourly count and a new post splice new partials into every page; the splice reads each page only if
    its file is the one the last build wrote (the plan does not look), and a page deleted or written into
    since is rendered instead."""
    site = fresh_site(tmp_path)
    rebuild = _rebuilder(site)
    public = site / "public"
    (public / removed).unlink()
    with (public / touched).open("ab") as handle:
        handle.write(b"<!-- sua tay -->")
    EDITS[edit](site, 1)
    result = rebuild()
    assert not result.problems.failed() and result.spliced > 10 and result.layout_kept == (edit == "counted views")
    assert b"sua tay" not in (public / touched).read_bytes() and (public / removed).is_file()
    assert _matches_cold(site, tmp_path / "cold")


def test_rebuilds_in_one_process_make_the_feeds_again_only_when_what_they_show_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` builds after every save: an edit no feed shows reuses the feeds its last build made; an edit
    to a post a feed shows, or to its cover's file (the enclosure's length), makes them again."""
    from sitegen import feeds

    site, rebuild = _in_process(tmp_path)
    made: list[str] = []
    real = feeds.build_feeds

    def build_feeds(*args: Any, **kwargs: Any) -> dict[str, bytes]:
        made.append("made")
        return real(*args, **kwargs)

    monkeypatch.setattr(feeds, "build_feeds", build_feeds)
    with (site / "content/pages/gioi-thieu.md").open("a", encoding="utf-8") as handle:
        handle.write("\nMột đoạn mới của trang giới thiệu.\n")
    assert not rebuild().problems.failed() and made == []
    cover = site / "content/images/doan-kiem-tra.png"
    cover.write_bytes(cover.read_bytes() + b"\0" * 512)
    assert not rebuild().problems.failed() and made == ["made"]
    assert f'length="{cover.stat().st_size}"' in (site / "public/cai-cach-hanh-chinh/feed.xml").read_text("utf-8")
    _set_line(site, "content/cai-cach-hanh-chinh/2022/kiem-tra.md", "title: ", "title: Kiểm tra công vụ đợt hai")
    assert not rebuild().problems.failed() and made == ["made", "made"]
    assert "Kiểm tra công vụ đợt hai" in (site / "public/cai-cach-hanh-chinh/feed.xml").read_text("utf-8")
    assert _matches_cold(site, tmp_path / "cold")


def test_a_template_that_reads_latest_itself_is_rendered_not_spliced(tmp_path: Path) -> None:
    site = fresh_site(tmp_path)
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text(
        '{% extends "default/article.html" %}{% block content %}<p class="moi">{{ latest[0].title }}</p>'
        "{{ super() }}{% endblock %}\n", encoding="utf-8")
    newest = site / "content/thong-bao/2026/moi-nhat.md"
    newest.parent.mkdir(parents=True)
    rendered, _ = _serve_like_rebuild(site, tmp_path, lambda: newest.write_text(
        "---\ntitle: Thông báo mới nhất\ndate: 2026-01-02 08:00\ncategory: Thông báo\n---\nNội dung.\n",
        encoding="utf-8"))
    assert rendered > len(list((site / "content").rglob("*.md"))) - 3  # every article shows the newest title
    article = next((site / "public").glob("tin-tuc/2023/*/index.html")).read_text(encoding="utf-8")
    assert '<p class="moi">Thông báo mới nhất</p>' in article


def test_a_page_showing_a_partial_twice_gets_both_copies_new(tmp_path: Path) -> None:
    site = fresh_site(tmp_path)
    (site / "templates").mkdir()
    (site / "templates/list.html").write_text(
        '{% extends "default/list.html" %}{% block content %}{{ super() }}'
        '<div class="again">{{ shared_include("partials/sidebar.html") }}</div>{% endblock %}\n',
        encoding="utf-8")
    _serve_like_rebuild(site, tmp_path, lambda: EDITS["new post"](site, 3))
    listing = (site / "public/tin-tuc/index.html").read_text(encoding="utf-8")
    assert listing.count("Thông báo mới số 3") == 2


def test_a_splice_is_refused_when_the_old_partial_shows_twice(tmp_path: Path) -> None:
    """Which copy came from shared_include is unknown then: the page must be rendered instead."""
    from sitegen import render

    (tmp_path / "a.html").write_bytes(b"<main>x</main><aside>OLD</aside><p>OLD</p>")
    (tmp_path / "b.html").write_bytes(b"<main>x</main><aside>OLD</aside>")
    assert render.splice_one(tmp_path, "a.html", [(b"OLD", b"NEW")]) == (None, False)
    staged, done = render.splice_one(tmp_path, "b.html", [(b"OLD", b"NEW")])
    assert done and staged is not None and Path(staged).read_bytes() == b"<main>x</main><aside>NEW</aside>"
    assert render.splice_one(tmp_path, "b.html", [(b"ABSENT", b"NEW")]) == (None, True)  # nothing to change


def test_a_body_edit_looks_only_at_the_posts_own_pages(tmp_path: Path) -> None:
    """Nothing a listing shows changed: only the article is fingerprinted and rendered, the rest kept."""
    site, rebuild = _in_process(tmp_path)
    _append(site, KIEM_TRA, "\nMột đoạn cuối bài.\n")
    result = rebuild()
    assert result.layout_kept and result.rendered == 1
    other = next((site / "public/tin-tuc/2023").glob("*/index.html"))
    other.unlink()  # a page removed behind the generator's back: the full plan must find it
    _append(site, KIEM_TRA, "\nMột đoạn nữa.\n")
    result = rebuild()
    assert not result.layout_kept and result.rendered == 2 and other.is_file()
    _set_line(site, KIEM_TRA, "summary:", "summary: Tóm tắt mới của bài")  # a listing shows it: full plan
    result = rebuild()
    assert not result.layout_kept and result.rendered > 2
    assert _matches_cold(site, tmp_path / "cold")


def test_a_page_edited_in_place_in_the_output_is_put_right_by_no_cache(tmp_path: Path) -> None:
    """A build learns that pages are as the last build left them from their folders (an edit in place changes
    none): such an edit is kept until a --no-cache build, which writes every page again."""
    from sitegen import pipeline

    site, rebuild = _in_process(tmp_path)
    rebuild()  # the folders written by the first build are recorded once they are older than its last change
    other = next((site / "public/tin-tuc/2023").glob("*/index.html"))
    before = other.read_bytes()
    other.write_bytes(before.replace(b"</main>", "<p>Sửa tay</p></main>".encode()))
    _append(site, KIEM_TRA, "\nMột đoạn cuối bài.\n")
    result = rebuild()
    assert result.layout_kept and result.rendered == 1 and "Sửa tay".encode() in other.read_bytes()
    assert not pipeline.run(pipeline.Options(site=site, output=site / "public", use_cache=False)).problems.failed()
    assert other.read_bytes() == before
    assert _matches_cold(site, tmp_path / "cold")


def test_a_failed_build_between_does_not_hide_an_edit(tmp_path: Path) -> None:
    """The layout and post digests compared are those of the last build that was written."""
    site, rebuild = _in_process(tmp_path)
    _append(site, KIEM_TRA, "\nĐoạn viết trong lúc bài kia còn lỗi.\n")
    broken = site / "content/tin-tuc/2023/hong.md"
    broken.write_text("---\ntitle: Bài lỗi\ndate: 32/13/2023\ncategory: Tin tức\n---\nx\n", encoding="utf-8")
    assert rebuild().problems.failed()
    broken.unlink()
    result = rebuild()
    assert not result.problems.failed() and result.layout_kept
    assert _matches_cold(site, tmp_path / "cold")


def test_an_image_changed_in_place_gives_the_posts_showing_it_their_new_size(tmp_path: Path) -> None:
    """Image signatures are skipped only while no file beside the posts changed."""
    site, rebuild = _in_process(tmp_path)
    assert rebuild().compiled == 0
    photo = site / "content/images/doan-kiem-tra.png"
    article = next((site / "public/cai-cach-hanh-chinh/2022").glob("*/index.html"))
    assert b'width="64" height="36"' in article.read_bytes()
    shutil.copyfile(GOLDEN / "content/images/logo.png", photo)  # another picture, 32 x 32
    result = rebuild()
    assert result.compiled >= 1 and b'width="32" height="32"' in article.read_bytes()
    assert _matches_cold(site, tmp_path / "cold")


def test_a_static_file_taking_a_pages_place_is_reported_after_a_body_edit(tmp_path: Path) -> None:
    """The body-edit plan keeps pages without looking at them: a new file at a page's path must end it."""
    site, rebuild = _in_process(tmp_path)
    _append(site, KIEM_TRA, "\nMột đoạn cuối bài.\n")
    (site / "content/tin-tuc/index.html").write_text("<p>trang tự làm</p>", encoding="utf-8")
    result = rebuild()
    assert not result.layout_kept
    assert [p.code for p in result.problems] == ["duplicate_url"]


def test_the_previews_rebuilds_in_one_process_compile_only_the_edited_post(tmp_path: Path) -> None:
    """`serve` runs command-line builds with their cache, one after another in its process: each rebuild
    after a body edit compiles that post alone, and what it serves is what a cold build gives."""
    from sitegen import pipeline

    site = fresh_site(tmp_path)
    opts = pipeline.Options(site=site, output=site / "public")
    assert not pipeline.run(opts).problems.failed()
    for number in range(3):
        _append(site, KIEM_TRA, f"\nĐoạn sửa lúc xem trước {number}.\n")
        result = pipeline.run(opts)
        assert not result.problems.failed() and result.compiled == 1, number
    assert _matches_cold(site, tmp_path / "cold")


def test_one_post_edited_leaves_the_spare_folder_alone_and_a_template_edit_uses_it(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild of a few pages neither lists, takes nor keeps spares (listing tens of thousands of names
    cost `serve` 0.2-0.4 s a body edit); one that renders spare.FEW_PAGES pages or more writes into them."""
    site = make_site({f"content/tin-tuc/tin-{n}.md": post_text(f"Tin số {n}", f"2024-03-{n % 28 + 1:02d} 09:00",
                                                                 body=f"Nội dung tin số {n}.")
                      for n in range(spare.FEW_PAGES + 6)})
    rebuild, folder = _rebuilder(site), site / "public" / spare.FOLDER
    article = site / "templates" / "article.html"
    article.parent.mkdir()
    article.write_text('{% extends "default/article.html" %}{% block content %}<p>Bản 1</p>{{ super() }}'
                       "{% endblock %}\n", encoding="utf-8")
    assert not rebuild().problems.failed()
    kept = sorted(os.listdir(folder))
    assert len(kept) >= spare.FEW_PAGES  # every article replaced, its old version kept for its blocks

    listdir = os.listdir

    def listed(path: Any = ".") -> list[str]:
        assert os.fspath(path) != os.fspath(folder), "the spare folder was listed"
        return listdir(path)

    monkeypatch.setattr(os, "listdir", listed)
    post = site / "content/tin-tuc/tin-7.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nMột đoạn bổ sung.\n", encoding="utf-8")
    assert not rebuild().problems.failed()
    monkeypatch.undo()
    assert "Một đoạn bổ sung." in next((site / "public/tin-tuc").rglob("tin-so-7/index.html")).read_text("utf-8")
    assert sorted(os.listdir(folder)) == kept

    article.write_text(article.read_text(encoding="utf-8").replace("Bản 1", "Bản 2"), encoding="utf-8")
    assert not rebuild().problems.failed()
    old_pages = [(folder / name).read_text("utf-8") for name in os.listdir(folder)]
    assert sum("Bản 1" in page for page in old_pages) == len(kept)  # each spare written, and now an old page


@pytest.mark.skipif(sys.platform != "linux", reason="the swap is renameat2 with RENAME_EXCHANGE, Linux's")
def test_a_template_edit_writes_each_page_into_a_spare_and_swaps_it_in(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages rendered again, as pages spliced, are each written into a spare handed out before the workers
    start and swapped with the page at commit: no hard link to keep the old page, no rename over it."""
    site = make_site({f"content/tin-tuc/tin-{n}.md": post_text(f"Tin số {n}", f"2024-03-{n % 28 + 1:02d} 09:00",
                                                                 body=f"Nội dung tin số {n}.")
                      for n in range(spare.FEW_PAGES + 6)})
    rebuild = _rebuilder(site)
    article = site / "templates" / "article.html"
    article.parent.mkdir()
    article.write_text('{% extends "default/article.html" %}{% block content %}<p>Bản 1</p>{{ super() }}'
                       "{% endblock %}\n", encoding="utf-8")
    assert not rebuild().problems.failed()  # the old articles become spares
    calls: list[str] = []
    for name in ("link", "replace", "rename"):
        real = getattr(os, name)
        monkeypatch.setattr(os, name, lambda *a, _real=real, _name=name, **k: (calls.append(_name), _real(*a, **k))[1])
    article.write_text(article.read_text(encoding="utf-8").replace("Bản 1", "Bản hai"), encoding="utf-8")
    assert not rebuild().problems.failed()
    monkeypatch.undo()
    assert calls.count("link") + calls.count("replace") + calls.count("rename") < 10, calls
    pages = list((site / "public/tin-tuc").rglob("index.html"))
    assert sum("Bản hai" in page.read_text("utf-8") for page in pages) == spare.FEW_PAGES + 6
    assert not [p for p in (site / "public").rglob(".tmp-*")]
    _matches_cold(site, site.parent / "cold")  # an empty category's feeds carry the time of their build
    assert {rel: page for rel, page in _pages(site / "public").items() if rel.endswith(".html")} == \
        {rel: page for rel, page in _pages(site.parent / "cold").items() if rel.endswith(".html")}


def test_a_template_edit_reads_the_bodies_shard_after_shard(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The articles to render again go to the workers grouped by the shard of the cache their bodies lie
    in, so each worker reads its share of the shards and not nearly every one (here one process, which
    then reads them in order), and the pages are those of a cold build."""
    from sitegen import pipeline
    from sitegen.incremental import state

    site = make_site({f"content/tin-tuc/tin-{n}.md": post_text(f"Tin số {n}", f"2024-03-{n % 28 + 1:02d} 09:{n:02d}",
                                                                 body=f"Nội dung tin số {n}.")
                      for n in range(40)})
    opts = pipeline.Options(site=site, output=site / "public", workers=1)
    assert not pipeline.run(opts).problems.failed()
    read: list[str] = []
    real = state.read_bodies
    monkeypatch.setattr(state, "read_bodies", lambda folder, shard: (read.append(shard), real(folder, shard))[1])
    _write_template(site, 1)
    result = pipeline.run(opts)
    assert not result.problems.failed() and result.rendered >= 40
    assert len(set(read)) > 10 and read == sorted(read), read
    assert _matches_cold(site, site.parent / "cold")
