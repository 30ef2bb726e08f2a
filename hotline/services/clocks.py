"""The clocks of a case, kept in step with it.

Effects stamp deadlines on the case and its assignments (the columns people see). After every step,
`reconcile` derives from the case which clocks should be running and brings the `deadline` rows the sweep
watches in line: a new stamp starts a row, a stopped clock stops its row (keeping whether it was late), a
clock that comes back with the same deadline (a return refused, a reply sent back) reopens its row, and a
restamped one (an extension, a recompute) replaces its row from the same start.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.domain.lifecycle import State
from hotline.domain.petition import PetitionState
from hotline.domain.sla import Book, Clock
from hotline.models import Assignment, Case, Deadline

HANDLING = (State.DISPATCHED, State.IN_PROGRESS)


@dataclass(frozen=True)
class Wanted:
    due_at: datetime
    warn_at: datetime | None
    department_id: int | None


Key = tuple[str, int | None]  # (clock, assignment id)


def wanted(case: Case, now: datetime) -> dict[Key, Wanted]:
    """The clocks that should be running, from the case's state and its stamped deadlines, at `now`. A closed
    return window stays closed: a reply sent back or a redo does not open it again."""
    if case.petition is not None:
        return petition_clocks(case)
    clocks: dict[Key, Wanted] = {}
    state = State(case.state)
    if state in HANDLING:
        for a in case.active_assignments:
            if a.status == "pending" and a.sign_due_at:
                clocks[(Clock.SIGN, a.id)] = Wanted(a.sign_due_at, a.sign_warn_at, a.department_id)
            if a.status in ("pending", "signed") and a.reply_due_at:
                clocks[(Clock.HANDLE, a.id)] = Wanted(a.reply_due_at, a.reply_warn_at, a.department_id)
        lead = next((a for a in case.active_assignments if a.lead), None)
        if lead and case.return_until and case.return_until > now and lead.status != "replied":
            clocks[(Clock.RETURN, None)] = Wanted(case.return_until, case.return_warn_at, lead.department_id)
        if lead and case.supervised and case.supervision_due_at and lead.status != "replied":
            clocks[(Clock.SUPERVISION, None)] = Wanted(case.supervision_due_at, case.supervision_warn_at,
                                                       lead.department_id)
    if state is State.REPLIED and case.reply_reviewed and case.callback_at is None and case.callback_due_at:
        clocks[(Clock.CALLBACK, None)] = Wanted(case.callback_due_at, case.callback_warn_at, None)
    return clocks


# which petition clock runs in which state, and whose it is: the office's, the organ's, or the petitioner's window
PETITION_CLOCKS: dict[PetitionState, tuple[Clock, ...]] = {
    PetitionState.REGISTERED: (Clock.FORWARD,),
    PetitionState.FORWARDED: (Clock.ACCEPT, Clock.OBJECT),
    PetitionState.OBJECTED: (Clock.ACCEPT,),  # the petitioner must still be told within 15 days
    PetitionState.ACCEPTED: (Clock.DECIDE,),
    PetitionState.DECIDED: (Clock.REVIEW_WINDOW,),
    PetitionState.REVIEWING: (Clock.REVIEW,),
    PetitionState.REVIEWED: (Clock.RE_REVIEW_WINDOW,),
    PetitionState.RE_REVIEWING: (Clock.RE_REVIEW,),
}
OFFICE_CLOCKS = frozenset({Clock.FORWARD, Clock.REVIEW_WINDOW, Clock.RE_REVIEW_WINDOW})


def petition_clocks(case: Case) -> dict[Key, Wanted]:
    """A petition's clocks: one per step, on the petition (not on an assignment). A hearing stops the re-review
    clock (Art. 36); an objection, once made, closes the organ's window to object."""
    petition = case.petition
    organ = case.lead_department_id
    out: dict[Key, Wanted] = {}
    for clock in PETITION_CLOCKS.get(PetitionState(case.state), ()):
        if clock is Clock.OBJECT and petition.objection_reason:
            continue
        if clock is Clock.RE_REVIEW and petition.hearing_started_at is not None:
            continue
        due = petition.due(clock.value)
        if due is not None:
            out[(clock, None)] = Wanted(due, petition.warn(clock.value), None if clock in OFFICE_CLOCKS else organ)
    return out


