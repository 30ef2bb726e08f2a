"""Likely duplicates of the call an operator is taking (hotline.domain.duplicates decides; this finds the
candidates). Three bounded queries, each on an index: the caller's open cases (person.phone → case.person_id),
the open cases of the same category and area (case.category_id, then the area on those rows), and the newest
open cases of that category — or of that area, or of the whole city when neither is known yet — for words."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from hotline.domain import duplicates as rules
from hotline.domain.lifecycle import OPEN_STATES
from hotline.models import Case, Person, Recusal, User

PER_QUERY = 20  # the caller's cases, and the cases of one place and subject: more than an operator reads
TEXT_CANDIDATES = 300  # the newest open cases compared word by word


@dataclass(frozen=True)
class Duplicate:
    case: Case
    reasons: tuple[str, ...]
    similarity: float


_COLUMNS = (Case.id, Case.received_at, Person.phone, Case.category_id, Case.area_id, Case.description,
            Case.location_text)


def find(session: Session, call: rules.Call, now: datetime, exclude: int | None = None,
         viewer: User | None = None) -> list[Duplicate]:
    """The likely duplicates `viewer` may be shown: never a case they are recused from (信访工作条例 Art. 28)."""
    if not (call.phone or (call.category_id and call.area_id) or call.text.strip()):
        return []
    since = now - rules.WINDOW
    base = (select(*_COLUMNS).outerjoin(Person, Case.person_id == Person.id)
            .where(Case.state.in_(list(OPEN_STATES)), Case.received_at >= since))
    if exclude:
        base = base.where(Case.id != exclude)
    if viewer is not None:
        base = base.where(Case.id.not_in(select(Recusal.case_id).where(Recusal.user_id == viewer.id)))
    queries = []
    if call.phone:
        queries.append(base.where(Person.phone == call.phone).order_by(Case.received_at.desc()).limit(PER_QUERY))
    if call.category_id and call.area_id:
        queries.append(base.where(Case.category_id == call.category_id, Case.area_id == call.area_id)
                       .order_by(Case.received_at.desc()).limit(PER_QUERY))
    if call.text.strip():
        near = base
        if call.category_id:
            near = near.where(Case.category_id == call.category_id)
        elif call.area_id:
            near = near.where(Case.area_id == call.area_id)
        queries.append(near.order_by(Case.received_at.desc()).limit(TEXT_CANDIDATES))
    candidates = []
    for query in queries:
        for row in session.execute(query):
            candidates.append(rules.Candidate(
                case_id=row.id, received_at=row.received_at, phone=row.phone, category_id=row.category_id,
                area_id=row.area_id, text=f"{row.description} {row.location_text or ''}"))
    matches = rules.find(call, candidates, now)
    if not matches:
        return []
    loaded = {c.id: c for c in session.scalars(
        select(Case).where(Case.id.in_([m.case_id for m in matches]))
        .options(joinedload(Case.category), joinedload(Case.area), joinedload(Case.lead_department)))}
    return [Duplicate(loaded[m.case_id], m.reasons, m.similarity) for m in matches if m.case_id in loaded]
