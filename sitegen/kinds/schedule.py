"""Work-schedule weeks (content/lich-cong-tac/)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from sitegen import dates
from sitegen.kinds.values import BUILT, BUILT_COUNT, BUILT_TEXT, TEXT, built, read_text, shown
from sitegen.schema import (
    MISSING,
    Check,
    Field,
    Kind,
    Value,
    model_class,
)

# --- work-schedule weeks (content/lich-cong-tac/) -------------------------------------------------
# A week file holds `ghi_chu` and `[[muc]]` entries; `schedule` orders them and checks the week.

SESSIONS: dict[str, tuple[int, int]] = {"Sáng": (0, 12 * 60), "Chiều": (12 * 60, 18 * 60), "Tối": (18 * 60, 24 * 60)}
_CLOCK = re.compile(r"^(\d{1,2})(?::|h|g)(\d{2})?$", re.IGNORECASE)


def parse_clock(value: Any) -> str | None:
    """'8:00', '08:00', '8h30', '14g', a TOML time -> '08:00'; None when it is no time of day."""
    if isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    found = _CLOCK.match(value.strip()) if isinstance(value, str) else None
    if not found or int(found[1]) > 23 or int(found[2] or 0) > 59:
        return None
    return f"{int(found[1]):02d}:{int(found[2] or 0):02d}"


def session_of(minutes: int) -> str:
    return next(name for name, (low, high) in SESSIONS.items() if low <= minutes < high)


def read_day(value: Any, key: str, check: Check) -> date | None:
    """A day: a TOML date, or text in the forms posts accept, without a time."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    parsed = dates.parse(value, check.cfg.tz) if isinstance(value, str) else None
    if parsed is None or parsed[1]:
        check.add(key, "schedule_bad_date", value=shown(value), forms=", ".join(dates.ACCEPTED_FORMS[::3]))
        return None
    return parsed[0].date()


def read_session(value: Any, key: str, check: Check) -> str:
    written = read_text(value, key, check)
    named = next((s for s in SESSIONS if s.casefold() == written.casefold()), None)
    if written and named is None:
        check.add(key, "schedule_bad_session", value=written, choices=", ".join(SESSIONS))
    return named or ""


def read_clock(value: Any, key: str, check: Check) -> str:
    clock = parse_clock(value)
    if clock is None:
        check.add(key, "schedule_bad_time", value=shown(value))
        return ""
    return clock


def _when(check: Check) -> None:
    """A session or a time is needed; a time given with a session falls in it; a time alone names its session."""
    values = check.values
    if not values["buoi"] and not values["gio"]:
        if "buoi" not in check.lines and "gio" not in check.lines:
            check.add("buoi", "schedule_no_time")
        return
    if values["gio"]:
        hours, minutes = values["gio"].split(":")
        falls_in = session_of(int(hours) * 60 + int(minutes))
        if values["buoi"] and values["buoi"] != falls_in:
            low, high = SESSIONS[values["buoi"]]
            check.add("gio", "schedule_time_session", value=values["gio"], session=values["buoi"],
                      low=f"{low // 60:02d}:00", high=f"{high // 60 - 1:02d}:59")
        values["buoi"] = falls_in


ENTRY_FIELDS: tuple[Field, ...] = (
    Field("ngay", Value("date", date | None, read_day), None, required=True, doc="the day, `2026-11-16`"),
    Field("buoi", Value("`Sáng`, `Chiều` or `Tối`", str, read_session), "",
          doc="the session: Sáng 00:00-11:59, Chiều 12:00-17:59, Tối 18:00-23:59"),
    Field("gio", Value("time, `\"08:00\"`", str, read_clock), "", doc="the time; `buoi` or `gio` is needed"),
    Field("chu_tri", TEXT, "", required=True, doc="who chairs"),
    Field("noi_dung", TEXT, "", required=True, doc="the business"),
    Field("dia_diem", TEXT, "", required=True, doc="the place"),
    Field("thanh_phan", TEXT, "", doc="who attends"),
    Field("chuan_bi", TEXT, "", doc="who prepares"),
    built("line", BUILT_COUNT, 0),  # the line of its [[muc]]
)
ScheduleEntry = model_class("ScheduleEntry", ENTRY_FIELDS, "sitegen.kinds", "One entry of a week's work schedule.")
SCHEDULE_ENTRY = Kind("schedule entry", ENTRY_FIELDS, ScheduleEntry, (_when,))


def read_entries(value: Any, key: str, check: Check) -> tuple[dict, ...]:
    """The [[muc]] tables as written; each is checked as a SCHEDULE_ENTRY with its own lines."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        check.add(key, "schedule_not_tables")
        return ()
    return tuple(value)


WEEK_FIELDS: tuple[Field, ...] = (
    built("source", BUILT_TEXT, MISSING),
    built("year", BUILT_COUNT, MISSING),  # ISO year and week, from the file name
    built("week", BUILT_COUNT, MISSING),
    Field("ghi_chu", TEXT, "", doc="the week's note, e.g. `Lịch này thay giấy mời họp`"),
    Field("muc", Value("`[[muc]]` tables", tuple[dict, ...], read_entries), (), doc="the entries"),
    built("days", BUILT, ()),  # tuple[Day, ...]: Monday to Friday, and the weekend days with entries
)
WeekFields = model_class("WeekFields", WEEK_FIELDS, "sitegen.kinds", "The fields of a week's work schedule.")


class Week(WeekFields):  # type: ignore[valid-type, misc]
    """A week's work schedule with its dates and URL."""

    __slots__ = ()
    __module__ = "sitegen.kinds"  # the name messages and templates know it by

    @property
    def start(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def end(self) -> date:
        return date.fromisocalendar(self.year, self.week, 7)

    @property
    def url(self) -> str:
        return f"lich-cong-tac/{self.year}/tuan-{self.week}/"

    @property
    def entry_count(self) -> int:
        return sum(len(day.entries) for day in self.days)


WEEK = Kind("schedule week", WEEK_FIELDS, Week)
