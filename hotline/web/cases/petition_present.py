"""What a petition's page shows, prepared in a few queries: its particulars and petitioners (masked for whoever must
not know them), the statutory clocks with their articles, the documents issued, the 12345 cases linked to it, who
is kept away from it (Art. 28), and the history in words."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.routing import BuildError

from hotline.domain.access import Actor, can_view_case, sees_all_cases, sees_contact_unmasked
from hotline.domain.kinds import Kind, Track
from hotline.domain.privacy import mask_name, mask_phone
from hotline.domain.sla import CLOCKS_BY_TRACK, Clock
from hotline.models import Case, CaseEvent, Deadline, PetitionDocument, Recusal
from hotline.services import cases, clocks
from hotline.web import labels
from hotline.web.api import petition_json
from hotline.web.cases import present

ARTICLE = {"forward": _l("Art. 22"), "accept": _l("Art. 23"), "object": _l("Art. 23"), "decide": _l("Arts. 32, 34"),
           "review_window": _l("Art. 35"), "review": _l("Art. 35"), "re_review_window": _l("Art. 36"),
           "re_review": _l("Art. 36")}
# the petitioner's windows (and the organ's to object): open or passed, rather than met or missed
WINDOWS = frozenset({Clock.OBJECT, Clock.REVIEW_WINDOW, Clock.RE_REVIEW_WINDOW})
# the steps that meet each clock; any other stop (a withdrawal, an objection upheld) only stops it
MET_BY = {"forward": ("forward", "refer"), "accept": ("accept",), "object": ("object",), "decide": ("decide",),
          "review_window": ("request-review",), "review": ("decide-review",),
          "re_review_window": ("request-re-review",), "re_review": ("decide-re-review",)}
REVIEW_CLOCKS = frozenset({Clock.REVIEW_WINDOW, Clock.REVIEW, Clock.RE_REVIEW_WINDOW, Clock.RE_REVIEW})
CONFLICT_ACTIONS = ("declare-conflict", "record-conflict")


def _day(moment: datetime | None) -> str:
    return format_datetime(moment, "yyyy-MM-dd") if moment else ""


def link_to(endpoint: str, **values) -> str | None:
    """A page another part of the app provides; None (no link, the text alone) while it does not exist."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


# --- who the petitioners are, to this reader ---------------------------------------------------------------------

def shown(case: Case, actor: Actor):
    """The petition's free texts as this reader may see them: to someone who sees the petitioners masked, with every
    petitioner's name, number and ID number masked where they were written into them (as the API gives them)."""
    hide = petition_json.hider(case, actor)
    if hide is None:
        return lambda text: text or ""
    return lambda text: hide(text) or ""


def hide_unseen(entries: list, actor: Actor) -> list:
    """A history as this reader may read it: a case they may not see is not named (its number is itself a trace —
    an accusation against their unit, a case they are recused from), and the note left on a work order about a
    petition they may not see (`linked`: the operator's words, perhaps naming the petitioner) is not theirs at all."""
    named = {e.event.seq: number for e in entries if (number := _named(e.event))}
    seen = petition_json.visible_numbers(named.values(), actor)
    kept = []
    for entry in entries:
        number = named.get(entry.event.seq)
        if number is None or number in seen:
            if number and entry.event.action == "linked":
                entry.link = number  # the petition a work order was linked to, for those who may open it
            kept.append(entry)
        elif entry.event.action != "linked":
            entry.link = ""
            entry.details = [d for d in entry.details if number not in d]
            kept.append(entry)
    return kept


def _named(e: CaseEvent) -> str | None:
    data = e.data or {}
    value = {"merge": data.get("into"), "merged-in": data.get("from"), "linked": data.get("petition"),
             "link": data.get("case"), "register": (data.get("same_matter") or {}).get("case")}.get(e.action)
    return value if isinstance(value, str) and value else None


@dataclass
class Person:
    name: str
    id_number: str
    phone: str | None
    address: str
    representative: bool


def petitioners(case: Case, unmasked: bool) -> list[Person]:
    if unmasked:
        return [Person(p.name, p.id_number, p.phone, p.address, p.representative) for p in case.petition.petitioners]
    return [Person(mask_name(p.name), "", mask_phone(p.phone), "", p.representative)
            for p in case.petition.petitioners]


# --- the statutory clocks ----------------------------------------------------------------------------------------

