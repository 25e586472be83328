"""data/views.json, what `python build.py views` counted (viewcount.py), and the file of digests beside it:
read, checked and written durably.

data/views.json holds:

- ``pages``: counted views by page address (``tin-tuc/2026/hoi-nghi/``);
- ``days``: counted views by day (``2026-12-05``), for the statistics page;
- ``logs``: what each log held when it was last read, known by its content
  (a digest of its first line) and not by its name, with the lines and bytes
  read and a digest of the last line read. A renamed or gzipped log is the
  same log: only lines past that point are new. A log that is gone leaves
  its counts where they are;
- ``seen``: the name of the hidden file beside it (``.views-seen-<digest>.json``,
  named by its content) that holds, for the days that can still get lines
  (the newest day read and the one before), digests of the (client, page)
  pairs already counted. Older days are dropped, so it does not grow with
  the traffic beyond two days' readers; and only `views` reads it, so
  a build of a busy portal reads the counts alone.

Each file is written to a temporary file, flushed to disk and renamed into
place, the digests before the counts that name them: a run killed at any
moment leaves the old counts with their digests or the new ones with
theirs, never a mix, and the logs are read again from where the counts say.
"""

from __future__ import annotations

import base64
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sitegen.digests import digest
from sitegen.problems import Problem, os_problem, problem

VIEWS_FILE = "data/views.json"
SEEN_PREFIX = ".views-seen-"  # + a digest of the content + ".json", beside VIEWS_FILE
FORMAT = 2  # 1: the digests inside views.json (still read)


@dataclass
class Counted:
    """What data/views.json holds, in memory."""

    pages: Counter[str] = field(default_factory=Counter)
    days: Counter[str] = field(default_factory=Counter)
    logs: dict[str, list[Any]] = field(default_factory=dict)  # head digest -> [lines, bytes, tail digest]
    newest: int = 0  # minute (Unix time / 60) of the newest line read
    seen: dict[str, set[bytes]] = field(default_factory=dict)  # day -> digests of (client, page) counted


def load(site: Path, counting: bool = False) -> tuple[Counted | None, list[Problem]]:
    """data/views.json, or an empty count when there is none; None with a problem when it is damaged.

    Only `counting` (the views command) needs the digests of the open days; a build never reads them.
    """
    path = site / VIEWS_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Counted(), []
    except OSError as err:
        return None, [problem(VIEWS_FILE, 0, "unreadable", reason=err.strerror or err)]
    try:
        value = json.loads(raw)
        counted = _from_json(value)
    except json.JSONDecodeError as err:
        return None, [problem(VIEWS_FILE, err.lineno, "views_damaged", reason=err.msg)]
    except (TypeError, ValueError, KeyError, AttributeError) as err:
        return None, [problem(VIEWS_FILE, 1, "views_damaged", reason=err)]
    if counting:
        found = _seen(path.parent, value)
        if isinstance(found, Problem):
            return None, [found]
        counted.seen = found
    return counted, []


def _from_json(value: dict[str, Any]) -> Counted:
    if value.get("format") not in (1, FORMAT):
        raise ValueError(f"format {value.get('format')!r}, expected {FORMAT}")
    if value["format"] == FORMAT and not isinstance(value["seen"], str):
        raise ValueError(f"seen {value['seen']!r} is not a file name")
    return Counted(Counter({str(k): _count(v) for k, v in value["pages"].items()}),
                   Counter({date.fromisoformat(k).isoformat(): _count(v) for k, v in value["days"].items()}),
                   {str(k): [_count(v[0]), _count(v[1]), str(v[2])] for k, v in value["logs"].items()},
                   _count(value["newest"]))


def _seen(folder: Path, value: dict[str, Any]) -> dict[str, set[bytes]] | Problem:
    """The digests of the open days: in the file views.json names (format 2), or inside it (format 1)."""
    name = value["seen"] if value["format"] == FORMAT else ""
    where = f"{Path(VIEWS_FILE).parent}/{name}"
    try:
        if value["format"] != FORMAT:
            packed = value["seen"]
        elif not name:
            packed = {}
        elif not (name.startswith(SEEN_PREFIX) and name.endswith(".json") and "/" not in name):
            return problem(VIEWS_FILE, 1, "views_damaged", reason=f"seen: {name!r}")
        else:
            packed = json.loads((folder / name).read_bytes())
        return {str(day): _unpacked(blob) for day, blob in packed.items()}
    except FileNotFoundError as err:  # said in the site's language, as every system error (i18n.os_reason)
        return os_problem(where, "views_damaged", err)
    except OSError as err:
        return os_problem(where, "unreadable", err)
    except (TypeError, ValueError, AttributeError) as err:
        return problem(where, 1, "views_damaged", reason=err)


def _unpacked(packed: str) -> set[bytes]:
    blob = base64.b64decode(packed, validate=True)
    if len(blob) % 8:
        raise ValueError("digests of 8 bytes expected")
    return {blob[i: i + 8] for i in range(0, len(blob), 8)}


def _count(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(f"{value!r} is not a count")
    return value


def _to_json(counted: Counted, seen_name: str) -> bytes:
    value = {
        "format": FORMAT,
        "pages": dict(sorted(counted.pages.items())),
        "days": dict(sorted(counted.days.items())),
        "logs": dict(sorted(counted.logs.items())),
        "newest": counted.newest,
        "seen": seen_name,
    }
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def _seen_json(counted: Counted) -> bytes:
    packed = {day: base64.b64encode(b"".join(sorted(keys))).decode("ascii")
              for day, keys in sorted(counted.seen.items())}
    return json.dumps(packed).encode("ascii") + b"\n"


def save(site: Path, counted: Counted) -> None:
    """Write the digests of the open days, then data/views.json naming them, each atomically (a temporary
    file, flushed to disk, renamed into place); then remove the digests no views.json names any more."""
    path = site / VIEWS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    seen = _seen_json(counted) if counted.seen else b""
    seen_name = f"{SEEN_PREFIX}{digest(seen)}.json" if seen else ""
    if seen and not (path.parent / seen_name).is_file():
        _write_durably(path.parent / seen_name, seen)
    _write_durably(path, _to_json(counted, seen_name))
    for old in path.parent.glob(f"{SEEN_PREFIX}*.json"):
        if old.name != seen_name:
            old.unlink(missing_ok=True)


def _write_durably(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the rename itself survives a power cut
    finally:
        os.close(folder)
