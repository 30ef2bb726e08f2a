"""Published questions and answers (政务公开): a closed case whose person agreed to publication becomes a
question and the official answer, with every personal detail removed, once a supervisor has read, edited and
published it. The public list reads Publication rows alone, never the case.

Reports of wrongdoing (举报) and petitions are never offered: the reported must not learn of a report (信访工作
条例 Art. 30), and petitions have rules of their own. Every decision, and every look at the case's own words
(which may hold personal data), is written to the access log."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from hotline.domain import knowledge as kb
from hotline.domain import redact
from hotline.domain.errors import Conflict, InvalidFields, NotFound
from hotline.domain.kinds import Kind, Track
from hotline.domain.lifecycle import State
from hotline.models import Case, Category, Department, Publication, User
from hotline.services import audit

NEVER = (Kind.REPORT, Kind.ACCUSATION)
STATUSES = ("awaiting", "published", "declined")
CANDIDATES = 300  # a search ranks at most this many of the newest matches


def _offered():
    """Cases a moderator is offered: closed hotline cases with consent and an answer."""
    return and_(Case.state == State.CLOSED, Case.publish_consent.is_(True), Case.track == Track.HOTLINE,
                Case.kind.not_in(NEVER), Case.reply_text != "")


def _status(status: str):
    if status == "awaiting":
        return and_(_offered(), or_(Publication.id.is_(None), Publication.status == "pending"))
    return and_(Publication.id.is_not(None), Publication.status == status)


@dataclass(frozen=True)
class Queue:
    rows: list[tuple[Case, Publication | None]]
    page: int
    has_next: bool


def queue(session: Session, status: str, page: int = 1, per_page: int = 30) -> Queue:
    """The moderators' list: awaiting (oldest closed first, so none waits forever), published or declined
    (latest decision first)."""
    query = select(Case, Publication).outerjoin(Publication, Publication.case_id == Case.id).where(_status(status))
    query = query.options(joinedload(Case.category).joinedload(Category.parent), joinedload(Case.lead_department))
    order = (Case.closed_at, Case.id) if status == "awaiting" else (Publication.moderated_at.desc(), Case.id.desc())
    rows = session.execute(query.order_by(*order).offset((page - 1) * per_page).limit(per_page + 1)).all()
    return Queue([(c, p) for c, p in rows[:per_page]], page, len(rows) > per_page)


def counts(session: Session) -> dict[str, int]:
    base = select(func.count(Case.id)).select_from(Case).outerjoin(Publication, Publication.case_id == Case.id)
    return {status: session.scalar(base.where(_status(status))) or 0 for status in STATUSES}


def candidate(session: Session, number: str) -> tuple[Case, Publication | None]:
    """The case and its publication, if it may be published at all; NotFound otherwise."""
    row = session.execute(select(Case, Publication).outerjoin(Publication, Publication.case_id == Case.id)
                          .where(Case.number == (number or "").strip().upper(), _offered())).first()
    if row is None:
        raise NotFound("case")
    return row[0], row[1]


def personal(case: Case) -> tuple[list[str], list[str]]:
    """The names and addresses the case holds: what redaction looks for in its texts."""
    person = case.person
    if person is None:
        return [], []
    return [person.name], [person.address]


@dataclass(frozen=True)
class Draft:
    title: str
    question: str
    answer: str
    removed: dict[str, int]


def draft(case: Case) -> Draft:
    """What the moderator starts from: the description and the reply with every personal detail found removed."""
    names, addresses = personal(case)
    question = redact.redact(case.description, names, addresses)
    answer = redact.redact(case.reply_text, names, addresses)
    removed = {k: question.removed.get(k, 0) + answer.removed.get(k, 0)
               for k in {*question.removed, *answer.removed}}
    subject = case.category.name if case.category else ""
    return Draft(redact.title_from(question.text, subject), question.text, answer.text, removed)


def look(session: Session, user: User, case: Case, at: datetime, ip: str = "") -> None:
    """The moderator reads the case's own words, which may hold personal data: written to the access log."""
    audit.log_access(session, user, "view_personal_data", at=at, case=case, detail="publication", ip=ip)
    session.commit()


