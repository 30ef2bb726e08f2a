"""What the dispatch catalogue decided for cases, ready to show: on the case page, in the dispatcher's
queue and in the API's case JSON. Loaded for many cases in a few queries (never one per case)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from hotline.models import Area, Case, Category, Department, RoutingDecision
from hotline.services.routing import Explanation
from hotline.web import routing_text

OUTCOMES = ("dispatched", "suggested", "no_match", "failed")


@dataclass(frozen=True)
class Routed:
    row: RoutingDecision
    explanation: Explanation
    line: str  # "规则 12「建筑施工噪声」：城市管理 › 建筑施工噪声，东湖区 → 东湖区城管执法局（立即派单）"

    @property
    def lead(self) -> Department | None:
        return self.explanation.lead

    @property
    def co(self) -> list[Department]:
        return self.explanation.co

    def prefills(self, case: Case) -> bool:
        """The catalogue suggested departments and nobody has dispatched yet: the dispatcher's form starts
        with them. Not after a return: the department it sent the case to has said no."""
        return (self.row.outcome in ("suggested", "failed") and self.row.lead_department_id is not None
                and not self.row.returned and case.dispatch_count == 0)


def outcome_label(outcome: str) -> str:
    return {
        "dispatched": _("Dispatched at once by the catalogue"),
        "suggested": _("Suggested to the dispatcher"),
        "no_match": _("No rule matched"),
        "failed": _("Automatic dispatch failed: the dispatcher decides"),
    }.get(outcome, outcome)


def for_cases(session: Session, case_ids) -> dict[int, Routed]:
    """The latest decision of each case, explained: a case id → Routed, for those that have one."""
    ids = list(case_ids)
    if not ids:
        return {}
    latest: dict[int, RoutingDecision] = {}
    for row in session.scalars(select(RoutingDecision).where(RoutingDecision.case_id.in_(ids))
                               .order_by(RoutingDecision.id)):
        latest[row.case_id] = row
    rows = list(latest.values())
    named = _names(session, rows)
    out = {}
    for row in rows:
        explanation = Explanation(
            rule_position=row.rule_position, rule_name=row.rule_name, mode=row.mode,
            matched=[(on, named.get((on, value), value)) for on, value in row.matched or []],
            lead=named.get(("dept", row.lead_department_id)),
            co=[d for i in row.co_department_ids or [] if (d := named.get(("dept", i)))],
        )
        out[row.case_id] = Routed(row, explanation, routing_text.describe(explanation))
    return out


def for_case(session: Session, case: Case) -> Routed | None:
    return for_cases(session, [case.id]).get(case.id)


def _names(session: Session, rows: list[RoutingDecision]) -> dict[tuple, object]:
    """The categories, areas and departments the decisions name, in three queries."""
    wanted: dict[str, set] = {"category": set(), "area": set(), "dept": set()}
    for row in rows:
        for on, value in row.matched or []:
            if on in ("category", "area"):
                wanted[on].add(value)
        wanted["dept"].update(i for i in [row.lead_department_id, *(row.co_department_ids or [])] if i)
    named: dict[tuple, object] = {}
    if wanted["category"]:
        for c in session.scalars(select(Category).where(Category.code.in_(wanted["category"]))
                                 .options(selectinload(Category.parent))):
            named[("category", c.code)] = c
    if wanted["area"]:
        for a in session.scalars(select(Area).where(Area.code.in_(wanted["area"]))):
            named[("area", a.code)] = a
    if wanted["dept"]:
        for d in session.scalars(select(Department).where(Department.id.in_(wanted["dept"]))):
            named[("dept", d.id)] = d
    return named
