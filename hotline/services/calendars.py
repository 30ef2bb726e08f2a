"""Keeping the working calendar (DOMAIN.md §4): a year as twelve month grids, an administrator entering a
year's State Council notice, and reloading the years the chinese-calendar package covers.

Rules for entering a year, beyond hotline.domain.calendar.check_notice:
- the year is a plausible one (2000–2100) and the notice is named (its reference, e.g. 国办发明电〔2026〕7号),
  so that the record says which document the days came from;
- a year already in the calendar is only replaced when the person says so (`replace=True`): a year from the
  package is usually right and is the same notice, and a year someone entered was entered on purpose;
- once an administrator has entered a year, reloading the package never overwrites it: the notice the
  administrator typed wins over a package that may be older than a late change (e.g. 2020's extended
  Spring Festival).

Every change is written with who and when (calendar_year.entered_by_id/entered_at) and to the access log,
in the same transaction. Nothing here touches a stamped deadline: new stamps count on the new calendar, and
old ones change only by an explicit recompute (services.recompute).
"""
from __future__ import annotations

import calendar as stdlib_calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline.domain.calendar import DayKind, NoticeProblem, check_notice
from hotline.domain.calendar_notice import NAME_MAX, Period, periods
from hotline.domain.errors import InvalidFields
from hotline.models import AccessLog, CalendarDay, CalendarYear, User
from hotline.services import audit

PACKAGE = "chinese-calendar"
ADMIN = "admin"
FIRST_YEAR, LAST_YEAR = 2000, 2100
NOTICE_MAX = 200  # calendar_year.notice

# the package names its holidays in English; the calendar shows them as the notice does (as migration 0006)
PACKAGE_NAMES = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
                 "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
                 "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利纪念日"}

WORKING, WEEKEND, HOLIDAY, MAKEUP = "working", "weekend", "holiday", "makeup"


class Refused(InvalidFields):
    """InvalidFields whose `problems` name each day that is wrong, with the field (holidays or working_days)
    it was typed in: [(field, NoticeProblem)]."""

    def __init__(self, detail: dict, problems: list[tuple[str, NoticeProblem]] = ()) -> None:
        super().__init__("fields", detail)
        self.problems = list(problems)


# --- reading a year -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Day:
    day: date
    kind: str  # working, weekend, holiday, makeup
    name: str = ""
    today: bool = False


@dataclass(frozen=True)
class Month:
    number: int
    first: date
    weeks: list[list[Day | None]]  # Monday first; None pads the first and last week


@dataclass
class YearView:
    year: int
    row: CalendarYear | None
    entered_by: User | None
    months: list[Month] = field(default_factory=list)
    holidays: list[Period] = field(default_factory=list)
    makeup: list[Period] = field(default_factory=list)
    working_days: int = 0

    @property
    def covered(self) -> bool:
        """False: deadlines counted on this year are provisional (weekends only)."""
        return self.row is not None

    @property
    def source(self) -> str:
        return self.row.source if self.row else ""


def days_of(session: Session, year: int) -> list[CalendarDay]:
    return list(session.scalars(select(CalendarDay).where(CalendarDay.year == year).order_by(CalendarDay.day)))


def year_view(session: Session, year: int, today: date) -> YearView:
    row = session.get(CalendarYear, year)
    rows = days_of(session, year) if row else []
    exceptions = {r.day: (r.kind, r.name) for r in rows}
    view = YearView(year, row, session.get(User, row.entered_by_id) if row and row.entered_by_id else None)
    grid = stdlib_calendar.Calendar(firstweekday=0)
    for number in range(1, 13):
        weeks = []
        for week in grid.monthdatescalendar(year, number):
            cells: list[Day | None] = []
            for day in week:
                if day.month != number:
                    cells.append(None)
                    continue
                kind, name = _kind(day, exceptions.get(day))
                view.working_days += kind in (WORKING, MAKEUP)
                cells.append(Day(day, kind, name, day == today))
            weeks.append(cells)
        view.months.append(Month(number, date(year, number, 1), weeks))
    view.holidays = periods((r.day, r.name) for r in rows if r.kind == DayKind.HOLIDAY)
    view.makeup = periods((r.day, r.name) for r in rows if r.kind == DayKind.WORKING_DAY)
    return view


def _kind(day: date, exception: tuple[str, str] | None) -> tuple[str, str]:
    if exception and exception[0] == DayKind.HOLIDAY:
        return HOLIDAY, exception[1]
    if exception and exception[0] == DayKind.WORKING_DAY:
        return MAKEUP, exception[1]
    return (WORKING if day.weekday() < 5 else WEEKEND), ""


def entered_years(session: Session) -> dict[int, str]:
    """Every year in the calendar, with where its days came from."""
    query = select(CalendarYear.year, CalendarYear.source).order_by(CalendarYear.year)
    return dict(session.execute(query).tuples().all())


# --- entering a year's notice -------------------------------------------------------------------------------

def _pairs(days: Iterable) -> list[tuple[date, str]]:
    """Days as (date, name); a bare date has no name."""
    return [(d, "") if isinstance(d, date) else (d[0], str(d[1] or "")) for d in days]


