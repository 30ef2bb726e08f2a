"""Routing cases with the dispatch catalogue: preview, route at registration (dispatch at once or
suggest), keep the catalogue's versions, and find the rules departments send back most."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from hotline.domain import routing
from hotline.models import (
    Area,
    Case,
    Category,
    Department,
    RoutingCatalogueVersion,
    RoutingDecision,
    RoutingRule,
    User,
)
from hotline.services import system_users

log = logging.getLogger("hotline.routing")
ROUTING_USER = system_users.ROUTING
_compiled: dict[int, routing.Catalogue] = {}
_directory: list = []  # [(expires at, Directory, {department code: id})]: departments change rarely
DIRECTORY_SECONDS = 30


def forget() -> None:
    """Drop what this process compiled and cached (tests, and after departments change)."""
    _compiled.clear()
    _directory.clear()


def current_version(session: Session) -> int:
    return session.scalar(select(func.max(RoutingCatalogueVersion.version))) or 0


def catalogue(session: Session) -> routing.Catalogue:
    """The active rules, compiled once per catalogue version and process."""
    version = current_version(session)
    if version not in _compiled:
        rules = [r.spec() for r in session.scalars(select(RoutingRule).where(RoutingRule.active))]
        _compiled.clear()
        _compiled[version] = routing.Catalogue(rules, version)
    return _compiled[version]


def directory(session: Session, cached: bool = False) -> routing.Directory:
    """Fresh by default (checking a rule, previewing); `cached` on the intake path, where a department
    switched off takes up to DIRECTORY_SECONDS to stop receiving cases."""
    return _directory_and_ids(session, cached)[0]


def department_ids(session: Session, cached: bool = False) -> dict[str, int]:
    return _directory_and_ids(session, cached)[1]


def _directory_and_ids(session: Session, cached: bool) -> tuple[routing.Directory, dict[str, int]]:
    if cached and _directory and _directory[0][0] > time.monotonic():
        return _directory[0][1], _directory[0][2]
    departments = session.execute(
        select(Department.id, Department.code, Department.kind, Area.code)
        .outerjoin(Area, Department.area_id == Area.id).where(Department.active)).all()
    found = routing.Directory(
        active=frozenset(code for _, code, _, _ in departments),
        street_offices={area: code for _, code, kind, area in departments if kind == "street_office" and area},
        district_govs={area: code for _, code, kind, area in departments if kind == "district_gov" and area},
    )
    ids = {code: department_id for department_id, code, _, _ in departments}
    _directory[:] = [(time.monotonic() + DIRECTORY_SECONDS, found, ids)]
    return found, ids


def facts(track: str, kind: str, urgency: str, category: Category | None, area: Area | None,
          text: str) -> routing.Facts:
    categories = {category.code, category.parent.code} if category and category.parent else (
        {category.code} if category else set())
    district = area.parent if area and area.parent else area
    return routing.Facts(
        track=track, kind=kind, urgency=urgency, category_codes=frozenset(categories),
        area_codes=frozenset(a.code for a in (area, district) if a), district=district.code if district else None,
        street=area.code if area and area.parent else None, description=text or "",
    )


def preview(session: Session, track: str, kind: str, urgency: str, category: Category | None,
            area: Area | None, text: str) -> routing.Decision:
    return catalogue(session).route(facts(track, kind, urgency, category, area, text), directory(session))


def save_version(session: Session, user: User | None, note: str) -> int:
    """Call after any change to the rules, in the same transaction: the next version, with a full copy."""
    version = current_version(session) + 1
    rules = session.scalars(select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id))
    session.add(RoutingCatalogueVersion(version=version, created_by_id=user.id if user else None, note=note[:200],
                                        snapshot=[r.snapshot() for r in rules]))
    return version


@dataclass(frozen=True)
class Routed:
    decision: RoutingDecision
    dispatch_fields: dict | None  # what to dispatch with, when the rule dispatches at once


def decide_for(session: Session, case: Case, at) -> Routed:
    """Adds the decision for a newly registered case to the session (the caller commits)."""
    cat = catalogue(session)
    decision = cat.route(facts(case.track, case.kind, case.urgency, case.category, case.area, case.description),
                         directory(session, cached=True))
    ids = department_ids(session, cached=True)
    row = RoutingDecision(
        case=case, at=at, version=cat.version, mode=decision.mode,
        rule_id=decision.rule.id if decision.rule else None,
        rule_position=decision.rule.position if decision.rule else None,
        rule_name=decision.rule.name if decision.rule else "",
        lead_department_id=ids.get(decision.lead) if decision.lead else None,
        co_department_ids=[ids[c] for c in decision.co],
        matched=[[m.on, m.value] for m in decision.matched],
        outcome={"auto": "dispatched", "suggest": "suggested"}.get(decision.mode, "no_match"),
    )
    session.add(row)
    fields = None
    if decision.mode == routing.AUTO:
        fields = {"lead_department_id": row.lead_department_id, "co_department_ids": row.co_department_ids}
    return Routed(row, fields)


def decide_in_registration(session: Session, case: Case, at) -> dict | None:
    """In the registration's own transaction, behind a savepoint: a routing failure never costs the case,
    which then simply waits in the dispatcher's queue. Returns what to dispatch with, for an auto rule."""
    try:
        with session.begin_nested():
            return decide_for(session, case, at).dispatch_fields
    except Exception:
        log.exception("routing %s failed; it waits in the dispatcher's queue", case.number)
        return None


