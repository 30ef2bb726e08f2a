"""Deadlines stamped on dispatch, extension and review (DOMAIN.md §2, §4), on concrete dates.

Working days: the start day is not counted, weekends (and the calendar's holidays) are skipped, make-up
working days (调休) count, and the deadline is the end of the last day in Asia/Shanghai. Hours run 24/7."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hotline.domain.deadlines import (
    Limit,
    WeekendsOnly,
    add_working_days,
    callback_due,
    due,
    extended,
    on_dispatch,
)
from hotline.domain.kinds import Urgency

TZ = "Asia/Shanghai"
SHANGHAI = ZoneInfo(TZ)
WEEKENDS = WeekendsOnly()


def local(y, m, d, hh=0, mm=0, ss=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=SHANGHAI)


def end_of(y, m, d) -> datetime:
    return local(y, m, d, 23, 59, 59)


class NationalDay2025:
    """国务院办公厅 2025 notice: 10月1日至8日放假; 9月28日（周日）、10月11日（周六）上班."""
    provisional = False
    holidays = {date(2025, 10, d) for d in range(1, 9)}
    make_up = {date(2025, 9, 28), date(2025, 10, 11)}

    def is_working_day(self, day: date) -> bool:
        if day in self.make_up:
            return True
        return day.weekday() < 5 and day not in self.holidays


FRIDAY_MORNING = local(2026, 11, 27, 10, 0)  # Friday 27 November 2026


def test_a_general_case_dispatched_on_a_friday():
    stamped = on_dispatch(FRIDAY_MORNING.astimezone(UTC), Urgency.GENERAL, WEEKENDS, TZ)
    assert stamped.sign == end_of(2026, 11, 30)            # Monday: the 1st working day after Friday
    assert stamped.return_until == end_of(2026, 12, 1)     # Tuesday: 2 working days
    assert stamped.reply == end_of(2026, 12, 4)            # next Friday: 5 working days
    assert stamped.sign.tzinfo == UTC and stamped.sign == datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC)


def test_a_complex_case_has_fifteen_working_days():
    stamped = on_dispatch(FRIDAY_MORNING, Urgency.COMPLEX, WEEKENDS, TZ)
    assert (stamped.sign, stamped.reply) == (end_of(2026, 11, 30), end_of(2026, 12, 18))


def test_the_start_day_is_not_counted_even_late_at_night():
    assert add_working_days(local(2026, 11, 25, 23, 59), 1, WEEKENDS, TZ) == end_of(2026, 11, 26)
    assert add_working_days(local(2026, 11, 25, 0, 0), 1, WEEKENDS, TZ) == end_of(2026, 11, 26)


def test_the_day_is_the_local_day_not_the_utc_day():
    # 16:30 UTC on Thursday is 00:30 on Friday in Shanghai: the Friday is the start day
    thursday_utc = datetime(2026, 11, 26, 16, 30, tzinfo=UTC)
    assert add_working_days(thursday_utc, 1, WEEKENDS, TZ) == end_of(2026, 11, 30)
    # and 15:59 UTC is still Thursday there
    assert add_working_days(datetime(2026, 11, 26, 15, 59, tzinfo=UTC), 1, WEEKENDS, TZ) == end_of(2026, 11, 27)


@pytest.mark.parametrize(("start", "days", "deadline"), [
    (local(2026, 11, 28, 9), 1, end_of(2026, 11, 30)),    # Saturday → Monday
    (local(2026, 11, 29, 9), 1, end_of(2026, 11, 30)),    # Sunday → Monday
    (local(2026, 11, 28, 9), 5, end_of(2026, 12, 4)),     # Saturday → Friday
    (local(2026, 11, 30, 9), 5, end_of(2026, 12, 7)),     # Monday → next Monday
    (local(2026, 11, 30, 9), 10, end_of(2026, 12, 14)),
    (local(2026, 11, 30, 9), 0, end_of(2026, 11, 30)),
])
def test_weekends_are_skipped(start, days, deadline):
    assert add_working_days(start, days, WEEKENDS, TZ) == deadline


def test_hour_limits_run_through_nights_and_weekends():
    saturday_night = local(2026, 11, 28, 23, 0)
    urgent = on_dispatch(saturday_night, Urgency.URGENT, WEEKENDS, TZ)
    assert urgent.sign == local(2026, 11, 28, 23, 15) and urgent.reply == local(2026, 11, 29, 1, 0)
    utilities = on_dispatch(saturday_night, Urgency.UTILITIES, WEEKENDS, TZ)
    assert utilities.sign == local(2026, 11, 28, 23, 30) and utilities.reply == local(2026, 11, 29, 23, 0)
    assert urgent.return_until == end_of(2026, 12, 1)  # the return window is in working days whatever the urgency


def test_due_by_unit():
    start = local(2026, 11, 27, 10)
    assert due(start, Limit(90, "minutes"), WEEKENDS, TZ) == start + timedelta(minutes=90)
    assert due(start, Limit(48, "hours"), WEEKENDS, TZ) == local(2026, 11, 29, 10)
    assert due(start, Limit(2, "working_days"), WEEKENDS, TZ) == end_of(2026, 12, 1)


def test_an_extension_adds_working_days_from_the_old_deadline():
    old = end_of(2026, 12, 4).astimezone(UTC)  # Friday
    assert extended(old, 3, WEEKENDS, TZ) == end_of(2026, 12, 9)    # Wednesday
    assert extended(old, 10, WEEKENDS, TZ) == end_of(2026, 12, 18)
    # not from the day it is approved: approving early does not shorten anything
    assert extended(old, 1, WEEKENDS, TZ) == end_of(2026, 12, 7)


def test_an_extension_of_an_hour_deadline_ends_at_the_end_of_a_working_day():
    assert extended(local(2026, 11, 28, 1, 0), 1, WEEKENDS, TZ) == end_of(2026, 11, 30)


def test_the_callback_is_due_three_working_days_after_the_review():
    assert callback_due(local(2026, 12, 4, 15), WEEKENDS, TZ) == end_of(2026, 12, 9)


def test_holidays_are_skipped_and_make_up_days_count():
    calendar = NationalDay2025()
    stamped = on_dispatch(local(2025, 9, 30, 10), Urgency.GENERAL, calendar, TZ)  # Tuesday, eve of the holiday
    assert stamped.sign == end_of(2025, 10, 9)
    assert stamped.return_until == end_of(2025, 10, 10)
    assert stamped.reply == end_of(2025, 10, 14)  # 9, 10, 11 (Saturday, worked), 13, 14
    # a Friday dispatch is due on the Sunday that is worked
    assert add_working_days(local(2025, 9, 26, 10), 1, calendar, TZ) == end_of(2025, 9, 28)


def test_weekends_only_is_provisional():
    assert WeekendsOnly.provisional is True and NationalDay2025.provisional is False
