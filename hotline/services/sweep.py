"""The deadline sweep (DESIGN.md rule 5): every minute, what became due since the last look.

It reads only clocks whose `next_at` has come (an index range), so its cost grows with what is due, not
with how many cases are open. Each clock is locked while it is looked at (SKIP LOCKED: two sweeps share
the work instead of repeating it) and its warning and breach are each written once. What follows a breach
— the 督办 of a late department, the close of an unanswered callback — is an outbox job, so it runs in a
worker with retries, and the sweep itself stays a few statements per batch.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from hotline.domain.roles import Role
from hotline.domain.sla import Clock
from hotline.models import Case, Deadline, Notification, User
from hotline.services import outbox

BATCH = 500

# who hears of what: the clock's department for its own clocks; the supervisors of breaches they must act on
WARN_DEPARTMENT = {Clock.SIGN, Clock.HANDLE, Clock.RETURN, Clock.SUPERVISION}
BREACH_DEPARTMENT = {Clock.SIGN, Clock.HANDLE, Clock.SUPERVISION}
BREACH_SUPERVISORS = {Clock.SIGN, Clock.HANDLE, Clock.SUPERVISION}
# what a breach sets going
BREACH_JOBS = {Clock.SIGN: "escalate_breach", Clock.HANDLE: "escalate_breach", Clock.CALLBACK: "close_unrated"}


@dataclass
class Tally:
    warnings: int = 0
    breaches: int = 0

    def __iadd__(self, other: Tally) -> Tally:
        self.warnings += other.warnings
        self.breaches += other.breaches
        return self


def sweep(session: Session, now: datetime, batch: int = BATCH) -> Tally:
    """Record every warning and breach due by `now`, a batch per transaction. Returns what it recorded."""
    tally = Tally()
    while True:
        found = sweep_batch(session, now, batch)
        tally += found
        if found.warnings + found.breaches < batch:
            return tally


def sweep_batch(session: Session, now: datetime, batch: int) -> Tally:
    due = session.execute(
        select(Deadline.id, Deadline.case_id, Deadline.department_id, Deadline.clock, Deadline.due_at,
               Deadline.warned_at)
        .where(Deadline.next_at <= now)
        .order_by(Deadline.next_at)
        .limit(batch)
        .with_for_update(skip_locked=True)
    ).all()
    if not due:
        session.commit()
        return Tally()
    changes, warned, breached = [], [], []
    for row in due:
        if row.due_at <= now:
            changes.append({"id": row.id, "breached_at": now, "next_at": None})
            breached.append(row)
        else:
            changes.append({"id": row.id, "warned_at": now, "next_at": row.due_at})
            warned.append(row)
    session.execute(update(Deadline), changes)
    _notify(session, warned, breached, now)
    for row in breached:
        job = BREACH_JOBS.get(Clock(row.clock))
        if job:
            outbox.add(session, job, deadline_id=row.id)
    session.commit()
    return Tally(len(warned), len(breached))


def _notify(session: Session, warned: list, breached: list, now: datetime) -> None:
    departments = {r.department_id for r in warned if Clock(r.clock) in WARN_DEPARTMENT}
    departments |= {r.department_id for r in breached if Clock(r.clock) in BREACH_DEPARTMENT}
    departments.discard(None)
    staff = defaultdict(list)
    if departments:
        for user_id, department_id in session.execute(
                select(User.id, User.department_id).where(User.department_id.in_(departments), User.active,
                                                          User.role.in_([Role.STAFF, Role.HEAD]))):
            staff[department_id].append(user_id)
    supervisors = []
    if any(Clock(r.clock) in BREACH_SUPERVISORS for r in breached):
        supervisors = list(session.scalars(select(User.id).where(User.role == Role.SUPERVISOR, User.active)))
    numbers = dict(session.execute(select(Case.id, Case.number).where(
        Case.id.in_({r.case_id for r in (*warned, *breached)}))).all())
    rows = []

    def tell(users, row, kind):
        data = {"number": numbers.get(row.case_id), "due": row.due_at.isoformat()}
        rows.extend({"user_id": u, "case_id": row.case_id, "deadline_id": row.id, "kind": kind, "clock": row.clock,
                     "data": data, "created_at": now} for u in users)

    for row in warned:
        if Clock(row.clock) in WARN_DEPARTMENT:
            tell(staff.get(row.department_id, ()), row, "warning")
    for row in breached:
        clock = Clock(row.clock)
        if clock in BREACH_DEPARTMENT:
            tell(staff.get(row.department_id, ()), row, "breach")
        if clock in BREACH_SUPERVISORS:
            tell(supervisors, row, "breach")
    if rows:
        session.execute(insert(Notification), rows)
