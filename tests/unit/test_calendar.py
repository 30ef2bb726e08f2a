"""The working calendar on the real 2025 and 2026 State Council notices (DOMAIN.md §4), as the chinese-calendar
package has them and migration 0006 seeds them: holidays are off, make-up days (调休) are worked, a year with no
notice falls back to weekends-only."""
from __future__ import annotations

from datetime import date

import pytest

from hotline.domain.calendar import WEEKENDS_ONLY, Calendar, CalendarEntry, DayKind, build, check_notice
from tests.unit.calendars import PACKAGE_YEARS, calendar_for, days

REAL = calendar_for(2024, 2025, 2026)
D = date

MAKE_UP_DAYS = {
    # 2025 (国办发明电〔2024〕12号): Spring Festival, Labour Day, National Day + Mid-autumn
    D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11),
    # 2026: New Year, Spring Festival, Labour Day, National Day
    D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10),
}

WEEKDAY_HOLIDAYS = [
    D(2025, 1, 1),                                                   # New Year
    *days(D(2025, 1, 28), D(2025, 1, 31)), D(2025, 2, 3), D(2025, 2, 4),  # Spring Festival
    D(2025, 4, 4),                                                   # Tomb-sweeping
    *days(D(2025, 5, 1), D(2025, 5, 2)), D(2025, 5, 5),              # Labour Day
    D(2025, 6, 2),                                                   # Dragon Boat
    *days(D(2025, 10, 1), D(2025, 10, 3)), *days(D(2025, 10, 6), D(2025, 10, 8)),  # National Day + Mid-autumn
    D(2026, 1, 1), D(2026, 1, 2),                                    # New Year
    *days(D(2026, 2, 16), D(2026, 2, 20)), D(2026, 2, 23),           # Spring Festival
    D(2026, 4, 6),                                                   # Tomb-sweeping
    D(2026, 5, 1), D(2026, 5, 4), D(2026, 5, 5),                     # Labour Day
    D(2026, 6, 19),                                                  # Dragon Boat
    D(2026, 9, 25),                                                  # Mid-autumn
    D(2026, 10, 1), D(2026, 10, 2), *days(D(2026, 10, 5), D(2026, 10, 7)),  # National Day
]


def test_the_package_covers_the_years_the_tests_rely_on_and_not_2027():
    assert {2024, 2025, 2026} <= PACKAGE_YEARS and 2027 not in PACKAGE_YEARS
    assert REAL.covered_years == frozenset({2024, 2025, 2026})


@pytest.mark.parametrize("day", sorted(MAKE_UP_DAYS), ids=str)
def test_a_make_up_day_is_a_weekend_day_that_is_worked(day):
    assert day.weekday() >= 5
    assert REAL.is_working_day(day)
    assert not WEEKENDS_ONLY.is_working_day(day)


def test_the_make_up_days_are_exactly_the_worked_weekend_days_of_2025_and_2026():
    worked_weekends = {d for d in days(D(2025, 1, 1), D(2026, 12, 31)) if d.weekday() >= 5 and REAL.is_working_day(d)}
    assert worked_weekends == MAKE_UP_DAYS


@pytest.mark.parametrize("day", WEEKDAY_HOLIDAYS, ids=str)
def test_a_holiday_on_a_weekday_is_not_worked(day):
    assert day.weekday() < 5
    assert not REAL.is_working_day(day)
    assert WEEKENDS_ONLY.is_working_day(day)


def test_the_weekdays_off_are_exactly_the_holidays_of_2025_and_2026():
    off = {d for d in days(D(2025, 1, 1), D(2026, 12, 31)) if d.weekday() < 5 and not REAL.is_working_day(d)}
    assert off == set(WEEKDAY_HOLIDAYS)


def test_the_2026_national_day_weeks_day_by_day():
    """Mid-autumn 9/25–27, National Day 10/1–7; Sunday 9/20 and Saturday 10/10 are worked."""
    worked = [d for d in days(D(2026, 9, 19), D(2026, 10, 12)) if REAL.is_working_day(d)]
    assert worked == [D(2026, 9, 20), *days(D(2026, 9, 21), D(2026, 9, 24)), *days(D(2026, 9, 28), D(2026, 9, 30)),
                      D(2026, 10, 8), D(2026, 10, 9), D(2026, 10, 10), D(2026, 10, 12)]


