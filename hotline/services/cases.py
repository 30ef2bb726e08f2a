"""Finding cases, always through what the person asking may see: the centre's queues, a department's
inbox tabs, and search. Every list is one indexed query, newest or most urgent first, paginated."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from hotline import clock
from hotline.domain.access import IDENTITY_PROTECTED_KINDS, Actor, can_view_case, sees_all_cases
from hotline.domain.errors import NotFound
from hotline.domain.lifecycle import State
from hotline.domain.search import Query, classify
from hotline.models import AccusedDepartment, Assignment, Case, Person, Petitioner, Recusal

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
    """Every list, search, count and export starts here, so what can_view_case refuses one case it refuses
    them all: someone recused from a case (Art. 28), the unit an accusation is about (Art. 30)."""
    query = select(Case).where(~exists().where(Recusal.case_id == Case.id, Recusal.user_id == actor.user_id))
    if sees_all_cases(actor):
        return query
    if actor.department_id is None:
        return query.where(false())
    return query.where(
        Case.id.in_(select(Assignment.case_id).where(Assignment.department_id == actor.department_id,
                                                     Assignment.active)),
        ~exists().where(AccusedDepartment.case_id == Case.id, AccusedDepartment.department_id == actor.department_id))


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


# 即将超期 / 已超期 (the yellow and red cards). A clock is overdue once its deadline has passed, and due soon
# from its stamped warning moment (the SLA policy's threshold: 75% of the time gone, or 1 working day left)
# until then. Clocks stamped before warnings were stamped fall back to the old rule, 24 hours before.
# The SQL below (inbox tabs, the supervisors' board, the heads' digest) and the Python after it (the cards
# on lists and the case page) say the same thing; tests/integration/test_board.py holds them together.
OVERDUE, DUE_SOON_CARD = "overdue", "due_soon"
OPEN_FOR_DEPARTMENTS = (State.DISPATCHED, State.IN_PROGRESS)


def _late(due_at, now: datetime) -> ColumnElement[bool]:
    return and_(due_at.is_not(None), due_at < now)


def _soon(due_at, warn_at, now: datetime) -> ColumnElement[bool]:
    return and_(due_at.is_not(None), due_at >= now,
                or_(warn_at <= now, and_(warn_at.is_(None), due_at <= now + DUE_SOON)))


def assignment_conditions(now: datetime) -> dict[str, ColumnElement[bool]]:
    """What each inbox tab asks of a department's own (active) assignment."""
    pending, working = Assignment.status == "pending", Assignment.status == "signed"
    late = or_(and_(pending, _late(Assignment.sign_due_at, now)), and_(working, _late(Assignment.reply_due_at, now)))
    soon = or_(and_(pending, _soon(Assignment.sign_due_at, Assignment.sign_warn_at, now)),
               and_(working, _soon(Assignment.reply_due_at, Assignment.reply_warn_at, now)))
    # (soon and late never meet: one wants the deadline ahead, the other behind)
    return {"pending": pending, "in_progress": working, "due_soon": soon, "overdue": late,
            "replied": Assignment.status == "replied", "supervised": Assignment.lead}


def case_conditions() -> dict[str, ColumnElement[bool]]:
    """What each inbox tab asks of the case itself."""
    open_case = Case.state.in_(OPEN_FOR_DEPARTMENTS)
    return {"pending": open_case, "in_progress": open_case, "due_soon": open_case, "overdue": open_case,
            # answered, and the centre has not finished with it (review, callback)
            "replied": Case.state == State.REPLIED,
            # 督办: the lead department must answer by the supervision deadline (not a tab: the board, the digest)
            "supervised": and_(open_case, Case.supervised.is_(True), Case.supervision_due_at.is_not(None))}


def _tab(name: str, department_id: int, now: datetime) -> ColumnElement[bool]:
    """A department's inbox tabs (待签收 / 办理中 / 即将超期 / 已超期 / 已答复), on its own assignments."""
    if name not in case_conditions():
        return _mine(department_id)
    return and_(case_conditions()[name], _mine(department_id, assignment_conditions(now)[name]))


