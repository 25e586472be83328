"""Dates as authors write them, the site timezone, the build time."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, tzinfo

_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_ISO_LOOSE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2})[:h](\d{2}))?$")

ACCEPTED_FORMS = (
    "2022-10-03",
    "2022-10-03 08:30",
    "2022-10-03T08:30:00+07:00",
    "03/10/2022",
    "03/10/2022 08:30",
)


def parse(value: object, tz: tzinfo) -> tuple[datetime, bool] | None:
    """A front-matter date -> (aware datetime, has_time), or None if not a date.

    Day-first for slashes, never month-first. Without an offset the date is
    in the site timezone `tz`.
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
    text = value.strip()
    try:
        return _parse_text(text, tz)
    except (ValueError, OverflowError):
        return None


def _parse_text(text: str, tz: tzinfo) -> tuple[datetime, bool] | None:
    if _ISO.match(text):
        stamp = datetime.fromisoformat(text.replace(" ", "T", 1))
        return _aware(stamp, tz), len(text) > 10
    loose = _ISO_LOOSE.match(text)
    if loose:
        year, month, day, hour, minute, second = loose.groups()
        return _build(year, month, day, hour, minute, second, tz)
    slashed = _DAY_FIRST.match(text)
    if slashed:
        day, month, year, hour, minute = slashed.groups()
        return _build(year, month, day, hour, minute, None, tz)
    return None


def _build(year: str, month: str, day: str, hour: str | None, minute: str | None,
           second: str | None, tz: tzinfo) -> tuple[datetime, bool]:
    stamp = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                     int(second or 0), tzinfo=tz)
    return stamp, hour is not None


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


def short_stamp(stamp: datetime, has_time: bool, lang: str) -> str:
    """'(01/04/2022 3:15 CH)', or '(03/10/2022)' for a post dated without a time."""
    day = f"{stamp.day:02d}/{stamp.month:02d}/{stamp.year}"
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
