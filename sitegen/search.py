"""The site search: the records of the pages readers look for (search_records) indexed by Pagefind,
searched in the browser. Listings, tag pages and redirects are not records; `search: false` in a post's
front matter leaves it out.

Speed: Pagefind's files come back in memory (pagefind.py) and are staged by the index's thread while
the pages still render. The main index is made again only on a cold build, when the search settings
change or past DELTA_LIMIT changed pages; otherwise those pages go into a small second index (DELTA_DIR)
that the browser merges, hiding the main index's entries for them (CHANGES), so a one-post edit indexes
one record.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson

from sitegen import search_records, workers, writer
from sitegen.kinds import Document, Post
from sitegen.model import Config
from sitegen.problems import Problem, problem
from sitegen.search_records import MARK, Record, records

SEARCH_URL = "tim-kiem/"  # the search page
MAIN_DIR = "pagefind/"  # the main index
DELTA_DIR = "pagefind-delta/"  # pages changed since the main index was built
CHANGES = MAIN_DIR + "changes.json"  # {"delta": bool, "drop": [main entries to hide], "fresh": [delta entries],
#                                       "pads": [the delta's entries of unchanged pages, never shown: _delta]}
STATE_FILE = "search.json"  # in the build's cache folder
DELTA_LIMIT = 200  # changed pages before the main index is built again
DELTA_FROM = 1000  # below this many records every change indexes them all: output as a cold build's
PAD_RECORDS = 300  # unchanged pages indexed beside the delta's, for scores like the main index's (_delta)
PAD_MARK = "#sample"  # after the address of such a page in the delta: an entry of its own, never shown
VERSION = "search-9"  # bump when records or index layout change: every index is built again


# --- the indexes in the output -------------------------------------------------------------------


class _Staged:
    """The index thread's files, each staged in the output as soon as it is made (while the pages still
    render), and the files it keeps: handed to the build's transaction by Indexing.finish."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.files: dict[str, Path | None] = {}  # the staged file; None: the output holds those bytes already
        self.kept: list[str] = []
        self.error: OSError | writer.UnsafePath | None = None  # reported by the build as its own write's

    def put(self, rel: str, data: bytes) -> None:
        if self.error is None:
            try:  # never a spare: those are the build's thread's to take
                self.files[rel] = writer.stage_if_changed(self.out, rel, data, spare=False)
            except (OSError, writer.UnsafePath) as err:
                self.error = err

    def keep(self, rel: str) -> None:
        self.kept.append(rel)


class Indexing:
    """The search indexes of one build, made in a thread while the pages render (Pagefind's binary
    runs on its own threads too); `finish` waits for them and hands them to the build's transaction."""

    def __init__(self, work: Callable[[], tuple[_Staged, dict]] | None = None,
                 cache_dir: Path | None = None, out: Path = Path(), before: dict | None = None) -> None:
        self.cache_dir, self.out, self.before = cache_dir, out, before or {}
        self.done: tuple[_Staged, dict] | None = None
        self.error: Exception | None = None
        self.thread = threading.Thread(target=self._run, args=(work,), daemon=True) if work else None
        if self.thread is not None:
            self.thread.start()

    def _run(self, work: Callable[[], tuple[_Staged, dict]]) -> None:
        from sitegen.pagefind import EngineError

        try:
            self.done = work()
        except (EngineError, OSError, ValueError) as err:
            self.error = err

    def wait(self) -> None:
        """Until the thread is done: before a failed build puts the output back as it was."""
        if self.thread is not None:
            self.thread.join()

    def finish(self, tx: writer.Transaction, names: set[str] | None = None) -> list[Problem]:
        """Hand the indexes to `tx` (their files added to `names`, the build's outputs), or say why not."""
        if self.thread is None:
            return []
        self.thread.join()
        if self.done is None:
            return [problem("site.toml", 0, "search_failed", reason=self.error or "?")]
        staged, _ = self.done
        if staged.error is not None:
            raise staged.error
        for rel in staged.kept:
            tx.keep(rel)
        for rel in sorted(staged.files):
            tx.adopt(rel, staged.files[rel])
        if names is not None:
            names.update(staged.kept, staged.files)
        return []

    def records(self) -> dict[str, list] | None:
        """The records of this build by source: [post digest, Record.values()] (None: no index made)."""
        return self.done[1]["posts"] if self.done is not None else None

    def save(self) -> None:
        """Once the build succeeded: what the next build needs to keep these indexes (records, files)."""
        if self.done is not None:
            _save(self.cache_dir, self.out, self.done[1], self.before)


