"""The build cache on disk: a hidden folder of the site, safe to delete.

An index (stats, page fingerprints, image sizes) in one checked JSON file;
compiled posts without their bodies in 256 shards by the first two hex digits
of their key; their bodies apart (state.BODIES_DIR). Everything is keyed by
content hashes and the generator's version; a file that does not parse, has
another version or holds values of the wrong shape is ignored and rebuilt.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sitegen import kinds
from sitegen.hashing import CacheError, problem_from_record, problem_record, read_checked, write_checked
from sitegen.incremental.state import BODIES_DIR, Compiled, Ledger, Memory, Saved, body_key
from sitegen.kinds import Post
from sitegen.model import Category, Config
from sitegen.schema import Restore

CACHE_FILE = "build-cache.json"
POSTS_DIR = "posts"
# The body of a post read from the cache until it is needed. Sanitising removes NUL, so no real body is this.
NOT_LOADED = "\x00"
_BROKEN = (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, OverflowError)


def discard(folder: Path) -> None:
    """Forget a cache whose saving failed: without its index, the next build starts from scratch."""
    try:
        (folder / CACHE_FILE).unlink(missing_ok=True)
    except OSError:
        pass


@contextmanager
def collector_off() -> Iterator[None]:
    """The cyclic garbage collector paused, while many new objects are made and none of them is garbage: they
    would set off full collections that look at every object of the process."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@contextmanager
def settling() -> Iterator[None]:
    """A build, during which its stages call `settled` (incremental.Work): what they froze is the
    collector's again at its end."""
    try:
        yield
    finally:
        gc.unfreeze()


def settled() -> None:
    """What the build has made so far lasts until it ends and is not garbage: the cyclic collector leaves
    it out of its passes (gc.freeze) until `settling` ends. Each pass over the cache, the catalogue and
    the plan of 10,000 posts took 0.05-0.15 s, and a new post's build made several of them."""
    gc.freeze()


def load(folder: Path, cfg: Config) -> Memory:
    """The cache in `folder`, or an empty memory if it is missing, damaged or foreign.

    A damaged shard of compiled posts only costs its own posts being compiled again. The cyclic garbage
    collector is off while it is read (hundreds of thousands of new objects).
    """
    with collector_off():
        return _load(folder, cfg)


def _load(folder: Path, cfg: Config) -> Memory:
    try:
        saved = _saved(_dict(read_checked(folder / CACHE_FILE)))
    except _BROKEN:
        return Memory()
    categories = {c.key: c for c in cfg.categories}
    for shard in sorted((folder / POSTS_DIR).glob("*.json")):
        try:
            entries = {str(k): _compiled(v, cfg, categories) for k, v in _dict(read_checked(shard)).items()}
        except _BROKEN:
            continue
        if all(key[:2] == shard.stem for key in entries):
            saved.compiled.update(entries)
    return Memory(saved, folder)


def _saved(raw: dict) -> Saved:
    return Saved(
        files={str(k): _stat(v) for k, v in _dict(raw["files"]).items()},
        pages={str(k): _page(v) for k, v in _dict(raw["pages"]).items()},
        sizes={str(k): _size(v) for k, v in _dict(raw["sizes"]).items()},
        folders={str(k): _size(v) for k, v in _dict(raw["folders"]).items()},
        views={str(k): _text(v) for k, v in _dict(raw["views"]).items()},
        articles={str(k): _pair(v) for k, v in _dict(raw["articles"]).items()},
        templates_ok=_text(raw["templates_ok"]),
        templates_seen=_pair(raw["templates_seen"]),
        fragments={str(k): _text(v) for k, v in _dict(raw["fragments"]).items()},
        others={str(k): _text(v) for k, v in _dict(raw.get("others", {})).items()},
        fragments_key=_text(raw["fragments_key"]),
        layout_key=_text(raw["layout_key"]),
        images_checked=_text(raw["images_checked"]),
        post_digests=set(map(_text, raw["post_digests"])),
        shared_use=_shared_use(raw["shared_use"]),
        template_keys={str(k): _text(v) for k, v in _dict(raw.get("template_keys", {})).items()},
    )


