"""The 12345 work-order lifecycle (DOMAIN.md §2) as one table: (state, action) → rule.

受理 → 派单 → 签收 → 办理 → 答复 → 审核 → 回访 → 办结, with return (退单), extension (延期), redo (重办),
merge, direct answer, termination, urging (催办) and supervision (督办). `decide` is the only judge of
whether an action may be taken; the service applies what it decides. Petitions get a table of their own (petition.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hotline.domain.access import Actor
from hotline.domain.roles import Role
from hotline.domain.rulebook import Rule, Rulebook, Scope, Step


class State(StrEnum):
    REGISTERED = "registered"    # 待派单
    DISPATCHED = "dispatched"    # 待签收
    RETURNED = "returned"        # 退单待审
    IN_PROGRESS = "in_progress"  # 办理中
    REPLIED = "replied"          # 已答复: awaiting the centre's review, then the callback
    CLOSED = "closed"            # 已办结
    MERGED = "merged"
    TERMINATED = "terminated"


OPEN_STATES = frozenset({State.REGISTERED, State.DISPATCHED, State.RETURNED, State.IN_PROGRESS, State.REPLIED})


class Action(StrEnum):
    REGISTER = "register"
    DISPATCH = "dispatch"
    SIGN = "sign"
    RETURN = "return"
    REVIEW_RETURN = "review-return"
    REQUEST_EXTENSION = "request-extension"
    DECIDE_EXTENSION = "decide-extension"
    REPLY = "reply"
    REVIEW_REPLY = "review-reply"
    CALLBACK = "callback"
    CLOSE = "close"
    REDO = "redo"
    MERGE = "merge"
    ANSWER_DIRECTLY = "answer-directly"
    TRANSFER = "transfer"  # an emergency: the caller is told to dial 110/119/120/122, the case closes
    TERMINATE = "terminate"
    URGE = "urge"
    SUPERVISE = "supervise"
    CLOSE_UNRATED = "close-unrated"  # the callback window closed with nobody reached
    RESTAMP = "restamp"  # an administrator recomputes the running deadlines under the rules in force now


MAX_DISPATCHES_BEFORE_DESIGNATION = 3  # Weifang Art. 22: after 3 dispatches the centre designates


@dataclass(frozen=True)
class AssignmentView:
    department_id: int
    lead: bool
    status: str  # pending (待签收), signed, replied


@dataclass(frozen=True)
class CaseView:
    """What the rules need to know about a case, and nothing else."""
    state: State
    assignments: tuple[AssignmentView, ...] = ()
    dispatch_count: int = 0
    extension_status: str | None = None  # pending, approved, denied
    reply_reviewed: bool = False
    callback_satisfaction: str | None = None  # of the current round; None until the callback
    callback_resolved: bool | None = None
    return_window_open: bool = True  # DOMAIN.md §2: a return only within 2 working days of dispatch
    callback_window_open: bool = True  # until the callback deadline, the centre may still reach the person

    @property
    def designated(self) -> bool:
        return self.dispatch_count >= MAX_DISPATCHES_BEFORE_DESIGNATION

    def assignment_of(self, department_id: int | None) -> AssignmentView | None:
        return next((a for a in self.assignments if a.department_id == department_id), None)


# Who does what. The admin keeps the system running and takes no part in handling cases: a recompute of
# deadlines after the calendar or a policy changed is the one step the admin takes on a case.
DISPATCHERS = frozenset({Role.DISPATCHER, Role.SUPERVISOR})
INTAKE = frozenset({Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR})
CALLERS = frozenset({Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR})
SUPERVISORS = frozenset({Role.SUPERVISOR})
RESTAMPERS = frozenset({Role.ADMIN, Role.SUPERVISOR})  # the admin keeps the calendar and the policies
DEPARTMENT = frozenset({Role.STAFF, Role.HEAD})


def _unsigned(case, assignment, fields):
    return None if assignment and assignment.status == "pending" else "already_signed"


def _not_designated(case, assignment, fields):
    if case.designated:
        return "designated"
    return None if case.return_window_open else "return_window_closed"


def _no_extension_yet(case, assignment, fields):
    return "extension_used" if case.extension_status else None


def _extension_pending(case, assignment, fields):
    return None if case.extension_status == "pending" else "no_pending_extension"


def _signed_not_replied(case, assignment, fields):
    if assignment is None or assignment.status == "pending":
        return "not_signed"
    return "already_replied" if assignment.status == "replied" else None


def _reply_unreviewed(case, assignment, fields):
    return "already_reviewed" if case.reply_reviewed else None


def _awaiting_callback(case, assignment, fields):
    if not case.reply_reviewed:
        return "reply_not_reviewed"
    return "callback_done" if case.callback_satisfaction else None


def _callback_unhappy(case, assignment, fields):
    """Jinan Art. 27: a dissatisfied or unresolved callback reopens the case."""
    if not case.callback_satisfaction:
        return "no_callback"
    unhappy = case.callback_satisfaction == "dissatisfied" or case.callback_resolved is False
    return None if unhappy else "callback_satisfied"


def _callback_window_closed(case, assignment, fields):
    return _awaiting_callback(case, assignment, fields) or ("callback_window_open" if case.callback_window_open
                                                            else None)


def _reviewed(case, assignment, fields):
    return None if case.reply_reviewed else "reply_not_reviewed"


def _after_return_review(case, fields, by_lead):
    return State.REGISTERED if fields.get("decision") == "uphold" else State.DISPATCHED


def _after_reply_review(case, fields, by_lead):
    return State.REPLIED if fields.get("decision") == "approve" else State.IN_PROGRESS


def _after_callback(case, fields, by_lead):
    settled = fields.get("satisfaction") in ("satisfied", "basically") and fields.get("resolved") is True
    return State.CLOSED if settled else State.REPLIED


def _lead_moves(to: State):
    """Co-handlers sign and reply to their own assignment; only the lead's step moves the case."""
    return lambda case, fields, by_lead: to if by_lead else case.state


