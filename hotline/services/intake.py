"""受理: a matter becomes a case with a number, a first event and an acknowledgement on its way."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline.domain.kinds import Channel, Kind, Track, Urgency
from hotline.domain.lifecycle import Action, State
from hotline.models import Area, Case, Category, Person, User
from hotline.services import audit, notify, routing
from hotline.services.numbering import next_number


@dataclass(frozen=True)
class NewCase:
    track: Track
    kind: Kind
    channel: Channel
    description: str
    category_id: int | None = None
    area_id: int | None = None
    location_text: str = ""
    urgency: Urgency = Urgency.GENERAL
    name: str = ""
    phone: str | None = None  # E.164
    confidential: bool = False
    anonymous: bool = False  # a suggestion or praise with no name or number kept (the channel checks the kind)
    publish_consent: bool = False  # the person agrees to publication, anonymised, after moderation
    files: tuple[dict, ...] = ()  # what the person sent with it ({name, type, size, sha256}): in the hash chain
    submission_key: str | None = None
    route: bool = True  # False: a call closed at intake (answered, handed on, merged) goes to no department
    acknowledge: bool = True  # False: the caller is not sent the case number (handed on, or told another's progress)
    latitude: float | None = None  # WGS 84, where a client located the matter (Open311 lat/long or a gazetteer point)
    longitude: float | None = None
    # more of what came with the matter, kept in the first event (in the hash chain) but never shown: the contact
    # details an Open311 client sends besides the name and number (e-mail, device and account ids)
    event_data: Mapping | None = None


@dataclass(frozen=True)
class Context:
    now: datetime
    timezone: str
    locale: str


class UnknownReference(ValueError):
    """A category or area that does not exist or is not in use."""


def register(session: Session, new: NewCase, ctx: Context, actor: User | None = None,
             also: Callable[[Session, Case], None] | None = None) -> Case:
    """Everything in one transaction: the case, its person, its first event, its SMS job, the dispatch
    catalogue's decision and whatever `also` writes with it (the inbox item it was made from). An auto rule
    then dispatches it in a second transaction (through handling.act)."""
    if new.submission_key:
        existing = session.scalar(select(Case).where(Case.submission_key == new.submission_key))
        if existing is not None:
            return existing
    check_references(session, new.category_id, new.area_id)
    try:
        case = _create(session, new, ctx, actor)
        dispatch_fields = routing.decide_in_registration(session, case, ctx.now) if new.route else None
        if also is not None:
            also(session, case)
        session.commit()
    except IntegrityError:
        session.rollback()
        # The same form submitted twice at once: the other request won; show its case.
        existing = new.submission_key and session.scalar(select(Case).where(Case.submission_key == new.submission_key))
        if existing:
            return existing
        raise
    if dispatch_fields:
        routing.dispatch_automatically(session, case.number, dispatch_fields, ctx)
    return session.scalar(select(Case).where(Case.number == case.number))


def _create(session: Session, new: NewCase, ctx: Context, actor: User | None) -> Case:
    local_day = ctx.now.astimezone(ZoneInfo(ctx.timezone)).date()
    case = Case(
        number=next_number(session, new.track, local_day),
        track=new.track, kind=new.kind, channel=new.channel, urgency=new.urgency,
        state=State.REGISTERED, category_id=new.category_id, area_id=new.area_id,
        location_text=new.location_text, latitude=new.latitude, longitude=new.longitude, description=new.description,
        person=_person(session, new, ctx.locale), confidential=new.confidential,
        received_at=ctx.now, created_by_id=actor.id if actor else None,
        submission_key=new.submission_key, anonymous=new.anonymous, publish_consent=new.publish_consent,
    )
    session.add(case)
    audit.record_event(  # before the INSERT, so the case is written once, with its history's head
        session, case, action=Action.REGISTER, at=ctx.now, to_state=State.REGISTERED,
        actor=actor, actor_label="citizen",
        data={"channel": str(new.channel), **({"files": list(new.files)} if new.files else {}),
              **(dict(new.event_data) if new.event_data else {})},
    )
    session.flush()
    if new.acknowledge:
        notify.queue_acknowledgement(session, case)
    return case


def _person(session: Session, new: NewCase, locale: str) -> Person | None:
    if new.anonymous or (not new.phone and not new.name):
        return None
    person = None
    if new.phone:
        # One caller, one person: the same number and name is the same person coming back.
        person = session.scalar(
            select(Person).where(Person.phone == new.phone, Person.name == new.name).order_by(Person.id).limit(1)
        )
    if person is None:
        person = Person(name=new.name, phone=new.phone)
        session.add(person)
    person.locale = locale
    if new.confidential:
        person.confidential = True
    return person


def check_references(session: Session, category_id: int | None, area_id: int | None) -> None:
    if category_id is not None:
        category = session.get(Category, category_id)
        if category is None or not category.active or category.level != 2:
            raise UnknownReference("category")
    if area_id is not None:
        area = session.get(Area, area_id)
        if area is None or not area.active:
            raise UnknownReference("area")
