"""A month of cases for the case-list benchmark, written with bulk inserts (not through intake)."""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select

from bench.intake import PLACES, WORDS
from hotline import models
from hotline.domain.case_number import format_number
from hotline.domain.kinds import KINDS_BY_TRACK, Channel, Track, Urgency
from hotline.domain.lifecycle import State
from hotline.extensions import db
from hotline.models import Area, Assignment, Case, Category, Department, Person

DAYS = 30
CHUNK = 2000
TZ = ZoneInfo("Asia/Shanghai")


@dataclass
class Month:
    persons: list[dict]  # Person rows, without ids
    cases: list[dict]  # Case rows; "person" is an index into persons (or None), replaced by person_id on insert


def generate(rng: random.Random, count: int, now: datetime) -> Month:
    """`count` cases over the last DAYS days, across departments; six callers for every ten cases."""
    categories = db.session.scalars(select(Category.id).where(Category.level == 2).order_by(Category.id)).all()
    areas = db.session.scalars(select(Area.id).where(Area.level == 2).order_by(Area.id)).all()
    departments = db.session.scalars(
        select(Department.id).where(Department.code != "centre").order_by(Department.id)).all()
    phones = rng.sample(range(10**8), count * 6 // 10)
    persons = [{"name": rng.choice("王李张刘陈杨赵黄周吴") + "女士", "phone": f"+86137{p:08d}", "address": "",
                "confidential": False, "created_at": now} for p in phones]
    moments = sorted(now - timedelta(seconds=rng.uniform(0, DAYS * 86400)) for _ in range(count))
    sequence: Counter = Counter()
    cases = []
    for at in moments:
        track = Track.PETITION if rng.random() < 0.1 else Track.HOTLINE
        day = at.astimezone(TZ).date()
        sequence[track, day] += 1
        state = rng.choice(list(State))
        lead = None if state == State.REGISTERED else rng.choice(departments)
        cases.append({
            "number": format_number(track, day, sequence[track, day]), "track": track,
            "kind": rng.choice(KINDS_BY_TRACK[track]), "channel": rng.choice((Channel.WEB, Channel.PHONE)),
            "urgency": Urgency.GENERAL, "state": state, "category_id": rng.choice(categories),
            "area_id": rng.choice(areas), "location_text": rng.choice(PLACES),
            "description": rng.choice(WORDS) * 3, "confidential": rng.random() < 0.05,
            "person": rng.randrange(len(persons)) if rng.random() < 0.9 else None, "received_at": at,
            "lead_department_id": lead, "version": 1, "created_at": at, "updated_at": at,
            "sign_due_at": None if lead is None else at + timedelta(days=1),
            "reply_due_at": None if lead is None else at + timedelta(days=7),
            "reply_reviewed": state == State.REPLIED and rng.random() < 0.5,
        })
    return Month(persons, cases)


def split(rng: random.Random, month: Month, small: int) -> tuple[list[dict], list[dict]]:
    """A random `small` of the cases (the same month, thinner) and the rest."""
    chosen = set(rng.sample(range(len(month.cases)), small))
    first = [c for i, c in enumerate(month.cases) if i in chosen]
    rest = [c for i, c in enumerate(month.cases) if i not in chosen]
    return first, rest


def load(month: Month, cases: list[dict], person_ids: dict[int, int]) -> None:
    """Insert `cases` and the callers they need that are not in yet (person_ids grows)."""
    needed = sorted({c["person"] for c in cases if c["person"] is not None} - person_ids.keys())
    for start in range(0, len(needed), CHUNK):
        part = needed[start:start + CHUNK]
        ids = db.session.scalars(insert(Person).returning(Person.id, sort_by_parameter_order=True),
                                 [month.persons[i] for i in part]).all()
        person_ids.update(zip(part, ids, strict=True))
    rows = [{**{k: v for k, v in c.items() if k != "person"},
             "person_id": None if c["person"] is None else person_ids[c["person"]]} for c in cases]
    for start in range(0, len(rows), CHUNK):
        part = rows[start:start + CHUNK]
        ids = db.session.scalars(insert(Case).returning(Case.id, sort_by_parameter_order=True), part).all()
        assignments = [_assignment(case_id, row) for case_id, row in zip(ids, part, strict=True)
                       if row["lead_department_id"] is not None]
        if assignments:
            db.session.execute(insert(Assignment), assignments)
    db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(db.text("ANALYZE"))  # what autovacuum would have done by the time anyone searches
        db.session.commit()


ASSIGNMENT_STATUS = {State.DISPATCHED: "pending", State.IN_PROGRESS: "signed", State.REPLIED: "replied",
                     State.CLOSED: "replied", State.MERGED: "signed", State.TERMINATED: "signed",
                     State.RETURNED: "pending"}


def _assignment(case_id: int, case: dict) -> dict:
    """The lead department's assignment, in the status the case's state implies (returned: inactive)."""
    return {"case_id": case_id, "department_id": case["lead_department_id"], "lead": True,
            "status": ASSIGNMENT_STATUS[case["state"]], "active": case["state"] != State.RETURNED,
            "dispatch_round": 1, "dispatched_at": case["received_at"], "sign_due_at": case["sign_due_at"],
            "reply_due_at": case["reply_due_at"], "reply_text": ""}


def clear() -> None:
    """Remove every case and what hangs off it (as the tests' clean slate does)."""
    for name in ("Notification", "Deadline", "Attachment", "AccessLog", "SmsMessage", "OutboxJob", "CaseEvent",
                 "Assignment", "RoutingDecision", "Case", "Person", "CaseNumberCounter"):
        db.session.execute(delete(getattr(models, name)))
    db.session.commit()
