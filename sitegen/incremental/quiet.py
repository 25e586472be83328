"""A build with nothing to do: nothing the site's build reads changed since the start of the last build,
the output is as that build left it, and nothing has fallen due since. Then nothing is read, compiled,
planned or written, and the last build's summary and warnings are given again.

What the build reads is listed by size, mtime and inode: site.toml, content/,
data/, templates/ and assets/ of the site, templates/ and assets/ of its
parent themes and of the default theme (listing.files), with the
options and the generator's code. The output is looked at folder by folder
(folders.py: a page added, removed or renamed is seen; a page edited in place
is put right by `--no-cache`); a folder changed in the tick of the build's
own last change has each of its files looked at instead. What falls due by
itself: a scheduled post, a new day, a downtime notice (`next_change`).
Both looks are taken by forked processes while build.py imports its stages
(lookahead.py), when it has them.

The stamp is written only by a command-line build with its cache, of a site
on its own (a province's sites have their own stamps), and removed as any
other build starts, so a build killed half way never leaves one behind.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from sitegen import hashing, writer
from sitegen.incremental import lookahead
from sitegen.incremental.folders import folder_of
from sitegen.incremental.listing import STAMP_FILE, as_recorded, files, look
from sitegen.model import Config
from sitegen.templates import THEME_DIR


def digest_of(*parts: object) -> str:
    return hashing.digest(orjson.dumps(parts, option=orjson.OPT_SORT_KEYS).decode())


def next_change(cfg: Config, now: datetime, post_due: datetime | None) -> datetime:
    """The first moment the site's pages may change with nothing edited: its next scheduled post, the next
    day (the schedule's current week, the month of the statistics), a downtime notice starting or ending."""
    local = now.astimezone(cfg.tz)
    moments = [datetime(local.year, local.month, local.day, tzinfo=cfg.tz) + timedelta(days=1)]
    if post_due is not None:
        moments.append(post_due)
    if cfg.maintenance is not None:
        moments += [m for m in (cfg.maintenance.shown_from, cfg.maintenance.end) if m > now]
    return min(moments)


def inputs(site: Path, output: Path, theme: tuple[Path, ...],
           options: list[Any]) -> tuple[str, dict[str, list[int]], str]:
    """A digest of every file the site's build reads (by stat), the options and the generator's code; the
    site's files by stat (the build takes them instead of a stat of its own, state.Ledger.known_hash); and
    a digest of all but the site's own files (the themes, the options, the output folder, the code).
    The site's files are digested in the order their folders list them, not sorted: a folder lists its
    names in the same order until one is added, removed or renamed, and a listing in another order would
    only cost a build that was not needed."""
    themes = [files(folder, ("templates", "assets")) for folder in (*theme, THEME_DIR)]
    own = lookahead.own(site)
    if own is None:
        own = files(site)
    rest = digest_of(themes, options, os.fspath(output.resolve()), hashing.SCHEMA)
    return hashing.digest(orjson.dumps(own), rest), own, rest


def forget(folder: Path) -> None:
    try:
        (folder / STAMP_FILE).unlink(missing_ok=True)
    except OSError:
        pass


def read(folder: Path) -> dict | None:
    """The last build's stamp as written (None: there is none, or it cannot be read)."""
    try:
        stamp = orjson.loads((folder / STAMP_FILE).read_bytes())
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def output_holds(stamp: dict, out: Path, now: datetime) -> bool:
    """The output is as the stamp's build left it, nothing of it has fallen due, and that build gave only
    warnings (whatever its inputs)."""
    try:
        if not datetime.fromisoformat(stamp["since"]) <= now < datetime.fromisoformat(stamp["until"]):
            return False
        if os.path.lexists(os.path.join(out, writer.BUILDING)):  # a build was killed in its commit
            return False
        recorded = lookahead.recorded(out)
        if recorded is None:
            recorded = as_recorded(out, stamp["folders"], stamp["files"])
        if not recorded:
            return False
        problems = [hashing.problem_from_record(record) for record in stamp["problems"]]
        return all(p.severity == "warning" for p in problems)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, hashing.CacheError):
        return False


def repeat(stamp: dict, result: Any) -> None:
    """Give a build's result (pipeline.Result) the last build's summary: its files all unchanged, its warnings."""
    result.problems.extend(hashing.problem_from_record(record) for record in stamp["problems"])
    result.pages = stamp["pages"]
    result.stats = writer.WriteStats(0, stamp["files_built"], 0)
    result.next_due = datetime.fromisoformat(stamp["next_due"]) if stamp["next_due"] else None


