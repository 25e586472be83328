"""A build where only the bodies of a few posts changed: their own pages rendered alone, from what the last
full build kept, nothing else read.

A command-line build with its cache keeps, beside its stamp (quiet.py), an
index in SQLite (`INDEX_FILE`): per published post, a digest of all that pages
other than its own show of it (its fields but the body, its search record,
whether a feed shows it, the views counted for it), and once the variables and
partials every page shares and the newest posts of each category ("Các tin
khác"). SQLite because one post's row is read by its key without the rest being
loaded, a write is atomic, and it comes with Python.

The next build takes this path (`attempt`) when the only inputs whose size,
mtime or inode differ from the stamp's (which lists the site's files by stat,
and names the full build the index stands for) are existing posts with a row, the
output is as the stamp says and nothing has fallen due, and each changed post
compiles without a problem into the same digest, outside any feed. Its own
pages (article or standalone page, redirects) are rendered with the kept
variables and committed through the output's transaction, and the stamp is
written again; the index is only read. Anything else is the full build's: it is
always right.

The pages written here are not in the cache's records: the next full build
finds their sources and files changed and renders them again, to the same bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from markupsafe import Markup

from sitegen import context, hashing, search_records, templates, writer
from sitegen.incremental import quiet
from sitegen.kinds import Post
from sitegen.model import Config
from sitegen.problems import os_problem

INDEX_FILE = "narrow.sqlite"  # in the cache folder, beside the stamp
MAX_CHANGED = 20  # more changed posts than this: the full build
_NOT_SHAPE = frozenset({"body_html", "local_refs"})  # a post's own pages alone show these
_SHAPE = tuple(f.name for f in dataclasses.fields(Post) if f.name not in _NOT_SHAPE)
_FORMAT = "narrow-3"


@dataclass
class Basis:
    """What a full build hands over for the index: its config, catalogue, shared variables and partials,
    the views counted from the logs (viewfile.Counted) and the search records by source (None: none)."""

    cfg: Config
    cat: Any  # catalog.Catalog
    shared: dict[str, Any]
    fragments: dict[str, str]
    counted: Any
    records: dict[str, list] | None
    in_feeds: set[str]
    digests: dict[str, str]  # source -> digest of the post as shown (compiling.Compiled, views added)


def shape(post: Post) -> str:
    """A digest of what pages other than the post's own show of it (the post as shown, views added)."""
    return hashlib.blake2b(orjson.dumps([getattr(post, name) for name in _SHAPE]), digest_size=16).hexdigest()


def index_path(folder: Path) -> Path:
    return folder / INDEX_FILE


def forget(folder: Path) -> None:
    try:
        index_path(folder).unlink(missing_ok=True)
    except OSError:
        pass


# --- keeping the index (a full build) ---------------------------------------------------------------


def keep(folder: Path, inputs: tuple[str, dict[str, list[int]], str], basis: Basis) -> None:
    """Bring the index up to a full build whose stamp stands for `inputs` (digest, the site's files, the
    rest); no index when the build's values cannot be kept."""
    if basis.cfg.search and basis.records is None:  # the search index was not made
        forget(folder)
        return
    try:
        heads = {key: basis.cat.links(posts[: context.OTHER_POSTS + 1]) for key, posts in basis.cat.by_category.items()}
        kept = pickle.dumps({"shared": basis.shared, "fragments": basis.fragments, "heads": heads},
                            protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):  # a data file's value that cannot be kept
        forget(folder)
        return
    meta = {"format": _FORMAT.encode(), "inputs": inputs[0].encode(), "rest": inputs[2].encode(), "kept": kept}
    try:
        if not _update(index_path(folder), meta, basis):
            _write_new(folder, meta, basis)
    except (OSError, sqlite3.Error):  # a full disk: the next build is the full one
        forget(folder)


