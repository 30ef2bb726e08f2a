"""The knowledge base: search it during a call, and keep it (add, edit, retire, restore; each audited).

Candidates come from one query: `search_text LIKE '%term%'` OR-ed over the query's terms, only articles
active and valid on the day; the domain ranks them. A centre's base holds hundreds to a few thousand
articles, so the scan is over a small table, bounded by CANDIDATES.

Keeping the base is shared: the centre sees and keeps every article, a department only its own
(`hotline.domain.knowledge_access`). What a department may not see is filtered in the query itself, so a page of
its list is a page of its own articles, and another department's article is NotFound to it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from hotline.domain import knowledge as kb
from hotline.domain import knowledge_access as access
from hotline.domain.errors import Conflict, Forbidden, InvalidFields, NotFound
from hotline.domain.knowledge_access import Scope
from hotline.models import Category, Department, KnowledgeArticle, User
from hotline.seed.demo_knowledge import ARTICLES
from hotline.services import audit

CANDIDATES = 300
# what a list shows of each article, joined in the same query rather than one query per row
_SHOWN = (joinedload(KnowledgeArticle.category).joinedload(Category.parent),
          joinedload(KnowledgeArticle.owner_department))


@dataclass(frozen=True)
class Hit:
    article: KnowledgeArticle
    score: float
    excerpt: str


@dataclass(frozen=True)
class Listing:
    rows: list[Hit]
    page: int
    has_next: bool
    total: int


def _like(term: str):
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return KnowledgeArticle.search_text.like(f"%{escaped}%", escape="\\")


def _valid_on(day: date):
    return (KnowledgeArticle.active.is_(True),
            or_(KnowledgeArticle.valid_from.is_(None), KnowledgeArticle.valid_from <= day),
            or_(KnowledgeArticle.valid_until.is_(None), KnowledgeArticle.valid_until >= day))


def _ranked_ids(session: Session, stmt, terms: list[str]) -> list[int]:
    """Scored from the stored search text alone: the candidates' full rows and their excerpts are read only
    for the articles shown."""
    rows = session.execute(stmt.with_only_columns(KnowledgeArticle.id, KnowledgeArticle.title,
                                                  KnowledgeArticle.search_text)
                           .order_by(KnowledgeArticle.updated_at.desc()).limit(CANDIDATES)).all()
    scored = [(kb.score_searchable(terms, row.search_text), row.title, row.id) for row in rows]
    return [article_id for score, _, article_id in sorted((s for s in scored if s[0] > 0),
                                                          key=lambda s: (-s[0], s[1], s[2]))]


def _hits(session: Session, ids: list[int], terms: list[str], width: int) -> list[Hit]:
    if not ids:
        return []
    loaded = {a.id: a for a in session.scalars(select(KnowledgeArticle).where(KnowledgeArticle.id.in_(ids))
                                               .options(*_SHOWN))}
    return [Hit(loaded[i], kb.score(terms, loaded[i].title, loaded[i].keywords, loaded[i].body),
                kb.excerpt(loaded[i].body, terms, width)) for i in ids if i in loaded]


def search(session: Session, query: str, today: date, limit: int = 8, category_id: int | None = None,
           width: int = 90) -> list[Hit]:
    """The articles valid on `today` that answer the query, best first. `category_id` narrows to that
    category (and, for a top-level one, its subcategories)."""
    terms = kb.terms(query)
    if not terms:
        return []
    stmt = select(KnowledgeArticle.id).where(or_(*(_like(t) for t in terms)), *_valid_on(today))
    if category_id:
        stmt = stmt.where(KnowledgeArticle.category_id.in_(_category_and_children(category_id)))
    return _hits(session, _ranked_ids(session, stmt, terms)[:limit], terms, width)


def _category_and_children(category_id: int):
    return select(Category.id).where(or_(Category.id == category_id, Category.parent_id == category_id))


def _seen_by(scope: Scope | None):
    """The articles `scope` sees, as conditions of the query (None: every article, for the system itself)."""
    if scope is None or scope.everything:
        return ()
    if scope.department_id is None:
        return (false(),)
    return (KnowledgeArticle.owner_department_id == scope.department_id,)


def _status_filter(status: str, today: date):
    a = KnowledgeArticle
    if status == "expiring":
        return (a.active.is_(True), a.valid_until.is_not(None), a.valid_until >= today,
                a.valid_until <= today + timedelta(days=kb.EXPIRING_DAYS))
    if status == "retired":
        return (a.active.is_(False),)
    if status == "expired":
        return (a.active.is_(True), a.valid_until.is_not(None), a.valid_until < today)
    if status == "scheduled":
        return (a.active.is_(True), a.valid_from.is_not(None), a.valid_from > today,
                or_(a.valid_until.is_(None), a.valid_until >= today))
    if status == "valid":
        return _valid_on(today)
    return ()


def listing(session: Session, scope: Scope, today: date, q: str = "", status: str = "",
            department_id: int | None = None, page: int = 1, per_page: int = 30) -> Listing:
    """The keepers' list: the articles `scope` sees whatever their validity, filtered. With words, ranked like
    a search (at most CANDIDATES); without, the most recently changed first (the soonest to end first when
    listing those about to expire), one query per page."""
    where = [*_seen_by(scope), *_status_filter(status, today)]
    if department_id:
        where.append(KnowledgeArticle.owner_department_id == department_id)
    terms = kb.terms(q)
    if terms:
        ranked = _ranked_ids(session, select(KnowledgeArticle.id).where(or_(*(_like(t) for t in terms)), *where),
                             terms)
        start = (page - 1) * per_page
        return Listing(_hits(session, ranked[start:start + per_page], terms, 120), page,
                       len(ranked) > start + per_page, len(ranked))
    total = session.scalar(select(func.count(KnowledgeArticle.id)).where(*where)) or 0
    order = (KnowledgeArticle.updated_at.desc(), KnowledgeArticle.id.desc())
    if status == "expiring":
        order = (KnowledgeArticle.valid_until, *order)
    articles = session.scalars(select(KnowledgeArticle).where(*where).options(*_SHOWN).order_by(*order)
                               .offset((page - 1) * per_page).limit(per_page)).all()
    return Listing([Hit(a, 0.0, kb.excerpt(a.body, [], 120)) for a in articles], page,
                   total > page * per_page, total)


def expiring_count(session: Session, scope: Scope, today: date) -> int:
    """How many of the articles `scope` sees end within kb.EXPIRING_DAYS: what a department has to renew."""
    return session.scalar(select(func.count(KnowledgeArticle.id)).where(
        *_seen_by(scope), *_status_filter("expiring", today))) or 0


def get(session: Session, article_id: int, scope: Scope | None = None) -> KnowledgeArticle:
    """The article, if `scope` sees it (None: any); NotFound otherwise, whether or not it exists."""
    if scope is None or scope.everything:
        article = session.get(KnowledgeArticle, article_id)
    else:
        article = session.scalar(select(KnowledgeArticle).where(KnowledgeArticle.id == article_id,
                                                                *_seen_by(scope)))
    if article is None:
        raise NotFound("article")
    return article


def scope_of(user: User | None) -> Scope:
    """What `user` sees and keeps; the system itself (no user: seeding, maintenance) keeps everything.
    Forbidden for someone who may not use the knowledge base's pages at all."""
    if user is None:
        return access.CENTRE
    scope = access.scope_of(user.actor)
    if scope is None:
        raise Forbidden("knowledge")
    return scope


