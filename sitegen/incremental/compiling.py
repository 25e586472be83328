"""Markdown files to Posts, each compiled again only when its bytes, its settings or its images change.

A file whose size, mtime or inode changed is read (and hashed) only by the
worker that compiles it. Each post gets a digest (its compile key and the
images it was sized with), which stands for the whole Post in page fingerprints.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

from sitegen import context, images, workers
from sitegen.hashing import digest
from sitegen.incremental.state import Compiled as CompiledEntry
from sitegen.incremental.state import FileRecord, Ledger
from sitegen.incremental.store import NOT_LOADED
from sitegen.kinds import Post
from sitegen.loader import Parsed, published_name
from sitegen.model import Config
from sitegen.posts import compile_post, renderer_for
from sitegen.problems import Problem, problem

_IMAGE_SUFFIXES = context.IMAGE_SUFFIXES


def compile_settings(cfg: Config) -> str:
    """The settings that shape a compiled post: any change compiles every post again."""
    return repr([cfg.base_url, cfg.language, cfg.timezone, list(cfg.embed_hosts),
                 [[c.key, c.name, c.description] for c in cfg.categories]])


def compile_key(settings: str, rel: str, content_hash: str) -> str:
    """A compiled post depends on its bytes, its path and the settings Markdown rendering reads."""
    return digest(rel, content_hash, settings)


@dataclass
class Compiled:
    posts: list[Post]  # in the order of the sources; bodies read from the cache come NOT_LOADED
    digests: dict[str, str]  # source -> digest standing for the whole post
    problems: list[Problem]
    count: int  # files compiled (not taken from the cache)


class Sizer:
    """Pixel sizes of the images a post shows: its cover and every local <img> of its body."""

    def __init__(self, site: Path, cfg: Config, ledger: Ledger, statics: list[str]) -> None:
        self.content = site / "content"
        self.cfg = cfg
        self.ledger = ledger
        # Published (NFC) name -> the name on disk, where a Mac saved it decomposed (NFD); an ASCII name is
        # composed already.
        self.on_disk = {published_name(rel): rel.split("/", 1)[1] for rel in statics
                        if not rel.isascii() and published_name(rel) != rel.split("/", 1)[1]}

    def _file(self, site_path: str) -> str:
        name = unicodedata.normalize("NFC", unquote(site_path.lstrip("/")))
        return self.on_disk.get(name, name)

    def _hash(self, site_path: str) -> str:
        try:
            return self.ledger.file_hash(os.path.join(self.content, self._file(site_path)))
        except OSError:
            return ""

    def signature(self, post: Post | None) -> str:
        """The content hashes of the post's local images: sizes are redone when one changes."""
        if post is None:
            return ""
        paths = [ref for ref, _ in post.local_refs if ref.lower().endswith(_IMAGE_SUFFIXES)]
        return digest(*[self._hash(path) for path in paths]) if paths else ""

    def size_of(self, site_path: str) -> tuple[int, int] | None:
        key = self._hash(site_path)
        if not key:
            return None
        sizes = self.ledger.saved.sizes
        if key not in sizes:
            sizes[key] = images.dimensions(self.content / self._file(site_path)) or (0, 0)
        return sizes[key] if sizes[key][0] else None

    def undecodable(self, post: Post | None) -> list[Problem]:
        """A warning for each image of the post that is there but whose size cannot be read: a damaged
        file, or a web page saved as .jpg, would otherwise be published silently."""
        if post is None:
            return []
        return [problem(post.source, line, "image_undecodable", "warning", value="content" + unquote(ref))
                for ref, line in dict.fromkeys(post.local_refs)
                if ref.lower().endswith(_IMAGE_SUFFIXES) and self._hash(ref) and self.size_of(ref) is None]

    def size(self, post: Post | None) -> Post | None:
        if post is None:
            return None
        cover = self.size_of(post.image) if post.image.startswith("/") else None
        body = post.body_html
        if "<img" in body:
            body = images.add_sizes(body, self.size_of, self.cfg.base_path)
        return replace(post, body_html=body, image_width=cover[0] if cover else 0,
                       image_height=cover[1] if cover else 0)


