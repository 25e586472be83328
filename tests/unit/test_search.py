"""The search's indexes: what is indexed of a site, reproducible Pagefind files, and when the main index is kept.

Ranking (exact marks first, a title above the body) is Pagefind's, run in the
browser: tests/browser/test_search.py checks it on real pages.
"""

from __future__ import annotations

import base64
import errno
import json
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from sitegen import pagefind, pagefind_files, search, search_records, writer
from tests.conftest import MINIMAL_TOML, cli_run, post_text, snapshot


def build(site: Path, *extra: str) -> Path:
    code, _, err = cli_run("build", "--site", str(site), *extra)
    assert code == 0, err
    return site / "public"


def fragments(public: Path) -> dict[str, dict]:
    """Every page in the main index, by URL, as Pagefind stored it."""
    files = {p.relative_to(public / "pagefind").as_posix(): p.read_bytes()
             for p in (public / "pagefind" / "fragment").iterdir()}
    found = {}
    for url in pagefind.fragment_urls(files):
        fid = pagefind.fragment_urls(files)[url]
        found[url] = json.loads(pagefind_files.open_file(files[f"fragment/{fid}.pf_fragment"]))
    return found


def test_what_is_indexed(make_site) -> None:
    site = make_site({
        "content/tin-tuc/dang.md": post_text("Thủ tục đất đai mới", "2024-03-15 09:00", body="Hướng dẫn **thủ tục**."),
        "content/tin-tuc/nhap.md": post_text("Bản nháp", "2024-03-16 09:00", draft="true"),
        "content/tin-tuc/hen-gio.md": post_text("Tin hẹn giờ", "2030-01-01 09:00"),
        "content/tin-tuc/an.md": post_text("Tin không tìm", "2024-03-17 09:00", search="false"),
        "content/pages/gioi-thieu.md": "---\ntitle: Giới thiệu chung\n---\nVề xã Thử Nghiệm.\n",
    })
    found = fragments(build(site))
    assert set(found) == {"tin-tuc/2024/thu-tuc-dat-dai-moi/", "gioi-thieu/"}
    post = found["tin-tuc/2024/thu-tuc-dat-dai-moi/"]
    assert search_records.shown_form(post["meta"]["title"]) == "Thủ tục đất đai mới"
    # the date as the post's card and article show it; the day for the result's <time datetime>
    assert post["meta"]["date"] == "15 - 03 - 2024" and post["meta"]["day"] == "2024-03-15"
    assert post["meta"]["category"] == "Tin tức"
    assert post["filters"] == {"category": ["Tin tức"], "year": ["2024"]}
    assert "Hướng dẫn thủ tục." in search_records.shown_form(post["content"])
    build(site, "--drafts", "--future", "--output", str(site / "preview"))
    drafts = fragments(site / "preview")
    assert {"tin-tuc/2024/ban-nhap/", "tin-tuc/2030/tin-hen-gio/"} <= set(drafts)
    search_page = (site / "public/tim-kiem/index.html").read_text(encoding="utf-8")
    assert 'href="/van-ban/"' not in search_page  # a site without documents has no register to link to
    assert 'action="/tim-kiem/"' in (site / "public/index.html").read_text(encoding="utf-8")


def test_a_category_is_indexed_as_the_text_is_and_filtered_as_written() -> None:
    """Pagefind matches the words of a record's meta too: its category has "đ" written as the text's
    ("d" + MARK), so that "chi dao" finds "Chỉ đạo điều hành"; the filter keeps the name readers choose."""
    record = search_records.Record("chi-dao-dieu-hanh/2024/hop/", "Họp", "Nội dung.", "30 - 10 - 2024",
                                   "Chỉ đạo điều hành", "2024")
    request = record.request()
    assert request["meta"]["category"] == "Chỉ d\u0335ạo d\u0335iều hành"
    assert search_records.shown_form(request["meta"]["category"]) == "Chỉ đạo điều hành"
    assert request["filters"] == {"category": ["Chỉ đạo điều hành"], "year": ["2024"]}


def test_a_posts_tags_are_indexed_in_its_meta(make_site) -> None:
    """Tags are the words the author chose for a post: "lich cat dien" finds a notice tagged "Lịch cắt điện"
    whose title and opening paragraphs never say "cắt". In the text they ran into its excerpt."""
    site = make_site({"content/tin-tuc/dien.md": post_text(
        "Tạm ngừng cung cấp điện để bảo dưỡng đường dây", "2024-03-15 09:00", body="Điện lực xã thông báo.",
        tags="[Lịch cắt điện, Điện lực]")})
    found = fragments(build(site))["tin-tuc/2024/tam-ngung-cung-cap-dien-de-bao-duong-duong-day/"]
    content = search_records.shown_form(found["content"])
    assert content == "Tạm ngừng cung cấp điện để bảo dưỡng đường dây. Điện lực xã thông báo."
    assert search_records.shown_form(found["meta"]["tags"]) == "Lịch cắt điện, Điện lực"


