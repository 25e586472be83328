"""Pagefind, the search engine: its binary run once per index, and its files made reproducible.

`index(requests)` starts the binary bundled by the `pagefind[bin]` package in
its service mode, sends every record in one stream (a thread reads the
answers, so no record waits for the one before) and takes every file back in
one answer: nothing is written to disk by Pagefind itself.

Pagefind 1.5.2 writes its filter values and its list of filters in hash-map
order, which changes from run to run, so the same records would give other
bytes (and other file names) on every build. `canonical` puts both in sorted
order and names the files it rewrites by their content, so the same records
always give the same files.

It also cuts the word index again, in chunks of about CHUNK_BYTES instead of
Pagefind's 20,000 positions, keeps one position of a word per page and drops
the twins Pagefind makes of a form with the `đ` stroke (see `_word_index`):
what one query downloads is then about the entries of the words typed.
"""

from __future__ import annotations

import base64
import gc
import gzip
import hashlib
import json
import os
import subprocess
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import cbor2

SIGNATURE = b"pagefind_dcd"  # the start of every index file once decompressed
CHUNK_BYTES = 16_000  # a chunk of the word index, before gzip: what one query word costs, unless it alone is more
LAST_WORD = "\U0010ffff"  # the end of the last chunk's range: after every word
PROCESS_FROM = 4  # of Pagefind's chunks (20,000 positions each) before forked processes share the work
PACK_GROUP = 32  # new chunks compressed by one process at a time
R = TypeVar("R")
Starter = Callable[[int], None]


class EngineError(RuntimeError):
    """Pagefind could not be started, or refused a record."""


def version() -> str:
    try:
        from importlib.metadata import version as installed

        return installed("pagefind")
    except Exception:  # noqa: BLE001 - not installed: index() says so
        return ""


def _executable() -> str:
    try:
        from pagefind.service import get_executable
    except ImportError as err:
        raise EngineError("pagefind") from err
    found = get_executable()
    if found is None:
        raise EngineError("pagefind_bin")
    return os.fspath(found)


