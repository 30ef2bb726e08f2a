"""The monthly figures (MonthlyFigure) kept current for the open-government pages and the assessment, so that
neither ever counts raw cases while a person waits.

Every count belongs to the month its case was received in (hotline.domain.kpis), so a change to a case can only
move the figures of that case's month. Each run counts again, in full, every month that may have moved since the
last run: the months of the cases changed since (the index on cases.updated_at), the months of the cases whose
sign or reply deadline passed since (a deadline passing makes a case late with no change to the case), and the
current month. When the assessment policy in force changed (its exclusions change what is counted), or on the
first run, every month is counted again. A month is always counted whole, so running twice changes nothing.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hotline.domain import kpis
from hotline.models import Case, MonthlyFigure, RollupState
from hotline.models.stats import DIMENSIONS
from hotline.services import assessment, measures

STATE = "figures"
# A case is stamped updated_at when its step begins and committed a moment later; a run that read the table in
# between must not lose it, so each run looks back this far before the previous one (counting twice is harmless).
OVERLAP = timedelta(minutes=15)


def policy_in_force(session: Session) -> tuple[int, kpis.Policy]:
    """The newest AssessmentPolicy row and its version (its id); version 0 and the defaults when there is none."""
    current = assessment.in_force(session)
    return current.version, current.policy


def run(session: Session, now: datetime, timezone: str, *, everything: bool = False) -> int:
    """Counts again the months that may have changed and commits; returns how many months were counted."""
    state = _claim(session)
    version, policy = policy_in_force(session)
    if everything or state.counted_until is None or state.policy_version != version:
        months = all_months(session, now, timezone)
    else:
        months = changed_months(session, state.counted_until - OVERLAP, now, timezone)
    for month in months:
        write_month(session, month, timezone, now, policy)
    state.counted_until, state.policy_version = now, version
    session.commit()
    return len(months)


def _claim(session: Session) -> RollupState:
    """The state row, locked for this run: two workers running at once take turns instead of writing the same
    rows together (SQLite serialises writers at BEGIN IMMEDIATE anyway)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(RollupState.__table__).values(name=STATE, policy_version=0)
                    .on_conflict_do_nothing(index_elements=["name"]))
    return session.scalar(select(RollupState).where(RollupState.name == STATE).with_for_update()
                          .execution_options(populate_existing=True))


def _month_of(moment: datetime, timezone: str) -> date:
    return kpis.month_start(moment.astimezone(ZoneInfo(timezone)).date())


def all_months(session: Session, now: datetime, timezone: str) -> list[date]:
    """From the month of the first case received to the current one, every month (empty ones included, so a
    month whose cases are all gone loses its figures too)."""
    first = session.scalar(select(func.min(Case.received_at)))
    current = _month_of(now, timezone)
    if first is None:
        return [current]
    return kpis.months(_month_of(first, timezone), max(current, _month_of(first, timezone)))


def changed_months(session: Session, since: datetime, now: datetime, timezone: str) -> list[date]:
    moved = or_(Case.updated_at > since, Case.reply_due_at.between(since, now), Case.sign_due_at.between(since, now))
    received = session.scalars(select(Case.received_at).where(moved).distinct())
    return sorted({_month_of(now, timezone), *(_month_of(r, timezone) for r in received)})


FIELDS = tuple(kpis.Counts.__dataclass_fields__)


def write_month(session: Session, month: date, timezone: str, now: datetime, policy: kpis.Policy) -> int:
    """The month's rows for every dimension, as counted now: updated in place, added, and removed for a key that
    no longer has any case in the month. Returns how many rows the month has."""
    fresh = {(dimension, key): counts for dimension in DIMENSIONS
             for key, counts in measures.aggregate(session, month, timezone, now, policy, dimension).items()}
    existing = {(row.dimension, row.key_id): row for row in
                session.scalars(select(MonthlyFigure).where(MonthlyFigure.month == month))}
    gone = [row.id for place, row in existing.items() if place not in fresh]
    if gone:
        session.execute(delete(MonthlyFigure).where(MonthlyFigure.id.in_(gone)))
    for (dimension, key), counts in fresh.items():
        row = existing.get((dimension, key))
        if row is None:
            row = MonthlyFigure(month=month, dimension=dimension, key_id=key)
            session.add(row)
        for name in FIELDS:
            setattr(row, name, getattr(counts, name))
        row.computed_at = now
    session.flush()
    return len(fresh)
