"""The JSON shapes of API v1: cases, their events and the reference data. Codes, never database ids;
times in ISO 8601 with their offset (UTC). Whether the person is shown unmasked is decided by the
caller (hotline.domain.access), which also writes the access log when it is."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.clock import now
from hotline.domain import lifecycle
from hotline.domain.access import Actor
from hotline.domain.privacy import mask_name, mask_phone
from hotline.models import (
    Area,
    Assignment,
    Attachment,
    Case,
    CaseEvent,
    Category,
    Department,
    Person,
    RoutingDecision,
)


def when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def ref(thing: Category | Area | None) -> dict | None:
    if thing is None:
        return None
    return {"code": thing.code, "name": thing.name, "name_en": thing.name_en}


def department_ref(department: Department | None) -> dict | None:
    if department is None:
        return None
    return {"code": department.code, "name": department.name, "short_name": department.short_name,
            "name_en": department.name_en}


def _parents(rows) -> dict[int, str]:
    return {row.id: row.code for row in rows}


def categories(rows: list[Category]) -> list[dict]:
    codes = _parents(rows)
    return [{**ref(c), "level": c.level, "parent": codes.get(c.parent_id), "active": c.active} for c in rows]


def areas(rows: list[Area]) -> list[dict]:
    codes = _parents(rows)
    return [{**ref(a), "level": a.level, "parent": codes.get(a.parent_id), "active": a.active} for a in rows]


def departments(rows: list[Department], area_codes: dict[int, str]) -> list[dict]:
    codes = _parents(rows)
    return [{**department_ref(d), "kind": d.kind, "level": d.level, "parent": codes.get(d.parent_id),
             "area": area_codes.get(d.area_id), "active": d.active} for d in rows]


def person(who: Person | None, *, unmasked: bool) -> dict | None:
    if who is None:
        return None
    if unmasked:
        return {"name": who.name, "phone": who.phone, "masked": False}
    return {"name": mask_name(who.name), "phone": mask_phone(who.phone), "masked": True}


def assignment(a: Assignment) -> dict:
    return {
        "department": department_ref(a.department), "lead": a.lead, "status": a.status, "round": a.dispatch_round,
        "dispatched_at": when(a.dispatched_at),
        "sign_due_at": when(a.sign_due_at), "sign_warn_at": when(a.sign_warn_at),
        "reply_due_at": when(a.reply_due_at), "reply_warn_at": when(a.reply_warn_at),
        "signed_at": when(a.signed_at), "replied_at": when(a.replied_at),
    }


def attachment(a: Attachment, number: str) -> dict:
    """A reply's file; `event` is the seq of the reply it came with (GET /cases/<number>/events)."""
    return {"id": a.id, "name": a.original_name, "type": a.content_type, "size": a.size, "sha256": a.sha256,
            "event": a.event.seq, "at": when(a.created_at), "url": f"/api/v1/cases/{number}/attachments/{a.id}"}


def routing(row: RoutingDecision, explanation: str, lead: Department | None, co: list[Department]) -> dict:
    """What the dispatch catalogue decided at registration, frozen (editing the rule later changes nothing
    here); `explanation` is the decision in one line in the reader's language."""
    rule = None
    if row.rule_id is not None:
        rule = {"id": row.rule_id, "position": row.rule_position, "name": row.rule_name, "version": row.version}
    return {"mode": row.mode, "outcome": row.outcome, "rule": rule, "version": row.version, "at": when(row.at),
            "lead": department_ref(lead), "co": [department_ref(d) for d in co], "explanation": explanation,
            "returned": row.returned}


def case(c: Case, actor: Actor, *, unmasked: bool, routed: dict | None = None) -> dict:
    """`routed` is `routing(...)` for the case's latest routing decision, or None (registered before the
    catalogue, or routing failed)."""
    current, view = c.active_assignments, c.view(now())
    return {
        "number": c.number, "track": c.track, "kind": c.kind, "state": c.state, "channel": c.channel,
        "urgency": c.urgency, "category": ref(c.category), "area": ref(c.area), "location_text": c.location_text,
        "description": c.description, "confidential": c.confidential,
        "person": person(c.person, unmasked=unmasked),
        "received_at": when(c.received_at),
        "lead_department": department_ref(c.lead_department),
        "co_departments": [department_ref(a.department) for a in current if not a.lead],
        "assignments": [assignment(a) for a in current],
        "deadlines": {"sign": when(c.sign_due_at), "reply": when(c.reply_due_at),
                      "return_until": when(c.return_until), "callback": when(c.callback_due_at),
                      "supervision": when(c.supervision_due_at)},
        "deadlines_provisional": c.deadlines_provisional,
        "dispatch_count": c.dispatch_count, "designated": view.designated,
        "redo_count": c.redo_count, "urge_count": c.urge_count, "supervised": c.supervised,
        "extension": {"status": c.extension_status, "days": c.extension_days, "reason": c.extension_reason or None},
        "reply": {"text": c.reply_text or None, "resolved": c.reply_resolved, "at": when(c.replied_at),
                  "reviewed": c.reply_reviewed, "contact": c.reply_contact},
        "callback": {"satisfaction": c.callback_satisfaction, "resolved": c.callback_resolved,
                     "note": c.callback_note or None, "at": when(c.callback_at)},
        "attachments": [attachment(a, c.number) for a in c.attachments],
        "routing": routed,
        "merged_into": c.merged_into.number if c.merged_into_id else None,
        "transferred_to": c.transferred_to,  # the emergency number the caller was told to dial
        "answered_article": c.answered_article_id,  # the knowledge-base article a direct answer came from
        "closed_at": when(c.closed_at),
        "version": c.version,
        "allowed_actions": [str(a) for a in lifecycle.allowed_actions(view, actor)],
    }


# The events that name departments in their data, by id; the API speaks in codes.
_DEPARTMENT_KEYS = {"dispatch": ("lead", "co"), "return": ("department",)}


def events(session: Session, rows: list[CaseEvent]) -> list[dict]:
    ids = {e.department_id for e in rows if e.department_id}
    for e in rows:
        for key in _DEPARTMENT_KEYS.get(e.action, ()):
            value = (e.data or {}).get(key)
            ids.update(value if isinstance(value, list) else [value] if isinstance(value, int) else [])
    known = {d.id: d for d in session.scalars(select(Department).where(Department.id.in_(ids)))} if ids else {}
    return [_event(e, known) for e in rows]


def _event(e: CaseEvent, known: dict[int, Department]) -> dict:
    data = dict(e.data or {})
    for key in _DEPARTMENT_KEYS.get(e.action, ()):
        value = data.get(key)
        if isinstance(value, list):
            data[key] = [known[i].code if i in known else i for i in value]
        elif isinstance(value, int) and not isinstance(value, bool):
            data[key] = known[value].code if value in known else value
    return {
        "seq": e.seq, "at": when(e.at), "action": e.action, "from_state": e.from_state, "to_state": e.to_state,
        "actor": e.actor_label, "department": department_ref(known.get(e.department_id)), "note": e.note or None,
        "data": data or None,
    }