def index(requests: Sequence[dict[str, Any]], stroke: str = "", start: Starter | None = None) -> dict[str, bytes]:
    """Pagefind's files (path inside the bundle -> bytes) for these AddRecord requests, in canonical form
    (`stroke`: see words; `start`: see canonical).

    The service speaks base64 JSON messages ended by a comma, and stops at the
    end of its input: stdin is closed only once every answer is in.
    """
    proc = subprocess.Popen([_executable(), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    answers: list[dict] = []
    reader = threading.Thread(target=_read_answers, args=(proc, len(requests) + 2, answers), daemon=True)
    reader.start()
    try:
        assert proc.stdin is not None
        proc.stdin.write(_message(0, {"type": "NewIndex", "config": {"force_language": "vi"}}))
        proc.stdin.flush()
        while not answers and reader.is_alive():
            reader.join(0.005)
        index_id = _answer(answers[0] if answers else {}, "NewIndex")["index_id"]
        for number, request in enumerate(requests, 1):
            proc.stdin.write(_message(number, {"type": "AddRecord", "index_id": index_id, **request}))
        proc.stdin.write(_message(len(requests) + 1, {"type": "GetFiles", "index_id": index_id}))
        proc.stdin.flush()
        reader.join()
        proc.stdin.close()
    except (OSError, ValueError, EngineError) as err:
        proc.kill()
        raise EngineError(str(err)) from err
    finally:
        proc.wait()
    if len(answers) != len(requests) + 2:
        raise EngineError(f"pagefind stopped after {len(answers)} of {len(requests) + 2} answers")
    for answer in answers[1:-1]:
        _answer(answer, "IndexedFile")
    files = _answer(answers[-1], "GetFiles")["files"]
    return canonical({entry["path"]: base64.b64decode(entry["content"]) for entry in files}, stroke, start)


def _message(number: int, payload: dict) -> bytes:
    return base64.b64encode(json.dumps({"message_id": number, "payload": payload}).encode("utf-8")) + b","


def _read_answers(proc: subprocess.Popen, count: int, answers: list[dict]) -> None:
    """Each answer is base64 (no commas) and a comma: only new bytes are searched for the end of one."""
    assert proc.stdout is not None
    parts: list[bytes] = []
    while len(answers) < count:
        chunk = proc.stdout.read1(1 << 20)
        if not chunk:
            return
        *done, rest = chunk.split(b",")
        if done:
            done[0] = b"".join([*parts, done[0]])
            parts = []
            answers += [json.loads(base64.b64decode(message)) for message in done]
        parts.append(rest)


def _answer(answer: dict, kind: str) -> dict:
    payload = answer.get("payload", {})
    if payload.get("type") != kind:
        raise EngineError(str(payload.get("message") or payload or "no answer"))
    return payload


def fragment_urls(files: dict[str, bytes]) -> dict[str, str]:
    """{page URL: its fragment's id}, read from the fragments (gzip, the signature, JSON)."""
    found = {}
    for path, data in files.items():
        if path.startswith("fragment/") and path.endswith(".pf_fragment"):
            found[json.loads(_open(data))["url"]] = path[len("fragment/"):-len(".pf_fragment")]
    return found


# --- reproducible files --------------------------------------------------------------------------


def _open(data: bytes) -> bytes:
    body = data if data.startswith(SIGNATURE) else gzip.decompress(data)
    return body[len(SIGNATURE):]


def _pack(body: bytes) -> bytes:
    return gzip.compress(SIGNATURE + body, compresslevel=6, mtime=0)


def _name(body: bytes, length: int) -> str:
    return hashlib.sha1(body).hexdigest()[:length]  # noqa: S324 - a file name, as Pagefind's own


def canonical(files: dict[str, bytes], stroke: str = "", start: Starter | None = None) -> dict[str, bytes]:
    """The same files with filter values and filters sorted, the word index made smaller and cut
    again (see words), and the files that changed renamed.

    With `start` (called in each forked process with the parent's pid, e.g. to end it with the parent)
    a large word index is cut in forked processes; without it, in this one."""
    entry_name = "pagefind-entry.json"
    if entry_name not in files:
        return files
    entry = json.loads(files[entry_name])
    out = dict(files)
    for language, about in entry["languages"].items():
        meta_path = f"pagefind.{about['hash']}.pf_meta"
        meta = cbor_load(_open(out.pop(meta_path)))
        filters = []
        for name, chunk in meta[3]:
            values = cbor_load(_open(out.pop(f"filter/{chunk}.pf_filter")))
            values[1] = sorted(values[1], key=lambda pair: pair[0])
            body = cbor_dump(values)
            new = f"{language}_{_name(body, 7)}"
            out[f"filter/{new}.pf_filter"] = _pack(body)
            filters.append([name, new])
        meta[3] = sorted(filters)
        meta[2] = _word_index(out, meta[2], language, stroke, start)
        body = cbor_dump(meta)
        about["hash"] = f"{language}_{_name(body, 10)}"
        out[f"pagefind.{about['hash']}.pf_meta"] = _pack(body)
    out[entry_name] = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return out


# --- the word index --------------------------------------------------------------------------------
#
# A chunk (index/*.pf_index) is [words], a word [folded form, pages, [[form with its marks, pages]]], a
# page [page number after the last one, [positions], [positions in the meta]], positions after the last
# one, with a negative number before those of another weight. The browser loads, for each query word, the
# one chunk whose range (in the meta: [from, to, file]) holds it, and matches the words of that chunk that
# start with it. Pagefind closes a chunk after 20,000 positions, so a query word can cost 200 KB or more
# for words it does not even match.


def _word_index(out: dict[str, bytes], chunks: list, language: str, stroke: str, start: Starter | None) -> list:
    """The word index as smaller chunks, put in `out`; their ranges for the meta.

    Decoding Pagefind's chunks and encoding the smaller ones is most of the time the index takes after
    Pagefind: each of Pagefind's chunks (and each group of new ones) is done in a forked process, so on a
    large site both cores share it while the rest of the build waits for the index."""
    bodies = [out.pop(f"index/{name}.pf_index") for _, _, name in chunks]
    words = [word for found in _each(start, _slimmed, bodies, stroke) for word in found]
    words.sort(key=lambda word: word[0])
    cut = _cut(words)
    groups = [cut[i: i + PACK_GROUP] for i in range(0, len(cut), PACK_GROUP)]
    packed = [item for group in _each(start, _packed, groups)
              for item in group]
    ranges = []
    for chunk, (digest, data) in zip(cut, packed, strict=True):
        name = f"{language}_{digest}"
        out[f"index/{name}.pf_index"] = data
        ranges.append([ranges[-1][1] if ranges else "", chunk[-1][0], name])
    if ranges:
        ranges[-1][1] = LAST_WORD
    return ranges


def _slimmed(body: bytes, stroke: str = "") -> list[tuple[str, bytes]]:
    """One of Pagefind's chunks as (folded word, the word slimmed and encoded)."""
    return [(word[0], cbor_dump(_slim(word, stroke))) for word in cbor_load(_open(body))[0]]


def _packed(chunks: list[list[tuple[str, bytes]]]) -> list[tuple[str, bytes]]:
    """New chunks as (the start of their file name, the file's bytes)."""
    found = []
    for chunk in chunks:
        body = _array_head(1) + _array_head(len(chunk)) + b"".join(data for _, data in chunk)
        found.append((_name(body, 7), _pack(body)))
    return found


def _each(start: Starter | None, function: Callable[..., R], items: list, *args: Any) -> list[R]:
    """function(item, *args) for each item, in forked processes (one per core, each begun by `start`) when
    there is a `start`, at least PROCESS_FROM items and the system can fork; in this process otherwise.
    Results in the items' order."""
    cores = os.cpu_count() or 1
    if start is None or len(items) < PROCESS_FROM or cores < 2:
        return [function(item, *args) for item in items]
    import multiprocessing  # here: slow to import, and a small index never needs it
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return [function(item, *args) for item in items]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(min(cores, len(items)), mp_context=context, initializer=_begin,
                             initargs=(start, os.getpid())) as pool:
        return list(pool.map(function, items, *[[arg] * len(items) for arg in args]))


def _begin(start: Starter, parent: int) -> None:
    """A forked process of `_each`, without the cyclic garbage collector: decoding makes millions of lists,
    none of them garbage, and each full collection would also walk (and copy) every object it inherited."""
    gc.disable()
    start(parent)


def _cut(words: list[tuple[str, bytes]]) -> list[list[tuple[str, bytes]]]:
    """Words in chunks of about CHUNK_BYTES (a larger word alone). The ranges are left without gaps:
    a query word that no indexed word equals goes to the chunk after it, where the words it starts are."""
    chunks: list[list[tuple[str, bytes]]] = []
    size = CHUNK_BYTES
    for word, data in words:
        if size + len(data) > CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append((word, data))
        size += len(data)
    return chunks


def _slim(word: list, stroke: str) -> list:
    """The word with the first position of each page only, and without the twins of `stroke`.

    The first position makes the page a match and is where its excerpt is taken; the others only
    count how often the word is there, which ranks little (BM25 soon saturates) and was most of the
    index's bytes.

    Pagefind keeps a form with a mark such as "d\u0335ất" (how "đất" is indexed) also without it, as
    "dất", and counts "d\u0335ai" as the plain "dai" too: the same pages twice, and "dai" typed would
    rank "đai" as its exact spelling. A page of such a twin that the marked form has too is left out."""
    folded, plain, variants = word[0], word[1], word[2]
    lists = {form: pages for form, pages in variants}
    if stroke:
        for form, pages in variants:
            bare = form.replace(stroke, "")
            if bare == form:
                continue
            if bare == folded:
                plain = _without(plain, pages)
            elif bare in lists:
                lists[bare] = _without(lists[bare], pages)
    kept = [[form, _first(lists[form])] for form, _ in variants if lists[form]]
    return [folded, _first(plain), kept, *word[3:]]


def _first(pages: list) -> list:
    """Each page with its first position only (its list starts with the weight, then the position)."""
    for page in pages:
        if len(page[1]) > 2:
            page[1] = page[1][:2]
    return pages


def _without(pages: list, twins: list) -> list:
    """`pages` less the positions `twins` has too; a page left without any is left out."""
    taken = {number: set(_absolute(page[1])) for number, page in _numbered(twins)}
    kept, last = [], 0
    for number, page in _numbered(pages):
        found = _drop(page[1], taken[number]) if number in taken else page[1]
        if any(value >= 0 for value in found):
            kept.append([number - last, found, *page[2:]])
            last = number
    return kept


def _absolute(found: list) -> list[int]:
    position, positions = 0, []
    for value in found:
        if value >= 0:
            position += value
            positions.append(position)
    return positions


def _drop(found: list, taken: set[int]) -> list:
    """Positions (as differences, weights before them) less those in `taken`."""
    kept: list[int] = []
    position = last = 0
    weight = None
    for value in found:
        if value < 0:
            weight = value
            continue
        position += value
        if position in taken:
            continue
        if weight is not None:
            kept.append(weight)
            weight = None
        kept.append(position - last)
        last = position
    return kept


def _numbered(pages: list) -> list[tuple[int, list]]:
    number, found = 0, []
    for page in pages:
        number += page[0]
        found.append((number, page))
    return found


def _array_head(count: int) -> bytes:
    return cbor_dump([None] * count)[:-count] if count else b"\x80"


def cbor_load(data: bytes) -> Any:
    """The CBOR Pagefind writes (whole numbers, text, bytes, lists, maps, true/false/null)."""
    return cbor2.loads(data)


def cbor_dump(value: Any) -> bytes:
    """Minimal-length heads and definite lengths, as Pagefind's own encoder writes them."""
    return cbor2.dumps(value)
