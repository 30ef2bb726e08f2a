"""Registering petitions and driving them through handling.act at chosen moments."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from hotline.domain.kinds import Channel, Kind
from hotline.domain.petition_intake import PetitionerIn
from hotline.extensions import db
from hotline.models import Case, User
from hotline.services import petitions, sla
from tests.integration.lifecycle_helpers import TZ

ID_NUMBER = "11010519491231002X"  # a valid check digit (GB 11643)


def petitioner(name="李建国", phone="+8613900001111", id_number=ID_NUMBER, **extra) -> PetitionerIn:
    return PetitionerIn(name=name, id_number=id_number, phone=phone, address="江川市东湖区解放路1号", **extra)


def new_petition(app, at: datetime, kind: Kind = Kind.GRIEVANCE, people=None, username: str = "operator",
                 **overrides) -> str:
    """A petition registered by `username` at `at`; returns its number."""
    with app.test_request_context():
        fields = dict(kind=kind, channel=Channel.LETTER, request="要求补发拆迁安置补偿款",
                      facts="2025年旧城改造中房屋被征收，约定的安置补偿款至今未足额发放。",
                      reasons="依据征收补偿协议第五条，应于交房后三个月内付清。",
                      petitioners=tuple(people or (petitioner(),)))
        fields.update(overrides)
        user = db.session.scalar(select(User).where(User.username == username))
        ctx = petitions.Context(now=at, timezone=TZ, book=sla.book(db.session, TZ))
        return petitions.register(db.session, petitions.NewPetition(**fields), ctx, user).number


def petition_of(app, number: str):
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        db.session.expunge_all()
        return case


def concluded_after_re_review(app) -> str:
    """A grievance of 李建国 (petition_helpers.petitioner) taken through 复核 to its final decision (Art. 36)."""
    from tests.integration.lifecycle_helpers import dept, local, step

    number = new_petition(app, local(2026, 3, 2, 9))
    step(app, number, "dispatcher", "forward", local(2026, 3, 2, 10), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, number, "dh-gov-staff", "accept", local(2026, 3, 3, 9), decision="accept")
    step(app, number, "dh-gov-staff", "decide", local(2026, 3, 20, 9), outcome="reject", facts="f", basis="b",
         text="不予支持")
    step(app, number, "operator", "request-review", local(2026, 4, 1, 9), organ_id=dept(app, "cgw"), note="复查")
    step(app, number, "cgw-staff", "decide-review", local(2026, 4, 20, 9), outcome="uphold", facts="f", basis="b",
         text="维持")
    step(app, number, "operator", "request-re-review", local(2026, 5, 6, 9), organ_id=dept(app, "zjw"), note="复核")
    step(app, number, "zjw-staff", "decide-re-review", local(2026, 5, 25, 9), outcome="uphold", facts="f",
         basis="b", text="维持")
    return number