@dataclass
class StatutoryClock:
    clock: str
    article: str
    due_at: datetime | None
    status: str  # running, overdue, open, passed, met, late, used, closed, stopped, paused, not_started
    said: str  # the status in words
    limit: str = ""  # "15 days", "5 working days", as stamped
    card: str | None = None  # due_soon / overdue while it runs (services.cases.clock_card)
    warn_at: datetime | None = None
    notes: list[str] = field(default_factory=list)


def _limit(events: list[CaseEvent], clock: str) -> str:
    for e in reversed(events):
        stamped = ((e.data or {}).get("deadlines") or {}).get(clock)
        if isinstance(stamped, dict) and stamped.get("limit"):
            amount, unit = stamped["limit"]
            return _("%(n)d working days", n=amount) if unit == "working_days" else _("%(n)d days", n=amount)
    return ""


def statutory_clocks(session: Session, case: Case, now: datetime, events: list[CaseEvent]) -> list[StatutoryClock]:
    """Every step's clock: running (with the warning colour the lists use), met or missed on a date, paused for a
    hearing, or not started. Review clocks only for a grievance: nothing else can be reviewed (Art. 35)."""
    petition = case.petition
    rows: dict[str, Deadline] = {}
    for row in session.scalars(select(Deadline).where(Deadline.case_id == case.id).order_by(Deadline.id)):
        rows[row.clock] = row  # the latest stamp of each clock
    running = {key[0] for key in clocks.petition_clocks(case)}
    done = {(e.action, e.at) for e in events}
    out = []
    for clock in CLOCKS_BY_TRACK[Track.PETITION]:
        if clock in REVIEW_CLOCKS and case.kind != Kind.GRIEVANCE:
            continue
        due, warn, row = petition.due(clock.value), petition.warn(clock.value), rows.get(clock.value)
        window = clock in WINDOWS
        item = StatutoryClock(clock.value, str(ARTICLE[clock.value]), due, "not_started", _("Not started"),
                              _limit(events, clock.value), warn_at=warn)
        if clock in running and due is not None:
            passed = due < now
            item.card = cases.clock_card(due, warn, now)
            if window:
                item.status, item.said = ("passed", _("Passed")) if passed else ("open", _("Window open"))
            else:
                item.status, item.said = ("overdue", _("Missed: not done yet")) if passed else ("running", _("Running"))
        elif clock is Clock.RE_REVIEW and petition.hearing_started_at is not None:
            item.status = "paused"
            item.said = _("Paused for a hearing since %(date)s", date=_day(petition.hearing_started_at))
        elif row is not None and row.stopped_at is not None:
            met = any((action, row.stopped_at) in done for action in MET_BY[clock.value])
            late = row.stopped_at > row.due_at
            if met and window:
                item.status, item.said = "used", _("Used on %(date)s", date=_day(row.stopped_at))
            elif met:
                item.status = "late" if late else "met"
                item.said = (_("Missed: done on %(date)s", date=_day(row.stopped_at)) if late
                             else _("Met on %(date)s", date=_day(row.stopped_at)))
            elif window and late:
                item.status, item.said = "passed", _("Passed on %(date)s", date=_day(row.due_at))
            elif window:  # e.g. the organ accepted: its window to object closes unused
                item.status, item.said = "closed", _("Closed on %(date)s", date=_day(row.stopped_at))
            else:
                item.status, item.said = "stopped", _("Stopped on %(date)s", date=_day(row.stopped_at))
        elif due is not None:
            item.status, item.said = "stopped", _("Stopped")
        item.notes = _clock_notes(petition, clock)
        out.append(item)
    return out


def _clock_notes(petition, clock: Clock) -> list[str]:
    if clock is Clock.DECIDE and petition.extension_status:
        days = petition.extension_days or 0
        return [{"approved": _("Includes an extension of %(n)d days (Art. 34)", n=days),
                 "pending": _("An extension of %(n)d days awaits the head's decision", n=days),
                 "denied": _("An extension of %(n)d days was denied", n=days)}[petition.extension_status]]
    if clock is Clock.RE_REVIEW and petition.hearing_days:
        return [_("%(n)d days of hearings not counted (Art. 36)", n=petition.hearing_days)]
    return []


def card(case: Case, actor: Actor, now: datetime) -> str | None:
    """即将超期 / 已超期 for the page's head: the clocks someone must act on (not the petitioner's windows); to an
    organ, its own."""
    found = set()
    for (clock, _assignment), wanted in clocks.petition_clocks(case).items():
        if clock in WINDOWS and clock is not Clock.OBJECT:
            continue
        if not sees_all_cases(actor) and wanted.department_id != actor.department_id:
            continue
        found.add(cases.clock_card(wanted.due_at, wanted.warn_at, now))
    return cases.OVERDUE if cases.OVERDUE in found else cases.DUE_SOON_CARD if cases.DUE_SOON_CARD in found else None


