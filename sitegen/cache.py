"""The build cache: content hashes of sources, compiled posts, fingerprints of written pages.

Kept as JSON in a hidden folder of the site (safe to delete). Everything in it
is keyed by content hashes and by the generator's version; a file that does
not parse, has another version or holds values of the wrong shape is ignored
as a whole and rebuilt, never trusted. JSON (through orjson, which writes it
about twenty times faster than the json module) rather than pickle, so a
foreign cache cannot run code.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from sitegen import __version__
from sitegen.model import Category, Config, Post
from sitegen.problems import Problem

CACHE_FILE = "build-cache.json"  # stats, page fingerprints, image sizes
POSTS_DIR = "posts"  # compiled posts without their bodies, in 256 shards by the first two hex digits of their key
# Their HTML bodies, read only when a page or feed shows them, in 4,096 shards by three hex digits:
# the feeds' twenty posts of each category then cost a few small files.
BODIES_DIR = "bodies"
# The body of a post read from the cache until it is needed. Sanitising removes NUL, so no real body is this.
NOT_LOADED = "\x00"


class CacheError(ValueError):
    """The cache file is not one this version wrote."""


def digest(*parts: str | bytes) -> str:
    """Hash of the parts, each followed by NUL (text as UTF-8)."""
    if parts:
        try:  # all text, the common case: in one go
            text = "\x00".join(parts) + "\x00"  # type: ignore[arg-type]
            return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        except TypeError:  # some bytes
            pass
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def _code_digest() -> str:
    """The generator's own source: a cache written by other code is never trusted."""
    package = Path(__file__).resolve().parent
    return digest(*[p.read_bytes() for p in sorted(package.glob("*.py"))])[:16]


SCHEMA = f"sitegen-cache-1/{__version__}/{_code_digest()}"


def cache_dir_for(site: Path, output: Path) -> Path:
    """The cache lives in the site folder, never beside the output (whose parent may not be writable):
    site/public/ -> site/.sitegen-cache/public/; any other output gets its name and a hash of its path."""
    out = output.resolve()
    name = out.name if out.parent == site.resolve() else f"{out.name}-{digest(os.fspath(out))[:12]}"
    return site / ".sitegen-cache" / name


def discard(folder: Path) -> None:
    """Forget a cache whose saving failed: without its index, the next build starts from scratch."""
    try:
        (folder / CACHE_FILE).unlink(missing_ok=True)
    except OSError:
        pass


FileRecord = tuple[int, int, int, str]  # size, mtime, inode, content hash


@dataclass
class BuildState:
    """What one build leaves for the next; kept in memory by `serve`, on disk otherwise."""

    files: dict[str, FileRecord] = field(default_factory=dict)  # path -> stat + hash
    # compile key -> (post with image sizes, problems, signature of the images it was sized with)
    compiled: dict[str, tuple[Post | None, list[Problem], str]] = field(default_factory=dict)
    # out -> fingerprint, size, mtime, fingerprint without the shared partials (see render.PageRecord)
    pages: dict[str, tuple[str, int, int, str]] = field(default_factory=dict)
    fragments: dict[str, str] = field(default_factory=dict)  # shared partial -> its HTML in the last build
    fragments_key: str = ""  # digest of the templates and shared variables they were made from
    layout_key: str = ""  # what every page but those showing a whole post was made of (pipeline._layout_key)
    images_checked: str = ""  # the files beside the posts when every post's image signature was last checked
    post_digests: set[str] = field(default_factory=set)  # digests of the posts of the last build
    # templates digest, the shared partials they use and the shared variables pages see (templates.SharedUse)
    shared_use: tuple[str, tuple[str, ...], tuple[str, ...]] = ("", (), ())
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # image content hash -> pixel size
    touched: set[str] = field(default_factory=set)  # files hashed this build (not saved)
    dirty: bool = False  # the index has something to save (not saved)
    dirty_shards: set[str] = field(default_factory=set)  # body shards of compiled posts to save (not saved)
    used: set[str] = field(default_factory=set)  # compile keys of this build (not saved)
    views: dict[str, str] = field(default_factory=dict)  # (view kind + post digest) -> view digest
    envs: dict[str, Any] = field(default_factory=dict)  # templates digest -> Jinja environment (not saved)
    unchanged: set[str] = field(default_factory=set)  # paths a watcher saw unchanged since the last build
    articles: dict[str, tuple[str, str]] = field(default_factory=dict)  # out -> (cheap key, fingerprint)
    remember: bool = True  # False for --no-cache: nothing is kept, so no fingerprint is worth computing
    templates_ok: str = ""  # digest of the templates that last compiled without an error
    folder: Path | None = None  # the cache folder this state was read from, for bodies (not saved)
    bodies: dict[str, dict[str, str] | None] = field(default_factory=dict)  # shard -> bodies read (not saved)

    def set_compiled(self, key: str, entry: tuple[Post | None, list[Problem], str]) -> None:
        self.compiled[key] = entry
        self.dirty_shards.add(key[:3])

    def forget_compiled_except(self, keys: set[str]) -> None:
        for key in [k for k in self.compiled if k not in keys]:
            del self.compiled[key]
            self.dirty_shards.add(key[:3])

    def body(self, key: str, signature: str) -> str | None:
        """The stored body of the post compiled under `key` and sized with `signature`; None if lost."""
        shard = key[:3]
        if shard not in self.bodies:
            try:
                self.bodies[shard] = _dict(_read_checked(self.folder / BODIES_DIR / f"{shard}.json"))
            except (OSError, ValueError, TypeError):  # also when there is no folder
                self.bodies[shard] = None
        found = (self.bodies[shard] or {}).get(body_key(key, signature))
        return found if isinstance(found, str) else None

    def known_hash(self, path: Path | str) -> str | None:
        """The content hash recorded for a file whose size, mtime and inode are unchanged; None otherwise."""
        key = os.fspath(path)
        if key in self.touched:  # already looked at in this build
            return self.files[key][3] if key in self.files else None
        if key in self.unchanged and key in self.files:  # serve's watcher saw it unchanged: no stat needed
            self.touched.add(key)  # still in use: its record is kept
            return self.files[key][3]
        try:
            info = os.stat(key)
        except OSError:
            return None
        known = self.files.get(key)
        if known and known[:3] == (info.st_size, info.st_mtime_ns, info.st_ino):
            self.touched.add(key)
            return known[3]
        return None

    def remember_hash(self, path: Path | str, record: FileRecord) -> None:
        """A hash worked out elsewhere (by a compiling worker) from the bytes read after that stat."""
        key = os.fspath(path)
        self.touched.add(key)
        if self.files.get(key) != record:
            self.files[key] = record
            self.dirty = True

    def file_hash(self, path: Path | str) -> str:
        """Content hash of a file; re-read only when its size, mtime or inode changed."""
        key = os.fspath(path)
        known = self.known_hash(key)
        if known is not None:
            return known
        info = os.stat(key)
        with open(key, "rb") as handle:
            value = digest(handle.read())
        self.remember_hash(key, (info.st_size, info.st_mtime_ns, info.st_ino, value))
        return value