def test_documents_are_indexed(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[2]
    out = tmp_path / "out"
    code, _, err = cli_run("build", "--site", str(sample), "--output", str(out), "--no-members")
    assert code == 0, err
    docs = {url: data for url, data in fragments(out).items() if url.startswith("van-ban/")}
    assert docs and all(data["meta"]["category"] == "Công khai văn bản" for data in docs.values())
    for data in docs.values():  # the date of issue as the register shows it
        day, month, year = data["meta"]["date"].split("/")
        assert data["meta"]["day"] == f"{year}-{month}-{day}" and len(day) == len(month) == 2
    assert not any(url.startswith(("tag/", "archive/")) for url in fragments(out))


def test_search_off(make_site) -> None:
    site = make_site({"content/tin-tuc/a.md": post_text()}, toml="search = false\n" + MINIMAL_TOML)
    public = build(site)
    assert not (public / "pagefind").exists() and not (public / "tim-kiem").exists()
    assert "tim-kiem" not in (public / "index.html").read_text(encoding="utf-8")


def test_the_same_records_give_the_same_files(make_site) -> None:
    posts = {f"content/tin-tuc/b{n}.md": post_text(f"Bài {n} về cải cách", f"202{n % 4}-03-1{n % 9} 09:00")
             for n in range(12)}
    site = make_site(posts)
    first = {p.relative_to(site).as_posix(): p.read_bytes() for p in (build(site, "--no-cache")).rglob("*")
             if p.is_file() and "pagefind" in p.parts}
    (site / "public").rename(site / "first")
    second = {p.relative_to(site).as_posix(): p.read_bytes() for p in (build(site, "--no-cache")).rglob("*")
              if p.is_file() and "pagefind" in p.parts}
    assert first == second and any("/filter/" in name for name in first)



def test_a_site_indexed_in_shards_apart_gets_the_files_of_one_run(make_site, monkeypatch) -> None:
    """Past SHARD_RECORDS records the index is made in shards, in a process of its own (pagefind.index_apart):
    the build publishes the files one run over every record gives."""
    posts = {f"content/tin-tuc/b{n}.md": post_text(f"Bài {n} về cải cách đất đai", f"202{n % 4}-03-1{n % 9} 09:00",
                                                    body=f"Thủ tục số {n} ở xã Đông {n % 3}.")
             for n in range(12)}
    # tags and a document's code on one page only, in one shard: every record has every meta field, else the
    # shards' fields differ and cannot be joined (which failed the search, and the build, of such a site)
    posts["content/tin-tuc/b11.md"] = post_text("Bài 11", "2023-03-12 09:00", body="Theo 38/KH-UBND.", tags="[Đất đai]")
    site = make_site(posts)

    def published(out: Path) -> dict[str, bytes]:
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
                if p.is_file() and "pagefind" in p.parts}

    whole = published(build(site, "--no-cache"))
    apart = []
    monkeypatch.setattr(pagefind, "SHARD_RECORDS", 5)
    monkeypatch.setattr(pagefind, "index_apart", lambda *args, index_apart=pagefind.index_apart:
                        apart.append(len(args[0])) or index_apart(*args))
    sharded = published(build(site, "--no-cache", "--output", str(site / "sharded")))
    assert apart == [12]
    assert sharded == whole and any("/filter/" in name for name in whole)


def _engine_error_within(seconds: float, call: Callable[[], object]) -> str:
    """The EngineError `call` raises, which it must do within `seconds` (run in a thread: a hang fails)."""
    raised: list[str] = []

    def run() -> None:
        try:
            call()
        except pagefind.EngineError as err:
            raised.append(str(err))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "still waiting for a process nobody reads"
    assert len(raised) == 1
    return raised[0]


@pytest.mark.parametrize("answer", ["pickle.dumps(('files',))", "b'garbled' * 9"])
def test_an_index_process_whose_answer_is_garbled_fails_the_index_without_hanging(monkeypatch, answer) -> None:
    """The process of index_apart answering a wrong object (or bytes that are no pickle) and then more than a
    pipe holds: the build is told why, and the process, blocked on writing the rest, is ended."""
    code = (f"import pickle, sys; sys.stdin.buffer.read(); sys.stdout.buffer.write({answer}); "
            "sys.stdout.buffer.write(bytes(1 << 24)); sys.stdout.flush()")
    monkeypatch.setattr(pagefind, "_APART", code)
    failure = _engine_error_within(60, lambda: pagefind.index_apart([{"url": "a/", "content": "x"}] * 3))
    assert failure.startswith("pagefind: ")


