"""Finding cases, always through what the person asking may see: the centre's queues, a department's
inbox tabs, and search. Every list is one indexed query, newest or most urgent first, paginated."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from hotline import clock
from hotline.domain.access import Actor, can_view_case, sees_all_cases
from hotline.domain.errors import NotFound
from hotline.domain.lifecycle import State
from hotline.domain.search import Query, classify
from hotline.models import Assignment, Case, Person

PAGE_SIZE = 50
DUE_SOON = timedelta(hours=24)
SORTS = ("newest", "oldest", "due")


@dataclass(frozen=True)
class CaseFilter:
    q: str = ""
    state: str = ""
    track: str = ""
    department_id: int | None = None  # centre only: cases with this department
    queue: str = ""  # centre queues, see QUEUES
    tab: str = ""  # department inbox tabs, see TABS
    sort: str = "newest"
    page: int = 1


def visible(actor: Actor) -> Select:
    query = select(Case)
    if sees_all_cases(actor):
        return query
    if actor.department_id is None:
        return query.where(false())
    return query.where(Case.id.in_(
        select(Assignment.case_id).where(Assignment.department_id == actor.department_id, Assignment.active)))


def _handling_overdue(now: datetime) -> ColumnElement[bool]:
    return or_(and_(Case.state == State.DISPATCHED, Case.sign_due_at < now),
               and_(Case.state.in_([State.DISPATCHED, State.IN_PROGRESS]), Case.reply_due_at < now),
               and_(Case.state == State.REPLIED, Case.reply_reviewed, Case.callback_due_at < now))


# The centre's work queues: what a dispatcher or supervisor must act on.
QUEUES = {
    "dispatch": lambda now: Case.state.in_([State.REGISTERED, State.RETURNED]),
    "returns": lambda now: Case.state == State.RETURNED,
    "extensions": lambda now: and_(Case.state == State.IN_PROGRESS, Case.extension_status == "pending"),
    "review": lambda now: and_(Case.state == State.REPLIED, Case.reply_reviewed.is_(False)),
    "callback": lambda now: and_(Case.state == State.REPLIED, Case.reply_reviewed, Case.callback_at.is_(None)),
    "overdue": _handling_overdue,
}


def _mine(department_id: int, *conditions) -> ColumnElement[bool]:
    return Case.id.in_(select(Assignment.case_id).where(
        Assignment.department_id == department_id, Assignment.active, *conditions))


def _tab(name: str, department_id: int, now: datetime) -> ColumnElement[bool]:
    """A department's inbox tabs (待签收 / 办理中 / 即将超期 / 已超期 / 已答复), on its own assignments."""
    pending = Assignment.status == "pending"
    working = Assignment.status == "signed"
    due = or_(and_(pending, Assignment.sign_due_at.is_not(None), Assignment.sign_due_at < now + DUE_SOON),
              and_(working, Assignment.reply_due_at.is_not(None), Assignment.reply_due_at < now + DUE_SOON))
    late = or_(and_(pending, Assignment.sign_due_at < now), and_(working, Assignment.reply_due_at < now))
    open_case = Case.state.in_([State.DISPATCHED, State.IN_PROGRESS])
    if name == "pending":
        return and_(open_case, _mine(department_id, pending))
    if name == "in_progress":
        return and_(open_case, _mine(department_id, working))
    if name == "due_soon":
        return and_(open_case, _mine(department_id, due), ~_mine(department_id, late))
    if name == "overdue":
        return and_(open_case, _mine(department_id, late))
    if name == "replied":  # answered, and the centre has not finished with it (review, callback)
        return and_(Case.state == State.REPLIED, _mine(department_id, Assignment.status == "replied"))
    return _mine(department_id)


TABS = ("pending", "in_progress", "due_soon", "overdue", "replied")


def _filtered(actor: Actor, flt: CaseFilter, now: datetime, region: str) -> Select:
    query = visible(actor)
    if flt.state:
        query = query.where(Case.state == flt.state)
    if flt.track:
        query = query.where(Case.track == flt.track)
    if flt.department_id and sees_all_cases(actor):
        query = query.where(_mine(flt.department_id))
    if flt.queue in QUEUES and sees_all_cases(actor):
        query = query.where(QUEUES[flt.queue](now))
    if flt.tab in TABS and actor.department_id is not None and not sees_all_cases(actor):
        query = query.where(_tab(flt.tab, actor.department_id, now))
    return _matching(query, actor, classify(flt.q, region))


def search(session: Session, actor: Actor, flt: CaseFilter, region: str = "CN",
           now: datetime | None = None, per_page: int = PAGE_SIZE) -> tuple[list[Case], bool]:
    """A page of cases and whether there is a next page."""
    now = now or clock.now()
    query = _filtered(actor, flt, now, region).options(
        selectinload(Case.category), selectinload(Case.area), selectinload(Case.lead_department))
    if flt.sort == "oldest":
        order = (Case.received_at.asc(), Case.id.asc())
    elif flt.sort == "due":
        order = (func.coalesce(Case.reply_due_at, Case.received_at).asc(), Case.id.asc())
    else:
        order = (Case.received_at.desc(), Case.id.desc())
    page = max(flt.page, 1)
    rows = list(session.scalars(query.order_by(*order).offset((page - 1) * per_page).limit(per_page + 1)))
    return rows[:per_page], len(rows) > per_page


def counts(session: Session, actor: Actor, names, now: datetime, kind: str) -> dict[str, int]:
    """How many cases each queue (kind="queue") or inbox tab (kind="tab") holds, for the badges."""
    result = {}
    for name in names:
        flt = CaseFilter(queue=name) if kind == "queue" else CaseFilter(tab=name)
        query = _filtered(actor, flt, now, "CN")
        result[name] = session.scalar(select(func.count()).select_from(query.subquery()))
    return result


def _matching(query: Select, actor: Actor, q: Query) -> Select:
    if q.kind == "number":
        return query.where(Case.number == q.value)
    if q.kind == "phone":
        if not sees_all_cases(actor):  # only the centre may look a case up by the caller's number
            return query.where(false())
        return query.where(Case.person_id.in_(select(Person.id).where(Person.phone == q.value)))
    if q.kind == "text":
        like = f"%{q.value}%"
        return query.where(or_(Case.number.ilike(like), Case.description.ilike(like), Case.location_text.ilike(like)))
    return query


def get_visible(session: Session, actor: Actor, number: str) -> Case:
    """NotFound both when the case does not exist and when the actor may not see it: no existence leak."""
    case = session.scalar(select(Case).where(Case.number == number.strip().upper()))
    if case is None or not can_view_case(actor, case.scope):
        raise NotFound(number)
    return case

