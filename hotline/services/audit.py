"""The case history and the personal-data access log, written in the caller's transaction."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.models import AccessLog, Case, CaseEvent, User


def record_event(
    session: Session,
    case: Case,
    *,
    action: str,
    at: datetime,
    to_state: str,
    from_state: str | None = None,
    actor: User | None = None,
    actor_label: str = "system",
    note: str = "",
    data: dict | None = None,
    first: bool = False,
) -> CaseEvent:
    if first:  # a case just registered: no history to look up
        session.flush()
        seq = 1
    else:
        last = session.scalar(select(func.max(CaseEvent.seq)).where(CaseEvent.case_id == case.id))
        seq = (last or 0) + 1
    event = CaseEvent(
        case_id=case.id, seq=seq, at=at, action=action, from_state=from_state, to_state=to_state,
        actor_id=actor.id if actor else None,
        actor_label=actor.display_name if actor else actor_label,
        note=note, data=data,
    )
    session.add(event)
    return event


def log_access(session: Session, user: User | None, action: str, *, at: datetime,
               case: Case | None = None, detail: str = "", ip: str = "") -> None:
    session.add(AccessLog(
        at=at, user_id=user.id if user else None, action=action,
        case_id=case.id if case else None, detail=detail[:200], ip=ip[:45],
    ))
