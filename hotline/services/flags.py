"""The electronic supervision flags of a month (hotline.domain.flags), counted in SQL per department, and the
cases behind each flag.

What happened in the month counts — the answers given in it, the extension requests and redos made in it, the
returns the centre reviewed in it — in local time, whenever the case was received. An answer is the lead
department's (the case's latest); a return is the department's that returned it.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, distinct, func, or_, select
from sqlalchemy.orm import Session, aliased

from hotline.domain import flags as rules
from hotline.domain.kinds import Track
from hotline.domain.lifecycle import Action, State
from hotline.models import Assignment, Case, CaseEvent
from hotline.services.measures import month_bounds


def _within(column, month: date, timezone: str) -> ColumnElement[bool]:
    start, end = month_bounds(month, timezone)
    return and_(column >= start, column < end)


def _hours_before_due(dialect: str) -> ColumnElement:
    """How long before its deadline the case was answered, in hours."""
    if dialect == "postgresql":
        return func.extract("epoch", Case.reply_due_at - Case.replied_at) / 3600.0
    return (func.julianday(Case.reply_due_at) - func.julianday(Case.replied_at)) * 24.0


def _last_hour(dialect: str) -> ColumnElement[bool]:
    """rules.in_last_hour, in SQL."""
    return and_(Case.reply_due_at.is_not(None), Case.replied_at <= Case.reply_due_at,
                _hours_before_due(dialect) <= rules.LAST_HOUR.total_seconds() / 3600.0)


# The assessment is of 12345 work orders (as measures.py): a petition's answer, extension or organ is the
# petition procedure's, counted in its own report (信访工作条例 Art. 41), never here.
HOTLINE = Case.track == Track.HOTLINE


def _answered(month: date, timezone: str) -> ColumnElement[bool]:
    return and_(HOTLINE, _within(Case.replied_at, month, timezone), Case.lead_department_id.is_not(None))


def _answer_condition(kind: str, dialect: str) -> ColumnElement[bool]:
    if kind == "no_contact":
        return Case.reply_contact == "none"
    return _last_hour(dialect)


def _requests(month: date, timezone: str):
    """Each department's extension requests on each case with one in the month: how many it made on the case
    in all, and whether one of them fell in the month."""
    in_month = _within(CaseEvent.at, month, timezone)
    asked = (select(CaseEvent.case_id).join(Case, Case.id == CaseEvent.case_id)
             .where(CaseEvent.action == Action.REQUEST_EXTENSION, in_month, HOTLINE))
    return (select(CaseEvent.case_id, CaseEvent.department_id, func.count().label("n"))
            .where(CaseEvent.action == Action.REQUEST_EXTENSION, CaseEvent.department_id.is_not(None),
                   CaseEvent.case_id.in_(asked))
            .group_by(CaseEvent.case_id, CaseEvent.department_id)
            .having(func.sum(case((in_month, 1), else_=0)) > 0))


def _reviews(month: date, timezone: str):
    """The returns the centre reviewed in the month, each with the department that returned the case (the
    latest return before the review) and whether the return was refused (the case went back to it)."""
    review, returned = aliased(CaseEvent), aliased(CaseEvent)
    earlier = aliased(CaseEvent)
    last_return = (select(func.max(earlier.seq))
                   .where(earlier.case_id == review.case_id, earlier.action == Action.RETURN, earlier.seq < review.seq)
                   .scalar_subquery())
    return (select(review.case_id, returned.department_id, (review.to_state == State.DISPATCHED).label("refused"))
            .select_from(review)
            .join(returned, and_(returned.case_id == review.case_id, returned.seq == last_return))
            .where(review.action == Action.REVIEW_RETURN, _within(review.at, month, timezone),
                   returned.department_id.is_not(None)))


def _redone(month: date, timezone: str) -> ColumnElement[bool]:
    redone_in_month = select(CaseEvent.case_id).where(CaseEvent.action == Action.REDO,
                                                      _within(CaseEvent.at, month, timezone))
    return and_(Case.redo_count > rules.REDO_MORE_THAN, Case.lead_department_id.is_not(None),
                Case.id.in_(redone_in_month))


def tallies(session: Session, kind: str, month: date, timezone: str) -> list[rules.Tally]:
    dialect = session.get_bind().dialect.name
    if kind in ("no_contact", "last_hour"):
        answered = _answered(month, timezone)
        if kind == "last_hour":
            answered = and_(answered, Case.reply_due_at.is_not(None))
        hit = func.sum(case((_answer_condition(kind, dialect), 1), else_=0))
        rows = session.execute(select(Case.lead_department_id, hit, func.count()).where(answered)
                               .group_by(Case.lead_department_id)).all()
        return [rules.Tally(d, int(n or 0), int(out_of)) for d, n, out_of in rows]
    if kind == "extensions_many":
        sub = _requests(month, timezone).subquery()
        asked = dict(session.execute(select(sub.c.department_id, func.count(distinct(sub.c.case_id)))
                                     .group_by(sub.c.department_id)).all())
        in_hand = _in_hand(session, month, timezone, list(asked))
        return [rules.Tally(d, n, max(in_hand.get(d, 0), n)) for d, n in asked.items()]
    if kind == "extension_repeated":
        sub = _requests(month, timezone).having(func.count() > rules.EXTENSION_REQUESTS_MORE_THAN).subquery()
        rows = session.execute(select(sub.c.department_id, func.count(distinct(sub.c.case_id)))
                               .group_by(sub.c.department_id)).all()
        return [rules.Tally(d, n) for d, n in rows]
    if kind == "redone":
        rows = session.execute(select(Case.lead_department_id, func.count()).where(_redone(month, timezone))
                               .group_by(Case.lead_department_id)).all()
        return [rules.Tally(d, n) for d, n in rows]
    if kind == "returns_refused":
        sub = _reviews(month, timezone).subquery()
        rows = session.execute(select(sub.c.department_id, func.sum(case((sub.c.refused, 1), else_=0)), func.count())
                               .group_by(sub.c.department_id)).all()
        return [rules.Tally(d, int(refused or 0), reviewed) for d, refused, reviewed in rows]
    raise ValueError(f"unknown flag {kind!r}")


def _in_hand(session: Session, month: date, timezone: str, department_ids: list[int]) -> dict[int, int]:
    """The cases each department led at some time in the month: dispatched to it before the month ended and not
    answered before it began."""
    if not department_ids:
        return {}
    start, end = month_bounds(month, timezone)
    rows = session.execute(
        select(Assignment.department_id, func.count(distinct(Assignment.case_id)))
        .join(Case, Case.id == Assignment.case_id)
        .where(HOTLINE, Assignment.lead.is_(True), Assignment.department_id.in_(department_ids),
               Assignment.dispatched_at < end, or_(Assignment.replied_at.is_(None), Assignment.replied_at >= start))
        .group_by(Assignment.department_id)).all()
    return dict(rows)


def raised(session: Session, month: date, timezone: str) -> dict[str, list[rules.Flag]]:
    """Every rule's flags for the month, in the order of rules.KINDS."""
    return {kind: rules.raised(kind, tallies(session, kind, month, timezone)) for kind in rules.KINDS}


def cases_behind(session: Session, kind: str, month: date, timezone: str, department_id: int) -> Select:
    """The cases one department's flag counts: a select of Case, newest first."""
    dialect = session.get_bind().dialect.name
    if kind in ("no_contact", "last_hour"):
        where = [_answered(month, timezone), Case.lead_department_id == department_id,
                 _answer_condition(kind, dialect)]
    elif kind in ("extensions_many", "extension_repeated"):
        requests = _requests(month, timezone)
        if kind == "extension_repeated":
            requests = requests.having(func.count() > rules.EXTENSION_REQUESTS_MORE_THAN)
        sub = requests.subquery()
        where = [Case.id.in_(select(sub.c.case_id).where(sub.c.department_id == department_id))]
    elif kind == "redone":
        where = [_redone(month, timezone), Case.lead_department_id == department_id]
    elif kind == "returns_refused":
        sub = _reviews(month, timezone).subquery()
        where = [Case.id.in_(select(sub.c.case_id).where(sub.c.department_id == department_id, sub.c.refused))]
    else:
        raise ValueError(f"unknown flag {kind!r}")
    return select(Case).where(*where).order_by(Case.received_at.desc(), Case.id.desc())