def _index(saved: Saved) -> dict[str, Any]:
    return {"files": saved.files, "pages": saved.pages, "sizes": saved.sizes, "views": saved.views,
            "folders": saved.folders,
            "articles": saved.articles, "templates_ok": saved.templates_ok,
            "templates_seen": saved.templates_seen, "fragments": saved.fragments,
            "others": saved.others,
            "fragments_key": saved.fragments_key, "shared_use": saved.shared_use, "layout_key": saved.layout_key,
            "images_checked": saved.images_checked, "post_digests": sorted(saved.post_digests),
            "template_keys": saved.template_keys}


def save(folder: Path, ledger: Ledger) -> None:
    """Write what changed: the index, and the shards of compiled posts that gained or lost an entry.

    A shard's bodies are written before its posts: a build killed in between
    leaves posts whose bodies are missing (compiled again), never wrong ones.
    """
    scratch = ledger.scratch
    if scratch.dirty or not (folder / CACHE_FILE).is_file():
        write_checked(folder / CACHE_FILE, _index(ledger.saved))
    post_shards = {shard[:2] for shard in scratch.dirty_shards}
    shards, bodies = _shards(folder, ledger, post_shards)
    for kind, dirty, payload in ((BODIES_DIR, scratch.dirty_shards, bodies), (POSTS_DIR, post_shards, shards)):
        for shard in sorted(dirty):
            path = folder / kind / f"{shard}.json"
            if shard in payload:
                write_checked(path, payload[shard])
            else:
                path.unlink(missing_ok=True)
            scratch.bodies.pop(shard, None)
    scratch.dirty = False
    scratch.dirty_shards = set()


def _shards(folder: Path, ledger: Ledger, post_shards: set[str]) -> tuple[dict[str, dict], dict[str, dict]]:
    """The records of the shards to write: compiled posts by two hex digits, their bodies by three."""
    shards: dict[str, dict[str, Any]] = {}
    bodies: dict[str, dict[str, str]] = {}
    same_folder = ledger.memory.folder is not None and ledger.memory.folder.resolve() == folder.resolve()
    for key, (post, found, signature) in ledger.saved.compiled.items():
        if key[:2] not in post_shards:
            continue
        if key[:3] in ledger.scratch.dirty_shards:
            body = post.body_html if post else ""
            if body == NOT_LOADED and same_folder:
                body = ledger.body(key, signature) or NOT_LOADED
            if body == NOT_LOADED:
                continue  # its body is lost: leave it out, so it is compiled again next time
            bodies.setdefault(key[:3], {})[body_key(key, signature)] = body
        record = [post_record(post) if post else None, [problem_record(x) for x in found], signature]
        shards.setdefault(key[:2], {})[key] = record
    return shards, bodies


def _dict(value: Any) -> dict:
    if not isinstance(value, dict):
        raise CacheError("shape")
    return value


def _stat(value: Any) -> tuple[int, int, int, str]:
    size, mtime, inode, hashed = value
    if not (isinstance(size, int) and isinstance(mtime, int) and isinstance(inode, int) and isinstance(hashed, str)):
        raise CacheError("stat")
    return size, mtime, inode, hashed


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise CacheError("text")
    return value


def _shared_use(value: Any) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    key, fragments, visible = value
    return _text(key), tuple(map(_text, fragments)), tuple(map(_text, visible))


def _pair(value: Any) -> tuple[str, str]:
    first, second = value
    return _text(first), _text(second)


def _size(value: Any) -> tuple[int, int]:
    width, height = value
    if not (isinstance(width, int) and isinstance(height, int)):
        raise CacheError("size")
    return width, height


def _page(value: Any) -> tuple[str, int, int, str]:
    fingerprint, size, mtime, own = value
    if not (isinstance(fingerprint, str) and isinstance(size, int) and isinstance(mtime, int)
            and isinstance(own, str)):
        raise CacheError("page")
    return fingerprint, size, mtime, own


def _compiled(value: Any, cfg: Config, categories: dict[str, Category]) -> Compiled:
    record, found, signature = value
    post = post_from_record(record, cfg, categories) if record is not None else None
    return post, [problem_from_record(x) for x in found], str(signature)


def post_record(post: Post) -> list[Any]:
    """A post without its body as a JSON list (kinds.POST says which values, in which order)."""
    return kinds.POST.record(post)


def post_from_record(record: Any, cfg: Config, categories: dict[str, Category]) -> Post:
    try:
        return kinds.POST.restore(record, Restore(cfg.tz, categories), body_html=NOT_LOADED)
    except KeyError as err:  # a category no longer in site.toml
        raise CacheError("category") from err
