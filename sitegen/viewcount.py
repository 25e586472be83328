"""`python build.py views LOG...`: page views counted from access logs into data/views.json.

A view is a GET answered 200 or 304 for an article's or standalone page's
address, by a client whose user agent is not on the crawler list; the same
client (address and user agent) on the same page counts once per calendar day
in the site's timezone. data/views.json is this command's own file (authors'
Markdown is never touched); what it holds and how it is written: viewfile.py.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import re
import zlib
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from sitegen import config, hashing, loader, posts
from sitegen.accesslog import LINE, LineReader
from sitegen.kinds import Post
from sitegen.model import Config
from sitegen.problems import Problem, problem
from sitegen.viewfile import Counted, load, save

OPEN_DAYS = 2  # the newest day read and the one before still get lines (late writes, a second server)
_HEAD_BYTES = 64 * 1024  # a first line longer than this is not a log line; its first part names the log


@dataclass
class Tally:
    files: int = 0
    lines: int = 0
    views: int = 0
    crawlers: int = 0
    unreadable: int = 0


def digest(value: bytes) -> str:
    return hashlib.blake2b(value, digest_size=16).hexdigest()


# -- which addresses are pages -------------------------------------------------------------------------

def page_test(site: Path, cfg: Config) -> tuple[Any, list[Problem]]:
    """A function telling an article's or standalone page's address from any other.

    Articles are recognised by the shape of their addresses (<category key>/<year>/<slug>/);
    standalone pages by their front matter, which is read for content/pages/ only (a few files).
    """
    keys = "|".join(re.escape(c.key) for c in cfg.categories)
    article = re.compile(rf"(?:{keys})/\d{{4}}/[^/]+/\Z")
    sources, _, found = loader.walk_content(site)
    standalone = set()
    for rel in sources:
        if not loader.is_page_path(rel):
            continue
        src, _ = loader.read_source(site, rel, True)
        fields = loader.check_fields(src, cfg)[0] if src is not None else None
        if fields is not None:
            standalone.add(posts.post_url(fields, True))
    return (lambda rel: rel in standalone or article.match(rel) is not None), found


def _open(path: Path) -> tuple[BinaryIO, bool]:
    """The log's bytes, decompressed when it is gzip (known by its first bytes, not its name)."""
    handle = open(path, "rb")  # noqa: SIM115 - returned to the caller
    if handle.read(2) == b"\x1f\x8b":
        handle.seek(0)
        return gzip.GzipFile(fileobj=handle, mode="rb"), True  # type: ignore[return-value]
    handle.seek(0)
    return handle, False


def read_log(path: Path, counted: Counted, reader: LineReader, tally: Tally) -> None:
    """Count the lines of one log that no earlier run read (gzip and truncated gzip included)."""
    handle, zipped = _open(path)
    with handle:
        first = handle.readline(_HEAD_BYTES)
        if not first or (not first.endswith(b"\n") and len(first) < _HEAD_BYTES and not zipped):
            return  # empty, or a first line still being written: next time
        head = _identity(handle, first, counted)
        if head is None:
            return  # an older copy of a log already read further
        lines, offset, tail = counted.logs.get(head, [0, 0, ""])
        handle.seek(offset)
        done = _count_lines(handle, zipped, counted, reader, tally)
        tally.files += 1 if done[0] else 0
        counted.logs[head] = [lines + done[0], offset + done[1], done[2] or tail]


def _identity(handle: BinaryIO, first: bytes, counted: Counted) -> str | None:
    """The log's key in counted.logs: the digest of its first line (of a marked first line for a second log
    that begins with the same line). None when the file is a shorter copy of a log read further already."""
    for head in (digest(first), digest(b"\x00" + first)):
        entry = counted.logs.get(head)
        if entry is None or _continues(handle, entry[1], entry[2]):
            return head
        if not _longer_than(handle, entry[1]):
            return None
    return None


def _longer_than(handle: BinaryIO, offset: int) -> bool:
    try:
        handle.seek(offset)
        return bool(handle.read(1))
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile):
        return False


def _continues(handle: BinaryIO, offset: int, tail: str) -> bool:
    """Does this file hold, up to `offset`, the log that was read that far (its last line read is there)?"""
    try:
        start = max(0, offset - 65536)
        handle.seek(start)
        before = handle.read(offset - start)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile):
        return False
    if len(before) != offset - start or not before.endswith(b"\n"):
        return False
    line_start = before.rfind(b"\n", 0, len(before) - 1) + 1
    return digest(before[line_start:]) == tail


def _count_lines(handle: BinaryIO, zipped: bool, counted: Counted, reader: LineReader,
                 tally: Tally) -> tuple[int, int, str]:
    """(lines, bytes, digest of the last line) read from here on; a last line without its newline is left for
    the next run unless the log is a complete gzip file."""
    lines = size = 0
    last = b""
    try:
        for raw in handle:
            if not raw.endswith(b"\n") and not zipped:
                break
            _count_line(raw, counted, reader, tally)
            lines += 1
            size += len(raw)
            last = raw
    except (EOFError, zlib.error, gzip.BadGzipFile):
        pass  # a gzip file cut short (still being compressed): what was read counts, the rest next time
    return lines, size, digest(last) if last else ""


