"""Pagefind's binary in its service mode, and its files made reproducible."""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os

from sitegen import pagefind


def _request(n: int) -> dict:
    return {"url": f"tin-tuc/bai-{n}/", "content": f"Bài số {n} về cải cách hành chính", "language": "vi",
            "meta": {"title": f"Bài số {n}"}, "filters": {"year": [str(2020 + n % 3)], "category": ["Tin tức"]},
            "sort": None}


def test_every_record_in_one_stream_and_every_file_back() -> None:
    files = pagefind.index([_request(n) for n in range(30)])
    assert {"pagefind.js", "wasm.unknown.pagefind", "pagefind-entry.json"} <= set(files)
    assert sum(path.startswith("fragment/") for path in files) == 30
    urls = pagefind.fragment_urls(files)
    assert sorted(urls) == sorted(f"tin-tuc/bai-{n}/" for n in range(30))


def test_the_same_records_give_the_same_bytes() -> None:
    """Pagefind 1.5.2 writes filter values in hash-map order; canonical() sorts them."""
    requests = [_request(n) for n in range(40)]
    first, second = pagefind.index(requests), pagefind.index(requests)
    assert first == second
    entry = json.loads(first["pagefind-entry.json"])
    meta = next(path for path in first if path.endswith(".pf_meta"))
    assert meta == f"pagefind.{entry['languages']['vi']['hash']}.pf_meta"
    body = gzip.decompress(first[meta])
    assert body.startswith(pagefind.SIGNATURE)
    filters = pagefind.cbor_load(body[len(pagefind.SIGNATURE):])[3]
    assert filters == sorted(filters) and all(f"filter/{chunk}.pf_filter" in first for _, chunk in filters)


def test_a_refused_record_is_an_error() -> None:
    try:
        pagefind.index([{"url": "a/", "language": "vi"}])  # no content
    except pagefind.EngineError:
        return
    raise AssertionError("a record without content was accepted")


def test_cbor_round_trip() -> None:
    value = ["1.5.2", [["vi_abc", 113], ["vi_def", 70000]], {"a": [True, False, None]}, b"\x00\x01", -3, "đ" * 30]
    assert pagefind.cbor_load(pagefind.cbor_dump(value)) == value


def _word_index(files: dict[str, bytes]) -> tuple[list, dict[str, list]]:
    """The meta's chunk ranges, and every word by its folded form with the chunk it is in."""
    meta = pagefind.cbor_load(pagefind._open(next(data for path, data in files.items() if path.endswith(".pf_meta"))))
    words = {}
    for _, _, name in meta[2]:
        for word in pagefind.cbor_load(pagefind._open(files[f"index/{name}.pf_index"]))[0]:
            words[word[0]] = [*word, name]
    return meta[2], words


def test_the_word_index_is_cut_small_and_leaves_no_gap(monkeypatch) -> None:
    """Each query word loads one chunk: the first whose range holds it. Small chunks, a large word alone."""
    monkeypatch.setattr(pagefind, "CHUNK_BYTES", 60)
    requests = [_request(n) for n in range(40)]
    requests[0]["content"] += " phong phòng phóng" + " thuế" * 5
    ranges, words = _word_index(pagefind.index(requests))
    assert len(ranges) > 10 and ranges[0][0] == "" and ranges[-1][1] == pagefind.LAST_WORD
    assert all(ranges[i][0] == ranges[i - 1][1] for i in range(1, len(ranges)))
    for word, (*_, name) in words.items():
        assert next(chunk for low, high, chunk in ranges if low <= word <= high) == name, word
    # a word typed half way ("pho", no such word) goes to the chunk after it, where "phong" is
    assert next(chunk for low, high, chunk in ranges if low <= "pho" <= high) == words["phong"][-1]
    assert len({name for *_, name in words.values()}) == len(ranges)


def test_one_position_per_page_and_no_twin_without_the_stroke() -> None:
    mark = "\u0335"
    requests = [_request(1), _request(2)]
    requests[0]["content"] = "D\u0335ất d\u0335ai ở d\u0335ây, dây d\u0335ất d\u0335ất"
    requests[1]["content"] = "Dai dẳng và dài, d\u0335ai"
    _, words = _word_index(pagefind.index(requests, mark))
    forms = {form: pages for form, pages in words["dat"][2]}
    assert set(forms) == {f"d{mark}ất"}  # not "dất" as well
    assert [len(page[1]) for page in forms[f"d{mark}ất"]] == [2]  # the weight and the first position
    assert len(words["dai"][1]) == 1  # the plain "dai" of the second page only, not "đai"
    day = {form: pages for form, pages in words["day"][2]}
    assert day["dây"][0][1][-1] == 4  # "dây" at its own place, after "đây" (3)


def test_the_word_index_made_in_forked_processes_is_the_same(monkeypatch) -> None:
    """A large index is decoded and cut again in forked processes, one per core: the same bytes as in one."""
    requests = [_request(n) for n in range(1000)]
    for n, request in enumerate(requests):
        request["content"] += " " + " ".join(f"d\u0335ất{n % 7} thủ tục {n % 11} hành chính xã {n}" for _ in range(20))
    monkeypatch.setattr(pagefind, "canonical", lambda files, stroke="", start=None: files)
    raw = pagefind.index(requests)
    monkeypatch.undo()
    chunks = sum(path.startswith("index/") for path in raw)
    assert chunks >= 2
    monkeypatch.setattr(pagefind, "PROCESS_FROM", 1)
    monkeypatch.setattr(pagefind, "PACK_GROUP", 2)
    started = multiprocessing.get_context("fork").Queue()
    forked = pagefind.canonical(dict(raw), "\u0335", started.put)
    assert started.get(timeout=60) == os.getpid()  # the forked processes were begun by `start`
    assert pagefind.canonical(dict(raw), "\u0335") == forked
