"""The working calendar (DOMAIN.md §4): weekends, statutory holidays and the make-up working days (调休)
the State Council announces each year.

The calendar is data: a map of dated exceptions to the weekday/weekend rule, and the years whose notice
has been entered. A day in a year with no notice falls back to weekends-only, and anything computed from
such a day is provisional until the year is entered.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class DayKind(StrEnum):
    HOLIDAY = "holiday"          # a statutory holiday (or a weekday inside a holiday week)
    WORKING_DAY = "working_day"  # a weekend day made a working day (调休)


@dataclass(frozen=True)
class CalendarEntry:
    day: date
    kind: DayKind
    name: str = ""


@dataclass(frozen=True)
class Calendar:
    exceptions: Mapping[date, DayKind] = field(default_factory=dict)
    covered_years: frozenset[int] = frozenset()

    def covers(self, day: date) -> bool:
        return day.year in self.covered_years

    def covers_span(self, first: date, last: date) -> bool:
        """True when every year from `first` to `last` has its notice entered."""
        low, high = min(first, last), max(first, last)
        return all(year in self.covered_years for year in range(low.year, high.year + 1))

    def is_working_day(self, day: date) -> bool:
        kind = self.exceptions.get(day)
        if kind is DayKind.HOLIDAY:
            return False
        if kind is DayKind.WORKING_DAY:
            return True
        return day.weekday() < 5

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (`day` itself is not counted); backwards when negative."""
        step = timedelta(days=1 if count >= 0 else -1)
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, first: date, last: date) -> int:
        """Working days in (first, last]: how many working days after `first` have passed by `last`.
        Negative when `last` is before `first`."""
        if last < first:
            return -self.working_days_between(last, first)
        return sum(1 for n in range(1, (last - first).days + 1) if self.is_working_day(first + timedelta(days=n)))

    def add_calendar_days(self, day: date, count: int) -> date:
        """民法典 Arts. 201–203 by analogy: the start day is not counted, and a last day that is not a working
        day rolls to the next working day."""
        return self.next_working_day(day + timedelta(days=count))


WEEKENDS_ONLY = Calendar()


def build(exceptions: Iterable[CalendarEntry], covered_years: Iterable[int]) -> Calendar:
    return Calendar({e.day: e.kind for e in exceptions}, frozenset(covered_years))


@dataclass(frozen=True)
class NoticeProblem:
    code: str  # empty, wrong_year, makeup_not_weekend, both (a holiday and a make-up day), duplicate
    day: date | None = None


def check_notice(year: int, holidays: Iterable[date], working_days: Iterable[date]) -> list[NoticeProblem]:
    """A State Council notice for `year`: holidays and make-up working days. What is wrong with it, if
    anything. A make-up working day is always a Saturday or Sunday; a day cannot be both."""
    holidays, working_days = list(holidays), list(working_days)
    problems = []
    if not holidays:
        problems.append(NoticeProblem("empty"))
    for day in (*holidays, *working_days):
        if day.year != year:
            problems.append(NoticeProblem("wrong_year", day))
    for day in working_days:
        if day.weekday() < 5:
            problems.append(NoticeProblem("makeup_not_weekend", day))
    for day in sorted(set(holidays) & set(working_days)):
        problems.append(NoticeProblem("both", day))
    for day in sorted({d for d in holidays if holidays.count(d) > 1} | {d for d in working_days
                                                                          if working_days.count(d) > 1}):
        problems.append(NoticeProblem("duplicate", day))
    return problems
