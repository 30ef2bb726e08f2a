"""Recomputing stamped deadlines, explicitly and on the record (DOMAIN.md §4: editing the calendar or a policy
never silently changes a deadline already stamped on a case).

One case: the lifecycle's RESTAMP step through handling.act, with the reason as its note; its event keeps each
old and new deadline. Many cases: an administrator asks, an outbox job (workers.jobs.recompute_deadlines)
takes the same step for each case as that administrator, one handling.act — one transaction, one event — per
case. The job is idempotent: a case already recomputed since the request is left alone, so a job that runs
twice, or is re-enqueued after its worker died, recomputes nothing twice; and a case whose recompute would
change nothing is not given an empty event.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from hotline.domain.errors import Conflict, Forbidden, InvalidFields, NotFound
from hotline.domain.lifecycle import RESTAMPERS, Action, State
from hotline.domain.roles import Role
from hotline.domain.sla import Book
from hotline.models import Case, CaseEvent, Deadline, OutboxJob, User
from hotline.services import audit, clocks, handling, outbox, sla

JOB = "recompute_deadlines"
PROVISIONAL, YEAR = "provisional", "year"
SCOPES = (PROVISIONAL, YEAR)
RESTAMPABLE = (State.DISPATCHED, State.IN_PROGRESS, State.REPLIED)  # where the lifecycle allows RESTAMP
NOTE_MAX = 2000


def recompute(session: Session, number: str, user: User, note: str, now: datetime, timezone: str,
              expected_version: int | None = None) -> Case:
    """One case, now, as `user`: NotFound, Forbidden, Conflict or InvalidFields (no note) as handling.act."""
    return handling.act(session, number, Action.RESTAMP, user, {"note": note}, handling.Context(now, timezone),
                        expected_version)


def provisional_open(session: Session) -> int:
    """How many open cases have deadlines counted on weekends only."""
    return session.scalar(select(func.count()).select_from(Case).where(
        Case.state.in_([s.value for s in RESTAMPABLE]), Case.deadlines_provisional.is_(True))) or 0


def request_bulk(session: Session, user: User, scope: str, note: str, now: datetime,
                 year: int | None = None) -> OutboxJob:
    """Queues the job, in the transaction that records who asked; the worker does the rest."""
    if Role(user.role) not in RESTAMPERS:
        raise Forbidden("role")
    errors: dict[str, str] = {}
    note = (note or "").strip()
    if not note:
        errors["note"] = "required"
    elif len(note) > NOTE_MAX:
        errors["note"] = "too_long"
    if scope not in SCOPES:
        errors["scope"] = "invalid_choice"
    elif scope == YEAR and (year is None or not 2000 <= year <= 2100):
        errors["year"] = "out_of_range"
    if errors:
        raise InvalidFields("fields", errors)
    row = outbox.add(session, JOB, user_id=user.id, scope=scope, year=year if scope == YEAR else None, note=note,
                     asked_at=now.isoformat())
    session.flush()
    audit.log_access(session, user, "recompute_requested", at=now,
                     detail=f"job {row.id}: {scope}{f' {year}' if scope == YEAR else ''}; {note}")
    session.commit()
    return row


def recent_jobs(session: Session, limit: int = 5) -> list[OutboxJob]:
    return list(session.scalars(select(OutboxJob).where(OutboxJob.job == JOB).order_by(OutboxJob.id.desc())
                                .limit(limit)))


@dataclass
class Tally:
    recomputed: int = 0
    unchanged: int = 0  # nothing would change: no event written
    already: int = 0  # recomputed since the request (an earlier run of this job, or someone on the case page)
    moved_on: int = 0  # closed, returned or changed meanwhile

    def as_dict(self) -> dict:
        return {"recomputed": self.recomputed, "unchanged": self.unchanged, "already": self.already,
                "moved_on": self.moved_on}


def run_bulk(session: Session, user_id: int, scope: str, note: str, asked_at: datetime, now: datetime,
             timezone: str, year: int | None = None, outbox_id: int | None = None) -> Tally:
    tally = Tally()
    user = session.get(User, user_id)
    if user is None or not user.active or Role(user.role) not in RESTAMPERS:
        # the person who asked may no longer do this: nothing is done in their name, and the log says so
        audit.log_access(session, None, "recompute_done", at=now, detail=f"job {outbox_id or '-'}: refused, "
                                                                         f"user {user_id} may no longer recompute")
        session.commit()
        return tally
    for number in candidates(session, scope, timezone, year):
        session.rollback()  # each case read afresh, in a transaction of its own
        case = session.scalar(select(Case).where(Case.number == number))
        if case is None or State(case.state) not in RESTAMPABLE:
            tally.moved_on += 1
            continue
        if _recomputed_since(session, case.id, asked_at):
            tally.already += 1
            continue
        if not would_change(session, case, sla.book(session, timezone)):
            tally.unchanged += 1
            continue
        try:
            recompute(session, number, user, note, now, timezone)
        except (Conflict, NotFound, Forbidden):
            tally.moved_on += 1
            continue
        tally.recomputed += 1
    audit.log_access(session, user, "recompute_done", at=now,
                     detail=f"job {outbox_id or '-'}: " + ", ".join(f"{k} {v}" for k, v in tally.as_dict().items()))
    session.commit()
    return tally


def candidates(session: Session, scope: str, timezone: str, year: int | None = None) -> list[str]:
    """The numbers of the open cases in scope, oldest first."""
    query = select(Case.number).where(Case.state.in_([s.value for s in RESTAMPABLE])).order_by(Case.id)
    if scope == PROVISIONAL:
        query = query.where(Case.deadlines_provisional.is_(True))
    elif scope == YEAR and year is not None:
        zone = ZoneInfo(timezone)
        first = datetime.combine(datetime(year, 1, 1).date(), time(0), zone)
        after = datetime.combine(datetime(year + 1, 1, 1).date(), time(0), zone)
        query = query.where(exists().where(Deadline.case_id == Case.id, Deadline.stopped_at.is_(None),
                                           Deadline.due_at >= first, Deadline.started_at < after))
    else:
        return []
    return list(session.scalars(query))


def _recomputed_since(session: Session, case_id: int, asked_at: datetime) -> bool:
    return session.scalar(select(exists().where(CaseEvent.case_id == case_id, CaseEvent.action == Action.RESTAMP.value,
                                                CaseEvent.at >= asked_at))) or False


def would_change(session: Session, case: Case, book: Book) -> bool:
    """Whether RESTAMP would move a deadline or its provisional mark (as services.effects._restamp does)."""
    again = clocks.recompute(session, case, book)
    return any(r.moved for r in again) or any(r.provisional for r in again) != case.deadlines_provisional
