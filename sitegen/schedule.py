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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from sitegen import dates
from sitegen.problems import Problem, problem
from sitegen.text import closest

FOLDER = "lich-cong-tac"
FILE_NAME = re.compile(r"^(\d{4})-W(\d{2})\.toml$")
SESSIONS: dict[str, tuple[int, int]] = {"Sáng": (0, 12 * 60), "Chiều": (12 * 60, 18 * 60), "Tối": (18 * 60, 24 * 60)}
ENTRY_KEYS = ("ngay", "buoi", "gio", "chu_tri", "noi_dung", "dia_diem", "thanh_phan", "chuan_bi")
REQUIRED = ("ngay", "chu_tri", "noi_dung", "dia_diem")
TEXT_KEYS = ("chu_tri", "noi_dung", "dia_diem", "thanh_phan", "chuan_bi")
WEEK_KEYS = ("ghi_chu", "muc")
_TIME = re.compile(r"^(\d{1,2})(?::|h|g)(\d{2})?$", re.IGNORECASE)
_DAY_NAMES = {"vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"),
              "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")}


@dataclass(frozen=True, slots=True)
class Entry:
    day: date
    session: str  # "Sáng", "Chiều" or "Tối": the one written, or the one its time falls in
    clock: str  # "08:00", or "" when only the session is given
    chu_tri: str
    noi_dung: str
    dia_diem: str
    thanh_phan: str = ""
    chuan_bi: str = ""
    line: int = 0

    @property
    def sort_key(self) -> tuple[int, int]:
        """(minutes from midnight, 0 for a bare session / 1 for a clock time): see the module's docstring."""
        if self.clock:
            hours, minutes = self.clock.split(":")
            return int(hours) * 60 + int(minutes), 1
        return SESSIONS[self.session][0], 0


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    name: str  # "Thứ Hai"
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Week:
    source: str
    year: int
    week: int
    note: str
    days: tuple[Day, ...]

    @property
    def start(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def end(self) -> date:
        return date.fromisocalendar(self.year, self.week, 7)

    @property
    def url(self) -> str:
        return week_url(self.year, self.week)

    @property
    def entry_count(self) -> int:
        return sum(len(day.entries) for day in self.days)


def week_url(year: int, week: int) -> str:
    return f"{FOLDER}/{year}/tuan-{week}/"


def is_week_path(rel: str) -> bool:
    """content/lich-cong-tac/**/*.toml"""
    parts = rel.split("/")
    return len(parts) >= 3 and parts[1] == FOLDER and rel.lower().endswith(".toml")


def session_of(minutes: int) -> str:
    return next(name for name, (low, high) in SESSIONS.items() if low <= minutes < high)


def parse_clock(value: object) -> str | None:
    """'8:00', '08:00', '8h30', '14g', a TOML time -> '08:00'; None when it is no time of day."""
    if isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if not isinstance(value, str):
        return None
    found = _TIME.match(value.strip())
    if not found:
        return None
    hours, minutes = int(found[1]), int(found[2] or 0)
    if hours > 23 or minutes > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"


def day_name(day: date, lang: str) -> str:
    return _DAY_NAMES["en" if lang == "en" else "vi"][day.weekday()]


def _key_lines(raw: str) -> tuple[dict[str, int], list[dict[str, int]]]:
    """Line of each top-level key, and of each key of every [[muc]] table (1-based)."""
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


def read_week(rel: str, raw: str, tz: tzinfo, lang: str = "vi") -> tuple[Week | None, list[Problem]]:
    """One week file's text -> its Week, or every problem found with its line."""
    name = FILE_NAME.match(rel.rsplit("/", 1)[-1])
    year_week = _year_week(name)
    if year_week is None:
        return None, [problem(rel, 1, "schedule_bad_name", name=rel.rsplit("/", 1)[-1])]
    try:
        table = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        line = re.search(r"at line (\d+)", str(err))
        return None, [problem(rel, int(line[1]) if line else 1, "schedule_bad_toml", reason=err)]
    top_lines, entry_lines = _key_lines(raw)
    found: list[Problem] = []
    for key in sorted(table.keys() - set(WEEK_KEYS)):
        found.append(problem(rel, top_lines.get(key, 1), "schedule_unknown_key", key=key,
                             hint=closest(key, list(WEEK_KEYS)) or ""))
    note = table.get("ghi_chu", "")
    if not isinstance(note, str):
        found.append(problem(rel, top_lines.get("ghi_chu", 1), "schedule_bad_text", key="ghi_chu"))
        note = ""
    items = table.get("muc", [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        found.append(problem(rel, top_lines.get("muc", 1), "schedule_not_tables"))
        items = []
    year, week = year_week
    entries = []
    for index, item in enumerate(items):
        lines = entry_lines[index] if index < len(entry_lines) else {"": 1}
        entry = _entry(rel, item, lines, (year, week), tz, found)
        if entry is not None:
            entries.append(entry)
    if any(p.severity == "error" for p in found):
        return None, found
    return Week(rel, year, week, " ".join(note.split()), _days(year, week, entries, lang)), found


def _year_week(name: re.Match[str] | None) -> tuple[int, int] | None:
    if name is None:
        return None
    year, week = int(name[1]), int(name[2])
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return year, week


def _days(year: int, week: int, entries: list[Entry], lang: str) -> tuple[Day, ...]:
    """Monday to Friday always, Saturday and Sunday when they have entries; each day's entries by time."""
    days = []
    for weekday in range(1, 8):
        day = date.fromisocalendar(year, week, weekday)
        todays = sorted((e for e in entries if e.day == day), key=lambda e: e.sort_key)  # stable: as written
        if weekday <= 5 or todays:
            days.append(Day(day, day_name(day, lang), tuple(todays)))
    return tuple(days)


def _entry(rel: str, item: dict, lines: dict[str, int], year_week: tuple[int, int], tz: tzinfo,
           found: list[Problem]) -> Entry | None:
    before = len(found)

    def add(key: str, code: str, **args: object) -> None:
        found.append(problem(rel, lines.get(key, lines[""]), code, key=key, **args))

    for key in sorted(item.keys() - set(ENTRY_KEYS)):
        add(key, "schedule_unknown_key", hint=closest(key, list(ENTRY_KEYS)) or "")
    for key in REQUIRED:
        if item.get(key) in (None, ""):
            add(key, "schedule_missing_key")
    if item.get("buoi") in (None, "") and item.get("gio") in (None, ""):
        add("buoi", "schedule_no_time")
    texts = {}
    for key in TEXT_KEYS:
        value = item.get(key, "")
        if not isinstance(value, str):
            add(key, "schedule_bad_text")
            value = ""
        texts[key] = value.strip()
    day = _day(item.get("ngay"), tz)
    if "ngay" in item and day is None:
        add("ngay", "schedule_bad_date", value=item["ngay"], forms=", ".join(dates.ACCEPTED_FORMS[::3]))
    elif day is not None and day.isocalendar()[:2] != year_week:
        start = date.fromisocalendar(*year_week, 1)
        add("ngay", "schedule_outside_week", value=_dmy(day), week=year_week[1], year=year_week[0],
            start=_dmy(start), end=_dmy(start + timedelta(days=6)))
    session, clock = _when(item, add)
    if len(found) > before or day is None:
        return None
    return Entry(day, session, clock, texts["chu_tri"], texts["noi_dung"], texts["dia_diem"],
                 texts["thanh_phan"], texts["chuan_bi"], lines[""])


def _when(item: dict, add: Callable[..., None]) -> tuple[str, str]:
    """(session, clock) of an entry; problems go to `add`."""
    session = item.get("buoi")
    clock = ""
    if session not in (None, ""):
        named = next((s for s in SESSIONS if isinstance(session, str) and s.casefold() == session.strip().casefold()),
                     None)
        if named is None:
            add("buoi", "schedule_bad_session", value=session, choices=", ".join(SESSIONS))
            return "", ""
        session = named
    if item.get("gio") not in (None, ""):
        parsed = parse_clock(item["gio"])
        if parsed is None:
            add("gio", "schedule_bad_time", value=item["gio"])
            return "", ""
        clock = parsed
        hours, minutes = clock.split(":")
        falls_in = session_of(int(hours) * 60 + int(minutes))
        if session and session != falls_in:
            low, high = SESSIONS[session]
            add("gio", "schedule_time_session", value=clock, session=session,
                low=f"{low // 60:02d}:00", high=f"{high // 60 - 1:02d}:59")
            return "", ""
        session = falls_in
    return session or "", clock


def _day(value: object, tz: tzinfo) -> date | None:
    if isinstance(value, datetime):
        return None  # a day, not a moment
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        parsed = dates.parse(value, tz)
        if parsed is not None and not parsed[1]:
            return parsed[0].date()
    return None


def _dmy(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def current(weeks: list[Week], today: date) -> Week | None:
    """The week holding `today`, else the latest before it, else the earliest (all are ahead)."""
    ordered = sorted(weeks, key=lambda w: (w.year, w.week))
    before = [w for w in ordered if w.start <= today]
    return before[-1] if before else (ordered[0] if ordered else None)


def next_week_file(today: date, lang: str = "vi") -> tuple[str, str]:
    """(file name, text) of the week after `today`'s, with its working days laid out as commented entries."""
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    year, week, _ = monday.isocalendar()
    lines = [f"# Lịch công tác tuần {week} năm {year} ({_dmy(monday)} - {_dmy(monday + timedelta(days=6))}).",
             "# Bỏ dấu # ở đầu các dòng của mỗi mục để dùng; mỗi mục bắt đầu bằng [[muc]].",
             'ghi_chu = "Lịch này thay giấy mời họp"', ""]
    for offset in range(5):
        day = monday + timedelta(days=offset)
        lines += [f"# ---- {day_name(day, lang)}, {_dmy(day)} ----"]
        for session in ("Sáng", "Chiều"):
            lines += ["# [[muc]]", f"# ngay = {day.isoformat()}", f'# buoi = "{session}"', '# gio = "08:00"',
                      '# chu_tri = ""', '# noi_dung = ""', '# dia_diem = ""', '# thanh_phan = ""',
                      '# chuan_bi = ""', ""]
    return f"{year}-W{week:02d}.toml", "\n".join(lines)
