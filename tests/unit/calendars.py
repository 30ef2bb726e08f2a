"""Real calendars for tests: hotline.domain.calendar.Calendar built from the chinese-calendar package exactly
as migrations/versions/0006_deadlines.py seeds the database — every day the package lists as a holiday (weekend
ones included, harmless: a weekend is off anyway) and, as make-up working days, the package's workdays that
fall on a Saturday or Sunday. A year is covered when the package lists any day of it."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache

import chinese_calendar

from hotline.domain.calendar import Calendar, CalendarEntry, DayKind, build

PACKAGE_YEARS = frozenset(d.year for d in chinese_calendar.holidays)  # 2004–2026 in 1.11.0


@cache
def package_calendar(years: tuple[int, ...] | None = None) -> Calendar:
    """The package's calendar for `years` (all it covers when None); other years fall back to weekends-only."""
    wanted = PACKAGE_YEARS if years is None else frozenset(years) & PACKAGE_YEARS
    entries = [CalendarEntry(d, DayKind.HOLIDAY, str(name or "")) for d, name in chinese_calendar.holidays.items()
               if d.year in wanted]
    entries += [CalendarEntry(d, DayKind.WORKING_DAY, str(name or "")) for d, name in chinese_calendar.workdays.items()
                if d.year in wanted and d.weekday() >= 5]
    return build(entries, {e.day.year for e in entries})


def calendar_for(*years: int) -> Calendar:
    return package_calendar(tuple(sorted(years)))


def days(first: date, last: date) -> Iterable[date]:
    """Every day from `first` to `last`, both included."""
    return (date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1))
