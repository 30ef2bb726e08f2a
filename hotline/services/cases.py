"""Finding cases, always through what the person asking may see."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import Session, selectinload

from hotline.domain.access import Actor, can_view_case, sees_all_cases
from hotline.domain.errors import NotFound
from hotline.domain.search import Query, classify
from hotline.models import Assignment, Case, Person

PAGE_SIZE = 50


@dataclass(frozen=True)
class CaseFilter:
    q: str = ""
    state: str = ""
    track: str = ""
    page: int = 1


def visible(actor: Actor) -> Select:
    query = select(Case)
    if sees_all_cases(actor):
        return query
    if actor.department_id is None:
        return query.where(false())
    return query.where(Case.id.in_(
        select(Assignment.case_id).where(Assignment.department_id == actor.department_id, Assignment.active)))


def search(session: Session, actor: Actor, flt: CaseFilter, region: str = "CN") -> tuple[list[Case], bool]:
    """A page of cases, newest first, and whether there is a next page."""
    query = visible(actor).options(
        selectinload(Case.category), selectinload(Case.area), selectinload(Case.lead_department)
    )
    if flt.state:
        query = query.where(Case.state == flt.state)
    if flt.track:
        query = query.where(Case.track == flt.track)
    query = _matching(query, actor, classify(flt.q, region))
    page = max(flt.page, 1)
    rows = list(
        session.scalars(query.order_by(Case.received_at.desc(), Case.id.desc())
                        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1))
    )
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


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
