"""One line of an nginx or Apache "combined" access log -> what it says about a page view.

    203.113.1.2 - - [05/Dec/2026:10:15:32 +0700] "GET /a/2026/b/?x=1 HTTP/1.1" 200 512 "-" "Mozilla/5.0 ..."

Lines are read as bytes and every derived value (the day of a timestamp, the
page of an address, whether a user agent is a crawler) is remembered by the
bytes it came from: a log repeats the same few thousand user agents, pages
and minutes a million times, so each is worked out once. That, not the
regular expression, is what makes a million lines take seconds (a general
parser that builds a datetime and a dict per line takes a minute).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from urllib.parse import unquote_to_bytes

# remote address, [time], "request", status, bytes, "referer", "user agent"; quotes inside the strings are
# escaped (\" by Apache, \x22 by nginx), and fields after the user agent (extended formats) are allowed.
_QUOTED = rb'"([^"\\]*(?:\\.[^"\\]*)*)"'
LINE = re.compile(rb'(\S+) \S+ \S+ \[([^\]]*)\] ' + _QUOTED + rb' (\d{3}) (?:\d+|-) "[^"\\]*(?:\\.[^"\\]*)*" '
                  + _QUOTED)
_MONTHS = {name: n for n, name in enumerate((b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug",
                                              b"Sep", b"Oct", b"Nov", b"Dec"), start=1)}
_STAMP = re.compile(rb"(\d\d)/([A-Z][a-z]{2})/(\d{4}):(\d\d):(\d\d):\d\d ([+-])(\d\d)(\d\d)\Z")


@functools.cache
def _crawlers() -> re.Pattern[str]:
    """The crawler list's patterns (written case-sensitive), compiled on first use: a build never needs them."""
    import crawleruseragents  # here: only counting views reads the list

    return crawleruseragents.CRAWLER_PATTERNS.case_sensitive



class LineReader:
    """Turns the fields of a line into (day in the site's timezone, minute, page) with memoised steps.

    `base_path` is the path part of base_url ("/" or "/huyen/"); `is_page`
    tells an article's or standalone page's address (relative to it, "a/2026/b/")
    from any other.
    """

    def __init__(self, base_path: str, tz: tzinfo, is_page: Callable[[str], bool]) -> None:
        self.base = base_path.encode("utf-8")
        self.tz = tz
        self.is_page = is_page
        self.minutes: dict[bytes, tuple[str, int] | None] = {}
        self.pages: dict[bytes, str | None] = {}
        self.crawlers: dict[bytes, bool] = {}

    def when(self, stamp: bytes) -> tuple[str, int] | None:
        """The calendar day in the site's timezone ("2026-12-05") and the minute (Unix time / 60), or None."""
        key = stamp[:17] + stamp[20:]  # seconds never move a minute to another day
        if key not in self.minutes:
            self.minutes[key] = self._day(stamp)
        return self.minutes[key]

    def _day(self, stamp: bytes) -> tuple[str, int] | None:
        found = _STAMP.match(stamp)
        if found is None or found[2] not in _MONTHS:
            return None
        day, _, year, hour, minute, sign, off_h, off_m = found.groups()
        offset = timedelta(hours=int(off_h), minutes=int(off_m)) * (-1 if sign == b"-" else 1)
        try:
            moment = datetime(int(year), _MONTHS[found[2]], int(day), int(hour), int(minute),
                              tzinfo=timezone(offset))
        except ValueError:  # 31/Feb, hour 25, an offset of a day or more
            return None
        return moment.astimezone(self.tz).date().isoformat(), int(moment.timestamp()) // 60

    def page(self, target: bytes) -> str | None:
        """The page a request target shows ("a/2026/b/"), if it is an article or standalone page of the site."""
        path = target.split(b"?", 1)[0]
        if path not in self.pages:
            self.pages[path] = self._page(path)
        return self.pages[path]

    def _page(self, path: bytes) -> str | None:
        if path.startswith((b"http://", b"https://")):  # an absolute-form target: keep the path
            path = b"/" + path.split(b"/", 3)[3] if path.count(b"/") >= 3 else b"/"
        try:
            text = unquote_to_bytes(path).decode("utf-8")
        except UnicodeDecodeError:
            return None
        text = re.sub("/{2,}", "/", unicodedata.normalize("NFC", text))  # nginx merges slashes
        base = self.base.decode("utf-8")
        if not text.startswith(base):
            return None
        rel = text[len(base):]
        if rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        if not rel.endswith("/") or "/./" in "/" + rel or "/../" in "/" + rel:
            return None
        return rel if self.is_page(rel) else None

    def is_crawler(self, agent: bytes) -> bool:
        known = self.crawlers.get(agent)
        if known is None:
            known = self.crawlers[agent] = _crawlers().search(agent.decode("utf-8", "replace")) is not None
        return known
