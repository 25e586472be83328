"""Pagefind's binary in its service mode, and its files made reproducible."""

from __future__ import annotations

import gzip
import json

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
