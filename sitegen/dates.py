"""Dates as authors write them, the site timezone, the build time."""

from __future__ import annotations

import calendar
import os
import re
from datetime import UTC, date, datetime, tzinfo

_TIME = (r"(?:[T ]\s*(?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
         r"(?:\s*(?P<marker>SA|CH|AM|PM))?)?"
         r"(?:\s*(?P<offset>Z|[+-]\d{2}:?\d{2}))?")
# 2022-10-03, with a time, seconds, an offset (also after a space)
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})" + _TIME + "$", re.IGNORECASE)
# 03/10/2022, 03-10-2022, 03.10.2022, with a time such as 08:30, 08:30:15, 3:15 CH, and an offset
_DAY_FIRST = re.compile(r"^(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})" + _TIME + "$",
                        re.IGNORECASE)
_SHORT_YEAR = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2})(?!\d)(.*)$")

ACCEPTED_FORMS = (
    "2022-10-03",
    "2022-10-03 08:30",
    "2022-10-03T08:30:00+07:00",
    "03/10/2022",
    "03-10-2022",
    "03.10.2022",
    "03/10/2022 08:30",
    "03/10/2022 3:15 CH",
)
_AFTERNOON = ("CH", "PM")


def parse(value: object, tz: tzinfo) -> tuple[datetime, bool] | None:
    """A front-matter date -> (aware datetime, has_time), or None if not a date.

    Day-first for slashes, dashes and dots, never month-first. Without an offset
    the date is in the site timezone `tz`. `explain` says why a value is not one.
    """
    try:
        if isinstance(value, datetime):
            return _aware(value, tz), True
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day, tzinfo=tz), False
    except (ValueError, OverflowError):
        return None
    if not isinstance(value, str):
        return None
    parts = _parts(value.strip())
    try:
        return _build(parts, tz) if parts else None
    except (ValueError, OverflowError):
        return None


def _parts(text: str) -> dict[str, str] | None:
    found = _ISO.match(text) or _DAY_FIRST.match(text)
    return {k: v for k, v in found.groupdict().items() if v is not None} if found else None


def _build(parts: dict[str, str], tz: tzinfo) -> tuple[datetime, bool]:
    """Raises ValueError for a date or time that does not exist (31/02, 25:00, 13:00 CH)."""
    hour = int(parts.get("hour", 0))
    marker = parts.get("marker", "").upper()
    if marker:
        if not 1 <= hour <= 12:
            raise ValueError("hour")
        hour = hour % 12 + (12 if marker in _AFTERNOON else 0)
    offset = parts.get("offset", "")
    zone = tz
    if offset:
        zone = UTC if offset.upper() == "Z" else datetime.strptime(offset.replace(":", ""), "%z").tzinfo
    stamp = datetime(int(parts["year"]), int(parts["month"]), int(parts["day"]), hour, int(parts.get("minute", 0)),
                     int(parts.get("second", 0)), tzinfo=zone)
    return stamp.astimezone(tz), "hour" in parts


def explain(value: object) -> tuple[str, dict[str, str]]:
    """Why `value` is not a date: (message code, parameters) for i18n.

    bad_date_no_month / _no_day / _marker_hour / _no_time / _out_of_range when it
    has a date's form but no such day or time exists; bad_date_month_first;
    bad_date_short_year for a two-digit year; bad_date otherwise.
    """
    text = value.strip() if isinstance(value, str) else ""
    parts = _parts(text)
    if parts:
        year, month, day = int(parts["year"]), int(parts["month"]), int(parts["day"])
        if not 1 <= month <= 12:
            if parts.get("sep") and 1 <= day <= 12 and month <= 31:
                return "bad_date_month_first", {"swapped": f"{month:02d}{parts['sep']}{day:02d}{parts['sep']}{year}"}
            return "bad_date_no_month", {"month": str(month)}
        last = calendar.monthrange(year, month)[1] if year >= 1 else 31
        if not 1 <= day <= last:
            return "bad_date_no_day", {"month": str(month), "year": str(year), "last": str(last)}
        hour, minute, second = int(parts.get("hour", 0)), int(parts.get("minute", 0)), int(parts.get("second", 0))
        if parts.get("marker") and not 1 <= hour <= 12:
            return "bad_date_marker_hour", {}
        if hour > 23 or minute > 59 or second > 59:
            return "bad_date_no_time", {}
        return "bad_date_out_of_range", {}
    short = _SHORT_YEAR.match(text)
    if short:
        day, sep, month, year, rest = short.groups()
        return "bad_date_short_year", {"full": f"{int(day):02d}{sep}{int(month):02d}{sep}20{year}{rest}"}
    return "bad_date", {"forms": ", ".join(ACCEPTED_FORMS)}


def _aware(stamp: datetime, tz: tzinfo) -> datetime:
    """Naive -> in the site timezone; another offset -> the same instant shown in the site timezone."""
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=tz)
    return stamp.astimezone(tz)


def build_time(tz: tzinfo, environ: dict[str, str] | None = None) -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds), in the site timezone."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).astimezone(tz)
    return datetime.now(tz).replace(microsecond=0)


def day_month_year(stamp: datetime, lang: str) -> str:
    """'03 - 10 - 2022' (vi) or '3 October 2022' (en), for "Đăng ngày"."""
    if lang == "en":
        return f"{stamp.day} {stamp.strftime('%B')} {stamp.year}"
    return f"{stamp.day:02d} - {stamp.month:02d} - {stamp.year}"


def dmy(day: date) -> str:
    """'03/10/2022': a day as registers, sidebars and messages write it (and a document's search result)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def short_stamp(stamp: datetime, has_time: bool, lang: str) -> str:
    """'(01/04/2022 3:15 CH)', or '(03/10/2022)' for a post dated without a time."""
    day = dmy(stamp)
    if lang == "en":
        day = f"{stamp.year}-{stamp.month:02d}-{stamp.day:02d}"
    if not has_time:
        return f"({day})"
    hour12 = stamp.hour % 12 or 12
    if lang == "en":
        marker = "AM" if stamp.hour < 12 else "PM"
    else:
        marker = "SA" if stamp.hour < 12 else "CH"
    return f"({day} {hour12}:{stamp.minute:02d} {marker})"