def save_after(folder: Path, inputs: tuple[str, dict[str, list[int]], str], out: Path,
               written: tuple[set[str], dict[str, tuple[int, int]]], cfg: Config, now: datetime, result: Any) -> None:
    """The stamp of the build whose result (pipeline.Result) is `result`, made from `inputs` (as `inputs` gives
    them): it wrote the files `written[0]` into `out`, whose folders `written[1]` it recorded (folders.record)."""
    stats = result.stats
    until = next_change(cfg, now, result.next_due)
    summary = {"problems": [hashing.problem_record(p) for p in result.problems], "pages": result.pages,
               "files_built": stats.written + stats.unchanged,
               "next_due": result.next_due.isoformat() if result.next_due else None}
    try:
        save(folder, inputs, out, written, (now, until), summary)
    except OSError:  # no stamp: the next build is an ordinary one
        forget(folder)


def save(folder: Path, inputs: tuple[str, dict[str, list[int]], str], out: Path,
         written: tuple[set[str], dict[str, tuple[int, int]]], span: tuple[datetime, datetime],
         summary: dict[str, Any]) -> None:
    """Write the stamp of a full build (`span`: its build time and when its pages next change by themselves);
    `summary` is what a quiet build reports again."""
    _write(folder, {"inputs": inputs[0], **_sources(inputs, inputs[0]), "since": span[0].isoformat(),
                    "until": span[1].isoformat(), **_output(out, *written), **summary})


def _sources(inputs: tuple[str, dict[str, list[int]], str], full: str) -> dict[str, Any]:
    """What a narrow build (narrow.py) learns from the stamp: the site's files by stat (`own`), and the inputs
    of the last full build, which narrow.py's index stands for (`full`)."""
    return {"own": inputs[1], "full": full}


def save_narrowed(folder: Path, inputs: tuple[str, dict[str, list[int]], str], out: Path, stamp: dict,
                  paths: tuple[str, ...], names: set[str], cfg: Config, now: datetime) -> None:
    """The stamp of a build made from `inputs` that changed only the files `paths` of the output the last
    `stamp` describes, with the same summary (incremental/narrow.py): the stamp's records but those of the
    folders written into, looked at again (`names`: every file of the output)."""
    touched = {folder_of(rel) for rel in paths} | {""}  # the root holds the build's marker (writer.BUILDING)
    try:
        last = os.stat(out).st_mtime_ns
        folders = dict(stamp["folders"])
        files = {rel: record for rel, record in stamp["files"].items() if folder_of(rel) not in touched}
        for name in touched:
            folders.pop(name, None)
            seen = _stat(out, name, 2)
            if seen is not None and seen[0] < last:
                folders[name] = seen
            else:
                files.update(_files_in(out, name, names))
        due = datetime.fromisoformat(stamp["next_due"]) if stamp["next_due"] else None
        summary = {name: stamp[name] for name in ("problems", "pages", "files_built", "next_due")}
        _write(folder, {"inputs": inputs[0], **_sources(inputs, stamp["full"]), "since": now.isoformat(),
                        "until": next_change(cfg, now, due).isoformat(), "folders": folders, "files": files,
                        **summary})
    except (OSError, KeyError, ValueError, TypeError):  # no stamp: the next build is an ordinary one
        forget(folder)


def _files_in(out: Path, folder: str, names: set[str]) -> dict[str, list[int]]:
    """The records of the files of `names` (the output's) that lie in `folder` of the output."""
    prefix = folder + "/" if folder else ""
    try:
        with os.scandir(os.path.join(out, folder)) as entries:
            found = [prefix + entry.name for entry in entries]
    except (FileNotFoundError, NotADirectoryError):  # gone: so are its files
        return {}
    return {rel: seen for rel in found if rel in names and (seen := _stat(out, rel, 3)) is not None}


def _write(folder: Path, stamp: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".tmp-{os.getpid()}-{STAMP_FILE}"
    try:
        tmp.write_bytes(orjson.dumps(stamp))
        os.replace(tmp, folder / STAMP_FILE)
    except BaseException:  # a full disk: no half-written file stays behind
        tmp.unlink(missing_ok=True)
        raise


def _output(out: Path, names: set[str], known: dict[str, tuple[int, int]]) -> dict[str, dict[str, list[int]]]:
    """The output's folders by stat (those `known` already as they are), but those changed in the tick of the
    build's own last change (the output folder's mtime), whose files are listed."""
    last = os.stat(out).st_mtime_ns
    folders: dict[str, list[int]] = {}
    files: dict[str, list[int]] = {}
    for name in {folder_of(rel) for rel in names}:
        seen = list(known[name]) if name in known else _stat(out, name, 2)
        if seen is not None and seen[0] < last:
            folders[name] = seen
    for rel in names:
        if folder_of(rel) not in folders and (seen := _stat(out, rel, 3)) is not None:
            files[rel] = seen
    return {"folders": folders, "files": files}


def _stat(out: Path, rel: str, size: int) -> list[int] | None:
    return look(os.path.join(out, rel), size)