# --- documents, linked cases, recusals ---------------------------------------------------------------------------

@dataclass
class Document:
    row: PetitionDocument
    kind: str
    organ: str
    corrects: str | None
    corrected_by: list[str]
    show_url: str | None
    pdf_url: str | None


def documents(session: Session, case: Case) -> list[Document]:
    rows = list(session.scalars(select(PetitionDocument).where(PetitionDocument.case_id == case.id)
                                .order_by(PetitionDocument.id)))
    by_id = {d.id: d for d in rows}
    corrected_by: dict[int, list[str]] = {}
    for d in rows:
        if d.corrects_id:
            corrected_by.setdefault(d.corrects_id, []).append(d.number)
    depts = present.departments(session, [d.department_id for d in rows])
    return [Document(d, labels.of(labels.DOCUMENT, d.kind),
                     labels.short(depts.get(d.department_id)) or _("Petition office"),
                     by_id[d.corrects_id].number if d.corrects_id in by_id else None, corrected_by.get(d.id, []),
                     link_to("documents.show", number=case.number, document_id=d.id),
                     link_to("documents.pdf", number=case.number, document_id=d.id)) for d in rows]


@dataclass
class Linked:
    number: str
    state: str
    merged: bool
    at: datetime | None


def linked_cases(session: Session, case: Case, actor: Actor, events: list[CaseEvent]) -> list[Linked]:
    """12345 cases about the same matter: merged into the petition, or linked as closed ones (国办函〔2025〕66号)."""
    found: dict[str, tuple[bool, datetime | None]] = {}
    for e in events:
        if e.action == "link" and (e.data or {}).get("case"):
            found[e.data["case"]] = (bool(e.data.get("merged")), e.at)
    merged_in = session.scalars(select(Case).where(Case.merged_into_id == case.id))
    by_number = {c.number: c for c in merged_in}
    for number in by_number:
        found.setdefault(number, (True, None))
    missing = [n for n in found if n not in by_number]
    if missing:
        by_number.update({c.number: c for c in session.scalars(select(Case).where(Case.number.in_(missing)))})
    out = []
    for number, (merged, at) in found.items():
        other = by_number.get(number)
        if other is None:
            continue
        if can_view_case(actor, other.scope):  # one they may not open is not theirs to be named either
            out.append(Linked(number, labels.state_of(other.track, other.state),
                              merged or other.merged_into_id == case.id, at))
    return out


@dataclass
class SameMatter:
    kind: str  # open (Art. 19), settled (Art. 36)
    number: str  # empty when this reader may not see it
    organ: str
    visible: bool
    new_facts: str


def same_matter(session: Session, case: Case, actor: Actor) -> SameMatter | None:
    petition = case.petition
    if not petition.same_matter_case_id:
        return None
    other = session.get(Case, petition.same_matter_case_id)
    if other is None:
        return None
    if not can_view_case(actor, other.scope):  # the flag, without naming what they may not see
        return SameMatter(petition.same_matter_kind or "open", "", "", False, petition.new_facts)
    return SameMatter(petition.same_matter_kind or "open", other.number, labels.name(other.lead_department), True,
                      petition.new_facts)


@dataclass
class Recused:
    who: str
    reason: str
    by: str
    at: datetime


def recusals(session: Session, case: Case) -> list[Recused]:
    rows = list(session.scalars(select(Recusal).where(Recusal.case_id == case.id).order_by(Recusal.id)))
    names = present.people(session, [r.user_id for r in rows] + [r.recorded_by_id for r in rows])
    return [Recused(names.get(r.user_id, ""), r.reason, names.get(r.recorded_by_id, ""), r.recorded_at) for r in rows]


# --- the history, in words --------------------------------------------------------------------------------------

@dataclass
class Entry(present.Entry):
    note: str = ""  # the event's note, unless this reader may not see it


def timeline(session: Session, case: Case, actor: Actor) -> list[Entry]:
    events = list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)))
    organs = {(e.data or {}).get("organ") for e in events}
    depts = present.departments(session, [i for i in {*organs, *(e.department_id for e in events)}
                                          if isinstance(i, int) and not isinstance(i, bool)])
    users = present.people(session, [(e.data or {}).get("user") for e in events if e.action == "record-conflict"])
    return hide_unseen([_entry(e, depts, users, sees_all_cases(actor)) for e in events], actor)


