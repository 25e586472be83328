"""Pagefind's files made one, reproducible and small (see canonical).

The shards of one index (pagefind.index) are joined: the pages of each shard
follow those of the one before, and every page number of its filters and word
entries is shifted by as much, so the files are those of one run over every
record (a fragment's name two shards both give is the only difference).

Pagefind 1.5.2 writes its filter values and its list of filters in hash-map
order, which changes from run to run, so the same records would give other
bytes (and other file names) on every build. `canonical` puts both in sorted
order and names the files it rewrites by their content, so the same records
always give the same files.

It also cuts the word index again, in chunks of about CHUNK_BYTES instead of
Pagefind's 20,000 positions, and drops the twins Pagefind makes of a form
with the `đ` stroke (see `_word_index`): what one query downloads is then
about the entries of the words typed.
"""

from __future__ import annotations

import functools
import gc
import gzip
import hashlib
import itertools
import json
import os
from collections.abc import Callable
from typing import Any, TypeVar

import cbor2

SIGNATURE = b"pagefind_dcd"  # the start of every index file once decompressed
CHUNK_BYTES = 16_000  # a chunk of the word index, before gzip: what one query word costs, unless it alone is more
LAST_WORD = "\U0010ffff"  # the end of the last chunk's range: after every word
PROCESS_FROM = 4  # of Pagefind's chunks (20,000 positions each) before forked processes share the work
PACK_GROUP = 32  # new chunks compressed by one process at a time
ENTRY = "pagefind-entry.json"
R = TypeVar("R")
Starter = Callable[[int], None]


class EngineError(RuntimeError):
    """Pagefind could not be started, refused a record, or gave shards that cannot be joined."""


# --- reproducible files --------------------------------------------------------------------------


def open_file(data: bytes) -> bytes:
    """An index file's body: without its gzip and its signature."""
    body = data if data.startswith(SIGNATURE) else gzip.decompress(data)
    return body[len(SIGNATURE):]


def _pack(body: bytes) -> bytes:
    return gzip.compress(SIGNATURE + body, compresslevel=6, mtime=0)


def _name(body: bytes, length: int) -> str:
    return hashlib.sha1(body).hexdigest()[:length]  # noqa: S324 - a file name, as Pagefind's own


