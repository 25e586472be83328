"""Pagefind's files made one, reproducible and small: shards joined, filters sorted, the word index cut again."""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os

from sitegen import pagefind, pagefind_files


def _request(n: int) -> dict:
    return {"url": f"tin-tuc/bai-{n}/", "content": f"Bài số {n} về cải cách hành chính", "language": "vi",
            "meta": {"title": f"Bài số {n}"}, "filters": {"year": [str(2020 + n % 3)], "category": ["Tin tức"]},
            "sort": None}

def _varied(count: int) -> list[dict]:
    """Records with words shared and not, marks and strokes, in both weights, and filters not on every page."""
    requests = [_request(n) for n in range(count)]
    for n, request in enumerate(requests):
        request["content"] += f" d\u0335ất d\u0335ai dai {'thủ tục' if n % 3 else 'thu tuc'} xã{n % 5} số{n}"
        request["meta"] = {"title": request["meta"]["title"] + (" d\u0335ường" if n % 4 else ""), "date": f"{n}",
                           "category": "Tin tức"}
        if n % 7 == 0:
            request["filters"] = {"year": ["2020"]}
    return requests

def test_the_same_records_give_the_same_bytes() -> None:
    """Pagefind 1.5.2 writes filter values in hash-map order; canonical() sorts them."""
    requests = [_request(n) for n in range(40)]
    first, second = pagefind.index(requests), pagefind.index(requests)
    assert first == second
    entry = json.loads(first["pagefind-entry.json"])
    meta = next(path for path in first if path.endswith(".pf_meta"))
    assert meta == f"pagefind.{entry['languages']['vi']['hash']}.pf_meta"
    body = gzip.decompress(first[meta])
    assert body.startswith(pagefind_files.SIGNATURE)
    filters = pagefind_files.cbor_load(body[len(pagefind_files.SIGNATURE):])[3]
    assert filters == sorted(filters) and all(f"filter/{chunk}.pf_filter" in first for _, chunk in filters)

def test_cbor_round_trip() -> None:
    value = ["1.5.2", [["vi_abc", 113], ["vi_def", 70000]], {"a": [True, False, None]}, b"\x00\x01", -3, "đ" * 30]
    assert pagefind_files.cbor_load(pagefind_files.cbor_dump(value)) == value

def _word_index(files: dict[str, bytes]) -> tuple[list, dict[str, list]]:
    """The meta's chunk ranges, and every word by its folded form with the chunk it is in."""
    meta_file = next(data for path, data in files.items() if path.endswith(".pf_meta"))
    meta = pagefind_files.cbor_load(pagefind_files.open_file(meta_file))
    words = {}
    for _, _, name in meta[2]:
        for word in pagefind_files.cbor_load(pagefind_files.open_file(files[f"index/{name}.pf_index"]))[0]:
            words[word[0]] = [*word, name]
    return meta[2], words

def test_the_word_index_is_cut_small_and_leaves_no_gap(monkeypatch) -> None:
    """Each query word loads one chunk: the first whose range holds it. Small chunks, a large word alone."""
    monkeypatch.setattr(pagefind_files, "CHUNK_BYTES", 60)
    requests = [_request(n) for n in range(40)]
    requests[0]["content"] += " phong phòng phóng" + " thuế" * 5
    ranges, words = _word_index(pagefind.index(requests))
    assert len(ranges) > 10 and ranges[0][0] == "" and ranges[-1][1] == pagefind_files.LAST_WORD
    assert all(ranges[i][0] == ranges[i - 1][1] for i in range(1, len(ranges)))
    for word, (*_, name) in words.items():
        assert next(chunk for low, high, chunk in ranges if low <= word <= high) == name, word
    # a word typed half way ("pho", no such word) goes to the chunk after it, where "phong" is
    assert next(chunk for low, high, chunk in ranges if low <= "pho" <= high) == words["phong"][-1]
    assert len({name for *_, name in words.values()}) == len(ranges)

