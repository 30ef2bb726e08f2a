"""The one place a case changes state: check the lifecycle table, apply, bump the version, write the
hash-chained event, queue what must be told, commit — all in one transaction."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from hotline.domain import sla as sla_rules
from hotline.domain import tracks
from hotline.domain.access import can_view_case
from hotline.domain.errors import Conflict, InvalidFields, NotFound
from hotline.domain.lifecycle import Action
from hotline.integrations.storage import Storage
from hotline.models import Case, CaseEvent, User
from hotline.services import attachments, audit, clocks, effects, sla
from hotline.services.attachments import IncomingFile


@dataclass(frozen=True)
class Context:
    now: datetime
    timezone: str = "Asia/Shanghai"
    book: sla_rules.Book | None = None  # the SLA policies and calendar; read from the database when None
    storage: Storage | None = None  # where a reply's files go; needed only when there are some


def act(session: Session, number: str, action: StrEnum | str, user: User, raw_fields: dict | None,
        ctx: Context, expected_version: int | None = None, files: Sequence[IncomingFile] = ()) -> Case:
    """Raises NotFound (404), Forbidden (403), Conflict (409: wrong state, or changed meanwhile) or
    InvalidFields (422). On any of them nothing is written.

    `action` is one of the case's procedure (hotline.domain.tracks): a work order's, or a petition's.
    `files` are a reply's attachments: checked with the fields, stored and recorded in the reply's
    transaction, and removed from the storage again if that transaction does not commit."""
    if files and (action != Action.REPLY or ctx.storage is None):
        raise ValueError("only a reply carries files, and they need ctx.storage")
    outcome = None
    if ctx.book is None:
        ctx = replace(ctx, book=sla.book(session, ctx.timezone))
    try:
        case = _lock(session, number)
        if case is None or not can_view_case(user.actor, case.scope):
            raise NotFound("case")
        procedure = tracks.of(case.track)
        action = procedure.action(action)
        if expected_version is not None and case.version != expected_version:
            raise Conflict("stale", last_change(session, case))
        view = case.view(ctx.now)
        try:
            procedure.book.decide(view, action, user.actor)  # may this person, now? (403/409 before 422)
            fields = _clean(procedure, action, raw_fields, files)
            step = procedure.book.decide(view, action, user.actor, fields)
        except Conflict as exc:
            raise Conflict(exc.code, last_change(session, case)) from None
        # One UPDATE of the case per step, so its version moves by exactly one: the state is set before the
        # effects, and nothing flushes until they are done (an effect may flush at its very end, to queue
        # a message or to write the merge target's event).
        case.state = step.to_state
        case.updated_at = ctx.now
        flag_modified(case, "updated_at")  # always an UPDATE, so the version moves even when only an assignment did
        with session.no_autoflush:
            outcome = effects.apply(session, case, step, user, ctx, files)
            event = audit.record_event(
                session, case, action=action, at=ctx.now, from_state=step.from_state, to_state=step.to_state,
                actor=user, department_id=step.department_id,
                note=fields.get("note") or fields.get("reason") or "", data=outcome.data or None,
            )
            attachments.attach(session, outcome.attachments, event)
            for document in outcome.documents:
                document.event = event  # written once, with the step that issued it
        session.flush()  # new assignments need their ids before their clocks can name them
        clocks.reconcile(session, case, ctx.now)
        for queue_message in outcome.notices:
            queue_message()
        session.commit()
    except StaleDataError:
        session.rollback()
        _discard(ctx, outcome)
        case = session.scalar(select(Case).where(Case.number == number.strip().upper()))
        raise Conflict("stale", last_change(session, case)) from None
    except Exception:
        session.rollback()
        _discard(ctx, outcome)
        raise
    return case


def _clean(procedure: tracks.Procedure, action, raw_fields: dict | None, files: Sequence[IncomingFile]) -> dict:
    """The fields and the files, every problem of both in one InvalidFields."""
    refused = attachments.problems(files) if files else []
    errors: dict[str, str] = {"files": refused[0].code} if refused else {}
    try:
        fields = procedure.clean(action, raw_fields)
    except InvalidFields as exc:
        raise InvalidFields(exc.code, {**exc.detail, **errors}, refused) from None
    if refused:
        raise InvalidFields("fields", errors, refused)
    return fields


def _discard(ctx: Context, outcome: effects.Outcome | None) -> None:
    if outcome is not None:
        attachments.discard(ctx.storage, outcome.attachments)


def _lock(session: Session, number: str) -> Case | None:
    """Row lock on PostgreSQL, so a second actor waits and then sees the first one's change; SQLite
    serialises writers at BEGIN IMMEDIATE."""
    return session.scalar(
        select(Case).where(Case.number == number.strip().upper()).with_for_update(of=Case)
        .execution_options(populate_existing=True)  # the row as it is now, even if this session read it before
    )


def last_change(session: Session, case: Case | None) -> dict:
    """Who changed the case last, for "this case was just signed by …"."""
    if case is None:
        return {}
    event = session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq.desc())
                           .limit(1))
    if event is None:
        return {"version": case.version, "state": case.state}
    return {"version": case.version, "state": case.state, "action": event.action, "by": event.actor_label,
            "at": event.at.isoformat()}
