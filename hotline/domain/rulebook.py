"""How a lifecycle table judges a step: who may take an action, in which state, with which relation to the case.
The 12345 work order (lifecycle.py) and the petition (petition.py) each hold a table of their own."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from hotline.domain.access import Actor
from hotline.domain.errors import Conflict, Forbidden
from hotline.domain.roles import Role


class Scope(StrEnum):
    CENTRE = "centre"      # the centre acts on any case
    LEAD = "lead"          # only the lead department (主办, or the petition's handling organ)
    ASSIGNED = "assigned"  # any department the case is with


class HasAssignment(Protocol):
    department_id: int
    lead: bool
    status: str


class View(Protocol):
    state: Any

    def assignment_of(self, department_id: int | None) -> HasAssignment | None: ...


Guard = Callable[[Any, Any, dict], str | None]  # (view, assignment, fields) → why not, or None


@dataclass(frozen=True)
class Rule:
    to: Any  # a state, or (view, fields, by_lead) → state
    who: frozenset[Role]
    scope: Scope = Scope.CENTRE
    guard: Guard | None = None


@dataclass(frozen=True)
class Step:
    action: Any
    from_state: Any
    to_state: Any
    fields: dict = field(default_factory=dict)
    department_id: int | None = None  # the acting department's assignment, for department actions
    by_lead: bool = False


class Rulebook:
    def __init__(self, rules: dict[tuple[Any, Any], Rule], actions: Iterable):
        self.rules = rules
        self.actions = tuple(actions)
        self.roles: dict[Any, frozenset[Role]] = {}
        self.scopes: dict[Any, Scope] = {}  # an action needs the same relation to the case in every state
        for (_state, action), rule in rules.items():
            self.roles[action] = self.roles.get(action, frozenset()) | rule.who
            if self.scopes.setdefault(action, rule.scope) is not rule.scope:
                raise ValueError(f"{action} needs different departments in different states")

    def decide(self, case: View, action, actor: Actor, fields: dict | None = None) -> Step:
        """Forbidden when this person may never take this action on this case; Conflict when the case is
        not in a state that allows it (now). Fields are assumed already validated."""
        fields = fields or {}
        if actor.role not in self.roles.get(action, frozenset()):
            raise Forbidden("role")
        # The department's relation to the case is checked before the state, so that a co-handler asking to
        # return, or an unrelated department asking to sign, hears "not yours" (403) in every state.
        assignment = None
        scope = self.scopes[action]
        if scope is not Scope.CENTRE:
            assignment = case.assignment_of(actor.department_id)
            if assignment is None or (scope is Scope.LEAD and not assignment.lead):
                raise Forbidden("department")
        rule = self.rules.get((case.state, action))
        if rule is None:
            raise Conflict("state")
        if actor.role not in rule.who:
            raise Forbidden("role")
        if rule.guard and (why := rule.guard(case, assignment, fields)):
            raise Conflict(why)
        by_lead = bool(assignment and assignment.lead)
        to = rule.to(case, fields, by_lead) if callable(rule.to) else rule.to
        return Step(action=action, from_state=case.state, to_state=to, fields=fields,
                    department_id=assignment.department_id if assignment else None, by_lead=by_lead)

    def allowed(self, case: View, actor: Actor) -> list:
        """What to offer this person on this case: exactly the actions `decide` would accept."""
        allowed = []
        for action in self.actions:
            try:
                self.decide(case, action, actor)
            except (Forbidden, Conflict):
                continue
            allowed.append(action)
        return allowed
