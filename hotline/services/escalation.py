"""What a breach sets going, run by a worker from the outbox. Each job re-reads the clock and the case and
does nothing when the moment has passed (the department signed meanwhile, someone already called back),
so running one twice changes nothing."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from hotline.domain.errors import Conflict
from hotline.domain.lifecycle import Action, State
from hotline.domain.petition import PetitionAction, PetitionState
from hotline.domain.sla import Clock
from hotline.models import Case, Deadline
from hotline.services import handling, system_users

# the note of the 督办 the sweep raises, in the centre's language (Simplified Chinese)
CLOSABLE = (PetitionState.DECIDED, PetitionState.REVIEWED)
BREACH_NOTE = {Clock.SIGN: "超期未签收，系统自动督办", Clock.HANDLE: "超期未办结，系统自动督办"}


def escalate_breach(session: Session, deadline_id: int, now: datetime, timezone: str) -> str:
    """督办: a late department gets a deadline of its own, and the supervisors see it on their board."""
    row, case = _load(session, deadline_id)
    if row is None or row.stopped_at is not None or case is None:
        return "stopped"
    if case.supervised and case.supervision_due_at and case.supervision_due_at > now:
        return "already"
    return _act(session, case, Action.SUPERVISE, {"note": BREACH_NOTE[Clock(row.clock)]}, now, timezone)


def close_unrated(session: Session, deadline_id: int, now: datetime, timezone: str) -> str:
    """The callback window closed and nobody reached the person: closed, with no rating."""
    row, case = _load(session, deadline_id)
    if row is None or row.stopped_at is not None or case is None or case.state != State.REPLIED:
        return "stopped"
    return _act(session, case, Action.CLOSE_UNRATED, {"note": "回访期限届满，未获评价，系统办结"}, now, timezone)


def close_petition(session: Session, deadline_id: int, now: datetime, timezone: str) -> str:
    """The petitioner's window to ask for review or re-review lapsed: the decision stands and the case closes."""
    row, case = _load(session, deadline_id)
    if row is None or row.stopped_at is not None or case is None or case.state not in CLOSABLE:
        return "stopped"
    note = "申请期限届满，未申请复查（复核），处理意见生效，系统办结"
    return _act(session, case, PetitionAction.CLOSE, {"note": note}, now, timezone)


def _load(session: Session, deadline_id: int) -> tuple[Deadline | None, Case | None]:
    row = session.get(Deadline, deadline_id)
    return row, (session.get(Case, row.case_id) if row else None)


def _act(session: Session, case: Case, action: Action | PetitionAction, fields: dict, now: datetime,
         timezone: str) -> str:
    user = system_users.get(session, system_users.SWEEP)
    try:
        handling.act(session, case.number, action, user, fields, handling.Context(now=now, timezone=timezone))
    except Conflict:  # the case moved on between the breach and this job
        return "moved_on"
    return "done"
