"""Digests and checked JSON files: what every cache of the generator is made of.

A checked file is JSON followed by a trailer line naming the generator's
version, a digest of its own source and a checksum of the JSON: a file another
version wrote, or a damaged one, is refused as a whole and never trusted.
JSON (through orjson, about twenty times faster than the json module) rather
than pickle, so a foreign cache cannot run code.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import fields, is_dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import orjson

from sitegen import __version__
from sitegen.digests import digest
from sitegen.kinds import Card, Link, Post
from sitegen.problems import Problem


class CacheError(ValueError):
    """A cache file or record is not one this version wrote."""


def _code_digest() -> str:
    """The generator's own source, every module at any depth: a cache written by other code is never trusted."""
    package = Path(__file__).resolve().parent
    return digest(*[part for p in sorted(package.rglob("*.py"))
                    for part in (p.relative_to(package).as_posix(), p.read_bytes())])[:16]


SCHEMA = f"sitegen-cache-1/{__version__}/{_code_digest()}"


def read_own(path: Path) -> bytes | None:
    """The bytes of a cache file that holds code to run (pickled values, compiled templates), or None when
    another user owns it or others may write it: such a file is only as safe as its folder, so it is
    trusted only as far as the templates beside it, which the same user wrote."""
    try:
        with path.open("rb") as file:
            return file.read() if written_by_us_alone(os.fstat(file.fileno())) else None
    except OSError:
        return None


def written_by_us_alone(info: os.stat_result) -> bool:
    """The file is this user's and neither its group nor others may write it: the rule for every cache file
    that holds code (read_own, and the narrow path's index, which SQLite opens by name)."""
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def read_checked(path: Path) -> Any:
    body, _, trailer = path.read_bytes().rpartition(b"\n")
    checksum = hashlib.blake2b(body, digest_size=16).hexdigest()
    if trailer != f"{SCHEMA} {checksum}".encode():
        raise CacheError("foreign or damaged")
    return orjson.loads(body)


def write_checked(path: Path, payload: Any) -> None:
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


def problem_record(item: Problem) -> list:
    return [item.path, item.line, item.code, [list(pair) for pair in item.args], item.severity]


def problem_from_record(value: Any) -> Problem:
    path, line, code, args, severity = value
    if severity not in ("error", "warning") or not isinstance(line, int):
        raise CacheError("problem")
    return Problem(str(path), line, str(code), tuple((str(k), str(v)) for k, v in args), severity)


class ItemPrints(Protocol):
    def of_item(self, item: Post | Link | Card) -> str:
        """The digest standing for a post, or a list view of one."""


def dump(value: Any) -> str:
    """Compact, sorted JSON: equal values give equal text."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def plain(value: Any, prints: ItemPrints | None) -> Any:
    """A JSON picture of a template value; with `prints`, posts and their views by their hashes."""
    if prints is not None and isinstance(value, (Post, Link, Card)):
        return "#" + prints.of_item(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if is_dataclass(value):
        return [type(value).__name__] + [plain(getattr(value, f.name), prints) for f in fields(value)]
    if isinstance(value, dict):
        return {str(k): plain(v, prints) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v, prints) for v in value]
    return repr(value)