def decide(session: Session, user: User, number: str, decision: str, fields: dict, at: datetime,
           expected_version: int, ip: str = "") -> Publication:
    """publish, save (a draft, still awaiting) or decline; withdraw takes a published one down again.
    InvalidFields names each field that may not be published as it is; Conflict when another moderator
    decided meanwhile (expected_version: the publication's version the form was drawn from, 0 for none)."""
    if decision not in ("publish", "save", "decline", "withdraw"):
        raise InvalidFields("fields", {"decision": "invalid_choice"})
    case, publication = candidate(session, number)
    version = publication.version if publication else 0
    if version != expected_version or (decision == "withdraw" and (not publication
                                                                   or publication.status != "published")):
        raise Conflict("stale", {"status": publication.status if publication else "awaiting"})
    title, question, answer = ((fields.get(k) or "").strip() for k in ("title", "question", "answer"))
    if decision == "publish":
        names, addresses = personal(case)
        problems = redact.check_publication(title, question, answer, names, addresses)
        if problems:
            raise InvalidFields("fields", problems)
    elif decision == "save":
        problems = {k: "too_long" for k, v, limit in (("title", title, redact.TITLE_MAX),
                                                      ("question", question, redact.TEXT_MAX),
                                                      ("answer", answer, redact.TEXT_MAX)) if len(v) > limit}
        if problems:
            raise InvalidFields("fields", problems)
    if publication is None:
        publication = Publication(case_id=case.id, title="", question="", answer="", search_text="")
        session.add(publication)
    if decision in ("publish", "save"):
        publication.title, publication.question, publication.answer = title, question, answer
        publication.category_id, publication.department_id = case.category_id, case.lead_department_id
        publication.search_text = _searchable(session, publication)
    publication.status = {"publish": "published", "save": "pending", "decline": "declined",
                          "withdraw": "declined"}[decision]
    publication.moderated_by_id, publication.moderated_at = user.id, at
    if decision == "publish":
        publication.published_at = at
    elif decision in ("decline", "withdraw"):
        publication.published_at = None
    audit.log_access(session, user, f"publication_{decision}", at=at, case=case, ip=ip,
                     detail=publication.title[:200])
    try:
        session.commit()
    except (IntegrityError, StaleDataError):  # another moderator created or changed it between our read and write
        session.rollback()
        raise Conflict("stale", {}) from None
    return publication


def _searchable(session: Session, publication: Publication) -> str:
    """The title, then the subject and department names in both languages (what a reader may search by), then
    the question and the answer — stored normalised, as the knowledge base stores its articles."""
    words = []
    category = session.get(Category, publication.category_id) if publication.category_id else None
    for thing in (category, category.parent if category else None,
                  session.get(Department, publication.department_id) if publication.department_id else None):
        if thing is not None:
            words += [thing.name, getattr(thing, "name_en", "") or ""]
    return kb.searchable(publication.title, " ".join(w for w in words if w),
                         publication.question + " " + publication.answer)


@dataclass(frozen=True)
class Found:
    publication: Publication
    excerpt: str


@dataclass(frozen=True)
class Listing:
    rows: list[Found]
    page: int
    has_next: bool
    total: int


def _published(category_id: int | None):
    where = [Publication.status == "published"]
    if category_id:
        where.append(Publication.category_id.in_(select(Category.id).where(
            or_(Category.id == category_id, Category.parent_id == category_id))))
    return where


def search(session: Session, q: str = "", category_id: int | None = None, page: int = 1,
           per_page: int = 20) -> Listing:
    """The published questions and answers: with words, the best matches first (words found as substrings of
    the stored text, as in the knowledge base: 停水 finds 临时停水); without, the newest first."""
    where = _published(category_id)
    shown = (joinedload(Publication.category).joinedload(Category.parent), joinedload(Publication.department))
    terms = kb.terms(q)
    start = (page - 1) * per_page
    if terms:
        candidates = session.execute(
            select(Publication.id, Publication.title, Publication.search_text)
            .where(*where, or_(*(_like(t) for t in terms)))
            .order_by(Publication.published_at.desc()).limit(CANDIDATES)).all()
        scored = sorted(((kb.score_searchable(terms, r.search_text), r.title, r.id) for r in candidates),
                        key=lambda s: (-s[0], s[1], s[2]))
        ranked = [pid for score, _, pid in scored if score > 0]
        loaded = {p.id: p for p in session.scalars(select(Publication).where(
            Publication.id.in_(ranked[start:start + per_page])).options(*shown))}
        rows = [Found(loaded[i], kb.excerpt(loaded[i].question, terms, 120))
                for i in ranked[start:start + per_page] if i in loaded]
        return Listing(rows, page, len(ranked) > start + per_page, len(ranked))
    total = session.scalar(select(func.count(Publication.id)).where(*where)) or 0
    found = session.scalars(select(Publication).where(*where).options(*shown)
                            .order_by(Publication.published_at.desc(), Publication.id.desc())
                            .offset(start).limit(per_page)).all()
    return Listing([Found(p, kb.excerpt(p.question, [], 120)) for p in found], page, total > start + per_page,
                   total)


def _like(term: str):
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Publication.search_text.like(f"%{escaped}%", escape="\\")


def published(session: Session, publication_id: int) -> Publication:
    found = session.scalar(select(Publication).where(Publication.id == publication_id,
                                                     Publication.status == "published")
                           .options(joinedload(Publication.category).joinedload(Category.parent),
                                    joinedload(Publication.department)))
    if found is None:
        raise NotFound("publication")
    return found


def categories(session: Session) -> list[Category]:
    """The top-level subjects that have published answers: the list's filter offers no empty choice."""
    used = select(func.coalesce(Category.parent_id, Category.id)).where(
        Category.id.in_(select(Publication.category_id).where(Publication.status == "published")))
    return list(session.scalars(select(Category).where(Category.id.in_(used))
                                .order_by(Category.sort_order, Category.code)))
