"""Keeping the dispatch catalogue: create, edit, reorder, enable and disable, delete, and replace it from a
CSV file. Every change is checked against the codes the database has (hotline/domain/catalogue_csv.py),
keeps the positions dense (1..n), and writes a new catalogue version — who, when, why and a full copy —
in the same transaction (services.routing.save_version), so a decision can always be traced to the
catalogue that made it."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline.domain import catalogue_csv
from hotline.domain.catalogue_csv import Problem, Reference, RowError, RuleSpec
from hotline.domain.kinds import KINDS_BY_TRACK, Urgency
from hotline.domain.routing import AUTO, SUGGEST
from hotline.models import Area, Category, Department, RoutingCatalogueVersion, RoutingRule, User
from hotline.services import routing


class Invalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(", ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = problems


class ImportRefused(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


class Stale(Exception):
    """Someone else changed the rule (or the catalogue) while this person was editing it."""
    def __init__(self, by: User | None = None) -> None:
        super().__init__("stale")
        self.by = by


class NotFound(Exception):
    pass


def reference(session: Session) -> Reference:
    return Reference(
        categories=frozenset(session.scalars(select(Category.code))),
        areas=frozenset(session.scalars(select(Area.code))),
        districts=frozenset(session.scalars(select(Area.code).where(Area.level == 1))),
        departments=frozenset(session.scalars(select(Department.code))),
        directory=routing.directory(session),
        kinds_by_track={str(t): frozenset(str(k) for k in kinds) for t, kinds in KINDS_BY_TRACK.items()},
        urgencies=frozenset(str(u) for u in Urgency),
    )


def spec_of(rule: RoutingRule) -> RuleSpec:
    return RuleSpec(
        position=rule.position, name=rule.name, active=rule.active, track=rule.track or None,
        kinds=tuple(rule.kinds or ()), categories=tuple(rule.categories or ()), areas=tuple(rule.areas or ()),
        urgencies=tuple(rule.urgencies or ()), keywords=tuple(rule.keywords or ()), lead=rule.lead,
        co=tuple(rule.co or ()), mode=rule.mode, note=rule.note or "",
    )


def stamp(rule: RoutingRule) -> str:
    """What the edit form carries, to notice a change made by someone else meanwhile."""
    return rule.updated_at.isoformat() if rule.updated_at else ""


def ordered(session: Session) -> list[RoutingRule]:
    return list(session.scalars(select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id)))


def get(session: Session, rule_id: int) -> RoutingRule:
    rule = session.get(RoutingRule, rule_id)
    if rule is None:
        raise NotFound(rule_id)
    return rule


def _fill(rule: RoutingRule, spec: RuleSpec, user: User | None, at: datetime) -> None:
    rule.name, rule.active, rule.track = spec.name, spec.active, spec.track or None
    rule.kinds, rule.categories, rule.areas = list(spec.kinds), list(spec.categories), list(spec.areas)
    rule.urgencies, rule.keywords = list(spec.urgencies), list(spec.keywords)
    rule.lead, rule.co, rule.mode, rule.note = spec.lead, list(spec.co), spec.mode, spec.note
    rule.updated_at, rule.updated_by_id = at, user.id if user else None


def _place(rules: list[RoutingRule], rule: RoutingRule, position: int | None) -> None:
    """Puts `rule` at `position` (1-based; None or past the end: last) and numbers every rule 1..n."""
    others = [r for r in rules if r is not rule]
    index = len(others) if position is None else min(max(position, 1), len(others) + 1) - 1
    others.insert(index, rule)
    for number, r in enumerate(others, start=1):
        if r.position != number:
            r.position = number


def _commit(session: Session, user: User | None, note: str) -> int:
    """The new version and the change, together or not at all. Two people saving at the same moment
    would both take the next version number: the second is refused, and told to look again."""
    version = routing.save_version(session, user, note)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Stale() from None
    return version


def _refuse_if_invalid(session: Session, spec: RuleSpec) -> None:
    problems = catalogue_csv.check(spec, reference(session))
    if problems:
        raise Invalid(problems)


def create(session: Session, user: User, spec: RuleSpec, note: Callable[[RoutingRule], str],
           at: datetime) -> RoutingRule:
    _refuse_if_invalid(session, spec)
    rules = ordered(session)
    rule = RoutingRule(position=len(rules) + 1)
    _fill(rule, spec, user, at)
    session.add(rule)
    _place(rules, rule, spec.position)
    session.flush()
    _commit(session, user, note(rule))
    return rule


def update(session: Session, user: User, rule_id: int, spec: RuleSpec, note: Callable[[RoutingRule], str],
           at: datetime, expected_stamp: str | None = None) -> RoutingRule:
    rule = get(session, rule_id)
    if expected_stamp is not None and expected_stamp != stamp(rule):
        raise Stale(session.get(User, rule.updated_by_id) if rule.updated_by_id else None)
    _refuse_if_invalid(session, spec)
    _fill(rule, spec, user, at)
    _place(ordered(session), rule, spec.position or rule.position)
    _commit(session, user, note(rule))
    return rule


def move(session: Session, user: User, rule_id: int, position: int, note: Callable[[RoutingRule], str],
         at: datetime) -> RoutingRule:
    rule = get(session, rule_id)
    before = rule.position
    _place(ordered(session), rule, position)
    if rule.position != before:
        rule.updated_at, rule.updated_by_id = at, user.id
        _commit(session, user, note(rule))
    return rule


def set_active(session: Session, user: User, rule_id: int, active: bool, note: Callable[[RoutingRule], str],
               at: datetime) -> RoutingRule:
    rule = get(session, rule_id)
    if active:  # a rule switched back on must still point at departments that take cases
        _refuse_if_invalid(session, spec_of(rule))
    if rule.active != active:
        rule.active, rule.updated_at, rule.updated_by_id = active, at, user.id
        _commit(session, user, note(rule))
    return rule


def delete(session: Session, user: User, rule_id: int, note: Callable[[RoutingRule], str]) -> None:
    rule = get(session, rule_id)
    text = note(rule)
    rules = [r for r in ordered(session) if r is not rule]
    session.delete(rule)
    for number, r in enumerate(rules, start=1):
        if r.position != number:
            r.position = number
    _commit(session, user, text)


# --- the whole catalogue as a file -------------------------------------------------------------------

def export_csv(session: Session) -> str:
    return catalogue_csv.to_csv(spec_of(r) for r in ordered(session))


def _identity(spec: RuleSpec) -> tuple:
    """What makes a rule the same rule across an import (its place, switch and notes may change)."""
    return (spec.name, spec.track or None, tuple(sorted(spec.kinds)), tuple(sorted(spec.categories)),
            tuple(sorted(spec.areas)), tuple(sorted(spec.urgencies)), spec.keywords, spec.lead, spec.co)


@dataclass(frozen=True)
class Imported:
    version: int
    rules: int
    added: int
    removed: int


def import_csv(session: Session, user: User, data: bytes, note: Callable[[int], str], at: datetime) -> Imported:
    """Replaces the whole catalogue with the file's rules, or raises ImportRefused naming every bad row and
    changes nothing. A rule that is in the file unchanged keeps its id (and so its history of returns)."""
    if len(data) > catalogue_csv.MAX_BYTES:
        raise ImportRefused([RowError(0, Problem("", "too_large", str(catalogue_csv.MAX_BYTES // 1024 // 1024)))])
    text = catalogue_csv.decode(data)
    if text is None:
        raise ImportRefused([RowError(0, Problem("", "not_text"))])
    specs, errors = catalogue_csv.parse(text, reference(session))
    if errors:
        raise ImportRefused(errors)
    old: dict[tuple, list[RoutingRule]] = {}
    for rule in ordered(session):
        old.setdefault(_identity(spec_of(rule)), []).append(rule)
    added = 0
    for number, spec in enumerate(specs, start=1):
        matches = old.get(_identity(spec))
        rule = matches.pop(0) if matches else None
        if rule is None:
            rule, added = RoutingRule(position=number), added + 1
            session.add(rule)
        if rule.id is None or (rule.active, rule.mode, rule.note) != (spec.active, spec.mode, spec.note):
            _fill(rule, spec, user, at)
        rule.position = number
    removed = [r for rules in old.values() for r in rules]
    for rule in removed:
        session.delete(rule)
    session.flush()
    version = _commit(session, user, note(len(specs)))
    return Imported(version=version, rules=len(specs), added=added, removed=len(removed))


# --- what the pages show --------------------------------------------------------------------------------

def versions(session: Session, limit: int = 10, offset: int = 0) -> list[tuple[RoutingCatalogueVersion, User | None]]:
    rows = session.execute(
        select(RoutingCatalogueVersion, User).outerjoin(User, RoutingCatalogueVersion.created_by_id == User.id)
        .order_by(RoutingCatalogueVersion.version.desc()).limit(limit).offset(offset)).all()
    return [(v, u) for v, u in rows]


def return_rates(session: Session, limit: int = 50) -> list[tuple[int, RoutingRule | None, int, int, float]]:
    """(rule id, the rule if it still exists, cases it routed, cases sent back, share sent back)."""
    rows = routing.return_rates(session, limit=limit)
    rules = {r.id: r for r in session.scalars(select(RoutingRule).where(RoutingRule.id.in_([r[0] for r in rows])))}
    return [(rule_id, rules.get(rule_id), total, back, back / total if total else 0.0)
            for rule_id, total, back in rows]


@dataclass(frozen=True)
class Listing:
    rules: list[RoutingRule]
    matching: int
    total: int
    page: int
    pages: int


def _codes_named(session: Session, model, text: str, *columns) -> set[str]:
    like = f"%{text}%"
    return set(session.scalars(select(model.code).where(
        model.code.ilike(like) | model.name.ilike(like) | model.name_en.ilike(like),
        *columns)))


def find(session: Session, q: str = "", status: str = "", mode: str = "", page: int = 1,
         per_page: int = 50) -> Listing:
    """The rules in order, filtered: words in the name, a keyword, or the name or code of a category, area
    or department the rule names; active or disabled; automatic or suggested."""
    query = select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id)
    if status in ("active", "disabled"):
        query = query.where(RoutingRule.active.is_(status == "active"))
    if mode in (AUTO, SUGGEST):
        query = query.where(RoutingRule.mode == mode)
    total = session.scalar(select(func.count()).select_from(RoutingRule)) or 0
    needle = q.strip().casefold()
    if not needle:  # the common case: one page from the database
        matching = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        pages = max(1, -(-matching // per_page))
        page = min(max(page, 1), pages)
        rows = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
        return Listing(rules=rows, matching=matching, total=total, page=page, pages=pages)
    text = q.strip()
    categories = _codes_named(session, Category, text)
    areas = _codes_named(session, Area, text)
    departments = {f"dept:{c}" for c in _codes_named(session, Department, text)} | {
        f"dept:{c}" for c in session.scalars(select(Department.code).where(Department.short_name.ilike(f"%{text}%")))}

    def hit(r: RoutingRule) -> bool:
        targets = {r.lead, *(r.co or ())}
        return bool(needle in (r.name or "").casefold() or any(needle in k.casefold() for k in r.keywords or ())
                    or categories.intersection(r.categories or ()) or areas.intersection(r.areas or ())
                    or departments & targets or any(needle in t for t in targets))
    rules = [r for r in session.scalars(query) if hit(r)]
    pages = max(1, -(-len(rules) // per_page))
    page = min(max(page, 1), pages)
    return Listing(rules=rules[(page - 1) * per_page:page * per_page], matching=len(rules), total=total,
                   page=page, pages=pages)
