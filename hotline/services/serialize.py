"""The JSON shapes of API v1: cases, their events and the reference data. Codes, never database ids;
times in ISO 8601 with their offset (UTC). Whether the person is shown unmasked is decided by the
caller (hotline.domain.access), which also writes the access log when it is."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.clock import now
from hotline.domain import tracks
from hotline.domain.access import Actor, sees_all_cases
from hotline.domain.kinds import Track
from hotline.domain.privacy import mask_name, mask_phone
from hotline.domain.sla import CLOCKS_BY_TRACK
from hotline.models import (
    Area,
    Assignment,
    Attachment,
    Case,
    CaseEvent,
    Category,
    Department,
    Person,
    Petition,
    PetitionDocument,
    Petitioner,
    RoutingDecision,
    User,
)
from hotline.services.clocks import petition_clocks


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


def case(c: Case, actor: Actor, *, unmasked: bool, routed: dict | None = None,
         petition_extra: PetitionExtra | None = None) -> dict:
    """`routed` is `routing(...)` for the case's latest routing decision, or None (registered before the
    catalogue, or routing failed). A petition also carries `petition` (see `petition`), with what
    `petition_extra` holds."""
    current, view = c.active_assignments, c.view(now())
    # a petition's actions are its own procedure's: the work order's rules would offer `dispatch` on it
    procedure = tracks.of(c.track)
    body = {
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
        "dispatch_count": c.dispatch_count, "designated": getattr(view, "designated", False),
        "redo_count": c.redo_count, "urge_count": c.urge_count, "supervised": c.supervised,
        "extension": _extension(c.petition or c),
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
        "allowed_actions": [str(a) for a in procedure.book.allowed(view, actor)],
    }
    if c.track == Track.PETITION and c.petition is not None:
        body["petition"] = petition(c, actor, unmasked=unmasked, extra=petition_extra or PetitionExtra())
    return body


def _extension(holder: Case | Petition) -> dict:
    """A work order's extension is the case's; a petition's (Art. 34) its petition's."""
    return {"status": holder.extension_status, "days": holder.extension_days,
            "reason": holder.extension_reason or None}


@dataclass
class PetitionExtra:
    """What a petition's JSON needs beyond its rows, found by the caller for a page of cases at once: its documents
    with their links, the earlier case of the same matter (its number only when the caller may see that case), the
    units it accuses (None when the caller may not know them)."""
    documents: list[PetitionDocument] = field(default_factory=list)
    links: Callable[[PetitionDocument], tuple[str | None, str | None]] = lambda document: (None, None)
    same_matter: str | None = None
    accused: list[Department] | None = None


def mask_id_number(value: str | None) -> str:
    """11010519491231002X → ******************, where it is written into a text: not one digit of where and when
    the person was born (as the case page masks it)."""
    return "*" * len(value) if value else ""


def petitioner(p: Petitioner, *, unmasked: bool) -> dict:
    """As the case page shows a petitioner: to a reader who must not know them, the name and number masked, the ID
    number and the address withheld (null)."""
    if unmasked:
        return {"name": p.name, "id_number": p.id_number or None, "phone": p.phone, "address": p.address or None,
                "representative": p.representative, "masked": False}
    return {"name": mask_name(p.name), "id_number": None, "phone": mask_phone(p.phone) or None, "address": None,
            "representative": p.representative, "masked": True}


def petition(c: Case, actor: Actor, *, unmasked: bool, extra: PetitionExtra) -> dict:
    """信访工作条例 Arts. 19–36 as JSON: what was petitioned, by whom (masked as the caller must see them), each
    statutory clock's deadline, the outcomes of each level, the documents issued."""
    p = c.petition
    people = [petitioner(x, unmasked=unmasked) for x in p.petitioners]
    clocks = CLOCKS_BY_TRACK[Track.PETITION]
    by_id = {d.id: d.number for d in extra.documents}
    running = petition_clocks(c)
    return {
        "facts": p.facts, "reasons": p.reasons, "new_facts": p.new_facts or None,
        "oral": p.oral, "major": p.major, "group_size": p.group_size,
        "petitioners": people,
        "representatives": [person for person, x in zip(people, p.petitioners, strict=True) if x.representative],
        "forwarding": p.forwarding, "forwarded_at": when(p.forwarded_at),
        "objection_reason": p.objection_reason or None,
        "accepted_at": when(p.accepted_at), "legal_route": p.legal_route,
        "deadlines": {str(clock): when(p.due(clock.value)) for clock in clocks},
        "running": [str(clock) for clock in clocks if (clock, None) in running],
        "outcomes": {
            "decision": {"outcome": p.outcome, "at": when(p.decided_at)},
            "review": {"requested_at": when(p.review_requested_at), "outcome": p.review_outcome,
                       "at": when(p.reviewed_at)},
            "re_review": {"requested_at": when(p.re_review_requested_at), "outcome": p.re_review_outcome,
                          "at": when(c.closed_at) if p.final else None},
        },
        "hearing": {"under_way": p.hearing_started_at is not None, "started_at": when(p.hearing_started_at),
                    "days": p.hearing_days},
        "final": p.final,
        "same_matter": {"kind": p.same_matter_kind, "case": extra.same_matter} if p.same_matter_kind else None,
        "accused_departments": [department_ref(d) for d in extra.accused]
        if extra.accused is not None and sees_all_cases(actor) else None,
        "documents": [document(d, by_id.get(d.corrects_id), extra.links(d)) for d in extra.documents],
    }


