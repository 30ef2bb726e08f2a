"""Driving cases through handling.act at chosen moments, and reading back what a user would see."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from hotline.domain.kinds import Channel, Kind, Track, Urgency
from hotline.extensions import db
from hotline.models import Assignment, Case, CaseEvent, Department, OutboxJob, SmsMessage, User
from hotline.services import handling, intake
from tests.helpers import some_category_and_area

TZ = "Asia/Shanghai"
SHANGHAI = ZoneInfo(TZ)
PHONE = "+8613812345678"


def local(y, m, d, hh=0, mm=0, ss=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=SHANGHAI)


def end_of(y, m, d) -> datetime:
    return local(y, m, d, 23, 59, 59).astimezone(UTC)


def new_case(app, at: datetime | None = None, urgency: Urgency = Urgency.GENERAL, phone: str | None = PHONE) -> str:
    category_id, area_id = some_category_and_area(app)
    at = at or datetime.now(UTC)
    with app.test_request_context():
        new = intake.NewCase(track=Track.HOTLINE, kind=Kind.COMPLAINT, channel=Channel.PHONE, urgency=urgency,
                             description="夜间施工噪音扰民", category_id=category_id, area_id=area_id,
                             phone=phone, name="王小明")
        ctx = intake.Context(now=at, timezone=TZ, locale="zh")
        return intake.register(db.session, new, ctx).number


def step(app, number: str, username: str, action: str, at: datetime | None = None,
         expected_version: int | None = None, **fields) -> str:
    """One action through the one service that changes cases; returns the new state."""
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == username))
        ctx = handling.Context(now=at or datetime.now(UTC), timezone=TZ)
        case = handling.act(db.session, number, action, user, fields, ctx, expected_version)
        return case.state


def dept(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Department.id).where(Department.code == code))


def display_name(app, username: str) -> str:
    with app.app_context():
        return db.session.scalar(select(User.display_name).where(User.username == username))


@dataclass
class Seen:
    state: str
    version: int
    events: list[tuple]  # (actor_label, action, from_state, to_state)
    event_rows: list[dict]
    assignments: list[dict]  # active ones: department code, lead, status
    case: dict
    sms: list[str]  # purposes, oldest first
    jobs: int


def look(app, number: str) -> Seen:
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                    .order_by(CaseEvent.seq)).all()
        assignments = db.session.execute(
            select(Department.code, Assignment.lead, Assignment.status, Assignment.reply_due_at,
                   Assignment.signed_by_id, Assignment.replied_by_id, Assignment.dispatch_round)
            .join(Department, Department.id == Assignment.department_id)
            .where(Assignment.case_id == case.id, Assignment.active).order_by(Assignment.id)).mappings().all()
        sms = db.session.scalars(select(SmsMessage.purpose).where(SmsMessage.case_id == case.id)
                                 .order_by(SmsMessage.id)).all()
        columns = {c.key: getattr(case, c.key) for c in Case.__mapper__.column_attrs}
        return Seen(
            state=case.state, version=case.version,
            events=[(e.actor_label, e.action, e.from_state, e.to_state) for e in events],
            event_rows=[{"seq": e.seq, "department_id": e.department_id, "note": e.note, "data": e.data,
                         "at": e.at, "actor_id": e.actor_id} for e in events],
            assignments=[dict(a) for a in assignments], case=columns, sms=list(sms),
            jobs=db.session.scalar(select(func.count()).select_from(OutboxJob)),
        )