def department_counts(session: Session, names, now: datetime,
                      department_ids=None) -> dict[int, dict[str, int]]:
    """{department id: {tab: cases}} for every department at once, with the inbox tabs' own conditions:
    a department's inbox and the supervisors' board always agree. Departments with nothing are left out."""
    out: dict[int, dict[str, int]] = {}
    for name in names:
        query = (select(Assignment.department_id, func.count(func.distinct(Assignment.case_id)))
                 .join(Case, Case.id == Assignment.case_id)
                 .where(Assignment.active, assignment_conditions(now)[name], case_conditions()[name])
                 .group_by(Assignment.department_id))
        if department_ids is not None:
            query = query.where(Assignment.department_id.in_(list(department_ids)))
        for department_id, count in session.execute(query):
            out.setdefault(department_id, dict.fromkeys(names, 0))[name] = count
    return out


def clock_card(due_at: datetime | None, warn_at: datetime | None, now: datetime) -> str | None:
    """The card of one running clock at `now`: "overdue", "due_soon" or None (as `_late` / `_soon`)."""
    if due_at is None:
        return None
    if due_at < now:
        return OVERDUE
    if (warn_at <= now) if warn_at is not None else (due_at <= now + DUE_SOON):
        return DUE_SOON_CARD
    return None


def assignment_card(assignment: Assignment, now: datetime) -> str | None:
    """A department's card for its own assignment: the sign clock until signed, then the handling clock."""
    if assignment.status == "pending":
        return clock_card(assignment.sign_due_at, assignment.sign_warn_at, now)
    if assignment.status == "signed":
        return clock_card(assignment.reply_due_at, assignment.reply_warn_at, now)
    return None


def case_card(case: Case, now: datetime, department_id: int | None = None) -> str | None:
    """The card a case shows: to a department, its own assignment's; to the centre, the lead's clocks while
    departments handle it (as the centre's "overdue" queue reads them), then the callback clock."""
    if case.state in OPEN_FOR_DEPARTMENTS:
        if department_id is not None:
            mine = next((a for a in case.active_assignments if a.department_id == department_id), None)
            return assignment_card(mine, now) if mine is not None else None
        lead = next((a for a in case.active_assignments if a.lead), None)
        cards = [clock_card(case.reply_due_at, lead.reply_warn_at if lead else None, now)]
        if case.state == State.DISPATCHED:
            cards.append(clock_card(case.sign_due_at, lead.sign_warn_at if lead else None, now))
        return OVERDUE if OVERDUE in cards else DUE_SOON_CARD if DUE_SOON_CARD in cards else None
    if department_id is None and case.state == State.REPLIED and case.reply_reviewed and case.callback_at is None:
        return clock_card(case.callback_due_at, case.callback_warn_at, now)
    return None


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
    query = _filtered(actor, flt, now, region).options(  # assignments: each row's card (case_card)
        selectinload(Case.category), selectinload(Case.area), selectinload(Case.lead_department),
        selectinload(Case.assignments))
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
        query = query.where(or_(Case.number.ilike(like), Case.description.ilike(like), Case.location_text.ilike(like)))
        if not sees_all_cases(actor):
            query = query.where(~_names_a_hidden_person(q.value))
        return query
    return query


def _names_a_hidden_person(text: str) -> ColumnElement[bool]:
    """A case whose person the department sees masked, looked for by that person's name or number: it must not be
    found, or the search would confirm who is behind it (the words match where the person wrote them in)."""
    digits = "".join(c for c in text if c.isdigit())
    named = [Person.name.contains(text, autoescape=True)]
    said = [Petitioner.name.contains(text, autoescape=True)]
    if len(digits) >= 4:
        named.append(Person.phone.contains(digits, autoescape=True))
        said.append(Petitioner.phone.contains(digits, autoescape=True))
    compact = "".join(text.split()).upper()
    if len(compact) >= 6:  # an ID number, or part of one
        said.append(Petitioner.id_number.contains(compact, autoescape=True))
    hidden = or_(Case.confidential, Case.kind.in_(IDENTITY_PROTECTED_KINDS))
    by_person = and_(Case.person_id.is_not(None), Case.person_id.in_(select(Person.id).where(or_(*named))))
    return and_(hidden, or_(by_person, Case.id.in_(select(Petitioner.case_id).where(or_(*said)))))


def get_visible(session: Session, actor: Actor, number: str) -> Case:
    """NotFound both when the case does not exist and when the actor may not see it: no existence leak."""
    case = session.scalar(select(Case).where(Case.number == number.strip().upper()))
    if case is None or not can_view_case(actor, case.scope):
        raise NotFound(number)
    return case

