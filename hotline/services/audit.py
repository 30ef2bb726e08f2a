"""The case history and the personal-data access log, written in the caller's transaction."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.domain.audit_chain import EventRecord, content_hash, find_break
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
    department_id: int | None = None,
    note: str = "",
    data: dict | None = None,
    first: bool = False,
) -> CaseEvent:
    """Appends to the case's hash chain. The caller holds the case (its version check) for the
    transaction, so two events never claim the same place in the chain."""
    session.flush()
    prev_seq, prev_hash = 0, ""
    if not first:
        last = session.execute(
            select(CaseEvent.seq, CaseEvent.hash).where(CaseEvent.case_id == case.id)
            .order_by(CaseEvent.seq.desc()).limit(1)
        ).first()
        if last:
            prev_seq, prev_hash = last
    event = CaseEvent(
        case_id=case.id, seq=prev_seq + 1, at=at, action=action, from_state=from_state, to_state=to_state,
        actor_id=actor.id if actor else None, actor_label=actor.display_name if actor else actor_label,
        department_id=department_id, note=note, data=data, prev_hash=prev_hash,
    )
    event.hash = content_hash(_record(case.number, event), prev_hash)
    session.add(event)
    return event


def _record(number: str, event) -> EventRecord:  # a CaseEvent, or a row of its columns
    return EventRecord(
        case_number=number, seq=event.seq, at=event.at, actor_id=event.actor_id, actor_label=event.actor_label,
        action=event.action, from_state=event.from_state, to_state=event.to_state,
        department_id=event.department_id, note=event.note, data=event.data,
        prev_hash=event.prev_hash, hash=event.hash,
    )


def broken_chains(session: Session, batch: int = 500) -> Iterator[tuple[str, str]]:
    """(case number, what is wrong) for every case whose history does not verify."""
    last_id = 0
    while True:
        cases = session.execute(
            select(Case.id, Case.number).where(Case.id > last_id).order_by(Case.id).limit(batch)
        ).all()
        if not cases:
            return
        by_case: dict[int, list] = {case_id: [] for case_id, _ in cases}
        # Rows, not entities: nothing piles up in the session, and the caller's objects stay attached.
        for event in session.execute(select(*_EVENT_COLUMNS).where(CaseEvent.case_id.in_(by_case))
                                     .order_by(CaseEvent.case_id, CaseEvent.seq)):
            by_case[event.case_id].append(event)
        for case_id, number in cases:
            problem = find_break([_record(number, e) for e in by_case[case_id]])
            if problem:
                yield number, problem
        last_id = cases[-1][0]


_EVENT_COLUMNS = (CaseEvent.case_id, CaseEvent.seq, CaseEvent.at, CaseEvent.actor_id, CaseEvent.actor_label,
                  CaseEvent.action, CaseEvent.from_state, CaseEvent.to_state, CaseEvent.department_id,
                  CaseEvent.note, CaseEvent.data, CaseEvent.prev_hash, CaseEvent.hash)


def log_access(session: Session, user: User | None, action: str, *, at: datetime,
               case: Case | None = None, detail: str = "", ip: str = "") -> None:
    session.add(AccessLog(
        at=at, user_id=user.id if user else None, action=action,
        case_id=case.id if case else None, detail=detail[:200], ip=ip[:45],
    ))
