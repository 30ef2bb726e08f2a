"""Time limits on concrete dates (DOMAIN.md §2, §4).

Minutes and hours run 24/7. Working hours run only within office hours on working days. Working days
skip what the calendar says are not working days; the start day is not counted and the deadline is the
end of the last day, local time. Calendar days (the 日 of the 信访 regulation): the start day is not
counted, and a last day that is not a working day rolls to the next working day.

A deadline that looked at a day of a year the calendar does not cover is provisional.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from hotline.domain.calendar import Calendar

END_OF_DAY = time(23, 59, 59)


class Unit(StrEnum):
    MINUTES = "minutes"              # 24/7
    HOURS = "hours"                  # calendar hours, 24/7
    WORKING_HOURS = "working_hours"  # within office hours, on working days
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: Unit

    def __post_init__(self):
        object.__setattr__(self, "unit", Unit(self.unit))
        if self.amount < 1:
            raise ValueError("a limit is at least 1")


@dataclass(frozen=True)
class OfficeHours:
    opens: time = time(9, 0)
    closes: time = time(17, 30)

    def __post_init__(self):
        if self.closes <= self.opens:
            raise ValueError("office hours close after they open")


@dataclass(frozen=True)
class Due:
    at: datetime
    provisional: bool


def due(start: datetime, limit: Limit, calendar: Calendar, tz: str, office: OfficeHours = OfficeHours()) -> Due:
    """When `limit` counted from `start` runs out; in the time zone of `start`."""
    if limit.unit is Unit.MINUTES:
        return Due(start + timedelta(minutes=limit.amount), False)
    if limit.unit is Unit.HOURS:
        return Due(start + timedelta(hours=limit.amount), False)
    zone = ZoneInfo(tz)
    local = start.astimezone(zone)
    if limit.unit is Unit.WORKING_HOURS:
        at = _shift_working_minutes(local, limit.amount * 60, calendar, office)
    else:
        if limit.unit is Unit.WORKING_DAYS:
            day = calendar.add_working_days(local.date(), limit.amount)
        else:
            day = calendar.add_calendar_days(local.date(), limit.amount)
        at = datetime.combine(day, END_OF_DAY, zone)
    return Due(at.astimezone(start.tzinfo), not calendar.covers_span(local.date(), at.date()))


def before(moment: datetime, limit: Limit, calendar: Calendar, tz: str,
           office: OfficeHours = OfficeHours()) -> datetime:
    """The moment `limit` before `moment`: "1 working day left" is the end of the working day before."""
    if limit.unit is Unit.MINUTES:
        return moment - timedelta(minutes=limit.amount)
    if limit.unit is Unit.HOURS:
        return moment - timedelta(hours=limit.amount)
    zone = ZoneInfo(tz)
    local = moment.astimezone(zone)
    if limit.unit is Unit.WORKING_HOURS:
        return _shift_working_minutes(local, -limit.amount * 60, calendar, office).astimezone(moment.tzinfo)
    if limit.unit is Unit.WORKING_DAYS:
        day = calendar.add_working_days(local.date(), -limit.amount)
    else:
        day = local.date() - timedelta(days=limit.amount)
    return datetime.combine(day, END_OF_DAY, zone).astimezone(moment.tzinfo)


def warning_at(start: datetime, due_at: datetime, percent: int | None, left: Limit | None, calendar: Calendar,
               tz: str, office: OfficeHours = OfficeHours()) -> datetime | None:
    """The first of the thresholds reached: `percent` of the time gone, or only `left` remaining.
    None when there is no threshold, or when none falls after the start."""
    candidates = []
    if percent:
        candidates.append(start + (due_at - start) * percent / 100)
    if left:
        candidates.append(before(due_at, left, calendar, tz, office))
    after_start = [c for c in candidates if start < c < due_at]
    return min(after_start) if after_start else None


def working_days_between(first: datetime, last: datetime, calendar: Calendar, tz: str) -> int:
    """Working days begun after the local day of `first`, up to and including the local day of `last`."""
    zone = ZoneInfo(tz)
    return calendar.working_days_between(first.astimezone(zone).date(), last.astimezone(zone).date())


def _shift_working_minutes(local: datetime, minutes: int, calendar: Calendar, office: OfficeHours) -> datetime:
    """Move `minutes` of office time forwards (or backwards when negative) from `local`."""
    forwards = minutes >= 0
    remaining = timedelta(minutes=abs(minutes))
    zone = local.tzinfo
    moment = _to_office(local, calendar, office, forwards)
    while True:
        day = moment.date()
        edge = datetime.combine(day, office.closes if forwards else office.opens, zone)
        available = edge - moment if forwards else moment - edge
        if remaining <= available:
            return moment + remaining if forwards else moment - remaining
        remaining -= available
        step = _next_day if forwards else _previous_day
        next_day = step(day, calendar)
        moment = datetime.combine(next_day, office.opens if forwards else office.closes, zone)


def _to_office(local: datetime, calendar: Calendar, office: OfficeHours, forwards: bool) -> datetime:
    """`local` if it is in office hours; else the next opening (forwards) or the last closing (backwards)."""
    zone, day, clock = local.tzinfo, local.date(), local.time()
    if forwards:
        if calendar.is_working_day(day) and clock < office.closes:
            return max(local, datetime.combine(day, office.opens, zone))
        return datetime.combine(_next_day(day, calendar), office.opens, zone)
    if calendar.is_working_day(day) and clock > office.opens:
        return min(local, datetime.combine(day, office.closes, zone))
    return datetime.combine(_previous_day(day, calendar), office.closes, zone)


def _next_day(day: date, calendar: Calendar) -> date:
    return calendar.add_working_days(day, 1)


def _previous_day(day: date, calendar: Calendar) -> date:
    return calendar.add_working_days(day, -1)