def _count_line(raw: bytes, counted: Counted, reader: LineReader, tally: Tally) -> None:
    tally.lines += 1
    found = LINE.match(raw)
    when = reader.when(found[2]) if found else None
    if when is None:
        tally.unreadable += 1
        return
    day, minute = when
    if minute > counted.newest:
        counted.newest = minute
    agent = found[5]
    if reader.is_crawler(agent):
        tally.crawlers += 1
        return
    request = found[3]
    if not request.startswith(b"GET ") or found[4] not in (b"200", b"304"):
        return
    page = reader.page(request[4:].split(b" ", 1)[0])
    if page is None:
        return
    key = hashlib.blake2b(found[1] + b"\x00" + agent + b"\x00" + page.encode("utf-8"), digest_size=8).digest()
    seen = counted.seen.get(day)
    if seen is None:
        seen = counted.seen[day] = set()
    if key in seen:
        return
    seen.add(key)
    counted.pages[page] += 1
    counted.days[day] += 1
    tally.views += 1


def forget_closed_days(counted: Counted, cfg: Config) -> None:
    """Keep the (client, page) digests only for the days that can still get lines."""
    if not counted.newest:
        return
    newest = _day_of(counted.newest, cfg)
    first_open = (date.fromisoformat(newest) - timedelta(days=OPEN_DAYS - 1)).isoformat()
    counted.seen = {day: keys for day, keys in counted.seen.items() if day >= first_open}


def _day_of(minute: int, cfg: Config) -> str:
    return datetime.fromtimestamp(minute * 60, UTC).astimezone(cfg.tz).date().isoformat()


# -- the command ----------------------------------------------------------------------------------------

def count_logs(site: Path, logs: list[Path]) -> tuple[Tally | None, str, list[Problem]]:
    """Read the logs into data/views.json; (tally, language, problems). Tally None: nothing was written."""
    cfg, found = config.load_config(site)
    if cfg is None:
        return None, config.guess_language(_read_text(site / config.CONFIG_FILE)), found
    (site / "data").mkdir(exist_ok=True)
    with open(site / "data" / ".views.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # an hourly run still going when the next starts: the next waits
        counted, problems = load(site, counting=True)
        if counted is None:
            return None, cfg.language, found + problems
        is_page, walk_problems = page_test(site, cfg)
        reader = LineReader(cfg.base_path, cfg.tz, is_page)
        tally = Tally()
        for path in logs:
            try:
                read_log(path, counted, reader, tally)
            except FileNotFoundError:
                found.append(problem(str(path), 0, "log_missing"))
            except OSError as err:
                found.append(problem(str(path), 0, "unreadable", reason=err.strerror or err))
        forget_closed_days(counted, cfg)
        save(site, counted)
    return tally, cfg.language, found + [p for p in walk_problems if p.severity == "error"]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def summary(tally: Tally, lang: str) -> str:
    def number(value: int) -> str:
        grouped = f"{value:,}"
        return grouped if lang == "en" else grouped.replace(",", ".")

    if lang == "en":
        return (f"Read {number(tally.lines)} new lines from {tally.files} log(s): {number(tally.views)} views added, "
                f"{number(tally.crawlers)} crawler requests skipped, {number(tally.unreadable)} unreadable lines.")
    return (f"Đã đọc {number(tally.lines)} dòng mới từ {tally.files} tệp nhật ký: thêm {number(tally.views)} lượt "
            f"xem, bỏ qua {number(tally.crawlers)} yêu cầu của máy thu thập (crawler), "
            f"{number(tally.unreadable)} dòng không đọc được.")


# -- what the build takes from it ------------------------------------------------------------------------

def alias_address(alias: str) -> str:
    """An old address of a post as it appears in data/views.json ("/tin-cu/a/" -> "tin-cu/a/")."""
    path = alias.strip("/")
    return path + "/" if path and not path.endswith((".html", ".htm")) else ""


def counted_for(counted: Counted, post: Post) -> int:
    """The views counted at the post's address and at its old addresses (`aliases`)."""
    extra = counted.pages.get(post.url, 0)
    return extra + sum(counted.pages.get(alias_address(a), 0) for a in post.aliases if alias_address(a))


def apply(counted: Counted, items: list[Post], digests: dict[str, str]) -> tuple[list[Post], dict[str, str]]:
    """Each post with its counted views added to the front matter's `views`, and a digest that says so.

    A post's counted views are part of what it is, like its front matter: the
    pages that show them change, and nothing else does.
    """
    if not counted.pages:
        return items, digests
    shown, digests = [], dict(digests)
    for post in items:
        extra = counted_for(counted, post)
        if extra:
            post = replace(post, views=post.views + extra)
            if post.source in digests:
                digests[post.source] = hashing.digest(digests[post.source], "views", str(extra))
        shown.append(post)
    return shown, digests
