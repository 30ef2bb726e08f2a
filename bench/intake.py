"""Benchmark 1: intake.register (one transaction, six writes, then routing by the demo catalogue) against a
bare insert of one Case row."""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from bench.timing import Series, run
from hotline.clock import now
from hotline.domain.case_number import format_number
from hotline.domain.kinds import Channel, Kind, Track
from hotline.domain.lifecycle import State
from hotline.extensions import db
from hotline.models import (
    Area,
    Assignment,
    Case,
    CaseEvent,
    CaseNumberCounter,
    Category,
    Deadline,
    OutboxJob,
    Person,
    RoutingDecision,
    SmsMessage,
)
from hotline.services import intake

N = 500
WARMUP = 25
SURNAMES = "王李张刘陈杨赵黄周吴"
PLACES = ("西湖路 88 号工地", "滨江花园 3 栋", "人民路与解放路口", "东湖农贸市场", "学府小区南门")
WORDS = ("夜里十一点以后还在施工，噪音很大，影响休息。", "路灯不亮已经一周，晚上出行不安全。",
         "小区供暖温度不达标，室内只有十五度。", "商家占道经营，人行道无法通行。")


@dataclass(frozen=True)
class IntakeResult:
    intake: Series
    baseline: Series
    rows: dict[str, int]  # rows written by the measured intake calls, per table


def inputs(rng: random.Random, count: int) -> list[intake.NewCase]:
    """What citizens file: valid categories and streets, mobile numbers, about one caller in ten coming back."""
    categories = db.session.scalars(
        select(Category.id).where(Category.level == 2, Category.active).order_by(Category.id)).all()
    areas = db.session.scalars(select(Area.id).where(Area.level == 2, Area.active).order_by(Area.id)).all()
    regulars = [f"+86139{rng.randrange(10**8):08d}" for _ in range(20)]
    made = []
    for _ in range(count):
        phone = rng.choice(regulars) if rng.random() < 0.1 else f"+86138{rng.randrange(10**8):08d}"
        made.append(intake.NewCase(
            track=Track.HOTLINE, kind=Kind.COMPLAINT, channel=Channel.WEB,
            description=rng.choice(WORDS) * 3, category_id=rng.choice(categories), area_id=rng.choice(areas),
            location_text=rng.choice(PLACES), name=rng.choice(SURNAMES) + "先生", phone=phone,
            confidential=rng.random() < 0.05, submission_key=uuid.UUID(int=rng.getrandbits(128)).hex,
        ))
    return made


def bench(seed: int = 12345) -> IntakeResult:
    rng = random.Random(seed)  # noqa: S311  (repeatable made-up data, not secrets)
    ctx = intake.Context(now=now(), timezone="Asia/Shanghai", locale="zh")
    end_request = db.session.remove  # each web request has a session of its own
    warm, measured = inputs(rng, WARMUP), inputs(rng, N)
    bare_warm, bare = inputs(rng, WARMUP), inputs(rng, N)

    run([_bare_call(new, i) for i, new in enumerate(bare_warm)], end_request)
    baseline = run([_bare_call(new, WARMUP + i) for i, new in enumerate(bare)], end_request)

    run([_intake_call(new, ctx) for new in warm], end_request)
    before = _counts()
    series = run([_intake_call(new, ctx) for new in measured], end_request)
    after = _counts()
    rows = {name: after[name] - before[name] for name in after}
    return IntakeResult(series, baseline, rows)


def _intake_call(new: intake.NewCase, ctx: intake.Context):
    return lambda: intake.register(db.session, new, ctx)


def _bare_call(new: intake.NewCase, i: int):
    """The same fields in one Case row and a commit; the number is made in Python (a day intake never uses)."""
    def call():
        db.session.add(Case(
            number=format_number(Track.HOTLINE, date(2000, 1, 1), i + 1), track=new.track, kind=new.kind,
            channel=new.channel, urgency=new.urgency, state=State.REGISTERED, category_id=new.category_id,
            area_id=new.area_id, location_text=new.location_text, description=new.description,
            confidential=new.confidential, received_at=now(), submission_key=new.submission_key,
        ))
        db.session.commit()
    return call


def _counts() -> dict[str, int]:
    tables = {"case": Case, "person": Person, "case_event": CaseEvent, "sms_message": SmsMessage,
              "outbox_job": OutboxJob, "case_number_counter": CaseNumberCounter,
              "routing_decision": RoutingDecision, "assignment": Assignment, "deadline": Deadline}
    counts = {name: db.session.scalar(select(func.count()).select_from(model)) for name, model in tables.items()}
    db.session.remove()
    return counts
