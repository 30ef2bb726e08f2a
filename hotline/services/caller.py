"""Who is calling: what the centre already knows of a number, shown to the operator the moment it is entered,
and beside every text and voice message. Seeing it is seeing personal data, so each look is written down."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select, true
from sqlalchemy.orm import Session, joinedload

from hotline.domain.lifecycle import OPEN_STATES
from hotline.domain.privacy import mask_phone
from hotline.models import BlockedNumber, Case, Person, Recusal, SmsThread, User, Voicemail
from hotline.services import audit

RECENT = timedelta(days=180)  # closed cases older than this are history the operator rarely needs during a call
LIMIT = 20


@dataclass
class CallerHistory:
    phone: str
    open_cases: list[Case] = field(default_factory=list)
    recent_cases: list[Case] = field(default_factory=list)  # closed, merged or terminated within RECENT
    total_cases: int = 0
    names: list[str] = field(default_factory=list)  # the names given with this number, most recent first
    ratings: dict[str, int] = field(default_factory=dict)  # satisfaction → how many of this number's cases
    confidential: bool = False  # has asked, on some case, that their identity be kept confidential
    blocked: BlockedNumber | None = None
    thread: SmsThread | None = None
    voicemails: list[Voicemail] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return bool(self.total_cases or self.thread or self.voicemails)


def history(session: Session, phone: str, now: datetime, user: User | None, ip: str = "") -> CallerHistory:
    """Everything known of `phone` (E.164), but the cases `user` is recused from (信访工作条例 Art. 28), and the names
    known only from them. The look is logged as a view of personal data."""
    found = CallerHistory(phone=phone)
    kept = Case.id.not_in(select(Recusal.case_id).where(Recusal.user_id == user.id)) if user is not None else true()
    cased = exists().where(Case.person_id == Person.id)
    people = session.scalars(select(Person).where(Person.phone == phone, or_(~cased, cased.where(kept)))
                             .order_by(Person.id.desc())).all()
    person_ids = [p.id for p in people]
    found.names = list(dict.fromkeys(p.name for p in people if p.name))
    found.confidential = any(p.confidential for p in people)
    if person_ids:
        mine = and_(Case.person_id.in_(person_ids), kept)
        base = select(Case).where(mine).options(
            joinedload(Case.category), joinedload(Case.lead_department), joinedload(Case.area))
        found.open_cases = list(session.scalars(
            base.where(Case.state.in_(list(OPEN_STATES))).order_by(Case.received_at.desc()).limit(LIMIT)))
        found.recent_cases = list(session.scalars(
            base.where(Case.state.not_in(list(OPEN_STATES)), Case.received_at >= now - RECENT)
            .order_by(Case.received_at.desc()).limit(LIMIT)))
        found.total_cases = session.scalar(select(func.count()).select_from(Case).where(mine)) or 0
        found.ratings = dict(session.execute(
            select(Case.callback_satisfaction, func.count()).where(mine, Case.callback_satisfaction.is_not(None))
            .group_by(Case.callback_satisfaction)).all())
        found.confidential = found.confidential or bool(session.scalar(
            select(func.count()).select_from(Case).where(mine, Case.confidential)))
    found.blocked = session.scalar(select(BlockedNumber).where(BlockedNumber.phone == phone,
                                                               BlockedNumber.lifted_at.is_(None)))
    found.thread = session.scalar(select(SmsThread).where(SmsThread.phone == phone))
    found.voicemails = list(session.scalars(select(Voicemail).where(Voicemail.from_phone == phone)
                                            .order_by(Voicemail.received_at.desc()).limit(5)))
    audit.log_access(session, user, "view_caller_history", at=now, detail=mask_phone(phone), ip=ip)
    return found


def cases_of_number(session: Session, phone: str):
    """The cases registered with this number (as the person's phone): what an SMS command may speak of."""
    return select(Case).join(Person, Case.person_id == Person.id).where(Person.phone == phone)
