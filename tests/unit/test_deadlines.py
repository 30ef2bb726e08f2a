"""Time limits on concrete dates (DOMAIN.md §2, §4), on the real 2025 and 2026 calendars.

Working days: the start day is not counted, holidays are skipped, make-up working days (调休) count, and the
deadline is the end of the last day in Asia/Shanghai. Working hours run within office hours on working days.
Minutes and hours run 24/7. Calendar days: the start day is not counted, a last day that is not a working day
rolls to the next working day. Anything that looked at a year the calendar does not cover is provisional."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from hotline.domain.calendar import WEEKENDS_ONLY
from hotline.domain.deadlines import Due, Limit, OfficeHours, Unit, before, due, warning_at, working_days_between
from tests.unit.calendars import calendar_for

TZ = "Asia/Shanghai"
SHANGHAI = ZoneInfo(TZ)
REAL = calendar_for(2024, 2025, 2026)


def local(y, m, d, hh=0, mm=0, ss=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=SHANGHAI)


def end_of(y, m, d) -> datetime:
    return local(y, m, d, 23, 59, 59)


def days(n: int) -> Limit:
    return Limit(n, Unit.WORKING_DAYS)


def hours(n: int) -> Limit:
    return Limit(n, Unit.WORKING_HOURS)


def at(start: datetime, limit: Limit, calendar=REAL, office: OfficeHours = OfficeHours()) -> datetime:
    return due(start, limit, calendar, TZ, office).at


# --- the acceptance examples -------------------------------------------------------------------------

def test_five_working_days_from_the_eve_of_national_day_2026():
    """Dispatched Wednesday 2026-09-30 10:00 Beijing time: 10/1–7 off, then 8, 9, 10 (Saturday, worked), 12, 13."""
    stamped = due(local(2026, 9, 30, 10), days(5), REAL, TZ)
    assert stamped.at == end_of(2026, 10, 13) and stamped.provisional is False


def test_fifteen_calendar_days_from_a_petition_received_on_2026_11_27():
    """The 15th day is Saturday 12/12: the acceptance notice is due on Monday 12/14."""
    stamped = due(local(2026, 11, 27, 15), Limit(15, Unit.CALENDAR_DAYS), REAL, TZ)
    assert stamped.at == end_of(2026, 12, 14) and stamped.provisional is False


def test_a_2027_deadline_is_provisional_until_the_calendar_is_entered():
    stamped = due(local(2027, 3, 1, 10), days(5), REAL, TZ)
    assert stamped.at == end_of(2027, 3, 8) and stamped.provisional is True


# --- working days ------------------------------------------------------------------------------------

def test_a_general_case_dispatched_on_a_friday_in_utc():
    friday = local(2026, 11, 27, 10).astimezone(UTC)
    assert at(friday, days(1)) == end_of(2026, 11, 30)   # Monday
    assert at(friday, days(2)) == end_of(2026, 12, 1)
    assert at(friday, days(5)) == end_of(2026, 12, 4)
    assert at(friday, days(15)) == end_of(2026, 12, 18)
    # given in UTC, answered in UTC: the end of Monday in Shanghai is 15:59:59 UTC
    assert at(friday, days(1)).tzinfo is UTC and at(friday, days(1)) == datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC)


def test_the_start_day_is_not_counted_even_late_at_night():
    assert at(local(2026, 11, 25, 23, 59), days(1)) == end_of(2026, 11, 26)
    assert at(local(2026, 11, 25, 0, 0), days(1)) == end_of(2026, 11, 26)


def test_the_day_is_the_local_day_not_the_utc_day():
    # 16:30 UTC on Thursday is 00:30 on Friday in Shanghai: the Friday is the start day
    assert at(datetime(2026, 11, 26, 16, 30, tzinfo=UTC), days(1)) == end_of(2026, 11, 30)
    # and 15:59 UTC is still Thursday there
    assert at(datetime(2026, 11, 26, 15, 59, tzinfo=UTC), days(1)) == end_of(2026, 11, 27)
    # the eve of National Day 2026 ends at 16:00 UTC: an hour later it is already the holiday
    assert at(datetime(2026, 9, 30, 15, 0, tzinfo=UTC), days(1)) == end_of(2026, 10, 8)
    assert at(datetime(2026, 9, 30, 17, 0, tzinfo=UTC), days(1)) == end_of(2026, 10, 8)
    assert at(datetime(2026, 10, 7, 17, 0, tzinfo=UTC), days(1)) == end_of(2026, 10, 9)  # from Thursday 10/8


@pytest.mark.parametrize(("start", "n", "deadline"), [
    (local(2026, 11, 28, 9), 1, end_of(2026, 11, 30)),    # Saturday → Monday
    (local(2026, 11, 29, 9), 1, end_of(2026, 11, 30)),    # Sunday → Monday
    (local(2026, 11, 28, 9), 5, end_of(2026, 12, 4)),     # Saturday → Friday
    (local(2026, 11, 30, 9), 5, end_of(2026, 12, 7)),     # Monday → next Monday
    (local(2026, 11, 30, 9), 10, end_of(2026, 12, 14)),
    (local(2026, 10, 4, 9), 1, end_of(2026, 10, 8)),      # from inside the holiday week
    (local(2026, 10, 9, 9), 1, end_of(2026, 10, 10)),     # Friday → the Saturday that is worked
    (local(2025, 9, 26, 10), 1, end_of(2025, 9, 28)),     # Friday → the Sunday that is worked
    (local(2025, 9, 30, 10), 5, end_of(2025, 10, 14)),    # 9, 10, 11 (Saturday, worked), 13, 14
    (local(2026, 2, 13, 10), 2, end_of(2026, 2, 24)),     # over the Spring Festival week
    (local(2025, 12, 31, 10), 1, end_of(2026, 1, 4)),     # New Year 2026: 1–3 off, Sunday 4 worked
    (local(2025, 4, 30, 10), 1, end_of(2025, 5, 6)),      # Labour Day 2025
])
def test_working_days_skip_weekends_and_holidays_and_count_make_up_days(start, n, deadline):
    assert at(start, days(n)) == deadline


def test_counting_working_days_between_two_instants_uses_the_local_days():
    assert working_days_between(local(2026, 9, 30, 10), local(2026, 10, 13, 9), REAL, TZ) == 5
    assert working_days_between(local(2026, 10, 13, 9), local(2026, 9, 30, 10), REAL, TZ) == -5
    # 16:30 UTC on 10/7 is already 10/8 in Shanghai: only 9, 10, 12, 13 are after it
    first = datetime(2026, 10, 7, 16, 30, tzinfo=UTC)
    assert working_days_between(first, local(2026, 10, 13, 12), REAL, TZ) == 4
    assert working_days_between(local(2026, 10, 1, 8), local(2026, 10, 7, 20), REAL, TZ) == 0


# --- working hours ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "n", "deadline"), [
    (local(2026, 11, 27, 10), 4, local(2026, 11, 27, 14)),        # within one day
    (local(2026, 11, 26, 16), 4, local(2026, 11, 27, 11, 30)),    # across a night: 1½ h, then 2½ h
    (local(2026, 11, 27, 16), 4, local(2026, 11, 30, 11, 30)),    # across a weekend
    (local(2026, 11, 27, 7), 1, local(2026, 11, 27, 10)),         # before opening: counts from 09:00
    (local(2026, 11, 27, 20), 1, local(2026, 11, 30, 10)),        # after closing: from the next opening
    (local(2026, 11, 28, 11), 1, local(2026, 11, 30, 10)),        # on a Saturday
    (local(2026, 11, 26, 9), 17, local(2026, 11, 27, 17, 30)),    # two full days end at a closing, not an opening
    (local(2026, 11, 27, 17, 30), 1, local(2026, 11, 30, 10)),    # at closing time: nothing left that day
    (local(2026, 9, 30, 16), 4, local(2026, 10, 8, 11, 30)),      # across the National Day week
    (local(2026, 10, 9, 16), 4, local(2026, 10, 10, 11, 30)),     # into the Saturday that is worked
    (local(2026, 9, 24, 17), 1, local(2026, 9, 28, 9, 30)),       # across Mid-autumn and the weekend
    (local(2026, 2, 13, 17), 2, local(2026, 2, 14, 10, 30)),      # Spring Festival: the Saturday before is worked
])
def test_working_hours_run_within_office_hours(start, n, deadline):
    assert at(start, hours(n)) == deadline


def test_working_hours_in_other_office_hours_and_in_utc():
    office = OfficeHours(time(8, 30), time(12, 0))
    assert at(local(2026, 11, 27, 11), hours(2), office=office) == local(2026, 11, 30, 9, 30)
    start = local(2026, 11, 27, 16).astimezone(UTC)
    assert at(start, hours(4)) == local(2026, 11, 30, 11, 30) and at(start, hours(4)).tzinfo is UTC


def test_office_hours_close_after_they_open():
    with pytest.raises(ValueError):
        OfficeHours(time(17, 30), time(9, 0))
    with pytest.raises(ValueError):
        OfficeHours(time(9, 0), time(9, 0))


# --- minutes and hours: 24/7 -----------------------------------------------------------------------------

@pytest.mark.parametrize("start", [local(2026, 11, 28, 23), local(2026, 10, 1, 3), local(2027, 1, 1, 12)])
def test_minutes_and_hours_run_through_nights_weekends_and_holidays(start):
    assert due(start, Limit(15, Unit.MINUTES), REAL, TZ).at == start + timedelta(minutes=15)
    assert due(start, Limit(90, Unit.MINUTES), REAL, TZ).at == start + timedelta(minutes=90)
    assert due(start, Limit(48, Unit.HOURS), REAL, TZ).at == start + timedelta(hours=48)
    # no calendar is looked at, so nothing is provisional, even in a year the calendar does not cover
    assert due(start, Limit(24, Unit.HOURS), REAL, TZ).provisional is False


# --- calendar days ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "n", "deadline"), [
    (local(2026, 11, 27, 15), 15, end_of(2026, 12, 14)),  # the 15th day is a Saturday
    (local(2026, 11, 27, 15), 14, end_of(2026, 12, 11)),
    (local(2026, 11, 27, 23, 59), 1, end_of(2026, 11, 30)),  # the start day is not counted; Saturday rolls
    (local(2026, 9, 16, 10), 15, end_of(2026, 10, 8)),    # lands on National Day: rolls over the week
    (local(2026, 9, 5, 10), 15, end_of(2026, 9, 20)),     # lands on the Sunday that is worked
    (local(2025, 9, 23, 10), 15, end_of(2025, 10, 9)),    # lands on 10/8, off in 2025
    (local(2026, 10, 2, 10), 60, end_of(2026, 12, 1)),    # 60 日 to decide: a Tuesday
])
def test_calendar_days(start, n, deadline):
    assert at(start, Limit(n, Unit.CALENDAR_DAYS)) == deadline


# --- before a deadline -----------------------------------------------------------------------------------

def test_one_working_day_left_is_the_end_of_the_working_day_before():
    assert before(end_of(2026, 10, 13), days(1), REAL, TZ) == end_of(2026, 10, 12)
    assert before(end_of(2026, 10, 12), days(1), REAL, TZ) == end_of(2026, 10, 10)  # the Saturday that is worked
    assert before(end_of(2026, 10, 8), days(1), REAL, TZ) == end_of(2026, 9, 30)    # back over the holiday
    assert before(end_of(2026, 10, 13), days(2), REAL, TZ) == end_of(2026, 10, 10)


def test_before_in_other_units():
    moment = local(2026, 10, 8, 11, 30)
    assert before(moment, Limit(30, Unit.MINUTES), REAL, TZ) == local(2026, 10, 8, 11)
    assert before(moment, Limit(12, Unit.HOURS), REAL, TZ) == local(2026, 10, 7, 23, 30)
    assert before(moment, hours(4), REAL, TZ) == local(2026, 9, 30, 16)
    assert before(end_of(2026, 12, 14), Limit(3, Unit.CALENDAR_DAYS), REAL, TZ) == end_of(2026, 12, 11)
    utc = before(end_of(2026, 10, 13).astimezone(UTC), days(1), REAL, TZ)
    assert utc == end_of(2026, 10, 12) and utc.tzinfo is UTC


# --- warnings ----------------------------------------------------------------------------------------

def test_the_warning_at_75_percent_of_the_time():
    start, deadline = local(2026, 11, 27, 10), end_of(2026, 12, 4)
    expected = start + (deadline - start) * 3 / 4
    assert warning_at(start, deadline, 75, None, REAL, TZ) == expected
    assert local(2026, 12, 3, 2, 29) < expected < local(2026, 12, 3, 2, 31)


def test_one_working_day_left_comes_first_when_a_weekend_is_in_the_way():
    """Dispatched Monday 09:00, due the next Monday: 75% of the time falls on Sunday, but on Friday night only
    one working day is left — the earlier of the two warns."""
    start, deadline = local(2026, 11, 30, 9), end_of(2026, 12, 7)
    percent = start + (deadline - start) * 3 / 4
    assert percent.date().isoformat() == "2026-12-06"
    assert warning_at(start, deadline, None, days(1), REAL, TZ) == end_of(2026, 12, 4)
    assert warning_at(start, deadline, 75, days(1), REAL, TZ) == end_of(2026, 12, 4)


def test_the_earlier_of_the_two_warns_the_75_percent_one_too():
    start, deadline = local(2026, 9, 30, 10), end_of(2026, 10, 13)
    percent = start + (deadline - start) * 3 / 4
    assert percent < end_of(2026, 10, 12)
    assert warning_at(start, deadline, 75, days(1), REAL, TZ) == percent


def test_no_warning_when_no_threshold_falls_after_the_start():
    start, deadline = local(2026, 11, 27, 10), end_of(2026, 11, 30)
    assert warning_at(start, deadline, None, None, REAL, TZ) is None
    assert warning_at(start, deadline, 0, None, REAL, TZ) is None
    assert warning_at(start, deadline, None, days(5), REAL, TZ) is None      # 5 days left before it even started
    # one working day left is the end of Friday, the start day itself: still after the start, so it counts
    assert warning_at(start, deadline, None, days(1), REAL, TZ) == end_of(2026, 11, 27)
    # dispatched at 23:59:59 on Friday, "one working day left" is that very moment: not after the start
    late = end_of(2026, 11, 27)
    assert warning_at(late, deadline, None, days(1), REAL, TZ) is None
    assert warning_at(late, deadline, 50, days(1), REAL, TZ) == late + (deadline - late) / 2


# --- provisional -------------------------------------------------------------------------------------

def test_what_is_provisional():
    assert due(local(2026, 6, 1, 10), days(5), REAL, TZ).provisional is False
    assert due(local(2027, 6, 1, 10), days(5), REAL, TZ).provisional is True
    # Thursday 12/24 + 5 working days ends on 12/31: all in 2026
    assert due(local(2026, 12, 24, 10), days(5), REAL, TZ) == Due(end_of(2026, 12, 31), False)
    # Friday 12/25 + 5 ends on Friday 1/1/2027, counted as a working day only because 2027 is not entered
    spanning = due(local(2026, 12, 25, 10), days(5), REAL, TZ)
    assert spanning.at == end_of(2027, 1, 1) and spanning.provisional is True
    assert due(local(2026, 12, 20, 10), Limit(15, Unit.CALENDAR_DAYS), REAL, TZ).provisional is True
    assert due(local(2026, 12, 31, 17), hours(1), REAL, TZ).provisional is True
    assert due(local(2026, 12, 31, 10), hours(1), REAL, TZ).provisional is False
    assert due(local(2026, 6, 1, 10), days(5), WEEKENDS_ONLY, TZ).provisional is True


# --- limits ----------------------------------------------------------------------------------------------

def test_a_limit_is_at_least_one_of_a_known_unit():
    assert Limit(3, "working_days").unit is Unit.WORKING_DAYS
    with pytest.raises(ValueError):
        Limit(0, Unit.WORKING_DAYS)
    with pytest.raises(ValueError):
        Limit(3, "fortnights")