def test_a_pagefind_that_answers_garbage_fails_the_index_without_hanging(tmp_path, monkeypatch) -> None:
    """A Pagefind binary whose answer to a record is no base64 JSON, followed by more than a pipe holds: the
    index fails with a reason, and the binary, blocked on writing, is ended."""
    answer = {"message_id": 0, "payload": {"type": "NewIndex", "index_id": 1}}
    new_index = base64.b64encode(json.dumps(answer).encode("utf-8")).decode("ascii") + ","
    fake = tmp_path / "pagefind"  # answers the new index, then reads a little of the records and writes garbage
    fake.write_text(f"#!/bin/sh\nprintf '{new_index}'\nhead -c 10 >/dev/null\nprintf 'not-an-answer,'\n"
                    "head -c 16777216 /dev/zero\nsleep 600\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(pagefind, "_executable", lambda: str(fake))
    failure = _engine_error_within(60, lambda: pagefind.index([{"url": "a/", "content": "x"}]))
    assert "not base64 JSON" in failure


class _Tx:
    """Enough of writer.Transaction for search.Indexing.finish: what it is handed and keeps."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.put_paths: dict[str, bytes] = {}
        self.kept: set[str] = set()

    def adopt(self, rel: str, staged: Path | None) -> None:
        """A file the index's thread staged (None: the output holds it already), put in place at once."""
        target = writer.safe_join(self.out, rel)
        if staged is not None:
            os.replace(staged, target)
        self.put_paths[rel] = target.read_bytes()

    def keep(self, rel: str) -> None:
        self.kept.add(rel)


def _records(n: int, edited: int | None = None) -> list[search_records.Record]:
    return [search_records.Record(f"tin-tuc/2024/bai-{i}/", f"Bài {i}", "sửa" if i == edited else f"Nội dung {i}",
                          "15/03/2024", "Tin tức", "2024") for i in range(n)]


def _publish(monkeypatch, tmp_path: Path, found: list[search_records.Record]) -> tuple[_Tx, dict]:
    from sitegen.model import Config

    monkeypatch.setattr(search, "records", lambda *args: (found, {}))
    tx = _Tx(tmp_path / "out")
    cfg = Config("t", "https://t.example/", (), None)  # type: ignore[arg-type]
    work = SimpleNamespace(whole=lambda posts: {p.source: p for p in posts}, save_to=tmp_path / "cache",
                           setup=SimpleNamespace(use_cache=True))
    indexing = search.start(cfg, [], [], {}, work, tx)  # type: ignore[arg-type]
    assert indexing.finish(tx) == []  # type: ignore[arg-type]
    indexing.save()
    return tx, json.loads(tx.put_paths[search.CHANGES])


def test_small_changes_go_to_the_delta_and_hide_the_main_entry(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(search, "DELTA_FROM", 3)
    monkeypatch.setattr(search, "DELTA_LIMIT", 2)
    tx, changes = _publish(monkeypatch, tmp_path, _records(5))
    main_files = {rel for rel in tx.put_paths if rel.startswith(search.MAIN_DIR) and rel != search.CHANGES}
    assert changes == {"delta": False, "drop": [], "fresh": [], "pads": []} and main_files
    tx, changes = _publish(monkeypatch, tmp_path, _records(5))  # nothing changed: the index is kept
    assert set(tx.put_paths) == {search.CHANGES} and tx.kept == main_files
    tx, changes = _publish(monkeypatch, tmp_path, _records(5, edited=2)[:4])  # one edited, one removed
    assert tx.kept == main_files and changes["delta"] and len(changes["drop"]) == 2 and len(changes["fresh"]) == 1
    assert len(changes["pads"]) == 3 and not set(changes["pads"]) & set(changes["fresh"])  # the unchanged pages
    assert any(rel.startswith(search.DELTA_DIR) for rel in tx.put_paths)
    tx, changes = _publish(monkeypatch, tmp_path, _records(6, edited=2)[:3])  # too many: all again
    assert changes == {"delta": False, "drop": [], "fresh": [], "pads": []} and not tx.kept


def test_a_lost_index_file_is_built_again(monkeypatch, tmp_path: Path) -> None:
    tx, _ = _publish(monkeypatch, tmp_path, _records(3))
    victim = next(rel for rel in tx.put_paths if "/fragment/" in rel)
    (tmp_path / "out" / victim).unlink()
    tx, _ = _publish(monkeypatch, tmp_path, _records(3))
    assert victim in tx.put_paths and not tx.kept


# --- the index's files staged beside the pages -------------------------------------------------


def _when_render_starts(monkeypatch, then) -> None:
    from sitegen.incremental import session

    render = session.Work.render

    def rendering(self, *args, **kwargs):
        then()
        return render(self, *args, **kwargs)

    monkeypatch.setattr(session.Work, "render", rendering)


def test_the_index_is_written_while_the_pages_render(make_site, monkeypatch) -> None:
    """The index's thread stages its files as soon as Pagefind has made them, not after the last page."""
    site = make_site({"content/tin-tuc/a.md": post_text("Lịch tiếp công dân tháng 3")})
    entry = site / "public" / "pagefind" / "pagefind-entry.json"
    seen = []

    def wait_for_the_index() -> None:
        deadline = time.monotonic() + 30
        while not entry.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        seen.append(entry.exists())

    _when_render_starts(monkeypatch, wait_for_the_index)
    build(site)
    assert seen == [True]
    shown = search_records.shown_form(json.dumps(fragments(site / "public"), ensure_ascii=False))
    assert "Lịch tiếp công dân tháng 3" in shown


def test_a_failed_build_keeps_no_file_of_its_new_index(make_site) -> None:
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A")})
    before = snapshot(build(site))
    (site / "content/tin-tuc/c.md").write_text(post_text("Bài C về đất đai"), encoding="utf-8")
    (site / "content/tin-tuc/b.md").write_text(post_text("Bài B", date="32/13/2024"), encoding="utf-8")
    code, _, _ = cli_run("build", "--site", str(site))
    assert code == 1 and snapshot(site / "public") == before


def test_a_build_that_fails_while_the_index_is_made_waits_for_it(make_site, monkeypatch) -> None:
    """The output is put back only once the index's thread is done: else its files would land after."""
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A")})
    before = snapshot(build(site))
    (site / "content/tin-tuc/c.md").write_text(post_text("Bài C về đất đai"), encoding="utf-8")
    index = pagefind.index
    monkeypatch.setattr(pagefind, "index", lambda *args: time.sleep(1) or index(*args))

    def disk_full() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(site / "public" / "tin-tuc"))

    _when_render_starts(monkeypatch, disk_full)
    code, _, err = cli_run("build", "--site", str(site))
    time.sleep(1.5)  # a thread left running would have written by now
    assert code == 1 and "tin-tuc" in err
    assert snapshot(site / "public") == before


def test_an_index_file_that_cannot_be_written_fails_the_build(make_site, monkeypatch) -> None:
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A")})
    before = snapshot(build(site))
    (site / "content/tin-tuc/c.md").write_text(post_text("Bài C về đất đai"), encoding="utf-8")

    stage = writer.stage_if_changed

    def disk_full(out: Path, rel: str, data: bytes, spare: bool = True, assigned: str | None = None) -> Path | None:
        if rel.startswith(search.MAIN_DIR):
            raise OSError(errno.ENOSPC, "No space left on device", str(out / rel))
        return stage(out, rel, data, spare, assigned)

    monkeypatch.setattr(writer, "stage_if_changed", disk_full)
    code, _, err = cli_run("build", "--site", str(site))
    assert code == 1 and "pagefind" in err
    assert snapshot(site / "public") == before


def test_an_index_helper_process_killed_fails_the_build_with_the_reason(make_site, monkeypatch) -> None:
    """A forked process cutting the word index killed (as by the out-of-memory killer): the build reports
    the search index's failure with its reason, not a thread's traceback, and the output stays as it was."""
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A")})
    before = snapshot(build(site))
    (site / "content/tin-tuc/c.md").write_text(post_text("Bài C về đất đai"), encoding="utf-8")
    parent, load = os.getpid(), pagefind_files.cbor_load

    def killed_when_forked(data: bytes) -> object:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return load(data)

    monkeypatch.setattr(pagefind_files, "PROCESS_FROM", 1)
    monkeypatch.setattr(pagefind_files, "cbor_load", killed_when_forked)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    code, out, err = cli_run("build", "--site", str(site), "--no-cache")
    assert code == 1 and "Traceback" not in out + err
    assert "không dựng được chỉ mục tìm kiếm (A process in the process pool was terminated" in err, err
    assert snapshot(site / "public") == before