def _update(path: Path, meta: dict[str, bytes], basis: Basis) -> bool:
    """The last build's index brought up to this one in one transaction, only the rows of posts that changed
    written again; False when there is none to update (or it is not ours, or not of this format)."""
    try:
        db = _open(path, write=True)
    except (OSError, ValueError, sqlite3.Error):
        return False
    with _closing(db):
        try:
            if _meta(db, "format") != _FORMAT.encode():
                return False
            old = {row[0]: tuple(row[1:]) for row in db.execute("SELECT source, digest, in_feed FROM posts")}
        except (KeyError, sqlite3.Error):
            return False
        rows = _rows(basis, old)
        gone = old.keys() - {post.source for post in basis.cat.posts + basis.cat.pages}
        db.executemany("DELETE FROM posts WHERE source = ?", [(source,) for source in sorted(gone)])
        db.executemany("INSERT OR REPLACE INTO posts VALUES (?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
        db.commit()
    return True


def _write_new(folder: Path, meta: dict[str, bytes], basis: Basis) -> None:
    tmp = folder / f".tmp-{os.getpid()}-{INDEX_FILE}"
    try:
        tmp.unlink(missing_ok=True)
        with _closing(sqlite3.connect(tmp)) as db:
            db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB)")
            db.execute("CREATE TABLE posts (source TEXT PRIMARY KEY, digest TEXT, in_feed INTEGER, shape TEXT,"
                       " search TEXT, views INTEGER)")
            db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            db.executemany("INSERT INTO posts VALUES (?, ?, ?, ?, ?, ?)", _rows(basis, {}))
            db.commit()
        os.chmod(tmp, 0o600)  # it holds pickled values: read only when no one else may write it
        os.replace(tmp, index_path(folder))
    finally:
        tmp.unlink(missing_ok=True)


def _rows(basis: Basis, old: dict[str, tuple]) -> list[tuple[str, str, int, str, str, int]]:
    """The rows of the posts whose digest or place in the feeds is not the one in `old` (source -> (digest,
    in_feed))."""
    from sitegen import viewcount

    rows, records, search_on = [], basis.records or {}, basis.cfg.search
    for post in basis.cat.posts + basis.cat.pages:
        source = post.source
        now = (basis.digests.get(source, ""), int(source in basis.in_feeds))
        if now[0] and old.get(source) == now:
            continue
        found = records.get(source) if search_on and post.search else None
        rows.append((source, *now, shape(post), search_records.digest(found[1]) if found else "",
                     viewcount.counted_for(basis.counted, post) if basis.counted else 0))
    return rows


class _closing:
    """sqlite3's connection as a context manager that also closes it (its own only ends the transaction)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        return self.db

    def __exit__(self, *exc: object) -> None:
        self.db.close()


# --- using it (the next build) ------------------------------------------------------------------------


@dataclass
class Attempt:
    """What the narrow build is given: the build's settings and the stamp of its inputs."""

    site: Path
    out: Path
    theme: tuple[Path, ...]
    cfg: Config
    now: datetime
    folder: Path  # the cache folder
    inputs: tuple[str, dict[str, list[int]], str]  # as quiet.inputs gives them


def attempt(given: Attempt, stamp: dict, result: Any) -> bool:
    """Build the changed posts' own pages alone and fill `result` (pipeline.Result); False when the full
    build is needed (nothing was written then). `stamp`: the last build's, its output known to hold
    (quiet.output_holds)."""
    try:
        listed = writer.read_manifest(given.out)
        with _closing(_open(index_path(given.folder))) as db:
            found = _pages(given, stamp, db, listed)
    except (sqlite3.Error, OSError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            pickle.UnpicklingError, EOFError, ImportError):
        return False
    if found is None or not found[0].keys() <= listed:  # a page the last build did not write
        return False
    result.compiled = found[1]
    return _commit(given, stamp, found[0], listed, result)


def _open(path: Path, write: bool = False) -> sqlite3.Connection:
    """The index (read only unless `write`), if this user wrote it and no one else may write it (it holds
    pickled values)."""
    if not hashing.written_by_us_alone(os.stat(path)):
        raise ValueError("not our own index")
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode={'rw' if write else 'ro'}", uri=True)


def _meta(db: sqlite3.Connection, name: str) -> bytes:
    row = db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise KeyError(name)
    return bytes(row[0])