def load(folder: Path, cfg: Config) -> BuildState:
    """The cache in `folder`, or an empty state if it is missing, damaged or foreign.

    Compiled posts live in 256 shard files by key, their bodies in 4,096; a
    damaged shard only costs its own posts being compiled again.
    """
    try:
        raw = _dict(_read_checked(folder / CACHE_FILE))
        state = BuildState(
            files={str(k): _stat(v) for k, v in _dict(raw["files"]).items()},
            pages={str(k): _page(v) for k, v in _dict(raw["pages"]).items()},
            sizes={str(k): _size(v) for k, v in _dict(raw["sizes"]).items()},
            views={str(k): _text(v) for k, v in _dict(raw["views"]).items()},
            articles={str(k): _pair(v) for k, v in _dict(raw["articles"]).items()},
            templates_ok=_text(raw["templates_ok"]),
            fragments={str(k): _text(v) for k, v in _dict(raw["fragments"]).items()},
            fragments_key=_text(raw["fragments_key"]),
            layout_key=_text(raw["layout_key"]),
            images_checked=_text(raw["images_checked"]),
            post_digests=set(map(_text, raw["post_digests"])),
            shared_use=_shared_use(raw["shared_use"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, OverflowError):
        return BuildState()
    state.folder = folder
    categories = {c.key: c for c in cfg.categories}
    for shard in sorted((folder / POSTS_DIR).glob("*.json")):
        try:
            entries = {str(k): _compiled(v, cfg, categories) for k, v in _dict(_read_checked(shard)).items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, OverflowError):
            continue
        if all(key[:2] == shard.stem for key in entries):
            state.compiled.update(entries)
    return state


def body_key(key: str, signature: str) -> str:
    """Bodies are stored under compile key and image signature: image sizes are part of a body."""
    return f"{key}:{signature}"


def _read_checked(path: Path) -> Any:
    body, _, trailer = path.read_bytes().rpartition(b"\n")
    checksum = hashlib.blake2b(body, digest_size=16).hexdigest()
    if trailer != f"{SCHEMA} {checksum}".encode():
        raise CacheError("foreign or damaged")
    return orjson.loads(body)


def _write_checked(path: Path, payload: Any) -> None:
    """JSON, then a trailer line with the schema and a checksum of the JSON; atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = orjson.dumps(payload)
    trailer = f"\n{SCHEMA} {hashlib.blake2b(body, digest_size=16).hexdigest()}".encode()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
            handle.write(trailer)
        os.replace(tmp, path)
    except BaseException:  # a full disk: no half-written file stays behind
        Path(tmp).unlink(missing_ok=True)
        raise


def _index(state: BuildState) -> dict[str, Any]:
    return {"files": state.files, "pages": state.pages, "sizes": state.sizes, "views": state.views,
            "articles": state.articles, "templates_ok": state.templates_ok, "fragments": state.fragments,
            "fragments_key": state.fragments_key, "shared_use": state.shared_use, "layout_key": state.layout_key,
            "images_checked": state.images_checked, "post_digests": sorted(state.post_digests)}


def save(folder: Path, state: BuildState) -> None:
    """Write what changed: the index, and the shards of compiled posts that gained or lost an entry.

    A shard's bodies are written before its posts: a build killed in between
    leaves posts whose bodies are missing (compiled again), never wrong ones.
    """
    if state.dirty or not (folder / CACHE_FILE).is_file():
        _write_checked(folder / CACHE_FILE, _index(state))
    shards: dict[str, dict[str, Any]] = {}
    bodies: dict[str, dict[str, str]] = {}
    post_shards = {shard[:2] for shard in state.dirty_shards}
    for key, (post, found, signature) in state.compiled.items():
        if key[:2] not in post_shards:
            continue
        if key[:3] in state.dirty_shards:
            body = post.body_html if post else ""
            if body == NOT_LOADED and state.folder is not None and state.folder.resolve() == folder.resolve():
                body = state.body(key, signature) or NOT_LOADED
            if body == NOT_LOADED:
                continue  # its body is lost: leave it out, so it is compiled again next time
            bodies.setdefault(key[:3], {})[body_key(key, signature)] = body
        record = [post_record(post) if post else None, [problem_record(x) for x in found], signature]
        shards.setdefault(key[:2], {})[key] = record
    for kind, dirty, payload in ((BODIES_DIR, state.dirty_shards, bodies), (POSTS_DIR, post_shards, shards)):
        for shard in sorted(dirty):
            path = folder / kind / f"{shard}.json"
            if shard in payload:
                _write_checked(path, payload[shard])
            else:
                path.unlink(missing_ok=True)
            state.bodies.pop(shard, None)
    state.dirty = False
    state.dirty_shards = set()


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


def _compiled(value: Any, cfg: Config, categories: dict[str, Category]) -> tuple[Post | None, list[Problem], str]:
    record, found, signature = value
    post = post_from_record(record, cfg, categories) if record is not None else None
    return post, [problem_from_record(x) for x in found], str(signature)


def problem_record(item: Problem) -> list:
    return [item.path, item.line, item.code, [list(pair) for pair in item.args], item.severity]


def problem_from_record(value: Any) -> Problem:
    path, line, code, args, severity = value
    if severity not in ("error", "warning") or not isinstance(line, int):
        raise CacheError("problem")
    return Problem(str(path), line, str(code), tuple((str(k), str(v)) for k, v in args), severity)


_TEXT = ("source", "title", "slug", "url", "summary", "image", "image_caption", "image_alt", "author", "id")


def post_record(post: Post) -> list[Any]:
    """A post without its body as a JSON list: the _TEXT fields, then the rest in a fixed order."""
    return [*(getattr(post, name) for name in _TEXT),
            post.date.isoformat() if post.date else None, post.has_time,
            post.category.key if post.category else None, post.views, list(post.tags), post.draft,
            post.updated.isoformat() if post.updated else None, list(post.aliases), post.is_page,
            [list(ref) for ref in post.local_refs], post.image_width, post.image_height]


def post_from_record(record: Any, cfg: Config, categories: dict[str, Category]) -> Post:
    if type(record) is not list or len(record) != len(_TEXT) + 12:
        raise CacheError("post")
    (source, title, slug, url, summary, image, caption, alt, author, post_id, date, has_time, category_key,
     views, tags, draft, updated, aliases, is_page, local_refs, width, height) = record
    if not set(map(type, record[: len(_TEXT)])) <= {str}:  # map and set: ten thousand posts are read every build
        raise CacheError("post")
    category = categories.get(category_key) if category_key is not None else None
    if category_key is not None and category is None:
        raise CacheError("category")
    if not set(map(type, (views, width, height))) <= {int}:  # bool is not int here
        raise CacheError("number")
    refs = tuple((str(ref), int(line)) for ref, line in local_refs)
    return Post(source, title, slug, url, NOT_LOADED, summary, _when(date, cfg), bool(has_time), category, views,
                tuple(map(str, tags)), image, caption, alt, author, bool(draft), _when(updated, cfg), post_id,
                tuple(map(str, aliases)), bool(is_page), refs, width, height)


def _when(value: Any, cfg: Config) -> datetime | None:
    if value is None:
        return None
    stamp = datetime.fromisoformat(value)
    if stamp.tzinfo is None:
        raise CacheError("naive date")
    return stamp.astimezone(cfg.tz)
