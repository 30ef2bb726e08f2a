"""What the case pages and lists show, prepared in a few queries (never one per row)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.domain.lifecycle import MAX_DISPATCHES_BEFORE_DESIGNATION, State
from hotline.models import Area, Assignment, Attachment, Case, CaseEvent, Department, User
from hotline.services import attachments, cases
from hotline.web import labels


def departments(session: Session, ids) -> dict[int, Department]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {d.id: d for d in session.scalars(select(Department).where(Department.id.in_(ids)))}


def department_choices(session: Session) -> dict[str, list[tuple[str, str]]]:
    """Departments that take cases, grouped: city bureaus, utilities, then each district's units."""
    areas = {a.id: a for a in session.scalars(select(Area))}
    groups: dict[str, list[tuple[str, str]]] = {}
    rows = session.scalars(select(Department).where(Department.active, Department.kind != "centre")
                           .order_by(Department.level, Department.code))
    for d in rows:
        if d.kind in labels.DEPARTMENT_KIND:
            group = labels.of(labels.DEPARTMENT_KIND, d.kind)
        else:
            area = areas.get(d.area_id)
            district = areas.get(area.parent_id) if area and area.parent_id else area
            group = labels.name(district) or _("Other")
        groups.setdefault(group, []).append((str(d.id), labels.name(d)))
    return groups


@dataclass
class Deadline:
    kind: str  # sign, reply, return, callback, supervision
    at: datetime
    running: bool  # still to be met; when false it is shown for the record
    overdue: bool = False
    soon: bool = False  # 即将超期: its warning moment has passed (services.cases.clock_card)


def _running(kind: str, at: datetime, warn_at: datetime | None, now: datetime) -> Deadline:
    card = cases.clock_card(at, warn_at, now)
    return Deadline(kind, at, True, card == cases.OVERDUE, card == cases.DUE_SOON_CARD)


def current_deadline(case: Case, now: datetime, assignment: Assignment | None = None) -> Deadline | None:
    """The one deadline that matters now for a row: the department's own when given."""
    if assignment is not None:
        if assignment.status == "pending" and assignment.sign_due_at:
            return _running("sign", assignment.sign_due_at, assignment.sign_warn_at, now)
        if assignment.status == "signed" and assignment.reply_due_at:
            return _running("reply", assignment.reply_due_at, assignment.reply_warn_at, now)
        return None
    lead = next((a for a in case.active_assignments if a.lead), None)
    if case.state == State.DISPATCHED and case.sign_due_at:
        return _running("sign", case.sign_due_at, lead.sign_warn_at if lead else None, now)
    if case.state in (State.DISPATCHED, State.IN_PROGRESS) and case.reply_due_at:
        return _running("reply", case.reply_due_at, lead.reply_warn_at if lead else None, now)
    if case.state == State.REPLIED and case.reply_reviewed and case.callback_due_at and not case.callback_at:
        return _running("callback", case.callback_due_at, case.callback_warn_at, now)
    return None


def case_deadlines(case: Case, now: datetime) -> list[Deadline]:
    handling = case.state in (State.DISPATCHED, State.IN_PROGRESS)
    lead_pending = any(a.lead and a.status == "pending" for a in case.active_assignments)
    may_return = handling and case.dispatch_count < MAX_DISPATCHES_BEFORE_DESIGNATION
    awaiting_callback = case.state == State.REPLIED and case.reply_reviewed and not case.callback_at
    lead = next((a for a in case.active_assignments if a.lead), None)
    out = []
    for kind, at, warn_at, running in (
            ("sign", case.sign_due_at, lead.sign_warn_at if lead else None, handling and lead_pending),
            ("reply", case.reply_due_at, lead.reply_warn_at if lead else None, handling),
            ("return", case.return_until, case.return_warn_at, may_return),
            ("callback", case.callback_due_at, case.callback_warn_at, awaiting_callback),
            ("supervision", case.supervision_due_at, case.supervision_warn_at,
             handling and case.supervised and bool(lead) and lead.status != "replied")):
        if at is not None:
            out.append(_running(kind, at, warn_at, now) if running else Deadline(kind, at, False))
    return out


@dataclass
class Entry:
    event: CaseEvent
    who: str
    department: str
    details: list[str] = field(default_factory=list)
    text: str = ""  # a reply's words
    link: str = ""  # the other case of a merge
    files: list[Attachment] = field(default_factory=list)  # a reply's attachments


def _names(ids, depts: dict[int, Department]) -> str:
    return "、".join(labels.short(depts.get(i)) for i in ids or () if depts.get(i))


