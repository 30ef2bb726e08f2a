"""The deadline sweep (DESIGN.md rule 5): every minute, what became due since the last look.

It reads only clocks whose `next_at` has passed (an index range), so its cost grows with what is due, not
with how many cases are open. Each clock is locked while it is looked at (SKIP LOCKED: two sweeps share
the work instead of repeating it) and its warning and breach are each written once. What follows a breach
— the 督办 of a late department, the close of an unanswered callback — is an outbox job, so it runs in a
worker with retries. A batch is a fixed handful of set-based statements, whatever its size: the due rows,
one UPDATE per kind of change, one INSERT … SELECT per kind of notification and of job.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, Select, String, case, cast, exists, func, insert, literal, select, update
from sqlalchemy.orm import Session

from hotline.domain.roles import Role
from hotline.domain.sla import Clock
from hotline.models import Case, Deadline, Notification, OutboxJob, Recusal, User
from hotline.models.types import UTCDateTime
from hotline.services import outbox

BATCH = 500

# who hears of what: the clock's department for its own clocks; the supervisors of breaches they must act on
# (and of the petition office's own clock to forward). A petitioner's window to ask for review warns nobody.
ORGAN_CLOCKS = {Clock.ACCEPT, Clock.DECIDE, Clock.REVIEW, Clock.RE_REVIEW}
WARN_DEPARTMENT = {Clock.SIGN, Clock.HANDLE, Clock.RETURN, Clock.SUPERVISION, Clock.OBJECT, *ORGAN_CLOCKS}
WARN_SUPERVISORS = {Clock.FORWARD}
BREACH_DEPARTMENT = {Clock.SIGN, Clock.HANDLE, Clock.SUPERVISION, *ORGAN_CLOCKS}
BREACH_SUPERVISORS = {Clock.SIGN, Clock.HANDLE, Clock.SUPERVISION, Clock.FORWARD, *ORGAN_CLOCKS}
# what a breach sets going: a late department is supervised; a lapsed window closes the case
BREACH_JOBS = {Clock.SIGN: "escalate_breach", Clock.HANDLE: "escalate_breach", Clock.CALLBACK: "close_unrated",
               Clock.REVIEW_WINDOW: "close_petition", Clock.RE_REVIEW_WINDOW: "close_petition"}


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
        found, looked = _batch(session, now, batch)
        tally += found
        if looked < batch:
            return tally


def due(now: datetime, batch: int) -> Select:
    """The clocks whose next moment has passed, soonest first: a range of the next_at index, nothing else.
    A moment is kept up to and including itself (a deadline of 23:59:59 is met at 23:59:59), as the case
    lists count it and as the callback rule does, so a clock is looked at once its moment is past."""
    return (
        select(Deadline.id, Deadline.clock, Deadline.due_at, Deadline.warned_at, Deadline.breached_at)
        .where(Deadline.next_at < now)
        .order_by(Deadline.next_at)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )


def sweep_batch(session: Session, now: datetime, batch: int) -> Tally:
    return _batch(session, now, batch)[0]


def _batch(session: Session, now: datetime, batch: int) -> tuple[Tally, int]:
    rows = session.execute(due(now, batch)).all()
    if not rows:
        session.commit()
        return Tally(), 0
    # A warning or breach already on the row is never written again, whatever next_at says (a step that
    # recomputed it from a row read before this sweep's commit): the row is only set to look further.
    breached = [row for row in rows if row.due_at < now and row.breached_at is None]
    warned = [row for row in rows if not row.due_at < now and row.warned_at is None]
    settled = [row.id for row in rows if row.breached_at is not None or (not row.due_at < now and row.warned_at)]
    plain = {"synchronize_session": False}  # no Deadline objects are loaded here: nothing to keep in step
    if warned:
        session.execute(update(Deadline).where(Deadline.id.in_([r.id for r in warned]))
                        .values(warned_at=now, next_at=Deadline.due_at).execution_options(**plain))
    if breached:
        session.execute(update(Deadline).where(Deadline.id.in_([r.id for r in breached]))
                        .values(breached_at=now, next_at=None).execution_options(**plain))
    if settled:
        session.execute(update(Deadline).where(Deadline.id.in_(settled))
                        .values(next_at=case((Deadline.breached_at.is_(None), Deadline.due_at), else_=None))
                        .execution_options(**plain))
    _tell(session, _ids(warned, WARN_DEPARTMENT), "warning", now, department=True)
    _tell(session, _ids(warned, WARN_SUPERVISORS), "warning", now, department=False)
    _tell(session, _ids(breached, BREACH_DEPARTMENT), "breach", now, department=True)
    _tell(session, _ids(breached, BREACH_SUPERVISORS), "breach", now, department=False)
    for job in sorted(set(BREACH_JOBS.values())):
        ids = _ids(breached, {clock for clock, name in BREACH_JOBS.items() if name == job})
        if ids:
            _add_jobs(session, job, ids, now)
    session.commit()
    return Tally(len(warned), len(breached)), len(rows)


def _ids(rows: list, clocks: set[Clock]) -> list[int]:
    return [row.id for row in rows if Clock(row.clock) in clocks]


def _tell(session: Session, ids: list[int], kind: str, now: datetime, department: bool) -> None:
    """One notification per person and clock: the department's staff and head, or every supervisor."""
    if not ids:
        return
    if department:
        who = (User.department_id == Deadline.department_id) & User.role.in_([Role.STAFF, Role.HEAD])
    else:
        who = User.role == Role.SUPERVISOR
    data = _json_object(session, number=Case.number, due=_iso(session, Deadline.due_at))
    rows = (
        select(User.id, Deadline.case_id, Deadline.id, literal(kind, String), Deadline.clock, data,
               literal("", String), literal(now, UTCDateTime))
        .select_from(Deadline)
        .join(Case, Case.id == Deadline.case_id)
        .join(User, who & User.active)
        .where(Deadline.id.in_(ids),  # nobody recused from the case is told of it (信访工作条例 Art. 28)
               ~exists().where(Recusal.case_id == Deadline.case_id, Recusal.user_id == User.id))
    )
    columns = ["user_id", "case_id", "deadline_id", "kind", "clock", "data", "body", "created_at"]
    session.execute(insert(Notification.__table__).from_select(columns, rows))


def _add_jobs(session: Session, job: str, ids: list[int], now: datetime) -> None:
    """The outbox rows of one job for many clocks, in the breach's transaction (outbox.add, in bulk)."""
    if job not in outbox.JOBS:
        raise ValueError(f"unknown job {job!r}")
    rows = (
        select(literal(job, String), _json_object(session, deadline_id=Deadline.id), literal("pending", String),
               literal(now, UTCDateTime), literal(0, Integer), literal("", String))
        .where(Deadline.id.in_(ids))
        .order_by(Deadline.id)
    )
    columns = ["job", "payload", "status", "created_at", "push_count", "last_error"]
    session.execute(insert(OutboxJob.__table__).from_select(columns, rows))


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _json_object(session: Session, **pairs):
    arguments = [part for key, value in pairs.items() for part in (literal(key, String), value)]
    return (func.json_build_object if _postgres(session) else func.json_object)(*arguments)


def _iso(session: Session, column):
    """An instant as ISO 8601 in UTC ("2026-12-04T15:59:59.000000+00:00"), what datetime.fromisoformat reads."""
    if _postgres(session):
        return func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')
    return func.replace(cast(column, String), " ", "T", type_=String) + "+00:00"  # SQLite keeps it as naive UTC text
