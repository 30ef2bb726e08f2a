"""A State Council holiday notice (国务院办公厅关于某年部分节假日安排的通知) as an administrator types it.

Two sections, one line per day or period, the name after the dates:

    holidays                            make-up working days (调休上班)
    2027-01-01..2027-01-03 元旦          2027-02-20 春节
    2027-02-06 至 2027-02-13 春节         2月28日（星期日）、10月9日（星期六） 国庆节
    10月1日至7日 国庆节

A date is YYYY-MM-DD (or with / or .), or 2027年2月6日; the year may be left out (the notice's year is
meant). A period is two dates joined by .. ~ 至 到 or a dash between spaces; its end may leave out the year,
or the month too (2月6日至13日). Several dates or periods may share a line, joined by 、 , or ;. A note in
brackets after a date — the weekday, （星期六） — is skipped. Blank lines and lines starting with # are
ignored. Whether the days make a sensible notice is hotline.domain.calendar.check_notice's question;
this module only reads them, and says which line it could not read.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

NAME_MAX = 64  # calendar_day.name
LONGEST_PERIOD = 31  # days: no statutory holiday comes near; a longer period is a typing slip

HOLIDAYS = "holidays"
WORKING_DAYS = "working_days"

_DATE = re.compile(r"(?:(?P<y>\d{4})\s*[-/.年]\s*)?(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*日?")
_DAY_ONLY = re.compile(r"(?P<d>\d{1,2})(?!\d)\s*日")
_RANGE = re.compile(r"\s*(?:\.\.|…|~|～|至|到|—|–|－|-(?=\s*\d))\s*")
_LIST = re.compile(r"\s*[、,，;；]\s*")
_ASIDE = re.compile(r"\s*[（(][^（）()]{0,12}[）)]")  # （星期六）, (Sat)
_NAME_TRIM = " \t:：,，、;；"


@dataclass(frozen=True)
class LineProblem:
    section: str  # HOLIDAYS or WORKING_DAYS
    line: int  # 1-based, as the person counts the lines of the box
    code: str  # no_date, bad_date, reversed_range, range_too_long, name_too_long
    text: str  # the line as typed


@dataclass(frozen=True)
class ParsedNotice:
    holidays: tuple[tuple[date, str], ...]  # every day of every period, in the order typed, repeats kept
    working_days: tuple[tuple[date, str], ...]
    problems: tuple[LineProblem, ...]


def parse(year: int, holidays_text: str, working_days_text: str) -> ParsedNotice:
    holidays, problems = _section(year, HOLIDAYS, holidays_text)
    working, more = _section(year, WORKING_DAYS, working_days_text)
    return ParsedNotice(tuple(holidays), tuple(working), tuple(problems + more))


def _section(year: int, section: str, text: str) -> tuple[list[tuple[date, str]], list[LineProblem]]:
    days: list[tuple[date, str]] = []
    problems: list[LineProblem] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        read = _line(year, line)
        if isinstance(read, str):
            problems.append(LineProblem(section, number, read, line[:120]))
        else:
            days.extend(read)
    return days, problems


def _line(year: int, line: str) -> list[tuple[date, str]] | str:
    """The days of one line with their name, or the code of what is wrong with it."""
    periods: list[tuple[date, date]] = []
    pos = 0
    while True:
        start = _DATE.match(line, pos)
        if start is None:
            if not periods:
                return "no_date"
            break
        first = _date_of(start, year, None)
        if first is None:
            return "bad_date"
        pos = _skip_aside(line, start.end())
        last = first
        joined = _RANGE.match(line, pos)
        if joined:
            end = _DATE.match(line, joined.end()) or _DAY_ONLY.match(line, joined.end())
            if end is None:
                return "bad_date"
            last = _date_of(end, first.year, first.month)
            if last is None:
                return "bad_date"
            pos = _skip_aside(line, end.end())
        if last < first:
            return "reversed_range"
        if (last - first).days >= LONGEST_PERIOD:
            return "range_too_long"
        periods.append((first, last))
        more = _LIST.match(line, pos)
        if more is None or not _DATE.match(line, more.end()):
            break
        pos = more.end()
    name = line[pos:].strip(_NAME_TRIM)
    if name[:1].isdigit():  # a date that could not be read as one, e.g. two dates with nothing between them
        return "bad_date"
    if len(name) > NAME_MAX:
        return "name_too_long"
    return [(first + timedelta(days=n), name) for first, last in periods for n in range((last - first).days + 1)]


def _date_of(match: re.Match, year: int, month: int | None) -> date | None:
    groups = match.groupdict()
    try:
        return date(int(groups.get("y") or year), int(groups.get("m") or month), int(groups["d"]))
    except (TypeError, ValueError):
        return None


def _skip_aside(line: str, pos: int) -> int:
    aside = _ASIDE.match(line, pos)
    return aside.end() if aside else pos


def format_days(days: Iterable[tuple[date, str]]) -> str:
    """The text `parse` reads back to the same days: runs of consecutive days with one name become a period."""
    lines = []
    run: list[tuple[date, str]] = []
    for day, name in sorted(set(days)):
        if run and day == run[-1][0] + timedelta(days=1) and name == run[-1][1]:
            run.append((day, name))
            continue
        if run:
            lines.append(_period_line(run))
        run = [(day, name)]
    if run:
        lines.append(_period_line(run))
    return "\n".join(lines)


def _period_line(run: list[tuple[date, str]]) -> str:
    first, last, name = run[0][0], run[-1][0], run[0][1]
    dates = first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"
    return f"{dates} {name}".rstrip()


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    name: str

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def periods(days: Iterable[tuple[date, str]]) -> list[Period]:
    """Consecutive days with one name, as a notice states them ("国庆节 10月1日至7日")."""
    found: list[Period] = []
    for day, name in sorted(set(days)):
        if found and found[-1].name == name and day == found[-1].last + timedelta(days=1):
            found[-1] = Period(found[-1].first, day, name)
        else:
            found.append(Period(day, day, name))
    return found
