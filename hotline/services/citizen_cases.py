"""A citizen's own cases on the tracking page: signing in with a phone and a one-time code, opening one case by its
number and a code sent to the case's phone, reading what the public timeline shows, rating the answer (回访) and
asking for the case to be handled again (重办).

No answer ever depends on whether a number has cases or a case number exists: a code is sent when there is
somewhere to send it, and the visitor hears the same words either way. A citizen looking at their own case is not
staff access to personal data; each sign-in and each case opened with a code is still written to the access log.

A petition (XF-…) is tracked the same way, by the phone of the person its replies go to (the first representative,
信访工作条例 Art. 20), and read with its own timeline (domain/public_timeline_petition.py) and the documents issued
to the petitioner."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from hotline.domain import public_timeline
from hotline.domain import public_timeline_petition as petition_timeline
from hotline.domain.case_number import looks_like_number
from hotline.domain.errors import Conflict
from hotline.domain.kinds import Track
from hotline.domain.lifecycle import Action
from hotline.domain.phone import is_mobile
from hotline.domain.privacy import mask_phone
from hotline.models import Case, CaseEvent, Department, Person, PetitionDocument, User
from hotline.services import audit, handling, otp, system_users

log = logging.getLogger(__name__)

LIST_LIMIT = 100  # a person with more cases than this under one number is an organisation: the newest are shown


def normalise_number(text: str) -> str:
    return "".join((text or "").split()).upper()


def cases_of(session: Session, phone: str, limit: int = LIST_LIMIT) -> list[Case]:
    """The cases filed with this number as the person's phone, newest first (anonymous cases have no person)."""
    return list(session.scalars(
        select(Case).join(Person, Case.person_id == Person.id).where(Person.phone == phone)
        .options(joinedload(Case.category), joinedload(Case.lead_department),
                 selectinload(Case.assignments), selectinload(Case.petition))
        .order_by(Case.received_at.desc(), Case.id.desc()).limit(limit)).unique())


def visible_case(session: Session, number: str, phone: str | None, opened: bool) -> Case | None:
    """The case, if this visitor has proven the phone it was filed with (signed in with it, or opened the case with
    a code sent to it); otherwise None, whether or not the number exists."""
    number = normalise_number(number)
    if not looks_like_number(number):
        return None
    case = session.scalar(select(Case).where(Case.number == number)
                          .options(joinedload(Case.person), joinedload(Case.category), joinedload(Case.area)))
    if case is None or case.person is None or not case.person.phone:
        return None
    if opened or (phone is not None and case.person.phone == phone):
        return case
    return None


# ---- one-time codes

def send_sign_in_code(session: Session, phone: str, now: datetime, settings: otp.Settings, locale: str) -> None:
    """Raises otp.NotMobile or otp.TooManyCodes: both are about the number the visitor typed, never its cases."""
    otp.send(session, phone, "sign_in", now, settings, locale=locale)


def confirm_sign_in(session: Session, phone: str, code: str, now: datetime, settings: otp.Settings,
                    ip: str = "") -> bool:
    if not otp.verify(session, phone, "sign_in", code, now, settings):
        return False
    audit.log_access(session, None, "portal_sign_in", at=now, detail=mask_phone(phone), ip=ip)
    session.commit()
    return True


def _case_phone(session: Session, number: str) -> str | None:
    """Where a code that opens this case goes: its person's mobile. None for an unknown number, an anonymous case,
    or a case with no mobile number."""
    if not looks_like_number(number):
        return None
    phone = session.scalar(select(Person.phone).join(Case, Case.person_id == Person.id)
                           .where(Case.number == number, Case.anonymous.is_(False)))
    return phone if phone and is_mobile(phone) else None


def send_case_code(session: Session, number: str, now: datetime, settings: otp.Settings, locale: str) -> None:
    """Sends a code to the case's phone when there is one. Says nothing either way: the caller shows one page."""
    number = normalise_number(number)
    phone = _case_phone(session, number)
    if phone is None:
        session.rollback()
        return
    try:
        otp.send(session, phone, "case", now, settings, subject=number, locale=locale)
    except (otp.TooManyCodes, otp.NotMobile):
        session.rollback()  # the number's limit: telling the visitor would tell them the case exists
        log.info("no code to open %s: over HOTLINE_RATE_CODES", number)


def confirm_case(session: Session, number: str, code: str, now: datetime, settings: otp.Settings,
                 ip: str = "") -> bool:
    number = normalise_number(number)
    phone = _case_phone(session, number)
    if phone is None or not otp.verify(session, phone, "case", code, now, settings, subject=number):
        session.rollback()
        return False
    case_id = session.scalar(select(Case.id).where(Case.number == number))
    audit.log_access(session, None, "portal_open_case", at=now, detail=mask_phone(phone), ip=ip,
                     case=session.get(Case, case_id))
    session.commit()
    return True


# ---- what the page shows