def _changed(given: Attempt, stamp: dict, db: sqlite3.Connection) -> list[str] | None:
    """The site's files changed since the stamp's build, if they are only a few posts' sources (the index
    standing for the stamp's last full build)."""
    if (_meta(db, "format") != _FORMAT.encode() or _meta(db, "inputs").decode() != stamp.get("full")
            or _meta(db, "rest").decode() != given.inputs[2]):
        return None
    before, now = stamp["own"], given.inputs[1]
    if before.keys() != now.keys():
        return None
    changed = [rel for rel, info in now.items() if before[rel] != info]
    if not changed or len(changed) > MAX_CHANGED:
        return None
    if not all(rel.startswith("content/") and rel.endswith(".md") for rel in changed):
        return None
    recorded = {record[0] for record in stamp["problems"]}
    return None if recorded & set(changed) else changed


def _pages(given: Attempt, stamp: dict, db: sqlite3.Connection,
           listed: set[str]) -> tuple[dict[str, bytes], int] | None:
    """The changed posts' own pages by output path, and how many posts changed; None when one of them needs
    the full build (`listed`: the output's files, writer.read_manifest)."""
    changed = _changed(given, stamp, db)
    if changed is None:
        return None
    posts = []
    for rel in changed:
        row = db.execute("SELECT shape, search, views, in_feed FROM posts WHERE source = ?", (rel,)).fetchone()
        post = _compiled(given, rel, row, listed) if row is not None else None
        if post is None:
            return None
        posts.append(post)
    kept = pickle.loads(_meta(db, "kept"))  # noqa: S301 - our own index (_open)
    files = _render(given, kept, posts)
    return (files, len(posts)) if files is not None else None


def _compiled(given: Attempt, rel: str, row: tuple[str, str, int, int], listed: set[str]) -> Post | None:
    """The post compiled again as the full build would, if it has no problem and its digest is the row's."""
    from sitegen.incremental.compiling import Sizer
    from sitegen.incremental.state import Ledger, Memory
    from sitegen.posts import compile_post, refs_missing, renderer_for

    shape_was, search_was, views, in_feed = row
    if in_feed:
        return None
    cfg = given.cfg
    post, found = compile_post(given.site, rel, cfg, renderer_for(cfg))
    # Only a name that is not ASCII may be one the Sizer maps (stored decomposed): the others are left out at once.
    statics = [name for name in given.inputs[1]
               if not name.isascii() and name.startswith("content/") and not name.endswith(".md")]
    sizer = Sizer(given.site, cfg, Ledger(Memory(remember=False)), statics)
    post = sizer.size(post)
    if post is None or found or sizer.undecodable(post):
        return None
    post = replace(post, views=post.views + views)
    if shape(post) != shape_was:
        return None
    if cfg.search and post.search:
        if search_records.post_record(post, cfg.language, cfg.search_text).digest() != search_was:
            return None
    if refs_missing(post, listed):
        return None
    return post


def _render(given: Attempt, kept: dict[str, Any], posts: list[Post]) -> dict[str, bytes] | None:
    env = templates.make_env(given.site, given.cfg, theme=given.theme)
    templates.new_build(env, {name: Markup(html) for name, html in kept["fragments"].items()})
    shared, files = kept["shared"], {}
    for post in posts:
        others = None
        if not post.is_page:
            head = kept["heads"][post.category.key]
            others = [link for link in head if link.source != post.source][: context.OTHER_POSTS]
        for job in context.own_jobs(given.cfg, None, post, others):
            page, found = templates.render(env, job.template, {**shared, **(job.context or {})})
            if page is None or found:
                return None
            files[job.out] = page.encode("utf-8")
    return files


def _commit(given: Attempt, stamp: dict, files: dict[str, bytes], listed: set[str], result: Any) -> bool:
    """Stage and commit the pages (`listed`: the output's files, which they are among); the result and the new
    stamp as the full build would give them."""
    try:
        tx = writer.stage(given.out, dict(files), listed, existed=True, use_spares=False)
        tx.listed = listed
    except (OSError, writer.UnsafePath):  # the full build says why
        return False
    try:
        stats = tx.commit()
    except OSError as err:
        tx.abort()
        writer.remove_leftovers(given.out)
        quiet.forget(given.folder)
        result.problems.append(os_problem(str(given.out), "write_failed", err))
        return True
    quiet.repeat(stamp, result)
    result.stats, result.rendered = stats, len(files)
    result.layout_kept, result.narrow = True, True
    quiet.save_narrowed(given.folder, given.inputs, given.out, stamp, stats.paths, tx.names, given.cfg, given.now)
    return True

