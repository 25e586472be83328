"""Work-schedule weeks (lịch công tác): one TOML file a week, checked line by line, entries in time order.

A file ``content/lich-cong-tac/2026-W47.toml`` (ISO year and week) holds
``[[muc]]`` entries and an optional ``ghi_chu`` for the week. Each entry has
a session (``buoi``), a clock time (``gio``) or both. Within a day entries
run in this order, ties kept as written:

- ``Sáng`` (morning) covers 00:00-11:59, ``Chiều`` (afternoon) 12:00-17:59,
  ``Tối`` (evening) 18:00-23:59;
- an entry with only a session sorts at the start of it, before the clock
  times of that session; an entry with a clock time sorts at that time.

So ``Sáng`` < ``08:00`` < ``11:30`` < ``Chiều`` < ``14:00`` < ``Tối`` < ``19:30``.
A time given together with a session must fall inside it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta

from sitegen import dates
from sitegen.kinds import SCHEDULE_ENTRY, SESSIONS, WEEK, ScheduleEntry, Week, parse_clock, session_of
from sitegen.model import Config
from sitegen.problems import Problem, problem
from sitegen.schema import Check

__all__ = ["SESSIONS", "Day", "Week", "parse_clock", "session_of"]
FOLDER = "lich-cong-tac"
FILE_NAME = re.compile(r"^(\d{4})-W(\d{2})\.toml$")
_DAY_NAMES = {"vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"),
              "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")}


def sort_key(entry: ScheduleEntry) -> tuple[int, int]:
    """(minutes from midnight, 0 for a bare session / 1 for a clock time): see the module's docstring."""
    if entry.gio:
        hours, minutes = entry.gio.split(":")
        return int(hours) * 60 + int(minutes), 1
    return SESSIONS[entry.buoi][0], 0


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    name: str  # "Thứ Hai"
    entries: tuple[ScheduleEntry, ...]


def is_week_path(rel: str) -> bool:
    """content/lich-cong-tac/**/*.toml"""
    parts = rel.split("/")
    return len(parts) >= 3 and parts[1] == FOLDER and rel.lower().endswith(".toml")


def day_name(day: date, lang: str) -> str:
    return _DAY_NAMES["en" if lang == "en" else "vi"][day.weekday()]


def _key_lines(raw: str) -> tuple[dict[str, int], list[dict[str, int]]]:
    """Line of each top-level key, and of each key of every [[muc]] table (1-based; "" is the header)."""
    top: dict[str, int] = {}
    entries: list[dict[str, int]] = []
    current = top
    for number, text in enumerate(raw.splitlines(), start=1):
        stripped = text.strip()
        if re.match(r"^\[\[\s*muc\s*\]\]", stripped):
            entries.append({"": number})
            current = entries[-1]
        elif stripped.startswith("["):
            current = {}
        else:
            key = re.match(r"^[\"']?([^\"'=\s]+)[\"']?\s*=", stripped)
            if key:
                current.setdefault(key[1], number)
    return top, entries


def _as_errors(found: list[Problem]) -> list[Problem]:
    """In a schedule an unknown key is an error (a misspelt key would lose a meeting's details)."""
    return [problem(p.path, p.line, "schedule_unknown_key", hint=p.params.get("hint", ""), key=p.params["key"])
            if p.code == "unknown_field" else p for p in found]


