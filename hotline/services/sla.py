"""The policies in force and the calendar they count on, read from the database and kept per process
until either changes (one small query per use tells)."""
from __future__ import annotations

from datetime import date, time

from flask import current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.domain import calendar as cal
from hotline.domain import sla
from hotline.domain.deadlines import Limit, OfficeHours
from hotline.models import CalendarDay, CalendarYear, SlaPolicy

_cache: dict[str, tuple[tuple, object]] = {}


def forget() -> None:
    _cache.clear()


def book(session: Session, timezone: str, office: OfficeHours | None = None) -> sla.Book:
    return sla.Book(policies(session), calendar(session), timezone, office or configured_office_hours())


def configured_office_hours() -> OfficeHours:
    if not has_app_context():
        return OfficeHours()
    opens, closes = current_app.config.get("HOTLINE_OFFICE_HOURS", ("09:00", "17:30"))
    return OfficeHours(time.fromisoformat(opens), time.fromisoformat(closes))


def calendar(session: Session) -> cal.Calendar:
    stamp = session.execute(select(func.count(CalendarYear.year), func.max(CalendarYear.entered_at))).one()
    stamp = (*stamp, session.scalar(select(func.count(CalendarDay.day))))
    return _cached("calendar", tuple(stamp), lambda: _load_calendar(session))


def policies(session: Session) -> tuple[sla.ClockPolicy, ...]:
    stamp = tuple(session.execute(select(func.count(SlaPolicy.id), func.max(SlaPolicy.updated_at),
                                         func.max(SlaPolicy.id))).one())
    return _cached("policies", stamp, lambda: _load_policies(session))


def _cached(key: str, stamp: tuple, load):
    held = _cache.get(key)
    if held is None or held[0] != stamp:
        held = (stamp, load())
        _cache[key] = held
    return held[1]


def _load_calendar(session: Session) -> cal.Calendar:
    years = session.scalars(select(CalendarYear.year)).all()
    days = [cal.CalendarEntry(row.day, cal.DayKind(row.kind), row.name) for row in session.scalars(select(CalendarDay))]
    return cal.build(days, years)


def _load_policies(session: Session) -> tuple[sla.ClockPolicy, ...]:
    loaded = tuple(to_domain(row) for row in session.scalars(select(SlaPolicy).order_by(SlaPolicy.id)))
    # a track or clock the table lacks falls back to the built-in default, never to "no deadline"
    missing = set(sla.missing_defaults(loaded))
    return loaded + tuple(p for p in sla.DEFAULT_POLICIES
                          if not p.kind and not p.urgency and (p.track, p.clock) in missing)


def to_domain(row: SlaPolicy) -> sla.ClockPolicy:
    left = Limit(row.warn_left_amount, row.warn_left_unit) if row.warn_left_amount and row.warn_left_unit else None
    return sla.ClockPolicy(row.track, row.kind, row.urgency, sla.Clock(row.clock), Limit(row.amount, row.unit),
                           row.warn_percent, left)


def uncovered_years(session: Session, today: date) -> list[int]:
    """This year and next, when their notice is not entered: deadlines in them are provisional.
    (The State Council publishes next year's notice in late autumn.)"""
    have = set(session.scalars(select(CalendarYear.year).where(CalendarYear.year.in_([today.year, today.year + 1]))))
    return [y for y in (today.year, today.year + 1) if y not in have]