@dataclass
class Tracked:
    case: Case
    view: public_timeline.View
    departments: dict[int, Department]
    documents: list[PetitionDocument] = field(default_factory=list)  # a petition's, issued to the petitioner


def facts(case: Case) -> public_timeline.Facts:
    lead = next((a for a in case.active_assignments if a.lead), None)
    return public_timeline.Facts(
        state=case.state, reply_reviewed=case.reply_reviewed, callback_satisfaction=case.callback_satisfaction,
        callback_resolved=case.callback_resolved, sign_due_at=case.sign_due_at, reply_due_at=case.reply_due_at,
        callback_due_at=case.callback_due_at, lead_signed=bool(lead and lead.status != "pending"))


def _portal_user_id(session: Session) -> int | None:
    return session.scalar(select(User.id).where(User.username == system_users.PORTAL))


def petition_facts(case: Case) -> petition_timeline.Facts:
    p = case.petition
    return petition_timeline.Facts(state=case.state, dues={c: p.due(c) for c in petition_timeline.RUNNING.values()},
                                   in_hearing=p.hearing_started_at is not None)


def track(session: Session, case: Case, now: datetime) -> Tracked:
    portal = _portal_user_id(session)
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq))
    records = [public_timeline.EventRecord(
        at=e.at, action=e.action, to_state=e.to_state, department_id=e.department_id, data=e.data,
        note=e.note or "", by_citizen=portal is not None and e.actor_id == portal) for e in events]
    documents: list[PetitionDocument] = []
    if case.track == Track.PETITION:
        shown = petition_timeline.view(records, petition_facts(case), now)
        documents = documents_of(session, case)
    else:
        shown = public_timeline.view(records, facts(case), now)
    wanted = {i for entry in shown.entries for i in entry.departments}
    departments = {d.id: d for d in session.scalars(select(Department).where(Department.id.in_(wanted)))} \
        if wanted else {}
    return Tracked(case, shown, departments, documents)


def documents_of(session: Session, case: Case) -> list[PetitionDocument]:
    """What was issued to the petitioner, oldest first: each numbered document, a correction as a new one."""
    return list(session.scalars(select(PetitionDocument).where(PetitionDocument.case_id == case.id)
                                .options(joinedload(PetitionDocument.corrects))
                                .order_by(PetitionDocument.issued_at, PetitionDocument.id)))


def status_and_due(case: Case, now: datetime) -> tuple[str, public_timeline.Due | None]:
    """For the list of a person's cases: where it stands, and the first deadline running."""
    if case.track == Track.PETITION:
        known = petition_facts(case)
        running = petition_timeline.deadlines(known, now)
        return petition_timeline.status(known), (running[0] if running else None)
    known = facts(case)
    running = public_timeline.deadlines(known, now)
    return public_timeline.status(known), (running[0] if running else None)


# ---- rating and reopening, as the person themself on the page

class Refused(Exception):
    """The rating or the redo cannot be taken now; `code` says why (public_timeline.why_not_rate / why_not_reopen,
    or "stale": the case changed since the page was read)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _load(session: Session, number: str) -> Case:
    case = session.scalar(select(Case).where(Case.number == normalise_number(number)))
    if case is None:
        raise Refused("moved_on")
    return case


def rate(session: Session, number: str, satisfaction: str, resolved: bool, comment: str, now: datetime,
         timezone: str, expected_version: int | None = None) -> Case:
    """回访 on the page, recorded like an operator's callback by the portal's system user. Raises Refused (rated a
    moment ago by SMS or on a call, the window closed, the case changed meanwhile) or InvalidFields."""
    case = _load(session, number)
    why = public_timeline.why_not_rate(facts(case), now)
    if why is None and expected_version is not None and case.version != expected_version:
        why = "stale"
    if why:
        session.rollback()
        raise Refused(why)
    fields = {"satisfaction": satisfaction, "resolved": resolved, "note": comment}
    return _act(session, case.number, Action.CALLBACK, fields, now, timezone, expected_version)


def reopen(session: Session, number: str, comment: str, now: datetime, timezone: str) -> Case:
    """重办 at the person's request after an unhappy rating, within the callback window (Jinan Art. 27); their words
    are the redo's note, for the department."""
    case = _load(session, number)
    why = public_timeline.why_not_reopen(facts(case), now)
    if why:
        session.rollback()
        raise Refused(why)
    return _act(session, case.number, Action.REDO, {"note": comment}, now, timezone)


def _act(session: Session, number: str, action: Action, fields: dict, now: datetime, timezone: str,
         expected_version: int | None = None) -> Case:
    user = system_users.get(session, system_users.PORTAL)
    try:
        return handling.act(session, number, action, user, fields, handling.Context(now=now, timezone=timezone),
                            expected_version)
    except Conflict as exc:  # another step won the race between our check and the row lock
        raise Refused("stale" if exc.code == "stale" else "moved_on") from None