@pytest.mark.parametrize(("start", "count", "expected"), [
    # 2026 National Day: Wednesday 9/30, then the week off, then Thursday 10/8; Saturday 10/10 is worked
    (D(2026, 9, 30), 1, D(2026, 10, 8)),
    (D(2026, 9, 30), 2, D(2026, 10, 9)),
    (D(2026, 9, 30), 3, D(2026, 10, 10)),
    (D(2026, 9, 30), 4, D(2026, 10, 12)),
    (D(2026, 9, 30), 5, D(2026, 10, 13)),
    (D(2026, 10, 3), 1, D(2026, 10, 8)),     # from inside the holiday
    (D(2026, 9, 18), 1, D(2026, 9, 20)),     # Friday → the Sunday that is worked
    (D(2026, 9, 24), 1, D(2026, 9, 28)),     # Thursday → over Mid-autumn → Monday
    # 2025 National Day + Mid-autumn: 10/1–8 off, Sunday 9/28 and Saturday 10/11 worked
    (D(2025, 9, 26), 1, D(2025, 9, 28)),
    (D(2025, 9, 30), 1, D(2025, 10, 9)),
    (D(2025, 9, 30), 3, D(2025, 10, 11)),
    (D(2025, 9, 30), 5, D(2025, 10, 14)),
    # Spring Festival 2025: 1/28–2/4 off, Sunday 1/26 and Saturday 2/8 worked
    (D(2025, 1, 24), 1, D(2025, 1, 26)),
    (D(2025, 1, 24), 2, D(2025, 1, 27)),
    (D(2025, 1, 24), 3, D(2025, 2, 5)),
    (D(2025, 1, 24), 6, D(2025, 2, 8)),
    # Spring Festival 2026: 2/15–23 off, Saturdays 2/14 and 2/28 worked
    (D(2026, 2, 13), 1, D(2026, 2, 14)),
    (D(2026, 2, 13), 2, D(2026, 2, 24)),
    (D(2026, 2, 13), 6, D(2026, 2, 28)),
    # Labour Day: 2025 (5/1–5 off, Sunday 4/27 worked), 2026 (5/1–5 off, Saturday 5/9 worked)
    (D(2025, 4, 25), 1, D(2025, 4, 27)),
    (D(2025, 4, 30), 1, D(2025, 5, 6)),
    (D(2026, 4, 30), 1, D(2026, 5, 6)),
    (D(2026, 4, 30), 4, D(2026, 5, 9)),
    # New Year: into 2025 (1/1 off), into 2026 (1/1–3 off, Sunday 1/4 worked)
    (D(2024, 12, 31), 1, D(2025, 1, 2)),
    (D(2025, 12, 31), 1, D(2026, 1, 4)),
    (D(2025, 12, 31), 2, D(2026, 1, 5)),
    # an ordinary week: the start day is not counted, the weekend is skipped
    (D(2026, 11, 27), 1, D(2026, 11, 30)),
    (D(2026, 11, 28), 1, D(2026, 11, 30)),
    (D(2026, 11, 27), 5, D(2026, 12, 4)),
    (D(2026, 11, 27), 15, D(2026, 12, 18)),
    (D(2026, 11, 27), 0, D(2026, 11, 27)),
])
def test_adding_working_days(start, count, expected):
    assert REAL.add_working_days(start, count) == expected


@pytest.mark.parametrize(("start", "count", "expected"), [
    (D(2026, 10, 8), -1, D(2026, 9, 30)),
    (D(2026, 10, 13), -5, D(2026, 9, 30)),
    (D(2026, 10, 12), -1, D(2026, 10, 10)),  # back onto the Saturday that is worked
    (D(2026, 2, 24), -1, D(2026, 2, 14)),
    (D(2025, 1, 2), -1, D(2024, 12, 31)),
    (D(2026, 11, 30), -1, D(2026, 11, 27)),
])
def test_negative_working_days_go_back(start, count, expected):
    assert REAL.add_working_days(start, count) == expected


@pytest.mark.parametrize(("first", "last", "expected"), [
    (D(2026, 9, 30), D(2026, 10, 13), 5),
    (D(2026, 9, 30), D(2026, 10, 7), 0),     # the whole National Day week counts nothing
    (D(2026, 9, 30), D(2026, 10, 11), 3),    # 8, 9, 10 (Saturday, worked); Sunday 11 is off
    (D(2026, 10, 13), D(2026, 9, 30), -5),
    (D(2026, 9, 30), D(2026, 9, 30), 0),
    (D(2026, 2, 13), D(2026, 2, 28), 6),     # 14 (Saturday, worked), 24–27, 28 (Saturday, worked)
    (D(2025, 9, 30), D(2025, 10, 14), 5),
    (D(2025, 12, 31), D(2026, 1, 4), 1),     # only the Sunday that is worked
    (D(2026, 11, 27), D(2026, 12, 4), 5),
])
def test_counting_working_days_between_two_days(first, last, expected):
    assert REAL.working_days_between(first, last) == expected


