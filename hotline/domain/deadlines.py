"""Deadlines stamped on a case when it is dispatched (DOMAIN.md §2, §4).

Hour limits run 24/7. Working-day limits skip days the calendar says are not working days; the
start day is not counted and the deadline is the end of the last day, local time. The calendar is
handed in: until the holiday calendar is loaded, a weekends-only calendar stands in (provisional).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from hotline.domain.kinds import Urgency


class WorkingCalendar(Protocol):
    provisional: bool

    def is_working_day(self, day: date) -> bool: ...


class WeekendsOnly:
    provisional = True

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: str  # minutes, hours, working_days


SIGN = {Urgency.URGENT: Limit(15, "minutes"), Urgency.UTILITIES: Limit(30, "minutes"),
        Urgency.GENERAL: Limit(1, "working_days"), Urgency.COMPLEX: Limit(1, "working_days")}
HANDLE = {Urgency.URGENT: Limit(2, "hours"), Urgency.UTILITIES: Limit(24, "hours"),
          Urgency.GENERAL: Limit(5, "working_days"), Urgency.COMPLEX: Limit(15, "working_days")}
RETURN_WINDOW = Limit(2, "working_days")
CALLBACK = Limit(3, "working_days")


def add_working_days(start: datetime, days: int, calendar: WorkingCalendar, tz: str) -> datetime:
    """The end (23:59:59 local) of the `days`-th working day after the local day of `start`."""
    zone = ZoneInfo(tz)
    day = start.astimezone(zone).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return datetime.combine(day, time(23, 59, 59), zone).astimezone(start.tzinfo)


def due(start: datetime, limit: Limit, calendar: WorkingCalendar, tz: str) -> datetime:
    if limit.unit == "minutes":
        return start + timedelta(minutes=limit.amount)
    if limit.unit == "hours":
        return start + timedelta(hours=limit.amount)
    return add_working_days(start, limit.amount, calendar, tz)


@dataclass(frozen=True)
class Deadlines:
    sign: datetime
    reply: datetime
    return_until: datetime


def on_dispatch(now: datetime, urgency: Urgency, calendar: WorkingCalendar, tz: str) -> Deadlines:
    return Deadlines(sign=due(now, SIGN[urgency], calendar, tz), reply=due(now, HANDLE[urgency], calendar, tz),
                     return_until=due(now, RETURN_WINDOW, calendar, tz))


def extended(reply_due: datetime, working_days: int, calendar: WorkingCalendar, tz: str) -> datetime:
    """An approved extension moves the reply deadline by working days from where it stood."""
    return add_working_days(reply_due, working_days, calendar, tz)


def callback_due(reviewed_at: datetime, calendar: WorkingCalendar, tz: str) -> datetime:
    return due(reviewed_at, CALLBACK, calendar, tz)
