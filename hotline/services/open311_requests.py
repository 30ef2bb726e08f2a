"""GET requests: our 12345 work orders as GeoReport service requests, with no personal data.

Never shown: the person's name, phone, e-mail, device and account ids, nor the location as typed (it may be a
home address). The texts — the description and the department's answer as `status_notes` — only for a request
filed through Open311 (its client was told requests are public: docs/open311.md, the discovery document) or one
whose question and answer were published after moderation, always redacted again; never for a confidential
case or a report or accusation, whose reporter the reported may not learn (hotline/domain/access.py)."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from hotline.clock import now
from hotline.domain import open311 as spec
from hotline.domain.access import IDENTITY_PROTECTED_KINDS
from hotline.domain.kinds import Channel, Track
from hotline.domain.lifecycle import OPEN_STATES, Action
from hotline.domain.redact import redact
from hotline.models import Area, Case, CaseEvent, Category, Publication, PublicText


@dataclass(frozen=True)
class Query:
    ids: tuple[str, ...] = ()  # service_request_id: when given, every other filter is ignored
    codes: tuple[str, ...] = ()
    window: spec.Window | None = None
    statuses: tuple[str, ...] = ()


def _loaded():
    return (joinedload(Case.category).joinedload(Category.parent), joinedload(Case.area).joinedload(Area.parent),
            joinedload(Case.lead_department), joinedload(Case.person))


def find(session: Session, query: Query) -> list[Case]:
    """Newest first, at most MAX_RECORDS; work orders only (a petition is never an Open311 request)."""
    where = [Case.track == str(Track.HOTLINE)]
    if query.ids:
        where.append(Case.number.in_(query.ids[:spec.MAX_RECORDS]))
    else:
        if query.window is not None:
            where += [Case.received_at >= query.window.start, Case.received_at <= query.window.end]
        if query.codes:  # the ids first: as a join, the planner reads the whole window by date (docs/benchmarks.md §10)
            ids = list(session.scalars(select(Category.id).where(Category.code.in_(query.codes))))
            where.append(Case.category_id.in_(ids))
        if set(query.statuses) == {"open"}:
            where.append(Case.state.in_([str(s) for s in OPEN_STATES]))
        elif set(query.statuses) == {"closed"}:
            where.append(Case.state.not_in([str(s) for s in OPEN_STATES]))
    return list(session.scalars(select(Case).where(*where).options(*_loaded())
                                .order_by(Case.received_at.desc(), Case.id.desc()).limit(spec.MAX_RECORDS)).unique())


def one(session: Session, number: str) -> Case | None:
    return session.scalar(select(Case).where(Case.number == number, Case.track == str(Track.HOTLINE))
                          .options(*_loaded()))


def by_token(session: Session, token: str) -> Case | None:
    if not spec.valid_token(token):
        return None
    return session.scalar(select(Case).where(Case.submission_key == spec.SUBMISSION_PREFIX + token,
                                             Case.track == str(Track.HOTLINE)))


def records(session: Session, cases: Sequence[Case], *, en: bool, timezone: str) -> list[dict]:
    """Each case as the spec's request fields, in the spec's order. Three queries for the whole page."""
    if not cases:
        return []
    ids = [c.id for c in cases]
    published = {p.case_id: p for p in session.scalars(
        select(Publication).where(Publication.case_id.in_(ids), Publication.status == "published"))}
    last_change = dict(session.execute(
        select(CaseEvent.case_id, func.max(CaseEvent.at)).where(CaseEvent.case_id.in_(ids))
        .group_by(CaseEvent.case_id)).all())
    filed = dict(session.execute(
        select(CaseEvent.case_id, CaseEvent.data).where(CaseEvent.case_id.in_(ids), CaseEvent.seq == 1,
                                                        CaseEvent.action == str(Action.REGISTER))).all())
    shown, made = _kept_texts(session, cases, published)
    built = [_record(c, shown.get(c.id, (None, None)), last_change.get(c.id),
                     (filed.get(c.id) or {}).get("open311") or {}, en=en, timezone=timezone) for c in cases]
    if made:
        _keep(session)  # after the records: a commit expires what they are read from
    return built


def _named(thing, en: bool) -> str:
    if thing is None:
        return ""
    return thing.name_en if en and getattr(thing, "name_en", "") else thing.name


def _source(case: Case, publication: Publication | None) -> tuple | None:
    """What the shown texts are made from: (question, answer, names, addresses), or None when none is shown."""
    if case.confidential or case.kind in IDENTITY_PROTECTED_KINDS:
        return None
    if case.channel == str(Channel.OPEN311):
        question, answer = case.description, case.reply_text
    elif publication is not None:
        question, answer = publication.question, publication.answer
    else:
        return None
    names = (case.person.name,) if case.person and case.person.name else ()
    addresses = (case.location_text,) if case.location_text else ()
    return question or "", answer or "", names, addresses


def _redacted(source: tuple) -> tuple[str | None, str | None]:
    question, answer, names, addresses = source
    return (redact(question, names, addresses).text or None) if question else None, \
        (redact(answer, names, addresses).text or None) if answer else None


def _kept_texts(session: Session, cases: Sequence[Case], published: dict) -> tuple[dict[int, tuple], bool]:
    """Each case's shown texts, redacted once and kept (PublicText) until what they are made from changes.
    New or remade rows are added to the session (and said so); the caller commits once the records are built."""
    sources = {c.id: _source(c, published.get(c.id)) for c in cases}
    wanted = {case_id: source for case_id, source in sources.items() if source}
    kept = {row.case_id: row for row in session.scalars(select(PublicText).where(PublicText.case_id.in_(wanted)))} \
        if wanted else {}
    shown: dict[int, tuple] = {}
    made = False
    for case_id, source in wanted.items():
        digest = hashlib.sha256(json.dumps(source, ensure_ascii=False).encode()).hexdigest()
        row = kept.get(case_id)
        if row is None:
            row = PublicText(case_id=case_id)
            session.add(row)
        if row.source_hash != digest:
            row.description, row.status_notes = _redacted(source)
            row.source_hash, row.made_at = digest, now()
            made = True
        shown[case_id] = (row.description, row.status_notes)
    return shown, made


def _keep(session: Session) -> None:
    """Two readers may redact the same new request at once: the second's copy is not needed."""
    try:
        session.commit()
    except IntegrityError:
        session.rollback()


