"""What each count of hotline.domain.kpis.COUNTS means, in SQL: one definition, used by the rollup that sums
them per month and by the assessment's drill-down that lists the cases behind a number.

A count is either over cases (attributed to the lead department) or over dispatches (one per department a case
was sent to: the sign clock is each department's own). Every count is of cases received in the month, in
local time, on the hotline track; merged cases never count (their matter counts in the case they joined), and
terminated cases count only when the policy says so.
"""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select, true
from sqlalchemy.orm import Session, aliased

from hotline.domain import kpis
from hotline.domain.kinds import Track
from hotline.domain.lifecycle import State
from hotline.models import Area, Assignment, Case, Category

CONTACTED = ("phone", "visit", "sms")  # a reply after one of these counts as responded (响应)
DISPATCH_COUNTS = ("sign_due", "signed_on_time")


def month_bounds(month: date, timezone: str) -> tuple[datetime, datetime]:
    """The month as a half-open range of UTC moments, its days counted in local time."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(kpis.month_start(month), time(0), zone)
    end = datetime.combine(kpis.next_month(kpis.month_start(month)), time(0), zone)
    return start, end


# A reply stands once the lead department answered and nobody sent the case back since: a reply the centre sent
# back (review), or one followed by a redo (重办), keeps its old replied_at while the department works again.
ANSWERED_STATES = (State.REPLIED, State.CLOSED, State.TERMINATED)


def case_conditions(now: datetime) -> dict[str, ColumnElement[bool]]:
    # Only a department's answer counts: a call answered or handed on at intake (no dispatch) is the centre's
    # own work, and counting it as "answered without contact" would pull the city's response rate down.
    replied = and_(Case.replied_at.is_not(None), Case.dispatch_count > 0, Case.state.in_(ANSWERED_STATES))
    rated = Case.callback_satisfaction.is_not(None)
    return {
        "received": true(),
        "closed": Case.state == State.CLOSED,
        "completion_due": and_(Case.reply_due_at.is_not(None), or_(replied, Case.reply_due_at <= now)),
        "completed_on_time": and_(replied, Case.reply_due_at.is_not(None), Case.replied_at <= Case.reply_due_at),
        "replied": replied,
        # IS NOT NULL first: a reply that recorded no contact (an answer given directly) is a false, never a
        # NULL, so that NOT(responded) lists it among the missed
        "responded": and_(replied, Case.reply_contact.is_not(None), Case.reply_contact.in_(CONTACTED)),
        "rated": rated,
        "satisfied": Case.callback_satisfaction == "satisfied",
        "basically": Case.callback_satisfaction == "basically",
        "resolved": and_(rated, Case.callback_resolved.is_(True)),
        "redone": Case.redo_count > 0,
    }


def dispatch_conditions(now: datetime) -> dict[str, ColumnElement[bool]]:
    signed = Assignment.signed_at.is_not(None)
    due = Assignment.sign_due_at.is_not(None)
    return {
        # a dispatch returned before it was signed is the return review's business, not a late signature
        "sign_due": and_(due, or_(signed, and_(Assignment.active.is_(True), Assignment.sign_due_at <= now))),
        "signed_on_time": and_(due, signed, Assignment.signed_at <= Assignment.sign_due_at),
    }


def counted(policy: kpis.Policy) -> ColumnElement[bool]:
    """The cases any figure counts."""
    excluded = [State.MERGED, *([State.TERMINATED] if policy.exclude_terminated else [])]
    return and_(Case.track == Track.HOTLINE, Case.state.not_in(excluded))


def _handling_hours(dialect: str) -> ColumnElement:
    if dialect == "postgresql":
        return func.extract("epoch", Case.replied_at - Case.received_at) / 3600.0
    return (func.julianday(Case.replied_at) - func.julianday(Case.received_at)) * 24.0


# dimension → the key a case falls under (None: it does not fall under the dimension)
_TopCategory = aliased(Category)
_District = aliased(Area)


def _key(dimension: str, dispatches: bool) -> ColumnElement:
    if dimension == "city":
        return literal(0)
    if dimension == "department":
        return Assignment.department_id if dispatches else Case.lead_department_id
    if dimension == "category":
        return func.coalesce(_TopCategory.parent_id, _TopCategory.id)
    if dimension == "district":
        return func.coalesce(_District.parent_id, _District.id)
    raise ValueError(f"unknown dimension {dimension!r}")


def _joined(query: Select, dimension: str) -> Select:
    if dimension == "category":
        return query.join(_TopCategory, _TopCategory.id == Case.category_id)
    if dimension == "district":
        return query.join(_District, _District.id == Case.area_id)
    return query


def aggregate(session: Session, month: date, timezone: str, now: datetime, policy: kpis.Policy,
              dimension: str) -> dict[int, kpis.Counts]:
    """The month's counts for every key of the dimension that has any case."""
    start, end = month_bounds(month, timezone)
    window = and_(counted(policy), Case.received_at >= start, Case.received_at < end)
    hours = _handling_hours(session.get_bind().dialect.name)

    conditions = case_conditions(now)
    key = _key(dimension, dispatches=False).label("key")
    columns = [func.sum(case((condition, 1), else_=0)).label(name) for name, condition in conditions.items()]
    columns.append(func.sum(case((conditions["replied"], hours), else_=0.0)).label("handling_hours"))
    rows = session.execute(_joined(select(key, *columns), dimension).where(window).group_by(key)).all()
    found: dict[int, dict] = {row.key: row._asdict() for row in rows if row.key is not None}

    dispatch = dispatch_conditions(now)
    key = _key(dimension, dispatches=True).label("key")
    columns = [func.sum(case((condition, 1), else_=0)).label(name) for name, condition in dispatch.items()]
    query = _joined(select(key, *columns).select_from(Assignment).join(Case, Case.id == Assignment.case_id),
                    dimension)
    for row in session.execute(query.where(window).group_by(key)).all():
        if row.key is not None:
            found.setdefault(row.key, {}).update({name: getattr(row, name) for name in dispatch})

    return {k: kpis.Counts(**{name: (float(v or 0) if name == "handling_hours" else int(v or 0))
                              for name, v in values.items() if name != "key"}) for k, values in found.items()}


def cases_behind(measure: str, month: date, timezone: str, now: datetime, policy: kpis.Policy,
                 dimension: str = "city", key: int = 0, *, missed: bool = False) -> Select:
    """The cases behind one number: those a count counts, or with `missed` those its denominator counts and it
    does not (the late, the dissatisfied, the unresolved...). A select of Case, newest first."""
    start, end = month_bounds(month, timezone)
    where = [counted(policy), Case.received_at >= start, Case.received_at < end]
    dispatches = measure in DISPATCH_COUNTS
    conditions = dispatch_conditions(now) if dispatches else case_conditions(now)
    if measure not in conditions:
        raise ValueError(f"no cases behind {measure!r}")
    condition = conditions[measure]
    if missed:
        condition = and_(conditions[DENOMINATOR[measure]], ~condition)
    where.append(condition)
    query = select(Case)
    if dispatches:
        query = query.join(Assignment, Assignment.case_id == Case.id)
    query = _joined(query, dimension)
    if dimension != "city":
        where.append(_key(dimension, dispatches) == key)
    return query.where(*where).distinct().order_by(Case.received_at.desc(), Case.id.desc())


# each numerator's denominator: what `missed` lists is the difference
DENOMINATOR = {
    "signed_on_time": "sign_due", "completed_on_time": "completion_due", "responded": "replied",
    "resolved": "rated", "satisfied": "rated", "basically": "rated", "closed": "received", "replied": "received",
    "rated": "replied", "redone": "replied",
}
