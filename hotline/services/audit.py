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
) -> CaseEvent:
    """Appends to the case's hash chain, whose head (length, last hash) the case row keeps: no query,
    no flush, and the head moves in the same UPDATE as the state. The caller holds the case (its row
    lock and version) for the transaction, so two events never claim the same place in the chain."""
    prev_hash = case.history_hash or ""
    event = CaseEvent(
        case=case, seq=(case.history_length or 0) + 1, at=at, action=action, from_state=from_state,
        to_state=to_state, actor_id=actor.id if actor else None,
        actor_label=actor.display_name if actor else actor_label,
        department_id=department_id, note=note, data=data, prev_hash=prev_hash,
    )
    event.hash = content_hash(_record(case.number, event), prev_hash)
    case.history_length, case.history_hash = event.seq, event.hash
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
            select(Case.id, Case.number, Case.history_length, Case.history_hash)
            .where(Case.id > last_id).order_by(Case.id).limit(batch)
        ).all()
        if not cases:
            return
        by_case: dict[int, list] = {row.id: [] for row in cases}
        # Rows, not entities: nothing piles up in the session, and the caller's objects stay attached.
        for event in session.execute(select(*_EVENT_COLUMNS).where(CaseEvent.case_id.in_(by_case))
                                     .order_by(CaseEvent.case_id, CaseEvent.seq)):
            by_case[event.case_id].append(event)
        for row in cases:
            problem = find_break([_record(row.number, e) for e in by_case[row.id]],
                                 head=(row.history_length, row.history_hash))
            if problem:
                yield row.number, problem
        last_id = cases[-1].id


_EVENT_COLUMNS = (CaseEvent.case_id, CaseEvent.seq, CaseEvent.at, CaseEvent.actor_id, CaseEvent.actor_label,
                  CaseEvent.action, CaseEvent.from_state, CaseEvent.to_state, CaseEvent.department_id,
                  CaseEvent.note, CaseEvent.data, CaseEvent.prev_hash, CaseEvent.hash)


def log_access(session: Session, user: User | None, action: str, *, at: datetime,
               case: Case | None = None, detail: str = "", ip: str = "") -> None:
    session.add(AccessLog(
        at=at, user_id=user.id if user else None, action=action,
        case_id=case.id if case else None, detail=detail[:200], ip=ip[:45],
    ))