def canonical(shards: list[dict[str, bytes]], stroke: str = "", start: Starter | None = None) -> dict[str, bytes]:
    """The shards' indexes as one (see index), with filter values and filters sorted, the word index made
    smaller and cut again (see words), and the files that changed renamed.

    With `start` (called in each forked process with the parent's pid, e.g. to end it with the parent)
    a large word index is cut in forked processes; without it, in this one."""
    if any(ENTRY not in files for files in shards):
        if len(shards) == 1:
            return dict(shards[0])
        raise EngineError("pagefind gave a shard no entry file")
    entries = [json.loads(files[ENTRY]) for files in shards]
    entry = entries[0]
    out = {path: data for path, data in shards[0].items() if not _indexed(path)}  # its scripts, its WebAssembly
    for language in sorted({language for found in entries for language in found["languages"]}):
        having = [(files, found["languages"][language]) for files, found in zip(shards, entries, strict=True)
                  if language in found["languages"]]
        metas = [cbor_load(open_file(files[f"pagefind.{about['hash']}.pf_meta"])) for files, about in having]
        body = cbor_dump(_merged_meta(out, [files for files, _ in having], metas, language, stroke, start))
        entry["languages"][language] = dict(having[0][1], hash=f"{language}_{_name(body, 10)}",
                                            page_count=sum(about["page_count"] for _, about in having))
        out[f"pagefind.{entry['languages'][language]['hash']}.pf_meta"] = _pack(body)
    out[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return out


def _indexed(path: str) -> bool:
    """Whether the file is part of an index (its meta, words, filters or pages), not the same in every shard."""
    return path.startswith(("index/", "filter/", "fragment/")) or path.endswith(".pf_meta")


def _merged_meta(out: dict[str, bytes], shards: list[dict[str, bytes]], metas: list[list], language: str,
                 stroke: str, start: Starter | None) -> list:
    """The meta of one language's index made of the shards': [version, pages, word chunks, filters, sorts,
    meta fields]; its pages, words and filters put in `out`."""
    first = metas[0]
    if len(metas) > 1 and any(meta[0] != first[0] or meta[4] or meta[5:] != first[5:] for meta in metas):
        raise EngineError("pagefind's shards differ in version, sorts or meta fields")
    pages: list[list] = []
    offsets = []
    for files, meta in zip(shards, metas, strict=True):
        offsets.append(len(pages))
        pages += [_take_fragment(out, files, language, page) for page in meta[1]]
    placed = list(zip(shards, metas, offsets, strict=True))
    filters = _filters(out, [(files, meta[3], offset) for files, meta, offset in placed], language)
    words = _word_index(out, [(files, meta[2], offset) for files, meta, offset in placed], language, stroke, start)
    return [first[0], pages, words, filters, *first[4:]]


def _take_fragment(out: dict[str, bytes], files: dict[str, bytes], language: str, page: list) -> list:
    """A page of the meta ([fragment, word count]) with its fragment put in `out`, renamed by its whole
    content when another shard's page has a fragment of that name (Pagefind avoids that within one run)."""
    name, data, length = page[0], files[f"fragment/{page[0]}.pf_fragment"], 10
    while out.setdefault(f"fragment/{name}.pf_fragment", data) != data:
        name, length = f"{language}_{_name(data, length)}", length + 1
    return [name, *page[1:]]


def _filters(out: dict[str, bytes], shards: list[tuple[dict[str, bytes], list, int]], language: str) -> list:
    """Each filter with the pages of every shard (shifted by the shard's first page), its values sorted,
    put in `out` by content; the meta's list of them."""
    merged: dict[str, list] = {}
    for files, found, offset in shards:
        for name, chunk in found:
            values = cbor_load(open_file(files[f"filter/{chunk}.pf_filter"]))
            kept = merged.setdefault(name, [values[0], {}, *values[2:]])
            for value, pages in values[1]:
                kept[1].setdefault(value, []).extend(page + offset for page in pages)
    filters = []
    for name, (title, values, *rest) in merged.items():
        body = cbor_dump([title, [[value, values[value]] for value in sorted(values)], *rest])
        filters.append([name, f"{language}_{_name(body, 7)}"])
        out[f"filter/{filters[-1][1]}.pf_filter"] = _pack(body)
    return sorted(filters)


# --- the word index --------------------------------------------------------------------------------
#
# A chunk (index/*.pf_index) is [words], a word [folded form, pages, [[form with its marks, pages]]], a
# page [page number after the last one, [positions], [positions in the meta]], positions after the last
# one, with a negative number before those of another weight. The browser loads, for each query word, the
# one chunk whose range (in the meta: [from, to, file]) holds it, and matches the words of that chunk that
# start with it. Pagefind closes a chunk after 20,000 positions, so a query word can cost 200 KB or more
# for words it does not even match.
#
# A word found in several shards is joined from its parts (see _Part) as bytes: the entries of its
# pages are encoded once, in the forked processes, and only the first page of each shard's list gets a
# new number (after the last page of the shard before).

# (first page, last page, pages, size of the first page's entry, that entry without its number encoded, the
# other pages' entries encoded)
_Run = tuple[int, int, int, int, bytes, bytes]
# (the folded form's pages or None, [(a form with its marks, its pages)], what follows, encoded)
_Part = tuple[_Run | None, list[tuple[str, _Run]], list[bytes]]


def _word_index(out: dict[str, bytes], shards: list[tuple[dict[str, bytes], list, int]], language: str,
                stroke: str, start: Starter | None) -> list:
    """The word index of every shard (files, chunk ranges, first page) as smaller chunks, put in `out`;
    their ranges for the meta.

    Decoding Pagefind's chunks and encoding the smaller ones is most of the time the index takes after
    Pagefind: each of Pagefind's chunks (and each group of new ones) is done in a forked process, so on a
    large site both cores share it while the rest of the build waits for the index."""
    bodies = [(files[f"index/{name}.pf_index"], offset) for files, chunks, offset in shards for _, _, name in chunks]
    parts = [part for found in _each(start, _slimmed, bodies, stroke) for part in found]
    parts.sort(key=lambda part: part[0])  # stable: the parts of a word stay in the shards' order
    words = [(word, _joined(word, [part for _, part in group]))
             for word, group in itertools.groupby(parts, key=lambda part: part[0])]
    del parts, bodies  # the largest site's parts are tens of MB, and the build goes on
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


def _slimmed(chunk: tuple[bytes, int], stroke: str = "") -> list[tuple[str, _Part]]:
    """One of Pagefind's chunks (its bytes, the shard's first page) as (folded word, the word slimmed)."""
    body, offset = chunk
    found = []
    for word in cbor_load(open_file(body))[0]:
        folded, plain, variants, *rest = _slim(word, stroke)
        found.append((folded, (_page_run(plain, offset), [(form, _page_run(pages, offset)) for form, pages in variants],
                               [cbor_dump(value) for value in rest])))
    return found


def _page_run(pages: list, offset: int) -> _Run | None:
    if not pages:
        return None
    first = pages[0][0] + offset
    return (first, first + sum(page[0] for page in pages[1:]), len(pages), len(pages[0]), _items(pages[0][1:]),
            _items(pages[1:]))


def _items(values: list) -> bytes:
    """The values of a list, encoded one after the other (the list without its head)."""
    return cbor_dump(values)[len(_array_head(len(values))):]


def _joined(word: str, parts: list[_Part]) -> bytes:
    """A word's entry, encoded, from its parts in the shards' order."""
    forms: dict[str, list[_Run]] = {}
    for _, variants, _ in parts:
        for form, run in variants:
            forms.setdefault(form, []).append(run)
    rest = parts[0][2]
    return b"".join([_array_head(3 + len(rest)), cbor_dump(word),
                     _pages([plain for plain, _, _ in parts if plain is not None]), _array_head(len(forms)),
                     *(_array_head(2) + cbor_dump(form) + _pages(runs) for form, runs in forms.items()), *rest])


def _pages(runs: list[_Run]) -> bytes:
    """One list of pages from the runs of several shards: each first page numbered after the last before."""
    found, last = [_array_head(sum(run[2] for run in runs))], 0
    for first, end, _, size, head, others in runs:
        found += [_array_head(size), cbor_dump(first - last), head, others]
        last = end
    return b"".join(found)


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
    from concurrent.futures import BrokenExecutor, ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return [function(item, *args) for item in items]
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(min(cores, len(items)), mp_context=context, initializer=_begin,
                                 initargs=(start, os.getpid())) as pool:
            return list(pool.map(function, items, *[[arg] * len(items) for arg in args]))
    except BrokenExecutor as err:  # a process killed (the out-of-memory killer, most often)
        raise EngineError(str(err)) from err


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
    """The word without the twins of `stroke`. Every position of a page is kept: a phrase in quotes is found
    by them (the first alone found it only where its words were first met), and on the 10,000-post corpus
    they are an eighth of the word index and 6-12 KB of a query.

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
    kept = [[form, lists[form]] for form, _ in variants if lists[form]]
    return [folded, plain, kept, *word[3:]]


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


@functools.cache  # asked for every list of the word index, whose lengths repeat: each encoded once
def _array_head(count: int) -> bytes:
    return cbor_dump([None] * count)[:-count] if count else b"\x80"


def cbor_load(data: bytes) -> Any:
    """The CBOR Pagefind writes (whole numbers, text, bytes, lists, maps, true/false/null)."""
    return cbor2.loads(data)


def cbor_dump(value: Any) -> bytes:
    """Minimal-length heads and definite lengths, as Pagefind's own encoder writes them."""
    return cbor2.dumps(value)