def _address(case: Case, filed: dict, en: bool) -> str | None:
    """Most specific first, as the spec asks: the named place (a gazetteer entry the request gave), street,
    district. Never the location as typed."""
    area = case.area
    parts = [filed.get("place", "")] if filed.get("place") else []
    if area is not None:
        parts.append(_named(area, en))
        if area.parent is not None:
            parts.append(_named(area.parent, en))
    text = ", ".join(parts) if en else "".join(reversed(parts))
    return text or None


def _record(case: Case, shown: tuple, changed, filed: dict, *, en: bool, timezone: str) -> dict:
    status = spec.status_of(case.state)
    description, notes = shown
    updated = case.closed_at if status == "closed" and case.closed_at else (changed or case.received_at)
    values = {
        "service_request_id": case.number,
        "status": status,
        "status_notes": notes,
        "service_name": _named(case.category, en) or None,
        "service_code": case.category.code if case.category else None,
        "description": description,
        "agency_responsible": _named(case.lead_department, en) or None,
        "service_notice": None,
        "requested_datetime": spec.w3(case.received_at, timezone),
        "updated_datetime": spec.w3(updated, timezone),
        "expected_datetime": spec.w3(case.reply_due_at, timezone),
        "address": _address(case, filed, en),
        "address_id": filed.get("address_id") or None,
        "zipcode": None,
        "lat": spec.rounded(case.latitude),
        "long": spec.rounded(case.longitude),
        "media_url": None,
    }
    return {name: values[name] for name in spec.REQUEST_FIELDS}
