"""Work-schedule weeks: ordering within a day, errors with their lines, the current week."""

from __future__ import annotations

from datetime import date

import pytest

from sitegen import schedule
from tests.conftest import MINIMAL_TOML, site_config

CFG = site_config(MINIMAL_TOML)

REL = "content/lich-cong-tac/2026-W47.toml"


def entry(day: str = "2026-11-16", **when: str) -> str:
    parts = [f'{k} = "{v}"' for k, v in when.items()]
    return "\n".join(["[[muc]]", f"ngay = {day}", *parts, 'chu_tri = "Chủ tịch UBND tỉnh"',
                      f'noi_dung = "Họp {"/".join(when.values())}"', 'dia_diem = "Phòng họp số 1"', ""])


def read(raw: str, rel: str = REL) -> tuple[schedule.Week | None, list]:
    return schedule.read_week(rel, raw, CFG)


def test_sessions_and_clock_times_in_order() -> None:
    raw = "".join([entry(gio="19:30"), entry(buoi="Tối"), entry(gio="14:00"), entry(buoi="Chiều"),
                   entry(gio="11:30"), entry(gio="08:00"), entry(buoi="Sáng"), entry(buoi="Chiều", gio="13:00")])
    week, found = read(raw)
    assert found == [] and week is not None
    monday = week.days[0]
    shown = [e.gio or e.buoi for e in monday.entries]
    assert shown == ["Sáng", "08:00", "11:30", "Chiều", "13:00", "14:00", "Tối", "19:30"]
    assert [e.buoi for e in monday.entries] == ["Sáng", "Sáng", "Sáng", "Chiều", "Chiều", "Chiều", "Tối", "Tối"]


@pytest.mark.parametrize(("clock", "session"), [
    ("00:00", "Sáng"), ("11:59", "Sáng"), ("12:00", "Chiều"), ("17:59", "Chiều"), ("18:00", "Tối"),
    ("23:59", "Tối")])
def test_session_boundaries(clock: str, session: str) -> None:
    hours, minutes = clock.split(":")
    assert schedule.session_of(int(hours) * 60 + int(minutes)) == session


def test_equal_times_keep_the_written_order() -> None:
    raw = entry(buoi="Sáng").replace("Họp Sáng", "Thứ nhất") + entry(buoi="Sáng").replace("Họp Sáng", "Thứ hai")
    week, _ = read(raw)
    assert [e.noi_dung for e in week.days[0].entries] == ["Thứ nhất", "Thứ hai"]


@pytest.mark.parametrize(("written", "clock"), [("8:00", "08:00"), ("08:05", "08:05"), ("8h30", "08:30"),
                                               ("14h", "14:00"), ("7g45", "07:45")])
def test_clock_forms(written: str, clock: str) -> None:
    assert schedule.parse_clock(written) == clock


@pytest.mark.parametrize("written", ["24:00", "8:60", "tám giờ", "8.30", "", "08:00:00x"])
def test_bad_clock(written: str) -> None:
    assert schedule.parse_clock(written) is None


def test_days_monday_to_friday_and_weekend_days_with_entries() -> None:
    week, _ = read(entry("2026-11-22", buoi="Sáng") + entry("2026-11-18", buoi="Chiều"))
    assert [d.day for d in week.days] == [date(2026, 11, d) for d in (16, 17, 18, 19, 20, 22)]
    assert [d.name for d in week.days][-1] == "Chủ nhật"
    assert week.days[2].entries[0].buoi == "Chiều"


def test_dates_as_posts_write_them() -> None:
    week, found = read(entry('"17/11/2026"', buoi="Sáng"))
    assert found == [] and week.days[1].entries


def lines_of(found: list) -> list[tuple[int, str]]:
    return [(p.line, p.code) for p in found]


def test_entry_outside_its_week_names_its_line() -> None:
    raw = 'ghi_chu = "Lịch này thay giấy mời họp"\n\n' + entry(buoi="Sáng") + entry("2026-11-23", buoi="Sáng")
    week, found = read(raw)
    assert week is None
    assert lines_of(found) == [(10, "schedule_outside_week")]
    assert found[0].params["start"] == "16/11/2026" and found[0].params["end"] == "22/11/2026"


def test_bad_time_unknown_key_bad_session_have_their_lines() -> None:
    raw = entry(gio="25:00") + entry(buoi="Trưa") + entry(buoi="Sáng").replace("dia_diem", "dia_diem_") \
        + entry(buoi="Sáng", gio="15:00")
    _, found = read(raw)
    assert sorted(lines_of(found)) == [(3, "schedule_bad_time"), (9, "schedule_bad_session"),
                                       (13, "missing_field"), (18, "schedule_unknown_key"),
                                       (22, "schedule_time_session")]
    unknown = next(p for p in found if p.code == "schedule_unknown_key")
    assert unknown.params["hint"] == "dia_diem"


def test_unknown_week_key_and_missing_time() -> None:
    raw = 'ghichu = "x"\n' + entry().replace('noi_dung', 'x = 1\nnoi_dung')
    _, found = read(raw)
    assert ("schedule_unknown_key", 1) in [(p.code, p.line) for p in found]
    assert ("schedule_no_time", 2) in [(p.code, p.line) for p in found]


@pytest.mark.parametrize("name", ["2026-47.toml", "2026-W7.toml", "2026-W54.toml", "tuan-47.toml"])
def test_file_name_must_be_an_iso_week(name: str) -> None:
    week, found = read(entry(buoi="Sáng"), f"content/lich-cong-tac/{name}")
    assert week is None and lines_of(found) == [(1, "schedule_bad_name")]


def test_toml_syntax_error_line() -> None:
    _, found = read('ghi_chu = "x"\n[[muc]]\nngay = 2026-11-16\ngio = 08:00\n')
    assert lines_of(found) == [(4, "schedule_bad_toml")]


def weeks(*names: tuple[int, int]) -> list[schedule.Week]:
    return [schedule.Week(source=f"content/lich-cong-tac/{y}-W{w:02d}.toml", year=y, week=w) for y, w in names]


def test_current_week() -> None:
    known = weeks((2026, 45), (2026, 47), (2026, 49))
    assert schedule.current(known, date(2026, 11, 18)).week == 47  # inside week 47
    assert schedule.current(known, date(2026, 11, 26)).week == 47  # week 48 has no file: the latest before
    assert schedule.current(known, date(2027, 1, 4)).week == 49
    assert schedule.current(known, date(2026, 1, 1)).week == 45  # every week ahead: the first
    assert schedule.current([], date(2026, 1, 1)) is None


def test_next_week_file_builds_cleanly() -> None:
    name, text = schedule.next_week_file(date(2026, 12, 31))
    assert name == "2027-W01.toml"
    week, found = schedule.read_week(f"content/lich-cong-tac/{name}", text, CFG)
    assert found == [] and week.entry_count == 0
    assert "# ---- Thứ Hai, 04/01/2027 ----" in text
    filled = text.replace("# ", "").replace("ngay", "ngay", 1)
    uncommented = "\n".join(line for line in filled.splitlines() if not line.startswith(("----", "Lịch", "Bỏ")))
    uncommented = uncommented.replace('noi_dung = ""', 'noi_dung = "Họp"').replace('chu_tri = ""', 'chu_tri = "A"')
    uncommented = uncommented.replace('dia_diem = ""', 'dia_diem = "B"').replace('gio = "08:00"\n', "")
    week, found = schedule.read_week(f"content/lich-cong-tac/{name}", uncommented, CFG)
    assert found == [] and week.entry_count == 10
