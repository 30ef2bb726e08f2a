"""Routing cases with the dispatch catalogue: preview, route at registration (dispatch at once or
suggest), keep the catalogue's versions, and find the rules departments send back most."""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from hotline.domain import routing
from hotline.domain.roles import Role
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

log = logging.getLogger("hotline.routing")
ROUTING_USER = "routing"  # the catalogue acts as a dispatcher; it cannot sign in
_compiled: dict[int, routing.Catalogue] = {}


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


def directory(session: Session) -> routing.Directory:
    departments = session.execute(
        select(Department.code, Department.kind, Area.code).outerjoin(Area, Department.area_id == Area.id)
        .where(Department.active)).all()
    return routing.Directory(
        active=frozenset(code for code, _, _ in departments),
        street_offices={area: code for code, kind, area in departments if kind == "street_office" and area},
        district_govs={area: code for code, kind, area in departments if kind == "district_gov" and area},
    )


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
    """Writes the decision for a newly registered case (the caller commits)."""
    cat = catalogue(session)
    decision = cat.route(facts(case.track, case.kind, case.urgency, case.category, case.area, case.description),
                         directory(session))
    ids = dict(session.execute(select(Department.code, Department.id)).all())
    row = RoutingDecision(
        case_id=case.id, at=at, version=cat.version, mode=decision.mode,
        rule_id=decision.rule.id if decision.rule else None,
        rule_position=decision.rule.position if decision.rule else None,
        rule_name=decision.rule.name if decision.rule else "",
        lead_department_id=ids.get(decision.lead) if decision.lead else None,
        co_department_ids=[ids[c] for c in decision.co],
        matched=[[m.on, m.value] for m in decision.matched],
        outcome={"auto": "dispatched", "suggest": "suggested"}.get(decision.mode, "no_match"),
    )
    session.add(row)
    session.flush()
    fields = None
    if decision.mode == routing.AUTO:
        fields = {"lead_department_id": row.lead_department_id, "co_department_ids": row.co_department_ids,
                  "routing_decision_id": row.id}
    return Routed(row, fields)


def route_registered(session: Session, number: str, ctx) -> RoutingDecision | None:
    """After registration: record the decision; when the rule says so, dispatch at once (through the one
    service that changes cases, as the catalogue's own dispatcher). A failure here never loses the case:
    it stays in the dispatcher's queue."""
    from hotline.services import handling

    try:
        case = session.scalar(select(Case).where(Case.number == number))
        routed = decide_for(session, case, ctx.now)
        session.commit()
        if routed.dispatch_fields:
            try:
                handling.act(session, number, "dispatch", routing_user(session), routed.dispatch_fields,
                             handling.Context(now=ctx.now, timezone=ctx.timezone))
            except Exception:
                log.exception("automatic dispatch of %s failed; it waits in the dispatcher's queue", number)
                session.rollback()
                decision = session.get(RoutingDecision, routed.decision.id)
                decision.outcome = "failed"
                session.commit()
        return session.get(RoutingDecision, routed.decision.id)
    except Exception:
        log.exception("routing %s failed; it waits in the dispatcher's queue", number)
        session.rollback()
        return None


def routing_user(session: Session) -> User:
    user = session.scalar(select(User).where(User.username == ROUTING_USER))
    if user is None:
        user = User(username=ROUTING_USER, display_name="派单目录（自动派单）", role=Role.DISPATCHER, active=False,
                    password_hash=generate_password_hash(secrets.token_urlsafe(32), method="scrypt"))
        session.add(user)
        session.commit()
    return user


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