def start(cfg: Config, posts: Iterable[Post], documents: Iterable[Document], digests: dict[str, str],
          work: Any, tx: writer.Transaction | None, added: Iterable[Record] = ()) -> Indexing:
    """Begin the search indexes of this build (see Indexing); unchanged ones are kept as they are.

    `digests` (source -> digest of the compiled post) tells which posts' records
    the last build made already; `work.whole(posts)` gives posts with their
    bodies (called here, in the build's thread: it may read the cache);
    `work.save_to` is the cache folder (with --no-cache the main index is made
    from every record); `tx` None (a check) makes nothing; `added` are records of
    pages beside the site's own (a province's communes: pipeline.Extension).
    """
    if not cfg.search or tx is None:
        return Indexing()
    # a build with a Memory keeps its state in the process (work.save_to None), else in the cache folder;
    # --no-cache none
    cache_dir, out = (work.save_to or _IN_PROCESS) if work.setup.use_cache else None, tx.out
    key = _key(cfg.search_text)
    state = _load(cache_dir, out, key)
    known = state.get("posts", {})
    searched = [post for post in posts if post.search]
    loaded = work.whole([post for post in searched if not _cached(post, digests, known)])
    wanted = [loaded.get(post.source, post) for post in searched]
    documents, added = list(documents), list(added)

    def work() -> tuple[_Staged, dict]:
        current, kept = records(cfg, wanted, documents, digests, lambda post: post, known)
        current += added
        staged = _Staged(out)
        by_url = {record.url: record for record in current}
        digest_of = {url: record.digest() for url, record in by_url.items()}
        main, delta = _indexes(state, by_url, digest_of, staged)
        stale = [url for url in main["records"] if digest_of.get(url) != main["records"][url]]
        changes = {"delta": bool(delta["fresh"]), "drop": sorted(main["fragments"][u] for u in stale
                                                                   if u in main["fragments"]),
                   "fresh": delta["fresh"], "pads": delta["pads"]}
        staged.put(CHANGES, json.dumps(changes, sort_keys=True).encode("utf-8"))
        return staged, {"key": key, "posts": kept, "main": main, "delta": delta}

    return Indexing(work, cache_dir, out, state)


def nothing_kept(work: Any, tx: writer.Transaction | None) -> bool:
    """Whether this build has no index state of an earlier one (--no-cache, or none saved yet). Such a build
    starts the search before it plans its pages, so Pagefind reads the records while the templates compile
    and the plan is made; a build with an index kept starts it after the plan, whose stats of the output's
    folders would otherwise wait for this thread's hold on the interpreter."""
    if not work.setup.use_cache:
        return True
    if work.save_to is None:  # a build with a Memory: the state of its earlier builds is in this process
        return str(tx.out if tx is not None else Path()) not in _MEMORY
    return not (work.save_to / STATE_FILE).is_file()


def _cached(post: Post, digests: dict[str, str], known: dict[str, list]) -> bool:
    entry = known.get(post.source)
    return bool(entry and digests.get(post.source) and entry[0] == digests[post.source])


def _indexes(state: dict, by_url: dict[str, Record], digest_of: dict[str, str],
             tx: _Staged) -> tuple[dict, dict]:
    """(main, delta) as the state records them: kept, or built and staged."""
    main = state.get("main")
    changed = [url for url in sorted(digest_of) if main is None or main["records"].get(url) != digest_of[url]]
    gone = [url for url in (main or {}).get("records", {}) if url not in digest_of]
    if main is None or not _intact(tx, main["files"]) or _too_many(changed, gone, len(digest_of)):
        main = _build(list(by_url.values()), tx, MAIN_DIR, main=True)
        main["records"] = digest_of
        return main, _NO_DELTA
    for rel in main["files"]:
        tx.keep(rel)
    if not changed:
        return main, _NO_DELTA
    return main, _delta(state.get("delta") or {}, [by_url[url] for url in changed], by_url, digest_of, tx)


_NO_DELTA: dict = {"key": "", "files": {}, "fresh": [], "pads": []}


def _too_many(changed: list[str], gone: list[str], count: int) -> bool:
    """Whether a change indexes every page again: on a small site always, else past DELTA_LIMIT pages."""
    return bool(changed or gone) and (count < DELTA_FROM or len(changed) + len(gone) > DELTA_LIMIT)


