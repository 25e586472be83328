"""Pagefind's binary in its service mode: every record of a shard in one stream, shards run apart."""

from __future__ import annotations

from sitegen import pagefind
from tests.unit.test_pagefind_files import _request, _varied


def test_every_record_in_one_stream_and_every_file_back() -> None:
    files = pagefind.index([_request(n) for n in range(30)])
    assert {"pagefind.js", "wasm.unknown.pagefind", "pagefind-entry.json"} <= set(files)
    assert sum(path.startswith("fragment/") for path in files) == 30
    urls = pagefind.fragment_urls(files)
    assert sorted(urls) == sorted(f"tin-tuc/bai-{n}/" for n in range(30))

def test_a_refused_record_is_an_error() -> None:
    try:
        pagefind.index([{"url": "a/", "language": "vi"}])  # no content
    except pagefind.EngineError:
        return
    raise AssertionError("a record without content was accepted")

def test_indexed_apart_the_same_files(monkeypatch) -> None:
    """A large index is made in a process of its own, its shards sent as it takes them: the same files."""
    monkeypatch.setattr(pagefind, "SHARD_RECORDS", 10)
    requests = _varied(25)
    assert pagefind.index_apart(requests, "\u0335") == pagefind.index(requests, "\u0335")

def test_a_record_refused_apart_is_an_error(monkeypatch) -> None:
    monkeypatch.setattr(pagefind, "SHARD_RECORDS", 2)
    requests = [*_varied(3), {"url": "a/", "language": "vi"}]  # the last has no content
    try:
        pagefind.index_apart(requests)
    except pagefind.EngineError:
        return
    raise AssertionError("a record without content was accepted")


def test_a_record_refused_apart_says_why_while_shards_wait(monkeypatch) -> None:
    """The process apart stops taking shards at the first refusal: its answer still gives Pagefind's reason,
    not the broken pipe of the shards left to send."""
    monkeypatch.setattr(pagefind, "SHARD_RECORDS", 2)
    requests = [{"url": "a/", "language": "vi"}, *_varied(600)]  # the first has no content
    try:
        pagefind.index_apart(requests)
    except pagefind.EngineError as err:
        assert "pipe" not in str(err).lower() and str(err), err
        return
    raise AssertionError("a record without content was accepted")