def _check(session: Session, fields: dict, scope: Scope) -> kb.ArticleSpec:
    spec = kb.check(fields.get("title", ""), fields.get("body", ""), fields.get("keywords", ""),
                    fields.get("category_id"), scope.owner_for(fields.get("owner_department_id")),
                    fields.get("valid_from"), fields.get("valid_until"))
    problems = {}
    if spec.category_id is not None:
        category = session.get(Category, spec.category_id)
        if category is None or category.level != 2:
            problems["category_id"] = "invalid_choice"
    if spec.owner_department_id is not None and session.get(Department, spec.owner_department_id) is None:
        problems["owner_department_id"] = "invalid_choice"
    if problems:
        raise InvalidFields("fields", problems)
    return spec


def _fill(article: KnowledgeArticle, spec: kb.ArticleSpec, user: User, now: datetime) -> None:
    article.title, article.body, article.keywords = spec.title, spec.body, spec.keywords
    article.category_id, article.owner_department_id = spec.category_id, spec.owner_department_id
    article.valid_from, article.valid_until = spec.valid_from, spec.valid_until
    article.search_text = kb.searchable(spec.title, spec.keywords, spec.body)
    article.updated_by_id, article.updated_at = user.id if user else None, now


def _detail(article: KnowledgeArticle) -> str:
    return f"#{article.id} {article.title}"