@pytest.mark.parametrize(("start", "count", "expected"), [
    (D(2026, 11, 27), 15, D(2026, 12, 14)),  # the 15th day is Saturday 12/12: rolls to Monday
    (D(2026, 11, 27), 14, D(2026, 12, 11)),  # a Friday: stays
    (D(2026, 11, 27), 1, D(2026, 11, 30)),   # the start day is not counted: Saturday 11/28 → Monday
    (D(2026, 9, 16), 15, D(2026, 10, 8)),    # lands on 10/1: rolls over the whole National Day week
    (D(2026, 9, 5), 15, D(2026, 9, 20)),     # lands on the Sunday that is worked: stays
    (D(2026, 9, 10), 15, D(2026, 9, 28)),    # lands on Mid-autumn, Friday 9/25 → Monday
    (D(2025, 9, 23), 15, D(2025, 10, 9)),    # lands on Wednesday 10/8, still off in 2025
    (D(2026, 1, 20), 30, D(2026, 2, 24)),    # lands in the Spring Festival week
    (D(2025, 12, 2), 30, D(2026, 1, 4)),     # 1/1 off, Friday 1/2 off, Saturday 1/3 off, Sunday 1/4 worked
])
def test_adding_calendar_days(start, count, expected):
    assert REAL.add_calendar_days(start, count) == expected


@pytest.mark.parametrize(("day", "expected"), [
    (D(2026, 10, 1), D(2026, 10, 8)), (D(2026, 10, 10), D(2026, 10, 10)), (D(2026, 10, 11), D(2026, 10, 12)),
    (D(2026, 9, 30), D(2026, 9, 30)), (D(2025, 1, 25), D(2025, 1, 26)),
])
def test_the_next_working_day(day, expected):
    assert REAL.next_working_day(day) == expected


def test_what_the_calendar_covers():
    assert REAL.covers(D(2025, 6, 1)) and REAL.covers(D(2026, 12, 31)) and not REAL.covers(D(2027, 1, 1))
    assert REAL.covers_span(D(2025, 12, 31), D(2026, 1, 4))
    assert REAL.covers_span(D(2026, 1, 4), D(2025, 12, 31))  # either order
    assert not REAL.covers_span(D(2026, 12, 28), D(2027, 1, 4))
    assert not REAL.covers_span(D(2023, 12, 28), D(2024, 1, 4))  # 2023 is in the package, not in this calendar
    assert not WEEKENDS_ONLY.covers(D(2026, 6, 1))


def test_a_year_with_no_notice_falls_back_to_weekends_only():
    # 1 January 2027 is a Friday: surely a holiday, but the notice is not entered, so it counts as worked
    assert REAL.is_working_day(D(2027, 1, 1)) and not REAL.is_working_day(D(2027, 1, 2))
    assert REAL.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)
    entered = build([*(CalendarEntry(d, k) for d, k in REAL.exceptions.items()),
                     CalendarEntry(D(2027, 1, 1), DayKind.HOLIDAY, "元旦")], {*REAL.covered_years, 2027})
    assert entered.covers(D(2027, 1, 1)) and not entered.is_working_day(D(2027, 1, 1))
    assert entered.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_weekends_only():
    assert [WEEKENDS_ONLY.is_working_day(d) for d in days(D(2026, 11, 23), D(2026, 11, 29))] == [True] * 5 + [False] * 2
    assert WEEKENDS_ONLY.add_working_days(D(2026, 11, 27), 5) == D(2026, 12, 4)
    assert Calendar() == WEEKENDS_ONLY


def test_the_2026_notice_as_the_package_has_it_passes_the_checks():
    import chinese_calendar

    holidays = [d for d in chinese_calendar.holidays if d.year == 2026]
    working_days = [d for d in chinese_calendar.workdays if d.year == 2026 and d.weekday() >= 5]
    assert check_notice(2026, holidays, working_days) == []


def test_what_is_wrong_with_a_notice():
    codes = lambda problems: [(p.code, p.day) for p in problems]  # noqa: E731
    assert codes(check_notice(2027, [], [])) == [("empty", None)]
    assert codes(check_notice(2027, [D(2026, 10, 1)], [])) == [("wrong_year", D(2026, 10, 1))]
    assert codes(check_notice(2027, [D(2027, 10, 1)], [D(2027, 10, 8)])) == [("makeup_not_weekend", D(2027, 10, 8))]
    assert codes(check_notice(2027, [D(2027, 10, 2)], [D(2027, 10, 2)])) == [("both", D(2027, 10, 2))]
    assert codes(check_notice(2027, [D(2027, 10, 1), D(2027, 10, 1)], [])) == [("duplicate", D(2027, 10, 1))]
