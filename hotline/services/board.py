"""The supervisors' board: what is late or about to be, department by department (counted with the inbox
tabs' own conditions, so the board and each department's inbox always agree), the cases under 督办 with their
deadlines, and the work that failed — outbox jobs after all their retries, SMS refused for good."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, select, true
from sqlalchemy.orm import Session, selectinload

from hotline.domain.privacy import mask_phone
from hotline.models import Case, Department, OutboxJob, Recusal, SmsMessage, User
from hotline.services import audit, cases

COUNTS = ("pending", "due_soon", "overdue")
LIMIT = 100


@dataclass
class DepartmentLoad:
    department: Department
    counts: dict[str, int]


def by_department(session: Session, now: datetime) -> list[DepartmentLoad]:
    """Departments with anything to sign, due soon or overdue: the most overdue first."""
    counts = cases.department_counts(session, COUNTS, now)
    if not counts:
        return []
    departments = session.scalars(select(Department).where(Department.id.in_(list(counts))))
    rows = [DepartmentLoad(d, counts[d.id]) for d in departments]
    rows.sort(key=lambda r: (-r.counts["overdue"], -r.counts["due_soon"], -r.counts["pending"], r.department.code))
    return rows


def totals(rows: list[DepartmentLoad]) -> dict[str, int]:
    return {name: sum(r.counts[name] for r in rows) for name in COUNTS}


def _kept(viewer: User | None):
    """Not a case `viewer` is recused from (信访工作条例 Art. 28): the board names cases, and they must not see it."""
    if viewer is None:
        return true()
    return ~exists().where(Recusal.case_id == Case.id, Recusal.user_id == viewer.id)


def supervised(session: Session, limit: int = LIMIT, viewer: User | None = None) -> tuple[list[Case], int]:
    """Open cases under 督办, the earliest supervision deadline first (so the overdue ones lead), and how many."""
    condition = and_(cases.case_conditions()["supervised"], _kept(viewer))
    total = session.scalar(select(func.count()).select_from(Case).where(condition)) or 0
    rows = list(session.scalars(select(Case).where(condition).options(selectinload(Case.lead_department))
                                .order_by(Case.supervision_due_at, Case.id).limit(limit)))
    return rows, total


def failed_jobs(session: Session, limit: int = LIMIT) -> tuple[list[OutboxJob], int]:
    failed = OutboxJob.status == "failed"
    total = session.scalar(select(func.count()).select_from(OutboxJob).where(failed)) or 0
    rows = list(session.scalars(select(OutboxJob).where(failed).order_by(OutboxJob.id.desc()).limit(limit)))
    return rows, total


PHONE = re.compile(r"\+?\d{7,15}")


@dataclass
class FailedSms:
    message: SmsMessage
    number: str | None  # the case's

    @property
    def error(self) -> str:
        """The provider's reason, with any phone number in it masked: the board is no place to read numbers."""
        return PHONE.sub(lambda m: mask_phone(m.group(0)), self.message.error or "")


def failed_sms(session: Session, limit: int = LIMIT, viewer: User | None = None) -> tuple[list[FailedSms], int]:
    """Messages the SMS provider refused for good (a wrong or blocked number), or the carrier could not deliver:
    nobody will retry them. Those of a case `viewer` is recused from are not theirs to see."""
    failed = SmsMessage.status.in_(("failed", "undelivered"))
    if viewer is not None:
        failed = and_(failed, ~exists().where(Recusal.case_id == SmsMessage.case_id, Recusal.user_id == viewer.id))
    total = session.scalar(select(func.count()).select_from(SmsMessage).where(failed)) or 0
    rows = session.execute(select(SmsMessage, Case.number).outerjoin(Case, Case.id == SmsMessage.case_id)
                           .where(failed).order_by(SmsMessage.id.desc()).limit(limit)).all()
    return [FailedSms(message, number) for message, number in rows], total


def retry_job(session: Session, job_id: int, user: User, now: datetime, ip: str = "") -> OutboxJob | None:
    """A failed job goes back to pending, and the relay pushes it again (jobs are idempotent, so whatever it did
    before it failed is not done twice). Written to the audit log. None when it is not (or no longer) failed."""
    row = session.scalar(select(OutboxJob).where(OutboxJob.id == job_id, OutboxJob.status == "failed")
                         .with_for_update())
    if row is None:
        session.rollback()
        return None
    audit.log_access(session, user, "retry_job", at=now, ip=ip,
                     detail=f"outbox {row.id} {row.job}: {row.last_error}")
    row.status, row.pushed_at, row.finished_at = "pending", None, None
    session.commit()
    return row