def _delta(last: dict, changed: list[Record], by_url: dict[str, Record], digest_of: dict[str, str],
           tx: _Staged) -> dict:
    """The delta index of the changed pages: the last build's when they are the same.

    Pagefind scores a page against the pages of its own index (how many hold each word, how long they are):
    alone in the delta, an edited page scored a tenth of what the main index gives it and sank below
    hundreds of results. So the delta also indexes a sample of unchanged pages (`_padding`), which gives it
    the site's proportions. Their addresses end in PAD_MARK, which gives their entries ids of their own
    (`pads`), and the page shows none of them: the main index's entries of those pages are the results.
    Pagefind shortens a query word that no word of an index starts with ("tran301" -> "tran") and matches
    prefixes within the chunk it loads, so the two indexes do not always find the same pages of the sample."""
    sample = _padding(by_url, {record.url for record in changed})
    key = search_records.digest([[record.url, digest_of[record.url]] for record in changed]
                                + [[record.url + PAD_MARK, digest_of[record.url]] for record in sample])
    pads = [replace(record, url=record.url + PAD_MARK) for record in sample]
    if last.get("key") == key and _intact(tx, last.get("files", {})):
        for rel in last["files"]:
            tx.keep(rel)
        return last
    delta = _build(changed + pads, tx, DELTA_DIR, main=False)
    delta["key"], delta["fresh"] = key, sorted(delta["fragments"][record.url] for record in changed)
    delta["pads"] = sorted(delta["fragments"][record.url] for record in pads)
    return delta


def _padding(by_url: dict[str, Record], changed: set[str]) -> list[Record]:
    """Every n-th unchanged page by URL, PAD_RECORDS of them: the same ones from build to build."""
    unchanged = sorted(url for url in by_url if url not in changed)
    step = max(1, len(unchanged) // PAD_RECORDS)
    return [by_url[url] for url in unchanged[::step][:PAD_RECORDS]]


def _build(found: list[Record], tx: _Staged, folder: str, main: bool) -> dict:
    """Index `found` and stage the files under `folder`; what the state keeps of it."""
    from sitegen import pagefind  # here: a body edit's narrow build needs a record, never Pagefind

    # newest first (a search without words lists the pages of its filters in the index's order)
    ordered = sorted(sorted(found, key=lambda record: record.url), key=lambda record: record.day, reverse=True)
    if len(ordered) > pagefind.SHARD_RECORDS:  # the build's own memory stays as it is (see index_apart)
        files = pagefind.index_apart(ordered, MARK, Record.request)
    else:  # Pagefind's word index is cut again in forked processes that end with the build (workers)
        files = pagefind.index(ordered, MARK, workers.die_with_parent, Record.request)
    fragments, shown = pagefind.fragment_urls(files), pagefind.published(files, main)
    for rel in sorted(shown):
        tx.put(folder + rel, shown[rel])
    return {"files": {folder + rel: len(data) for rel, data in shown.items()}, "fragments": fragments,
            "fresh": sorted(fragments.values()) if not main else [], "records": {}}


def _intact(tx: _Staged, files: dict[str, int]) -> bool:
    """Every file of an earlier index still in the output with its size (their names are content hashes)."""
    try:
        return all(os.stat(writer.joined(tx.out, rel)).st_size == size for rel, size in files.items())
    except (OSError, writer.UnsafePath):
        return False


def _key(chars: int) -> str:
    """What the records and indexes are made by: this code (its constants included), Pagefind and the
    characters of each page the site's search holds (search_text)."""
    return f"{_code()}/{chars}"


@functools.cache  # read once a build, and on every rebuild of `serve`
def _code() -> str:
    from sitegen import pagefind, pagefind_files

    sources = (Path(__file__), Path(search_records.__file__), Path(pagefind.__file__),
               Path(pagefind_files.__file__))
    code = hashlib.blake2b(b"".join(path.read_bytes() for path in sources), digest_size=8)
    return f"{VERSION}/{code.hexdigest()}/{pagefind.version()}"


_IN_PROCESS = Path("\x00in-process")  # stands for a Memory's process: states by output folder, never on disk
_MEMORY: dict[str, dict] = {}


def _load(cache_dir: Path | None, out: Path, key: str) -> dict:
    if cache_dir is None:
        return {}
    if cache_dir == _IN_PROCESS:
        state = _MEMORY.get(str(out), {})
        return state if state.get("key") == key else {}
    try:
        state = orjson.loads((cache_dir / STATE_FILE).read_bytes())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) and state.get("key") == key else {}


def _save(cache_dir: Path | None, out: Path, state: dict, before: dict) -> None:
    """A state naming files the output does not hold (a group of sites whose commit then failed) is
    found by the next build (_intact), which indexes again."""
    if cache_dir is None or state == before:
        return
    if cache_dir == _IN_PROCESS:
        _MEMORY[str(out)] = state
        return
    tmp = cache_dir / f".tmp-{STATE_FILE}-{os.getpid()}"
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(orjson.dumps(state))
        os.replace(tmp, cache_dir / STATE_FILE)
    except OSError:  # a full disk: the next build only indexes everything again
        tmp.unlink(missing_ok=True)
        (cache_dir / STATE_FILE).unlink(missing_ok=True)