def _entry(e: CaseEvent, depts: dict, users: dict, centre: bool) -> Entry:
    data = e.data or {}
    entry = Entry(event=e, who=labels.of(labels.ACTOR, e.actor_label) if e.actor_label in labels.ACTOR
                  else e.actor_label, department=labels.short(depts.get(e.department_id)), note=e.note)
    d = entry.details
    if e.action == "register":
        d.append(labels.of(labels.CHANNEL, data.get("channel")))
        d.extend(text for flag, text in (("oral", _("Oral petition")), ("major", _("Major or urgent")))
                 if data.get(flag))
        if (data.get("petitioners") or 0) > 1:
            d.append(_("%(n)d petitioners", n=data["petitioners"]))
        if same := data.get("same_matter"):
            d.append(_("Same matter as %(number)s", number=same.get("case")))
    if isinstance(data.get("organ"), int) and e.action != "object":
        d.append(_("Organ: %(name)s", name=labels.name(depts.get(data["organ"]))))
    if data.get("forwarding"):
        d.append(labels.of(labels.FORWARDING, data["forwarding"]))
    if data.get("decision"):
        table = labels.DECISION if e.action == "decide-extension" else labels.PETITION_DECISION
        d.append(labels.of(table, data["decision"]))
    if data.get("legal_route"):
        d.append(labels.of(labels.LEGAL_ROUTE, data["legal_route"]))
    if data.get("outcome"):
        d.append(labels.of(labels.OUTCOME if e.action == "decide" else labels.REVIEW_OUTCOME, data["outcome"]))
    if e.action == "request-extension" and data.get("days"):
        d.append(_("%(n)d days more", n=data["days"]))
    if data.get("hearing_days"):
        d.append(_("%(n)d hearing days not counted", n=data["hearing_days"]))
    if e.action == "start-hearing":
        d.append(_("The re-review clock stops until the hearing ends"))
    if data.get("final"):
        d.append(_("Final: the same facts and reasons are not accepted again"))
    if data.get("stands"):
        d.append(_("The review decision stands") if data["stands"] == "review_decision"
                 else _("The written decision stands"))
    if e.action == "link":
        entry.link = data.get("case", "")
        d.append(_("Merged into this petition") if data.get("merged") else _("Noted on both: it was already closed"))
    if e.action == "urge":
        d.append(_("Urged %(n)d times", n=data.get("count", 1)))
    if data.get("corrects"):
        d.append(_("Corrects %(number)s", number=data["corrects"]))
    if data.get("document"):
        d.append(_("Document %(number)s", number=data["document"]))
    for clock, stamped in (data.get("deadlines") or {}).items():
        if isinstance(stamped, dict) and stamped.get("due"):
            said = f"{labels.of(labels.PETITION_CLOCK, clock)} {_day(datetime.fromisoformat(stamped['due']))}"
            d.append(_("%(deadline)s (provisional)", deadline=said) if stamped.get("provisional") else said)
    if data.get("late"):
        d.append(_("Late"))
    if e.action in CONFLICT_ACTIONS:
        if not centre:  # who has an interest in a matter, and why, is the centre's to know (Art. 28)
            entry.who, entry.note, d[:] = "", "", []
        elif e.action == "record-conflict" and data.get("user") in users:
            d.append(_("Kept away from the case: %(name)s", name=users[data["user"]]))
    return entry


# --- the page ----------------------------------------------------------------------------------------------------

@dataclass
class Particulars:
    masked: bool
    petitioners: list[Person]
    accused: list[str]  # the centre's only: the accused never see the case, its other organs never learn who
    same_matter: SameMatter | None
    linked: list[Linked]
    recusals: list[Recused]  # the centre's only
    clocks: list[StatutoryClock]
    documents: list[Document]
    card: str | None
    centre: bool


def page(session: Session, case: Case, actor: Actor, now: datetime, timeline: list) -> Particulars:
    centre = sees_all_cases(actor)
    unmasked = sees_contact_unmasked(actor, case.confidential, case.kind)
    events = [t.event for t in timeline]
    accused = []
    if centre:
        depts = present.departments(session, [a.department_id for a in case.petition.accused])
        accused = [labels.name(depts[a.department_id]) for a in case.petition.accused if a.department_id in depts]
    return Particulars(
        masked=not unmasked, petitioners=petitioners(case, unmasked), accused=accused,
        same_matter=same_matter(session, case, actor), linked=linked_cases(session, case, actor, events),
        recusals=recusals(session, case) if centre else [], clocks=statutory_clocks(session, case, now, events),
        documents=documents(session, case), card=card(case, actor, now), centre=centre)
