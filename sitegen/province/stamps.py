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
from datetime import datetime
from pathlib import Path

import orjson

from sitegen import hashing, writer
from sitegen.incremental.listing import SITE_PARTS, files, stat
from sitegen.incremental.quiet import digest_of, next_change
from sitegen.templates import THEME_DIR

__all__ = ["SITE_PARTS", "digest_of", "files", "holds", "next_change", "output_state", "read_json", "stat", "theme",
           "write_json"]


def theme(province: Path) -> str:
    """The province's theme and the default theme as files: an edit to either rebuilds every site."""
    chain = {"province": files(province, ("templates", "assets")), "default": files(THEME_DIR, ("templates", "assets"))}
    return digest_of(chain, hashing.SCHEMA)


def output_state(out: Path) -> list:
    """The output folder and its list of files: every build into the folder changes the folder (it stages,
    marks and renames files in it), so another build since is seen."""
    return [stat(os.fspath(out)), stat(os.path.join(out, writer.MANIFEST))]


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
