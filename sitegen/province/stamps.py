"""What a site's last build was made from, checked without building it.

A member's stamp (member-stamp.json beside its cache) holds a digest of its
files by size, mtime and inode, of the province's and the default theme, of
the options, and the state of its output folder, and the moment its pages
would next change by themselves (a scheduled post falling due, a new day, a
planned-downtime notice starting or ending). A member whose stamp still holds
is not built at all: looking at its sources is all it costs. Its output is
looked at as a folder only (any build into it changes the folder), never file
by file: a page changed by hand is put right by any change to the member, or
by `--no-cache`.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import orjson

from sitegen import hashing, writer
from sitegen.model import Config
from sitegen.templates import THEME_DIR

SITE_PARTS = ("site.toml", "content", "data", "templates", "assets")  # what a site's build reads


def stat(path: str) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def files(root: Path, parts: tuple[str, ...] = SITE_PARTS,
          skip: frozenset[str] = frozenset()) -> dict[str, list[int]]:
    """Path from `root` -> (size, mtime, inode) of every file of `parts` (files or folders), hidden names
    and the folders in `skip` (absolute) left out; symlinked folders are not entered."""
    found: dict[str, list[int]] = {}
    prefix = len(os.fspath(root).rstrip(os.sep)) + 1
    pending = []
    for part in parts:
        path = os.path.join(root, part)
        if os.path.isdir(path):
            pending.append(path)
        elif (info := stat(path)) is not None:
            found[part] = info
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.path in skip:
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
                continue
            try:
                info = entry.stat()
            except OSError:
                continue
            found[entry.path[prefix:].replace(os.sep, "/")] = [info.st_size, info.st_mtime_ns, info.st_ino]
    return found


def digest_of(*parts: object) -> str:
    return hashing.digest(orjson.dumps(parts, option=orjson.OPT_SORT_KEYS).decode())


def theme(province: Path) -> str:
    """The province's theme and the default theme as files: an edit to either rebuilds every site."""
    chain = {"province": files(province, ("templates", "assets")), "default": files(THEME_DIR, ("templates", "assets"))}
    return digest_of(chain, hashing.SCHEMA)


def output_state(out: Path) -> list:
    """The output folder and its list of files: every build into the folder changes the folder (it stages,
    marks and renames files in it), so another build since is seen."""
    return [stat(os.fspath(out)), stat(os.path.join(out, writer.MANIFEST))]


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


def holds(stamp: dict, inputs: str, out: Path, now: datetime) -> bool:
    """The last build's stamp still holds: same inputs, output as that build left it, nothing fallen due."""
    until = stamp.get("until")
    if stamp.get("inputs") != inputs or stamp.get("output") != output_state(out) or not isinstance(until, str):
        return False
    try:
        return now < datetime.fromisoformat(until)
    except (ValueError, TypeError):
        return False


def read_json(path: Path) -> dict:
    try:
        value = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def write_json(path: Path, value: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    tmp.write_bytes(orjson.dumps(value))
    os.replace(tmp, path)