def reconcile(session: Session, case: Case, now: datetime) -> None:
    rows = session.scalars(select(Deadline).where(Deadline.case_id == case.id).order_by(Deadline.id)).all()
    latest: dict[Key, Deadline] = {}
    for row in rows:
        latest[(row.clock, row.assignment_id)] = row
    want = wanted(case, now)
    for key, row in latest.items():
        if row.stopped_at is None and (key not in want or want[key].due_at != row.due_at):
            _stop(row, now)
    for key, w in want.items():
        row = latest.get(key)
        if row is not None and row.due_at == w.due_at:
            if row.warn_at != w.warn_at and row.warned_at is None:  # a recompute moved only the warning
                row.warn_at = w.warn_at
                row.next_at = next_moment(row)
            if row.stopped_at is not None:  # the same deadline again: the clock never stopped for the rules
                row.stopped_at = None
                row.next_at = next_moment(row)
            continue
        started = row.started_at if row is not None and row.stopped_at == now else now  # restamped: same start
        new = Deadline(case_id=case.id, assignment_id=key[1], department_id=w.department_id, clock=key[0],
                       started_at=started, due_at=w.due_at, warn_at=w.warn_at,
                       provisional=case.deadlines_provisional)
        new.next_at = next_moment(new)
        session.add(new)


def _stop(row: Deadline, now: datetime) -> None:
    row.stopped_at, row.next_at = now, None


def next_moment(row: Deadline) -> datetime | None:
    """When the sweep should next look at this clock: its warning, then its deadline, then never."""
    if row.stopped_at is not None or row.breached_at is not None:
        return None
    if row.warn_at is not None and row.warned_at is None:
        return row.warn_at
    return row.due_at


def set_stamp(case: Case, assignment: Assignment | None, clock: Clock, due_at: datetime,
              warn_at: datetime | None) -> None:
    """Write a deadline where people see it: on the assignment and, for the lead, on the case."""
    if clock is Clock.SIGN:
        assignment.sign_due_at, assignment.sign_warn_at = due_at, warn_at
        if assignment.lead:
            case.sign_due_at = due_at
    elif clock is Clock.HANDLE:
        assignment.reply_due_at, assignment.reply_warn_at = due_at, warn_at
        if assignment.lead:
            case.reply_due_at = due_at
    elif clock is Clock.RETURN:
        case.return_until, case.return_warn_at = due_at, warn_at
    elif clock is Clock.CALLBACK:
        case.callback_due_at, case.callback_warn_at = due_at, warn_at
    elif clock is Clock.SUPERVISION:
        case.supervision_due_at, case.supervision_warn_at = due_at, warn_at


def running(session: Session, case_id: int) -> list[Deadline]:
    return list(session.scalars(select(Deadline).where(Deadline.case_id == case_id, Deadline.stopped_at.is_(None))
                                .order_by(Deadline.due_at)))


def running_start(session: Session, case_id: int, clock: Clock, assignment_id: int | None) -> datetime | None:
    return session.scalar(select(Deadline.started_at).where(
        Deadline.case_id == case_id, Deadline.clock == clock, Deadline.assignment_id == assignment_id,
        Deadline.stopped_at.is_(None)).order_by(Deadline.id.desc()).limit(1))


@dataclass(frozen=True)
class Recomputed:
    row: Deadline
    assignment: Assignment | None
    clock: Clock
    due_at: datetime
    warn_at: datetime | None
    provisional: bool

    @property
    def moved(self) -> bool:
        return self.due_at != self.row.due_at or self.warn_at != self.row.warn_at


def recompute(session: Session, case: Case, book: Book) -> list[Recomputed]:
    """Every running clock of the case again from its own start, under `book`; an approved extension is
    added again to the lead's handling clock."""
    out = []
    if case.petition is not None:
        return out  # a petition's limits are the statute's: a recompute leaves them as stamped
    for row in running(session, case.id):
        clock = Clock(row.clock)
        assignment = next((a for a in case.active_assignments if a.id == row.assignment_id), None)
        if clock in (Clock.SIGN, Clock.HANDLE) and assignment is None:
            continue
        stamp = book.stamp(clock, row.started_at, case.track, case.kind, case.urgency)
        due_at, warn_at = stamp.due_at, stamp.warn_at
        if clock is Clock.HANDLE and assignment.lead and case.extension_status == "approved" and case.extension_days:
            due_at = book.extend(due_at, case.extension_days).at
            warn_at = book.warning(stamp.policy, row.started_at, due_at)
        out.append(Recomputed(row, assignment, clock, due_at, warn_at, stamp.provisional))
    return out
