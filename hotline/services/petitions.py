"""登记: a petition becomes a case (XF-…) with its petitioners, the units it accuses and the petition office's
clock to forward it (Art. 22) — checked against the petitions before it for the same matter (Arts. 19, 36),
and the centre's leaders told at once of a major or urgent one (Art. 25). One transaction."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from hotline.domain import petition_intake
from hotline.domain.errors import Conflict, InvalidFields
from hotline.domain.kinds import KINDS_BY_TRACK, Channel, Kind, Track, Urgency
from hotline.domain.petition import PetitionAction, PetitionState
from hotline.domain.petition_intake import Matter, PetitionerIn
from hotline.domain.sla import Book, Clock
from hotline.models import AccusedDepartment, Case, Department, Person, Petition, Petitioner, User
from hotline.services import audit, clocks, notifications, notify
from hotline.services.intake import UnknownReference, check_references
from hotline.services.numbering import next_number

PETITION_CHANNELS = (Channel.WEB, Channel.LETTER, Channel.PHONE, Channel.FAX, Channel.VISIT, Channel.API)


@dataclass(frozen=True)
class NewPetition:
    kind: Kind
    channel: Channel
    request: str  # 请求 (the case's description)
    facts: str
    reasons: str
    petitioners: tuple[PetitionerIn, ...]
    group_size: int = 1
    category_id: int | None = None
    area_id: int | None = None
    location_text: str = ""
    oral: bool = False
    major: bool = False
    confidential: bool = False
    accused_department_ids: tuple[int, ...] = ()
    new_facts: str = ""  # what is new, when the matter was closed after 复核 (Art. 36)
    submission_key: str | None = None
    extra: dict = field(default_factory=dict)  # what the event also records (e.g. the hotline case it came from)


@dataclass(frozen=True)
class Context:
    now: datetime
    timezone: str
    book: Book
    locale: str = "zh"


def register(session: Session, new: NewPetition, ctx: Context, actor: User | None) -> Case:
    """InvalidFields (422) for what is missing or wrong; Conflict("same_matter_settled", {"case": …}) when the
    same facts and reasons were closed after 复核 and nothing new is stated (Art. 36)."""
    if new.submission_key:
        existing = session.scalar(select(Case).where(Case.submission_key == new.submission_key))
        if existing is not None:
            return existing
    _check(session, new)
    earlier = find_same_matter(session, new)
    if earlier is not None and earlier.kind == "settled" and not new.new_facts.strip():
        raise Conflict("same_matter_settled", {"case": earlier.matter.number, "similarity": earlier.similarity})
    try:
        case = _create(session, new, ctx, actor, earlier)
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = new.submission_key and session.scalar(select(Case).where(Case.submission_key == new.submission_key))
        if existing:
            return existing
        raise
    return case


def _check(session: Session, new: NewPetition) -> None:
    errors = petition_intake.petitioner_problems(list(new.petitioners), new.group_size)
    if new.kind not in KINDS_BY_TRACK[Track.PETITION]:
        errors["kind"] = "invalid_choice"
    if new.channel not in PETITION_CHANNELS:
        errors["channel"] = "invalid_choice"
    for name, value in (("request", new.request), ("facts", new.facts), ("reasons", new.reasons)):
        if not value.strip():
            errors[name] = "required"
    if new.accused_department_ids:
        if new.kind is not Kind.ACCUSATION:
            errors["accused_department_ids"] = "accusation_only"
        else:
            found = set(session.scalars(select(Department.id).where(Department.id.in_(new.accused_department_ids))))
            if found != set(new.accused_department_ids):
                errors["accused_department_ids"] = "unknown"
    try:
        check_references(session, new.category_id, new.area_id)
    except UnknownReference as exc:
        errors[str(exc)] = "unknown"
    if errors:
        raise InvalidFields("fields", errors)


def find_same_matter(session: Session, new: NewPetition, case_id: int = 0) -> petition_intake.SameMatter | None:
    """Earlier petitions of the same person (ID or phone: both indexed), compared by the domain."""
    ids = {p.id_number for p in new.petitioners if p.id_number}
    phones = {p.phone for p in new.petitioners if p.phone}
    if not ids and not phones:
        return None
    conditions = []
    if ids:
        conditions.append(Petitioner.id_number.in_(ids))
    if phones:
        conditions.append(Petitioner.phone.in_(phones))
    case_ids = select(Petitioner.case_id).where(or_(*conditions))
    rows = session.scalars(select(Case).where(Case.id.in_(case_ids), Case.id != case_id)
                           .options(selectinload(Case.petition).selectinload(Petition.petitioners)))
    mine = Matter(case_id, "", PetitionState.REGISTERED, False, new.category_id, frozenset(ids), frozenset(phones),
                  " ".join((new.request, new.facts, new.reasons)))
    return petition_intake.find_same_matter(mine, (matter_of(c) for c in rows if c.petition is not None))


def matter_of(case: Case) -> Matter:
    p = case.petition
    return Matter(case.id, case.number, case.state, p.final, case.category_id,
                  frozenset(x.id_number for x in p.petitioners if x.id_number),
                  frozenset(x.phone for x in p.petitioners if x.phone),
                  " ".join((case.description, p.facts, p.reasons)), case.received_at)


def _create(session: Session, new: NewPetition, ctx: Context, actor: User | None,
            earlier: petition_intake.SameMatter | None) -> Case:
    local_day = ctx.now.astimezone(ZoneInfo(ctx.timezone)).date()
    first = next((p for p in new.petitioners if p.representative), new.petitioners[0])
    case = Case(
        number=next_number(session, Track.PETITION, local_day), track=Track.PETITION, kind=new.kind,
        channel=new.channel, urgency=Urgency.GENERAL, state=PetitionState.REGISTERED, category_id=new.category_id,
        area_id=new.area_id, location_text=new.location_text, description=new.request,
        person=_person(session, first, new.confidential, ctx.locale), confidential=new.confidential,
        received_at=ctx.now, created_by_id=actor.id if actor else None, submission_key=new.submission_key,
    )
    petition = Petition(
        case=case, facts=new.facts, reasons=new.reasons, oral=new.oral, major=new.major,
        group_size=max(new.group_size, len(new.petitioners)), new_facts=new.new_facts.strip(),
        same_matter_case_id=earlier.matter.case_id if earlier else None,
        same_matter_kind=earlier.kind if earlier else None,
        petitioners=[Petitioner(position=n, name=p.name.strip(), id_number=p.id_number, phone=p.phone,
                                address=p.address.strip(), representative=p.representative)
                     for n, p in enumerate(new.petitioners)],
        accused=[AccusedDepartment(department_id=d) for d in sorted(set(new.accused_department_ids))],
    )
    forward = ctx.book.stamp(Clock.FORWARD, ctx.now, Track.PETITION, new.kind, Urgency.GENERAL)
    petition.set_due(Clock.FORWARD.value, forward.due_at, forward.warn_at)
    case.deadlines_provisional = forward.provisional
    session.add(case)
    data = {"channel": str(new.channel), "oral": new.oral, "major": new.major,
            "petitioners": len(new.petitioners), "deadlines": {"forward": forward.describe()}, **new.extra}
    if earlier is not None:
        data["same_matter"] = {"case": earlier.matter.number, "kind": earlier.kind, "similarity": earlier.similarity}
    if new.new_facts.strip():
        data["new_facts"] = new.new_facts.strip()
    audit.record_event(session, case, action=PetitionAction.REGISTER, at=ctx.now, to_state=PetitionState.REGISTERED,
                       actor=actor, actor_label="citizen", data=data)
    session.flush()
    clocks.reconcile(session, case, ctx.now)
    notify.queue_petition_registered(session, case)
    if new.major:
        notifications.tell_major_petition(session, case, ctx.now)
    return case


def _person(session: Session, first: PetitionerIn, confidential: bool, locale: str) -> Person:
    """The person the case's messages go to: the first representative, or the first petitioner."""
    person = None
    if first.phone:
        person = session.scalar(select(Person).where(Person.phone == first.phone, Person.name == first.name)
                                .order_by(Person.id).limit(1))
    if person is None:
        person = Person(name=first.name.strip(), phone=first.phone)
        session.add(person)
    person.locale = locale
    if confidential:
        person.confidential = True
    return person