class Bodies:
    """Posts read from the cache come without their bodies; `full` reads a body when a page or feed shows it."""

    def __init__(self, site: Path, cfg: Config, ledger: Ledger, keys: dict[str, str], sizer: Sizer) -> None:
        self.site, self.cfg, self.ledger, self.sizer = site, cfg, ledger, sizer
        self.keys = keys  # source -> compile key

    def full(self, post: Post) -> Post:
        found = self.stored(post)
        if found is not None:
            return found
        key = self.keys[post.source]
        compiled, found_problems, signature = self.ledger.saved.compiled[key]
        # The body shard is damaged or lost: compile the post again (the same bytes give the same post).
        again = self.sizer.size(compile_post(self.site, post.source, self.cfg, renderer_for(self.cfg))[0])
        body = again.body_html if again else ""
        self.ledger.set_compiled(key, (replace(compiled, body_html=body), found_problems, signature))
        return replace(post, body_html=body)

    def stored(self, post: Post) -> Post | None:
        """The post with its body as the cache holds it; None when that body is lost (`full` compiles it)."""
        if post.body_html != NOT_LOADED:
            return post
        key = self.keys[post.source]
        compiled, found, signature = self.ledger.saved.compiled[key]
        body = self.ledger.body(key, signature)
        if body is None:
            return None
        self.ledger.saved.compiled[key] = (replace(compiled, body_html=body), found, signature)
        return replace(post, body_html=body)  # the post as shown: its counted views added (viewcount)

    def in_shard_order(self, jobs: list[context.Job]) -> list[context.Job]:
        """`jobs` sorted (stably) by the shard of the cache that holds their posts' bodies (a compile key's
        first three digits, state.BODIES_DIR). The workers take the jobs in runs, so each then reads about
        its share of the shards, not nearly all of them: a template edit renders every article."""
        return sorted(jobs, key=lambda job: self.keys.get(job.source, "")[:3])

    def job(self, job: context.Job) -> context.Job:
        """The job with every post of its context whole (articles, pages and redirects hold one)."""
        return self._whole(job, self.full)  # type: ignore[return-value]

    def stored_job(self, job: context.Job) -> context.Job | None:
        """As `job`, in a rendering worker: None when a body is lost, for the main process to compile it
        (and keep it in the cache)."""
        return self._whole(job, self.stored)

    @staticmethod
    def _whole(job: context.Job, full: Callable[[Post], Post | None]) -> context.Job | None:
        if job.context is None or not any(isinstance(v, Post) for v in job.context.values()):
            return job
        whole = {}
        for name, value in job.context.items():
            if isinstance(value, Post) and (value := full(value)) is None:  # type: ignore[assignment]
                return None
            whole[name] = value
        return replace(job, context=whole)


def compile_all(ledger: Ledger, site_dir: Path, cfg: Config, worker_count: int, sources: list[str],
                statics: list[str] | None = None, parsed: Parsed | None = None) -> tuple[Compiled, Bodies]:
    """Every Markdown file as a Post with its image sizes, from the cache when its key is known (`parsed`:
    files parsed already, loader.read_source)."""
    site, settings, saved = os.fspath(site_dir), compile_settings(cfg), ledger.saved
    keys = {}
    for rel in sources:
        known = ledger.known_hash(os.path.join(site, rel))
        if known is not None:
            keys[rel] = compile_key(settings, rel, known)
    sizer = Sizer(site_dir, cfg, ledger, statics or [])
    # Image signatures are looked at only when some file beside the posts changed since they were.
    same_images = statics is not None and images_state(site, statics, ledger) == saved.images_checked
    stale = [rel for rel in sources if not _still_good(saved.compiled.get(keys.get(rel, "")), same_images, sizer)]
    compiling = _compile_many(site_dir, cfg, worker_count, stale, parsed)
    for rel, (post, found, record) in zip(stale, compiling, strict=True):
        keys[rel] = compile_key(settings, rel, record[3] if record else "unreadable")
        if record is not None:
            ledger.remember_hash(os.path.join(site, rel), record)
        ledger.set_compiled(keys[rel], (sizer.size(post), found + sizer.undecodable(post), sizer.signature(post)))
    done = Compiled([], {}, [], len(stale))
    for rel in sources:
        post, found, signature = saved.compiled[keys[rel]]
        done.problems.extend(found)
        if post is not None:
            done.posts.append(post)
            done.digests[rel] = digest(keys[rel], signature)
    ledger.scratch.used = set(keys.values())
    if statics is not None and not same_images:
        saved.images_checked = images_state(site, statics, ledger, hash_new=True) or ""
        ledger.scratch.dirty = True
    return done, Bodies(site_dir, cfg, ledger, keys, sizer)


def _still_good(entry: CompiledEntry | None, same_images: bool, sizer: Sizer) -> bool:
    """A compiled post can be used: it is known, and its images are those it was sized with."""
    return entry is not None and (same_images or entry[2] == sizer.signature(entry[0]))


def images_state(site: str, statics: list[str], ledger: Ledger, hash_new: bool = False) -> str | None:
    """A digest of the content hashes of every non-Markdown file of content/; None if one is not known
    (its size, mtime or inode changed, or it is new) unless `hash_new` has it read."""
    parts = []
    for rel in statics:
        path = os.path.join(site, rel)
        try:
            known = ledger.file_hash(path) if hash_new else ledger.known_hash(path)
        except OSError:
            return None
        if known is None:
            return None
        parts += [rel, known]
    return digest(*parts)


def _compile_many(site: Path, cfg: Config, worker_count: int, sources: list[str],
                  parsed: Parsed | None) -> Iterator[tuple[Post | None, list[Problem], FileRecord | None]]:
    return workers.stream(_compile_chunk, sources, worker_count, site=site, cfg=cfg, parsed=parsed)


def _compile_chunk(sources: list[str]) -> list[tuple[Post | None, list[Problem], FileRecord | None]]:
    """Compile in a worker: each file is read once, for its hash and its post."""
    work = workers.inherited()
    site, cfg, parsed = work["site"], work["cfg"], work["parsed"]
    renderer = renderer_for(cfg)
    done = []
    for rel in sources:
        try:
            info = os.stat(os.path.join(site, rel))
            raw = (site / rel).read_bytes()
        except OSError:  # compile_post reports it
            done.append((*compile_post(site, rel, cfg, renderer), None))
            continue
        record = (info.st_size, info.st_mtime_ns, info.st_ino, digest(raw))
        done.append((*compile_post(site, rel, cfg, renderer, raw, parsed), record))
    return done