def document(d: PetitionDocument, corrects: str | None, links: tuple[str | None, str | None]) -> dict:
    return {"kind": d.kind, "number": d.number, "issued_at": when(d.issued_at), "corrects": corrects,
            "sha256": d.sha256, "url": links[0], "pdf_url": links[1], "pdf_ready": d.pdf_key is not None}


# The events that name departments or people by id; the API speaks in codes and usernames.
_DEPARTMENT_KEYS = {"dispatch": ("lead", "co"), "return": ("department",), "forward": ("organ",),
                    "object": ("organ",), "request-review": ("organ",), "request-re-review": ("organ",)}
_USER_KEYS = {"declare-conflict": ("user",), "record-conflict": ("user",)}


def _ids(rows: list[CaseEvent], keys: dict[str, tuple[str, ...]]) -> set[int]:
    found = set()
    for e in rows:
        for key in keys.get(e.action, ()):
            value = (e.data or {}).get(key)
            found.update(value if isinstance(value, list) else [value] if isinstance(value, int) else [])
    return found


def events(session: Session, rows: list[CaseEvent]) -> list[dict]:
    ids = {e.department_id for e in rows if e.department_id} | _ids(rows, _DEPARTMENT_KEYS)
    known = {d.id: d for d in session.scalars(select(Department).where(Department.id.in_(ids)))} if ids else {}
    user_ids = _ids(rows, _USER_KEYS)
    users = dict(session.execute(select(User.id, User.username).where(User.id.in_(user_ids))).tuples().all()) \
        if user_ids else {}
    return [_event(e, known, users) for e in rows]


def _coded(data: dict, keys: tuple[str, ...], code: Callable[[int], str | None]) -> None:
    for key in keys:
        value = data.get(key)
        if isinstance(value, list):
            data[key] = [code(i) or i for i in value]
        elif isinstance(value, int) and not isinstance(value, bool):
            data[key] = code(value) or value


# what an Open311 client sent about the person besides name and number: kept in the first event's record, never
# shown (the person's details are read from the case, masked as the reader must see them)
OPEN311_CONTACT = ("email", "device_id", "account_id")


def _event(e: CaseEvent, known: dict[int, Department], users: dict[int, str]) -> dict:
    data = dict(e.data or {})
    if isinstance(data.get("open311"), dict):
        data["open311"] = {k: v for k, v in data["open311"].items() if k not in OPEN311_CONTACT}
    _coded(data, _DEPARTMENT_KEYS.get(e.action, ()), lambda i: known[i].code if i in known else None)
    _coded(data, _USER_KEYS.get(e.action, ()), users.get)
    return {
        "seq": e.seq, "at": when(e.at), "action": e.action, "from_state": e.from_state, "to_state": e.to_state,
        "actor": e.actor_label, "department": department_ref(known.get(e.department_id)), "note": e.note or None,
        "data": data or None,
    }