def dispatch_automatically(session: Session, number: str, fields: dict, ctx) -> None:
    """After registration committed: dispatch as the catalogue's own dispatcher, through the one service
    that changes cases. On failure the decision says so and the case waits for a dispatcher."""
    from hotline.services import handling

    try:
        handling.act(session, number, "dispatch", routing_user(session), fields,
                     handling.Context(now=ctx.now, timezone=ctx.timezone))
    except Exception:
        log.exception("automatic dispatch of %s failed; it waits in the dispatcher's queue", number)
        session.rollback()
        case_id = session.scalar(select(Case.id).where(Case.number == number))
        decision = latest_decision(session, case_id)
        if decision is not None:
            decision.outcome = "failed"
            session.commit()


def routing_user(session: Session) -> User:
    return system_users.get(session, system_users.ROUTING)


def latest_decision(session: Session, case_id: int) -> RoutingDecision | None:
    return session.scalar(select(RoutingDecision).where(RoutingDecision.case_id == case_id)
                          .order_by(RoutingDecision.id.desc()).limit(1))


def return_rates(session: Session, limit: int = 20) -> list[tuple[int, int, int]]:
    """(rule id, cases it routed, cases sent back), the rules with the most returns first."""
    returned = func.sum(cast(RoutingDecision.returned, Integer))
    rows = session.execute(
        select(RoutingDecision.rule_id, func.count(), returned)
        .where(RoutingDecision.rule_id.is_not(None)).group_by(RoutingDecision.rule_id)
        .having(returned > 0).order_by((returned * 1.0 / func.count()).desc(), returned.desc()).limit(limit)
    ).all()
    return [(rule_id, total, int(back)) for rule_id, total, back in rows]



@dataclass(frozen=True)
class Explanation:
    """A decision in names a person reads: which rule, what it matched, where it sends the case."""
    rule_position: int | None
    rule_name: str
    mode: str
    matched: list[tuple[str, object]]  # (on, Category | Area | str)
    lead: Department | None
    co: list[Department]


def explain(session: Session, matched: list, lead_code_or_id, co_codes_or_ids: list, rule_position: int | None,
            rule_name: str, mode: str) -> Explanation:
    """Works for a live decision (department codes) and a stored one (department ids)."""
    def department(key):
        if key is None:
            return None
        column = Department.id if isinstance(key, int) else Department.code
        return session.scalar(select(Department).where(column == key))

    def thing(on, value):
        if on == "category":
            return session.scalar(select(Category).where(Category.code == value)) or value
        if on == "area":
            return session.scalar(select(Area).where(Area.code == value)) or value
        return value

    return Explanation(rule_position=rule_position, rule_name=rule_name, mode=mode,
                       matched=[(on, thing(on, value)) for on, value in matched],
                       lead=department(lead_code_or_id), co=[d for k in co_codes_or_ids if (d := department(k))])


def explain_decision(session: Session, decision: routing.Decision) -> Explanation:
    rule = decision.rule
    return explain(session, [(m.on, m.value) for m in decision.matched], decision.lead, list(decision.co),
                   rule.position if rule else None, rule.name if rule else "", decision.mode)


def explain_stored(session: Session, row: RoutingDecision) -> Explanation:
    return explain(session, row.matched or [], row.lead_department_id, row.co_department_ids or [],
                   row.rule_position, row.rule_name, row.mode)