def create(session: Session, user: User, fields: dict, now: datetime) -> KnowledgeArticle:
    """A department's head adds an article of their own department, whatever `fields` names as owner."""
    scope = scope_of(user)
    if not scope.may_keep:
        raise Forbidden("keep")
    spec = _check(session, fields, scope)
    article = KnowledgeArticle(created_by_id=user.id if user else None, created_at=now, active=True)
    _fill(article, spec, user, now)
    session.add(article)
    session.flush()
    audit.log_access(session, user, "knowledge_added", at=now, detail=_detail(article))
    session.commit()
    return article


def _locked(session: Session, user: User | None, article_id: int,
            expected_version: int | None) -> tuple[KnowledgeArticle, Scope]:
    """The article `user` may change: NotFound when they do not see it, Forbidden when they only read it."""
    scope = scope_of(user)
    article = get(session, article_id, scope)
    if not scope.keeps(article.owner_department_id):
        raise Forbidden("keep")
    if expected_version is not None and article.version != expected_version:
        raise Conflict("stale", {"by": _name(session, article.updated_by_id), "version": article.version})
    return article, scope


def _commit(session: Session, article: KnowledgeArticle) -> None:
    """The version column makes the UPDATE match only the version read: an edit saved by someone else
    between our read and our write is refused here, not overwritten."""
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        current = session.get(KnowledgeArticle, article.id)
        raise Conflict("stale", {"by": _name(session, current.updated_by_id if current else None)}) from None


def update(session: Session, user: User, article_id: int, fields: dict, now: datetime,
           expected_version: int | None = None) -> KnowledgeArticle:
    article, scope = _locked(session, user, article_id, expected_version)
    spec = _check(session, fields, scope)
    _fill(article, spec, user, now)
    audit.log_access(session, user, "knowledge_changed", at=now, detail=_detail(article))
    _commit(session, article)
    return article


def _set_active(session: Session, user: User, article_id: int, active: bool, now: datetime,
                expected_version: int | None) -> KnowledgeArticle:
    article, _ = _locked(session, user, article_id, expected_version)
    if article.active == active:
        return article  # a second click, or two administrators at once: already as asked
    article.active, article.updated_by_id, article.updated_at = active, user.id if user else None, now
    audit.log_access(session, user, "knowledge_restored" if active else "knowledge_retired", at=now,
                     detail=_detail(article))
    _commit(session, article)
    return article


def retire(session: Session, user: User, article_id: int, now: datetime,
           expected_version: int | None = None) -> KnowledgeArticle:
    """Retired, not deleted: a case answered from it keeps pointing at what the caller was told."""
    return _set_active(session, user, article_id, False, now, expected_version)


def restore(session: Session, user: User, article_id: int, now: datetime,
            expected_version: int | None = None) -> KnowledgeArticle:
    return _set_active(session, user, article_id, True, now, expected_version)


def _name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return user.display_name if user else ""


def seed_demo_articles(session: Session, today: date) -> int:
    """The demo articles that are not there yet, matched by title: an article an administrator edited or
    retired stays as they left it. The caller commits."""
    have = set(session.scalars(select(KnowledgeArticle.title).where(
        KnowledgeArticle.title.in_([seed.title for seed in ARTICLES]))))
    categories = {c.code: c.id for c in session.scalars(select(Category))}
    departments = {d.code: d.id for d in session.scalars(select(Department))}
    added = 0
    for seed in ARTICLES:
        if seed.title in have:
            continue
        start, end = (today + timedelta(days=n) if n is not None else None for n in seed.valid)
        body = seed.body.format(start=_day(start), end=_day(end))
        session.add(KnowledgeArticle(
            title=seed.title, keywords=seed.keywords, body=body, category_id=categories.get(seed.category),
            owner_department_id=departments.get(seed.owner), valid_from=start, valid_until=end, active=True,
            search_text=kb.searchable(seed.title, seed.keywords, body)))
        added += 1
    return added


def _day(day: date | None) -> str:
    return f"{day.month}月{day.day}日" if day else ""