def timeline(session: Session, case: Case) -> list[Entry]:
    events = list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)))
    wanted = {e.department_id for e in events}
    for e in events:
        if e.action == "dispatch" and e.data:
            wanted |= {e.data.get("lead"), *(e.data.get("co") or ())}
    depts = departments(session, [i for i in wanted if isinstance(i, int) and not isinstance(i, bool)])
    entries = [_entry(e, depts) for e in events]
    by_event: dict[int, list[Attachment]] = {}
    for a in attachments.for_case(session, case.id):
        by_event.setdefault(a.event_id, []).append(a)
    for entry in entries:
        entry.files = by_event.get(entry.event.id, [])
    return entries


def reply_files(entries: list[Entry]) -> tuple[list[Attachment], dict[int, list[Attachment]]]:
    """The files of the reply the case shows now (the lead's latest), and of each co-handler's latest."""
    lead: list[Attachment] = []
    co: dict[int, list[Attachment]] = {}
    for entry in entries:
        e = entry.event
        if e.action == "reply" and (e.data or {}).get("lead"):
            lead = entry.files
        elif e.action == "reply" and e.department_id:
            co[e.department_id] = entry.files
        elif e.action == "answer-directly":  # the answer given replaces the reply on the case
            lead = []
    return lead, co


def _entry(e: CaseEvent, depts: dict[int, Department]) -> Entry:
    data = e.data or {}
    entry = Entry(event=e, who=labels.of(labels.ACTOR, e.actor_label) if e.actor_label in labels.ACTOR
                  else e.actor_label, department=labels.short(depts.get(e.department_id)))
    d = entry.details
    if e.action == "dispatch":
        if rule := data.get("rule"):  # dispatched at once by the catalogue: which rule, of which version
            entry.who = _("Dispatch catalogue")
            d.append(_("Rule %(n)s of catalogue version %(v)s", n=rule.get("position"), v=rule.get("version")))
        d.append(_("Lead: %(names)s", names=_names([data.get("lead")], depts)))
        if data.get("co"):
            d.append(_("Co-handling: %(names)s", names=_names(data["co"], depts)))
        d.append(_("Dispatch no. %(n)d", n=data.get("round", 1)))
        if data.get("designated"):
            d.append(_("Designated: may not be returned"))
    elif e.action in ("review-return", "decide-extension", "review-reply") and data.get("decision"):
        d.append(labels.of(labels.DECISION, data["decision"]))
    elif e.action == "request-extension" and data.get("days"):
        d.append(_("%(n)d working days more", n=data["days"]))
    elif e.action == "reply":
        d.append(_("Resolved") if data.get("resolved") else _("Not resolved"))
        if data.get("contact"):
            d.append(labels.of(labels.CONTACT, data["contact"]))
        if data.get("lead") is False:
            d.append(_("Co-handler's part, sent to the lead department"))
        entry.text = data.get("text", "")
    elif e.action == "callback":
        d.append(labels.of(labels.SATISFACTION, data.get("satisfaction")))
        d.append(_("Resolved") if data.get("resolved") else _("Not resolved"))
    elif e.action == "redo":
        d.append(_("Redo no. %(n)d", n=data.get("redo", 1)))
    elif e.action == "urge":
        d.append(_("Urged %(n)d times", n=data.get("count", 1)))
    elif e.action == "answer-directly" and data.get("title"):
        d.append(_("Answered from the knowledge base: %(title)s", title=data["title"]))
    elif e.action == "transfer" and data.get("service"):
        d.append(_("The caller was told to dial %(service)s", service=labels.of(labels.EMERGENCY, data["service"])))
    elif e.action == "merge":
        entry.link = data.get("into", "")
    elif e.action == "merged-in":
        entry.link = data.get("from", "")
    if data.get("late"):
        d.append(_("Late"))
    return entry


def people(session: Session, ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


@dataclass
class Returned:
    by: str
    department: str
    at: datetime
    reason: str


def last_returns(session: Session, case_ids) -> dict[int, Returned]:
    """Who returned each case and why, for the queues: one query for the page."""
    ids = list(case_ids)
    if not ids:
        return {}
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id.in_(ids), CaseEvent.action == "return")
                             .order_by(CaseEvent.case_id, CaseEvent.seq))
    latest = {e.case_id: e for e in events}
    depts = departments(session, [e.department_id for e in latest.values()])
    return {case_id: Returned(e.actor_label, labels.short(depts.get(e.department_id)), e.at, e.note)
            for case_id, e in latest.items()}


def own_assignments(session: Session, department_id: int | None, case_ids) -> dict[int, Assignment]:
    ids = list(case_ids)
    if not ids or department_id is None:
        return {}
    rows = session.scalars(select(Assignment).where(Assignment.case_id.in_(ids), Assignment.active,
                                                    Assignment.department_id == department_id))
    return {a.case_id: a for a in rows}
