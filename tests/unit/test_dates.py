"""sitegen.dates: the date forms authors write, the site timezone, build time, display forms."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen import dates

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PLUS7 = timedelta(hours=7)


def _parse(value: object) -> tuple[datetime, bool]:
    parsed = dates.parse(value, TZ)
    assert parsed is not None, value
    return parsed


def test_plain_date_has_no_time() -> None:
    stamp, has_time = _parse("2022-10-03")
    assert (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute) == (2022, 10, 3, 0, 0)
    assert has_time is False
    assert stamp.utcoffset() == PLUS7


@pytest.mark.parametrize(("text", "expected"), [
    ("2022-10-03 08:30", (2022, 10, 3, 8, 30, 0)),
    ("2022-10-03 08:30:15", (2022, 10, 3, 8, 30, 15)),
    ("2022-10-03T08:30", (2022, 10, 3, 8, 30, 0)),
    ("2022-10-03T08:30:15", (2022, 10, 3, 8, 30, 15)),
    ("2022-10-03 15:15", (2022, 10, 3, 15, 15, 0)),
    ("  2022-10-03 08:30  ", (2022, 10, 3, 8, 30, 0)),
])
def test_date_and_time_without_offset_is_in_site_timezone(text: str, expected: tuple[int, ...]) -> None:
    stamp, has_time = _parse(text)
    assert has_time is True
    assert (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second) == expected
    assert stamp.tzinfo is not None
    assert stamp.utcoffset() == PLUS7


@pytest.mark.parametrize(("text", "utc"), [
    ("2022-10-03T08:30:00+07:00", datetime(2022, 10, 3, 1, 30, tzinfo=UTC)),
    ("2022-10-03T01:30:00Z", datetime(2022, 10, 3, 1, 30, tzinfo=UTC)),
    ("2022-10-03T03:30:00+02:00", datetime(2022, 10, 3, 1, 30, tzinfo=UTC)),
    ("2022-10-03 08:30+07:00", datetime(2022, 10, 3, 1, 30, tzinfo=UTC)),
])
def test_iso_with_offset_keeps_the_instant(text: str, utc: datetime) -> None:
    stamp, has_time = _parse(text)
    assert has_time is True
    assert stamp == utc


@pytest.mark.parametrize("text", ["2022-10-03T01:30:00Z", "2022-10-03T03:30:00+02:00"])
def test_iso_with_other_offset_is_shown_in_site_timezone(text: str) -> None:
    # PRODUCT.md: feed dates carry the site's offset, and "Tin mới nhất" shows the site's clock;
    # a date written in UTC must come out as 08:30 +07:00, not 01:30 +00:00.
    stamp, _ = _parse(text)
    assert stamp.utcoffset() == PLUS7
    assert (stamp.hour, stamp.minute) == (8, 30)


@pytest.mark.parametrize(("text", "day", "month", "year", "has_time"), [
    ("03/10/2022", 3, 10, 2022, False),
    ("3/10/2022", 3, 10, 2022, False),
    ("13/01/2024", 13, 1, 2024, False),
    ("31/12/2023", 31, 12, 2023, False),
    ("03/10/2022 08:30", 3, 10, 2022, True),
    ("01/04/2022 15:15", 1, 4, 2022, True),
])
def test_day_first_forms(text: str, day: int, month: int, year: int, has_time: bool) -> None:
    stamp, with_time = _parse(text)
    assert (stamp.day, stamp.month, stamp.year) == (day, month, year)
    assert with_time is has_time
    assert stamp.utcoffset() == PLUS7


def test_day_first_with_time_keeps_the_time() -> None:
    stamp, _ = _parse("01/04/2022 15:15")
    assert (stamp.hour, stamp.minute) == (15, 15)


@pytest.mark.parametrize("value", [
    "01/13/2024",  # month first: never
    "12/31/2023",
    "hôm qua",
    "2022-13-01",
    "2022-02-30",
    "31/02/2024",
    "29/02/2023",
    "2022-10-03 25:00",
    "03/10/22",
    "2022/10/03",
    "",
    "   ",
    915,  # what YAML 1.1 makes of 15:15
    3.5,
    None,
    True,
    ["2022-10-03"],
])
def test_invalid_dates_are_none(value: object) -> None:
    assert dates.parse(value, TZ) is None


def test_leap_day_accepted() -> None:
    stamp, _ = _parse("29/02/2024")
    assert (stamp.day, stamp.month) == (29, 2)


def test_date_and_datetime_objects() -> None:
    stamp, has_time = _parse(date(2022, 10, 3))
    assert stamp == datetime(2022, 10, 3, tzinfo=TZ) and has_time is False
    stamp, has_time = _parse(datetime(2022, 10, 3, 8, 30))
    assert stamp == datetime(2022, 10, 3, 8, 30, tzinfo=TZ) and has_time is True


def test_naive_forms_use_the_given_timezone() -> None:
    utc = ZoneInfo("UTC")
    stamp, _ = dates.parse("2022-10-03 08:30", utc)
    assert stamp.utcoffset() == timedelta(0)
    stamp, _ = dates.parse("03/10/2022", utc)
    assert stamp.utcoffset() == timedelta(0)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
def test_every_real_day_round_trips_in_both_forms(day: date) -> None:
    iso, _ = _parse(day.isoformat())
    slashed, _ = _parse(f"{day.day:02d}/{day.month:02d}/{day.year}")
    assert iso.date() == slashed.date() == day


@given(st.integers(min_value=1, max_value=31), st.integers(min_value=13, max_value=31),
       st.integers(min_value=1900, max_value=2100))
def test_month_above_12_in_second_place_always_rejected(day: int, month: int, year: int) -> None:
    assert dates.parse(f"{day:02d}/{month:02d}/{year}", TZ) is None


def test_build_time_from_source_date_epoch() -> None:
    now = dates.build_time(TZ, {"SOURCE_DATE_EPOCH": "1790000000"})
    assert now == datetime(2026, 9, 21, 14, 13, 20, tzinfo=UTC)
    assert (now.hour, now.minute) == (21, 13)  # shown on the site's clock
    assert now.utcoffset() == PLUS7
    assert now.timestamp() == 1790000000


def test_build_time_without_epoch_is_now() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    now = dates.build_time(TZ, {})
    after = datetime.now(UTC)
    assert before <= now <= after
    assert now.utcoffset() == PLUS7


def test_build_time_ignores_garbage_epoch() -> None:
    now = dates.build_time(TZ, {"SOURCE_DATE_EPOCH": "hôm nay"})
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=1)


def test_build_time_reads_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    now = dates.build_time(TZ)
    assert now.timestamp() == 1700000000
    assert now.tzinfo is TZ


@pytest.mark.parametrize(("hour", "minute", "expected"), [
    (15, 15, "(01/04/2022 3:15 CH)"),
    (9, 5, "(01/04/2022 9:05 SA)"),
    (0, 30, "(01/04/2022 12:30 SA)"),
    (12, 0, "(01/04/2022 12:00 CH)"),
    (11, 59, "(01/04/2022 11:59 SA)"),
    (23, 59, "(01/04/2022 11:59 CH)"),
])
def test_short_stamp_vietnamese_12_hour(hour: int, minute: int, expected: str) -> None:
    stamp = datetime(2022, 4, 1, hour, minute, tzinfo=TZ)
    assert dates.short_stamp(stamp, True, "vi") == expected


def test_short_stamp_without_time_shows_the_date_alone() -> None:
    assert dates.short_stamp(datetime(2022, 10, 3, tzinfo=TZ), False, "vi") == "(03/10/2022)"


def test_short_stamp_from_parsed_post_date() -> None:
    assert dates.short_stamp(*_parse("2022-04-01 15:15"), "vi") == "(01/04/2022 3:15 CH)"
    assert dates.short_stamp(*_parse("03/10/2022"), "vi") == "(03/10/2022)"


def test_short_stamp_english() -> None:
    stamp = datetime(2022, 4, 1, 15, 15, tzinfo=TZ)
    assert dates.short_stamp(stamp, True, "en").endswith("3:15 PM)")
    assert dates.short_stamp(stamp.replace(hour=9), True, "en").endswith("9:15 AM)")


def test_day_month_year() -> None:
    stamp = datetime(2022, 10, 3, 8, 30, tzinfo=TZ)
    assert dates.day_month_year(stamp, "vi") == "03 - 10 - 2022"
    assert dates.day_month_year(stamp, "en") == "3 October 2022"


def test_accepted_forms_all_parse() -> None:
    for form in dates.ACCEPTED_FORMS:
        assert dates.parse(form, TZ) is not None, form