def read_week(rel: str, raw: str, cfg: Config) -> tuple[Week | None, list[Problem]]:
    """One week file's text -> its Week (kinds.WEEK, entries kinds.SCHEDULE_ENTRY), or every problem with its line."""
    year_week = _year_week(FILE_NAME.match(rel.rsplit("/", 1)[-1]))
    if year_week is None:
        return None, [problem(rel, 1, "schedule_bad_name", name=rel.rsplit("/", 1)[-1])]
    try:
        table = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        line = re.search(r"at line (\d+)", str(err))
        return None, [problem(rel, int(line[1]) if line else 1, "schedule_bad_toml", reason=err)]
    top_lines, entry_lines = _key_lines(raw)
    values, found = WEEK.check(table, Check(rel, top_lines, 1, cfg))
    found = _as_errors(found)
    entries = []
    for index, item in enumerate(values["muc"] if values else ()):
        lines = entry_lines[index] if index < len(entry_lines) else {"": 1}
        entry, problems = _entry(rel, item, lines, year_week, cfg)
        found += problems
        if entry is not None:
            entries.append(entry)
    if values is None or any(p.severity == "error" for p in found):
        return None, found
    days = _days(*year_week, entries, cfg.language)
    return Week(source=rel, year=year_week[0], week=year_week[1], ghi_chu=values["ghi_chu"], days=days), found


def _entry(rel: str, item: dict, lines: dict[str, int], year_week: tuple[int, int],
           cfg: Config) -> tuple[ScheduleEntry | None, list[Problem]]:
    check = Check(rel, lines, lines[""], cfg)
    values, found = SCHEDULE_ENTRY.check(item, check)
    found = _as_errors(found)
    day = check.values.get("ngay")
    if day is not None and day.isocalendar()[:2] != year_week:
        start = date.fromisocalendar(*year_week, 1)
        found.append(problem(rel, check.line("ngay"), "schedule_outside_week", value=dates.dmy(day), week=year_week[1],
                             year=year_week[0], start=dates.dmy(start), end=dates.dmy(start + timedelta(days=6))))
    if values is None or any(p.severity == "error" for p in found):
        return None, found
    return ScheduleEntry(**values, line=lines[""]), found


def _year_week(name: re.Match[str] | None) -> tuple[int, int] | None:
    if name is None:
        return None
    year, week = int(name[1]), int(name[2])
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return year, week


def _days(year: int, week: int, entries: list[ScheduleEntry], lang: str) -> tuple[Day, ...]:
    """Monday to Friday always, Saturday and Sunday when they have entries; each day's entries by time."""
    days = []
    for weekday in range(1, 8):
        day = date.fromisocalendar(year, week, weekday)
        todays = sorted((e for e in entries if e.ngay == day), key=sort_key)  # stable: as written
        if weekday <= 5 or todays:
            days.append(Day(day, day_name(day, lang), tuple(todays)))
    return tuple(days)


def current(weeks: list[Week], today: date) -> Week | None:
    """The week holding `today`, else the latest before it, else the earliest (all are ahead)."""
    ordered = sorted(weeks, key=lambda w: (w.year, w.week))
    before = [w for w in ordered if w.start <= today]
    return before[-1] if before else (ordered[0] if ordered else None)


def next_week_file(today: date, lang: str = "vi") -> tuple[str, str]:
    """(file name, text) of the week after `today`'s, with its working days laid out as commented entries."""
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    year, week, _ = monday.isocalendar()
    lines = [f"# Lịch công tác tuần {week} năm {year} ({dates.dmy(monday)} - {dates.dmy(monday + timedelta(days=6))}).",
             "# Bỏ dấu # ở đầu các dòng của mỗi mục để dùng; mỗi mục bắt đầu bằng [[muc]].",
             'ghi_chu = "Lịch này thay giấy mời họp"', ""]
    for offset in range(5):
        day = monday + timedelta(days=offset)
        lines += [f"# ---- {day_name(day, lang)}, {dates.dmy(day)} ----"]
        for session in ("Sáng", "Chiều"):
            lines += ["# [[muc]]", f"# ngay = {day.isoformat()}", f'# buoi = "{session}"', '# gio = "08:00"',
                      '# chu_tri = ""', '# noi_dung = ""', '# dia_diem = ""', '# thanh_phan = ""',
                      '# chuan_bi = ""', ""]
    return f"{year}-W{week:02d}.toml", "\n".join(lines)