def test_every_position_of_a_page_and_no_twin_without_the_stroke() -> None:
    """Every position stays, for phrases in quotes; the twin "dất" Pagefind makes of "đất" goes."""
    mark = "\u0335"
    requests = [_request(1), _request(2)]
    requests[0]["content"] = "D\u0335ất d\u0335ai ở d\u0335ây, dây d\u0335ất d\u0335ất"
    requests[1]["content"] = "Dai dẳng và dài, d\u0335ai"
    _, words = _word_index(pagefind.index(requests, mark))
    forms = {form: pages for form, pages in words["dat"][2]}
    assert set(forms) == {f"d{mark}ất"}  # not "dất" as well
    assert [len(page[1]) for page in forms[f"d{mark}ất"]] == [4]  # the weight and its three places
    assert len(words["dai"][1]) == 1  # the plain "dai" of the second page only, not "đai"
    day = {form: pages for form, pages in words["day"][2]}
    assert day["dây"][0][1][-1] == 4  # "dây" at its own place, after "đây" (3)

def test_the_word_index_made_in_forked_processes_is_the_same(monkeypatch) -> None:
    """A large index is decoded and cut again in forked processes, one per core: the same bytes as in one."""
    requests = [_request(n) for n in range(1000)]
    for n, request in enumerate(requests):
        request["content"] += " " + " ".join(f"d\u0335ất{n % 7} thủ tục {n % 11} hành chính xã {n}" for _ in range(20))
    monkeypatch.setattr(pagefind, "canonical", lambda shards, stroke="", start=None: shards)
    raw = pagefind.index(requests)
    monkeypatch.undo()
    chunks = sum(path.startswith("index/") for files in raw for path in files)
    assert chunks >= 2
    monkeypatch.setattr(pagefind_files, "PROCESS_FROM", 1)
    monkeypatch.setattr(pagefind_files, "PACK_GROUP", 2)
    started = multiprocessing.get_context("fork").Queue()
    forked = pagefind_files.canonical(raw, "\u0335", started.put)
    assert started.get(timeout=60) == os.getpid()  # the forked processes were begun by `start`
    assert pagefind_files.canonical(raw, "\u0335") == forked

def test_records_indexed_in_shards_give_the_files_of_one_run(monkeypatch) -> None:
    """Pagefind's memory grows with the records it holds, so they go to it in shards, one run each; the
    shards' indexes are joined into the very bytes one run over every record gives."""
    requests = _varied(47)
    whole = pagefind.index(requests, "\u0335")
    runs: list[int] = []
    run = pagefind._run
    monkeypatch.setattr(pagefind, "_run", lambda part: runs.append(len(part)) or run(part))
    monkeypatch.setattr(pagefind, "SHARD_RECORDS", 10)
    sharded = pagefind.index(requests, "\u0335")
    assert sorted(runs) == [7, 10, 10, 10, 10]
    assert sharded == whole

def test_a_fragment_name_two_shards_give_is_made_unique(monkeypatch) -> None:
    """Within one run Pagefind lengthens a fragment's name that another page has; across shards the join
    names the second page's fragment by its whole content."""
    monkeypatch.setattr(pagefind, "canonical", lambda shards, stroke="", start=None: shards)
    monkeypatch.setattr(pagefind, "SHARD_RECORDS", 2)
    shards = pagefind.index(_varied(4))
    monkeypatch.undo()
    taken = _page_names(shards[0])[0]
    old = _page_names(shards[1])[0]
    shards[1][f"fragment/{taken}.pf_fragment"] = shards[1].pop(f"fragment/{old}.pf_fragment")
    meta = next(path for path in shards[1] if path.endswith(".pf_meta"))
    body = pagefind_files.cbor_load(pagefind_files.open_file(shards[1][meta]))
    body[1][0][0] = taken
    shards[1][meta] = pagefind_files._pack(pagefind_files.cbor_dump(body))
    files = pagefind_files.canonical(shards)
    names = _page_names(files)
    assert len(set(names)) == 4 and names[0] == taken and names[2] != taken
    assert sorted(pagefind.fragment_urls(files)) == sorted(f"tin-tuc/bai-{n}/" for n in range(4))
    assert all(f"fragment/{name}.pf_fragment" in files for name in names)

def _page_names(files: dict[str, bytes]) -> list[str]:
    meta = next(data for path, data in files.items() if path.endswith(".pf_meta"))
    return [page[0] for page in pagefind_files.cbor_load(pagefind_files.open_file(meta))[1]]