_open_before_reply = (State.REGISTERED, State.DISPATCHED, State.RETURNED, State.IN_PROGRESS)

RULES: dict[tuple[State, Action], Rule] = {
    (State.REGISTERED, Action.DISPATCH): Rule(State.DISPATCHED, DISPATCHERS),
    (State.REGISTERED, Action.ANSWER_DIRECTLY): Rule(State.CLOSED, INTAKE),
    (State.REGISTERED, Action.TRANSFER): Rule(State.CLOSED, INTAKE),
    (State.DISPATCHED, Action.SIGN): Rule(_lead_moves(State.IN_PROGRESS), DEPARTMENT, Scope.ASSIGNED, _unsigned),
    (State.DISPATCHED, Action.RETURN): Rule(State.RETURNED, DEPARTMENT, Scope.LEAD, _not_designated),
    (State.RETURNED, Action.REVIEW_RETURN): Rule(_after_return_review, DISPATCHERS),
    (State.IN_PROGRESS, Action.SIGN): Rule(State.IN_PROGRESS, DEPARTMENT, Scope.ASSIGNED, _unsigned),
    (State.IN_PROGRESS, Action.RETURN): Rule(State.RETURNED, DEPARTMENT, Scope.LEAD, _not_designated),
    (State.IN_PROGRESS, Action.REQUEST_EXTENSION): Rule(State.IN_PROGRESS, DEPARTMENT, Scope.LEAD, _no_extension_yet),
    (State.IN_PROGRESS, Action.DECIDE_EXTENSION): Rule(State.IN_PROGRESS, SUPERVISORS, guard=_extension_pending),
    (State.IN_PROGRESS, Action.REPLY): Rule(_lead_moves(State.REPLIED), DEPARTMENT, Scope.ASSIGNED,
                                            _signed_not_replied),
    (State.REPLIED, Action.REVIEW_REPLY): Rule(_after_reply_review, DISPATCHERS, guard=_reply_unreviewed),
    (State.REPLIED, Action.CALLBACK): Rule(_after_callback, CALLERS, guard=_awaiting_callback),
    (State.REPLIED, Action.REDO): Rule(State.IN_PROGRESS, DISPATCHERS, guard=_callback_unhappy),
    (State.REPLIED, Action.CLOSE): Rule(State.CLOSED, SUPERVISORS, guard=_reviewed),
    (State.REPLIED, Action.CLOSE_UNRATED): Rule(State.CLOSED, SUPERVISORS, guard=_callback_window_closed),
    **{(s, Action.RESTAMP): Rule(s, RESTAMPERS) for s in (State.DISPATCHED, State.IN_PROGRESS, State.REPLIED)},
    **{(s, Action.MERGE): Rule(State.MERGED, INTAKE) for s in _open_before_reply},
    **{(s, Action.TERMINATE): Rule(State.TERMINATED, SUPERVISORS) for s in OPEN_STATES},
    **{(s, Action.URGE): Rule(s, CALLERS) for s in (State.DISPATCHED, State.RETURNED, State.IN_PROGRESS)},
    **{(s, Action.SUPERVISE): Rule(s, SUPERVISORS) for s in (State.DISPATCHED, State.IN_PROGRESS, State.REPLIED)},
}

BOOK = Rulebook(RULES, Action)
ROLES_FOR_ACTION = BOOK.roles


def decide(case: CaseView, action: Action, actor: Actor, fields: dict | None = None) -> Step:
    """Forbidden when this person may never take this action on this case; Conflict when the case is
    not in a state that allows it (now). Fields are assumed already validated (see `actions.clean`)."""
    return BOOK.decide(case, action, actor, fields)


def allowed_actions(case: CaseView, actor: Actor) -> list[Action]:
    return BOOK.allowed(case, actor)