def problems(session: Session, year: int, holidays: Iterable, working_days: Iterable, notice: str,
             replace: bool = False) -> Refused | None:
    """Everything wrong with this entry, at once, or None."""
    holidays, working_days = _pairs(holidays), _pairs(working_days)
    detail: dict[str, str] = {}
    notice = (notice or "").strip()
    if not notice:
        detail["notice"] = "required"
    elif len(notice) > NOTICE_MAX:
        detail["notice"] = "too_long"
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return Refused({**detail, "year": "out_of_range"})
    existing = session.get(CalendarYear, year)
    if existing is not None and not replace:
        detail["year"] = "already_entered" if existing.source == ADMIN else "from_package"
    found: list[tuple[str, NoticeProblem]] = []
    holiday_days = {d for d, _ in holidays}
    for p in check_notice(year, [d for d, _ in holidays], [d for d, _ in working_days]):
        where = "holidays" if p.code == "empty" or (p.code in ("wrong_year", "duplicate") and p.day in holiday_days) \
            else "working_days"
        found.append((where, p))
    for where, days in (("holidays", holidays), ("working_days", working_days)):
        for day, name in days:
            if len(name) > NAME_MAX:
                found.append((where, NoticeProblem("name_too_long", day)))
    for where, p in found:
        detail.setdefault(where, p.code)
    return Refused(detail, found) if detail else None


def enter_year(session: Session, year: int, holidays: Iterable, working_days: Iterable, notice: str, user: User,
               now: datetime, replace: bool = False) -> CalendarYear:
    """Writes the year (source "admin") and its days in one transaction, or raises Refused (InvalidFields)
    and writes nothing. `holidays` and `working_days` are dates or (date, name) pairs."""
    holidays, working_days = _pairs(holidays), _pairs(working_days)
    if (refused := problems(session, year, holidays, working_days, notice, replace)) is not None:
        raise refused
    row = session.get(CalendarYear, year)
    before = f"replaces {row.source}" if row else "new"
    if row is None:
        row = CalendarYear(year=year)
        session.add(row)
    else:
        session.execute(delete(CalendarDay).where(CalendarDay.year == year))
    row.source, row.notice, row.entered_by_id, row.entered_at = ADMIN, notice.strip(), user.id, now
    try:
        session.flush()  # the year before its days: they name it, and nothing orders the two inserts otherwise
    except IntegrityError:  # someone entered the same year at the same moment
        session.rollback()
        raise Refused({"year": "already_entered"}) from None
    session.add_all(_rows(year, holidays, working_days))
    audit.log_access(session, user, "calendar_entered", at=now,
                     detail=f"{year} {before}: {len(set(holidays))} holidays, {len(set(working_days))} make-up "
                            f"days; {notice.strip()}")
    session.commit()
    return row


def _rows(year: int, holidays: list[tuple[date, str]], working_days: list[tuple[date, str]]) -> list[CalendarDay]:
    rows: dict[date, CalendarDay] = {}
    for kind, days in ((DayKind.HOLIDAY, holidays), (DayKind.WORKING_DAY, working_days)):
        for day, name in days:
            rows.setdefault(day, CalendarDay(day=day, year=year, kind=kind.value, name=name))
    return list(rows.values())


# --- the chinese-calendar package ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Imported:
    loaded: list[int]  # written now (new, or the package changed)
    unchanged: list[int]  # already as the package says
    kept: list[int]  # entered by an administrator: left alone


def package_years() -> dict[int, dict[date, tuple[str, str]]]:
    """What the installed package says, year by year: day → (kind, name). Its workdays that fall on a weekend
    are the make-up days; its holidays include the weekend days inside a holiday period."""
    import chinese_calendar  # only the pages and commands that reload it pay for importing it

    years: dict[int, dict[date, tuple[str, str]]] = {}
    for day, name in chinese_calendar.holidays.items():
        years.setdefault(day.year, {})[day] = (DayKind.HOLIDAY.value, _package_name(name))
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() >= 5:
            years.setdefault(day.year, {})[day] = (DayKind.WORKING_DAY.value, _package_name(name))
    return years


def _package_name(name) -> str:
    text = str(name or "")
    return PACKAGE_NAMES.get(text, text)[:NAME_MAX]


def import_package(session: Session, now: datetime, user: User | None = None) -> Imported:
    """Reloads every year the package covers, except the years an administrator entered."""
    result = Imported([], [], [])
    existing = {row.year: row for row in session.scalars(select(CalendarYear))}
    for year, wanted in sorted(package_years().items()):
        row = existing.get(year)
        if row is not None and row.source == ADMIN:
            result.kept.append(year)
            continue
        if row is not None and {r.day: (r.kind, r.name) for r in days_of(session, year)} == wanted:
            result.unchanged.append(year)
            continue
        if row is None:
            row = CalendarYear(year=year)
            session.add(row)
        else:
            session.execute(delete(CalendarDay).where(CalendarDay.year == year))
        row.source, row.notice, row.entered_by_id, row.entered_at = PACKAGE, "", None, now
        session.flush()  # the year before its days
        session.add_all(CalendarDay(day=d, year=year, kind=kind, name=name) for d, (kind, name) in wanted.items())
        result.loaded.append(year)
    if result.loaded:
        audit.log_access(session, user, "calendar_imported", at=now,
                         detail=f"{PACKAGE}: loaded {_years(result.loaded)}; kept {_years(result.kept) or '-'}")
    session.commit()
    return result


def _years(years: list[int]) -> str:
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]} ({len(years)})"


def history(session: Session, limit: int = 10) -> list[tuple]:
    """The latest changes to the calendar, from the access log: (AccessLog, User | None)."""
    rows = session.execute(select(AccessLog, User).outerjoin(User, User.id == AccessLog.user_id)
                           .where(AccessLog.action.in_(("calendar_entered", "calendar_imported",
                                                        "recompute_requested", "recompute_done")))
                           .order_by(AccessLog.id.desc()).limit(limit)).tuples().all()
    return list(rows)
