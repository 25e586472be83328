"""What is remembered between builds (`Saved`), what lives for one build (`Scratch`), and the one
build's view of both (`Ledger`). Only this package changes them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.hashing import digest, read_checked
from sitegen.kinds import Post
from sitegen.problems import Problem

FileRecord = tuple[int, int, int, str]  # size, mtime, inode, content hash
PageRecord = tuple[str, int, int, str]  # fingerprint, size, mtime, fingerprint without the shared partials
Compiled = tuple[Post | None, list[Problem], str]  # post with image sizes, problems, signature of those images
# Bodies of compiled posts, read only when a page or feed shows them, in 4,096 shards by three hex digits
# of their key: the feeds' twenty posts of each category then cost a few small files.
BODIES_DIR = "bodies"


def body_key(key: str, signature: str) -> str:
    """Bodies are stored under compile key and image signature: image sizes are part of a body."""
    return f"{key}:{signature}"


def read_bodies(folder: Path | None, shard: str) -> dict[str, str] | None:
    """One shard of stored bodies; None when there is none or it is damaged."""
    try:
        found = read_checked(folder / BODIES_DIR / f"{shard}.json")  # type: ignore[operator]
    except (OSError, ValueError, TypeError):  # also when there is no folder
        return None
    return found if isinstance(found, dict) else None


@dataclass
class Saved:
    """What one build leaves for the next: on disk in the site's cache folder, or in a Memory its caller keeps."""

    files: dict[str, FileRecord] = field(default_factory=dict)  # path -> stat + hash
    compiled: dict[str, Compiled] = field(default_factory=dict)  # compile key -> compiled post
    pages: dict[str, PageRecord] = field(default_factory=dict)  # out -> how it was written
    fragments: dict[str, str] = field(default_factory=dict)  # shared partial -> its HTML in the last build
    others: dict[str, str] = field(default_factory=dict)  # "Các tin khác" of each category and variant (others.py)
    fragments_key: str = ""  # digest of the templates and shared variables they were made from
    layout_key: str = ""  # what every page but those showing a whole post was made of (planning.layout_key)
    images_checked: str = ""  # the files beside the posts when every post's image signature was last checked
    post_digests: set[str] = field(default_factory=set)  # digests of the posts of the last build
    # templates digest, the shared partials they use and the shared variables pages see (template_use.SharedUse)
    shared_use: tuple[str, tuple[str, ...], tuple[str, ...]] = ("", (), ())
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # image content hash -> pixel size
    views: dict[str, str] = field(default_factory=dict)  # (view kind + post digest) -> view digest
    articles: dict[str, tuple[str, str]] = field(default_factory=dict)  # out -> (cheap key, fingerprint)
    templates_ok: str = ""  # digest of the templates that last compiled without an error
    folders: dict[str, tuple[int, int]] = field(default_factory=dict)  # output folder -> mtime, inode (folders.py)
    templates_seen: tuple[str, str] = ("", "")  # (stats of the template files, their digest): fingerprints.py
    # page template -> the key of the templates its pages use, "" -> the templates digest they hold for
    template_keys: dict[str, str] = field(default_factory=dict)


@dataclass
class Scratch:
    """What one build keeps for itself and forgets at its end."""

    touched: set[str] = field(default_factory=set)  # files looked at this build: their records are kept
    dirty: bool = False  # the index has something to save
    dirty_shards: set[str] = field(default_factory=set)  # body shards of compiled posts to save
    used: set[str] = field(default_factory=set)  # compile keys of this build
    bodies: dict[str, dict[str, str] | None] = field(default_factory=dict)  # shard -> bodies read
    seen: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # path -> size, mtime, inode listed already


class Memory:
    """What builds keep from one to the next: the saved state and the Jinja environment.

    A build reads one from the cache folder (`folder`) and writes it back (`serve` too, build after build);
    tests keep one in their process across builds; `--no-cache` is one that remembers nothing.
    """

    def __init__(self, saved: Saved | None = None, folder: Path | None = None, remember: bool = True) -> None:
        self.saved = saved if saved is not None else Saved()
        self.folder = folder  # where the bodies of compiled posts are read from; None: all in memory
        self.remember = remember  # False for --no-cache: no fingerprint is worth computing
        self.envs: dict[str, Any] = {}  # templates digest -> Jinja environment


class Ledger:
    """One build's use of the memory: every change to the saved state goes through here or the planner."""

    def __init__(self, memory: Memory) -> None:
        self.memory = memory
        self.saved = memory.saved
        self.scratch = Scratch()
        self.remember = memory.remember

    def set_compiled(self, key: str, entry: Compiled) -> None:
        self.saved.compiled[key] = entry
        self.scratch.dirty_shards.add(key[:3])

    def forget_compiled_except(self, keys: set[str]) -> None:
        for key in [k for k in self.saved.compiled if k not in keys]:
            del self.saved.compiled[key]
            self.scratch.dirty_shards.add(key[:3])

    def body(self, key: str, signature: str) -> str | None:
        """The stored body of the post compiled under `key` and sized with `signature`; None if lost."""
        shard = key[:3]
        if shard not in self.scratch.bodies:
            self.scratch.bodies[shard] = read_bodies(self.memory.folder, shard)
        found = (self.scratch.bodies[shard] or {}).get(body_key(key, signature))
        return found if isinstance(found, str) else None

    def known_hash(self, path: Path | str) -> str | None:
        """The content hash recorded for a file whose size, mtime and inode are unchanged; None otherwise."""
        key = os.fspath(path)
        files, scratch = self.saved.files, self.scratch
        if key in scratch.touched:  # already looked at in this build
            return files[key][3] if key in files else None
        found = scratch.seen.get(key)  # listed at the start of this build, before any file was read
        if found is None:
            try:
                info = os.stat(key)
            except OSError:
                return None
            found = (info.st_size, info.st_mtime_ns, info.st_ino)
        known = files.get(key)
        if known and known[:3] == found:
            scratch.touched.add(key)
            return known[3]
        return None

    def remember_hash(self, path: Path | str, record: FileRecord) -> None:
        """A hash worked out elsewhere (by a compiling worker) from the bytes read after that stat."""
        key = os.fspath(path)
        self.scratch.touched.add(key)
        if self.saved.files.get(key) != record:
            self.saved.files[key] = record
            self.scratch.dirty = True

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

    def record_page(self, rel: str, record: PageRecord) -> None:
        if self.saved.pages.get(rel) != record:
            self.saved.pages[rel] = record
            self.scratch.dirty = True

    def keep_only_current(self, outputs: set[str], post_digests: set[str]) -> None:
        """Forget what this build no longer used, so the cache does not grow forever."""
        saved = self.saved
        self.forget_compiled_except(self.scratch.used)
        files = {k: v for k, v in saved.files.items() if k in self.scratch.touched}
        pages = {k: v for k, v in saved.pages.items() if k in outputs}
        used_sizes = {v[3] for v in files.values()}
        sizes = {k: v for k, v in saved.sizes.items() if k in used_sizes}
        articles = {k: v for k, v in saved.articles.items() if k in outputs}
        views = {k: v for k, v in saved.views.items() if k.partition(":")[2] in post_digests}
        if ((len(files), len(pages), len(sizes), len(articles), len(views))
                != (len(saved.files), len(saved.pages), len(saved.sizes), len(saved.articles), len(saved.views))):
            self.scratch.dirty = True
        saved.files, saved.pages, saved.sizes, saved.articles, saved.views = files, pages, sizes, articles, views
