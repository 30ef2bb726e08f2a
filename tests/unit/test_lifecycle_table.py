"""The work-order lifecycle (DOMAIN.md §2, issue 3) checked against a table written here, independently of
RULES: every situation × action × role × department relation (lead, co-handler, unrelated, the centre).

Refusals: Forbidden when this role, or this department's relation to the case, may never take the action;
Conflict when the case's state or a guard refuses it now."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from hotline.domain.access import Actor
from hotline.domain.errors import Conflict, Forbidden
from hotline.domain.lifecycle import Action as A
from hotline.domain.lifecycle import AssignmentView, CaseView, allowed_actions, decide
from hotline.domain.lifecycle import State as S
from hotline.domain.roles import Role as R

LEAD_DEPT, CO_DEPT, OTHER_DEPT, CENTRE_DEPT = 11, 12, 13, 1
RELATIONS = {"lead": LEAD_DEPT, "co": CO_DEPT, "unrelated": OTHER_DEPT, "centre": CENTRE_DEPT}

# Who may ever take each action. The administrator keeps the system running and handles no case: the one
# step the admin takes is recomputing deadlines (with the supervisor) after the calendar or a policy changed.
# A case is registered by intake, never through `decide`.
CENTRE_INTAKE = {R.OPERATOR, R.DISPATCHER, R.SUPERVISOR}
DISPATCH_DESK = {R.DISPATCHER, R.SUPERVISOR}
DEPARTMENT = {R.STAFF, R.HEAD}
WHO: dict[A, set[R]] = {
    A.REGISTER: set(), A.RESTAMP: {R.ADMIN, R.SUPERVISOR},
    A.DISPATCH: DISPATCH_DESK, A.REVIEW_RETURN: DISPATCH_DESK, A.REVIEW_REPLY: DISPATCH_DESK,
    A.REDO: DISPATCH_DESK,
    A.ANSWER_DIRECTLY: CENTRE_INTAKE, A.TRANSFER: CENTRE_INTAKE, A.MERGE: CENTRE_INTAKE, A.CALLBACK: CENTRE_INTAKE,
    A.URGE: CENTRE_INTAKE,
    A.DECIDE_EXTENSION: {R.SUPERVISOR}, A.CLOSE: {R.SUPERVISOR}, A.TERMINATE: {R.SUPERVISOR},
    A.SUPERVISE: {R.SUPERVISOR}, A.CLOSE_UNRATED: {R.SUPERVISOR},
    A.SIGN: DEPARTMENT, A.REPLY: DEPARTMENT, A.RETURN: DEPARTMENT, A.REQUEST_EXTENSION: DEPARTMENT,
}
# Department actions: which relations to the case may take them (首接负责: the lead returns and asks for time).
RELATION_NEEDED: dict[A, set[str]] = {
    A.SIGN: {"lead", "co"}, A.REPLY: {"lead", "co"}, A.RETURN: {"lead"}, A.REQUEST_EXTENSION: {"lead"},
}

# Fields for actions whose outcome depends on them; the other outcomes are tested further down.
FIELDS = {A.REVIEW_RETURN: {"decision": "uphold"}, A.DECIDE_EXTENSION: {"decision": "approve"},
          A.REVIEW_REPLY: {"decision": "approve"}, A.CALLBACK: {"satisfaction": "satisfied", "resolved": True}}


@dataclass(frozen=True)
class Situation:
    """A case as the rules see it; `allowed` maps an action to the resulting state, to "!code" for a guard's
    Conflict, or to a dict of those by relation (lead/co). Actions not listed are refused by the state."""
    state: S
    lead: str | None = None  # the lead assignment's status, None when there is no active lead assignment
    co: str | None = None
    allowed: dict = field(default_factory=dict)
    dispatch_count: int = 1
    extension_status: str | None = None
    reply_reviewed: bool = False
    callback_satisfaction: str | None = None
    callback_resolved: bool | None = None
    callback_window_open: bool = True

    def view(self) -> CaseView:
        assignments = []
        if self.lead:
            assignments.append(AssignmentView(LEAD_DEPT, True, self.lead))
        if self.co:
            assignments.append(AssignmentView(CO_DEPT, False, self.co))
        return CaseView(state=self.state, assignments=tuple(assignments), dispatch_count=self.dispatch_count,
                        extension_status=self.extension_status, reply_reviewed=self.reply_reviewed,
                        callback_satisfaction=self.callback_satisfaction, callback_resolved=self.callback_resolved,
                        callback_window_open=self.callback_window_open)

    def relations(self) -> set[str]:
        return {r for r, status in (("lead", self.lead), ("co", self.co)) if status}


def before_reply(state: S) -> dict:
    """Open and not yet answered: the centre may merge a duplicate in, terminate, urge."""
    return {A.MERGE: S.MERGED, A.TERMINATE: S.TERMINATED, A.URGE: state}


# A recompute of the running deadlines (after the calendar or a policy changed) leaves the state as it is.
DISPATCHED = {**before_reply(S.DISPATCHED), A.SUPERVISE: S.DISPATCHED, A.RETURN: S.RETURNED,
              A.RESTAMP: S.DISPATCHED}
IN_PROGRESS = {**before_reply(S.IN_PROGRESS), A.SUPERVISE: S.IN_PROGRESS, A.RETURN: S.RETURNED,
               A.RESTAMP: S.IN_PROGRESS,
               A.REQUEST_EXTENSION: S.IN_PROGRESS, A.DECIDE_EXTENSION: "!no_pending_extension",
               A.SIGN: {"lead": "!already_signed", "co": "!already_signed"},
               A.REPLY: {"lead": S.REPLIED, "co": S.IN_PROGRESS}}
# Closing without a rating: only once the reply is reviewed, no callback was made, and its window has closed.
REPLIED = {A.TERMINATE: S.TERMINATED, A.SUPERVISE: S.REPLIED, A.RESTAMP: S.REPLIED,
           A.CLOSE_UNRATED: "!reply_not_reviewed"}

SITUATIONS: dict[str, Situation] = {
    "registered": Situation(S.REGISTERED, dispatch_count=0, allowed={
        A.DISPATCH: S.DISPATCHED, A.ANSWER_DIRECTLY: S.CLOSED, A.TRANSFER: S.CLOSED, A.MERGE: S.MERGED,
        A.TERMINATE: S.TERMINATED}),
    "registered after an upheld return": Situation(S.REGISTERED, dispatch_count=2, allowed={
        A.DISPATCH: S.DISPATCHED, A.ANSWER_DIRECTLY: S.CLOSED, A.TRANSFER: S.CLOSED, A.MERGE: S.MERGED,
        A.TERMINATE: S.TERMINATED}),
    # a co-handler's sign does not move the case; the lead's does
    "dispatched": Situation(S.DISPATCHED, "pending", "pending", allowed={
        **DISPATCHED, A.SIGN: {"lead": S.IN_PROGRESS, "co": S.DISPATCHED}}),
    "dispatched, co-handler signed": Situation(S.DISPATCHED, "pending", "signed", allowed={
        **DISPATCHED, A.SIGN: {"lead": S.IN_PROGRESS, "co": "!already_signed"}}),
    "dispatched twice": Situation(S.DISPATCHED, "pending", None, dispatch_count=2, allowed={
        **DISPATCHED, A.SIGN: {"lead": S.IN_PROGRESS}}),
    # Weifang Art. 22: after 3 dispatches the centre designates, and the department may not return it
    "dispatched, designated": Situation(S.DISPATCHED, "pending", "pending", dispatch_count=3, allowed={
        **DISPATCHED, A.RETURN: "!designated", A.SIGN: {"lead": S.IN_PROGRESS, "co": S.DISPATCHED}}),
    "returned": Situation(S.RETURNED, allowed={**before_reply(S.RETURNED), A.REVIEW_RETURN: S.REGISTERED}),
    "in progress, co-handler not signed": Situation(S.IN_PROGRESS, "signed", "pending", allowed={
        **IN_PROGRESS, A.SIGN: {"lead": "!already_signed", "co": S.IN_PROGRESS},
        A.REPLY: {"lead": S.REPLIED, "co": "!not_signed"}}),
    "in progress": Situation(S.IN_PROGRESS, "signed", "signed", allowed=IN_PROGRESS),
    "in progress, designated": Situation(S.IN_PROGRESS, "signed", "signed", dispatch_count=4, allowed={
        **IN_PROGRESS, A.RETURN: "!designated"}),
    "in progress, extension pending": Situation(S.IN_PROGRESS, "signed", "signed", extension_status="pending",
                                                allowed={**IN_PROGRESS, A.REQUEST_EXTENSION: "!extension_used",
                                                         A.DECIDE_EXTENSION: S.IN_PROGRESS}),
    "in progress, extension approved": Situation(S.IN_PROGRESS, "signed", "signed", extension_status="approved",
                                                 allowed={**IN_PROGRESS, A.REQUEST_EXTENSION: "!extension_used"}),
    "in progress, extension denied": Situation(S.IN_PROGRESS, "signed", "signed", extension_status="denied",
                                               allowed={**IN_PROGRESS, A.REQUEST_EXTENSION: "!extension_used"}),
    "in progress, co-handler replied": Situation(S.IN_PROGRESS, "signed", "replied", allowed={
        **IN_PROGRESS, A.REPLY: {"lead": S.REPLIED, "co": "!already_replied"}}),
    "replied, not reviewed": Situation(S.REPLIED, "replied", "replied", allowed={
        **REPLIED, A.REVIEW_REPLY: S.REPLIED, A.CALLBACK: "!reply_not_reviewed", A.REDO: "!no_callback",
        A.CLOSE: "!reply_not_reviewed"}),
    "replied, reviewed": Situation(S.REPLIED, "replied", "replied", reply_reviewed=True, allowed={
        **REPLIED, A.REVIEW_REPLY: "!already_reviewed", A.CALLBACK: S.CLOSED, A.REDO: "!no_callback",
        A.CLOSE: S.CLOSED, A.CLOSE_UNRATED: "!callback_window_open"}),
    "replied, reviewed, callback window closed": Situation(
        S.REPLIED, "replied", "replied", reply_reviewed=True, callback_window_open=False, allowed={
            **REPLIED, A.REVIEW_REPLY: "!already_reviewed", A.CALLBACK: S.CLOSED, A.REDO: "!no_callback",
            A.CLOSE: S.CLOSED, A.CLOSE_UNRATED: S.CLOSED}),
    "replied, callback made, window closed": Situation(
        S.REPLIED, "replied", None, reply_reviewed=True, callback_satisfaction="dissatisfied",
        callback_resolved=False, callback_window_open=False, allowed={
            **REPLIED, A.REVIEW_REPLY: "!already_reviewed", A.CALLBACK: "!callback_done", A.REDO: S.IN_PROGRESS,
            A.CLOSE: S.CLOSED, A.CLOSE_UNRATED: "!callback_done"}),
    "replied, callback dissatisfied": Situation(
        S.REPLIED, "replied", "replied", reply_reviewed=True, callback_satisfaction="dissatisfied",
        callback_resolved=True, allowed={**REPLIED, A.REVIEW_REPLY: "!already_reviewed",
                                         A.CALLBACK: "!callback_done", A.REDO: S.IN_PROGRESS, A.CLOSE: S.CLOSED,
                                         A.CLOSE_UNRATED: "!callback_done"}),
    "replied, callback unresolved": Situation(
        S.REPLIED, "replied", None, reply_reviewed=True, callback_satisfaction="satisfied",
        callback_resolved=False, allowed={**REPLIED, A.REVIEW_REPLY: "!already_reviewed",
                                          A.CALLBACK: "!callback_done", A.REDO: S.IN_PROGRESS, A.CLOSE: S.CLOSED,
                                          A.CLOSE_UNRATED: "!callback_done"}),
    "replied, callback basically satisfied and resolved": Situation(
        S.REPLIED, "replied", None, reply_reviewed=True, callback_satisfaction="basically",
        callback_resolved=True, allowed={**REPLIED, A.REVIEW_REPLY: "!already_reviewed",
                                         A.CALLBACK: "!callback_done", A.REDO: "!callback_satisfied",
                                         A.CLOSE: S.CLOSED, A.CLOSE_UNRATED: "!callback_done"}),
    # the service leaves the assignments of an ended case in place: the departments keep seeing it
    "closed": Situation(S.CLOSED, "replied", "replied", reply_reviewed=True, callback_satisfaction="satisfied",
                        callback_resolved=True),
    "merged": Situation(S.MERGED, "signed", None),
    "terminated": Situation(S.TERMINATED, "pending", "pending"),
}


def expected(situation: Situation, action: A, role: R, relation: str):
    if role not in WHO[action]:
        return Forbidden
    if action in RELATION_NEEDED and relation not in RELATION_NEEDED[action] & situation.relations():
        return Forbidden
    outcome = situation.allowed.get(action)
    if isinstance(outcome, dict):
        outcome = outcome.get(relation)
    return outcome if outcome is not None else "!state"


def actual(situation: Situation, action: A, role: R, relation: str):
    actor = Actor(user_id=7, role=role, department_id=RELATIONS[relation])
    try:
        return decide(situation.view(), action, actor, FIELDS.get(action, {})).to_state
    except Forbidden:
        return Forbidden
    except Conflict as exc:
        return f"!{exc.code}"


ALL = [(name, action) for name in SITUATIONS for action in A]


@pytest.mark.parametrize(("name", "action"), ALL, ids=[f"{n}-{a}" for n, a in ALL])
def test_decide_matches_the_table_for_every_role_and_department(name, action):
    situation = SITUATIONS[name]
    wrong = []
    for role in R:
        for relation in RELATIONS:
            want, got = expected(situation, action, role, relation), actual(situation, action, role, relation)
            if want != got:
                wrong.append(f"{role}/{relation}: expected {want}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_the_table_covers_every_action_and_state():
    assert set(WHO) == set(A)
    assert {s.state for s in SITUATIONS.values()} == set(S)


@pytest.mark.parametrize("name", SITUATIONS)
def test_allowed_actions_are_exactly_those_decide_accepts(name):
    situation = SITUATIONS[name]
    for role in R:
        for relation, department in RELATIONS.items():
            actor = Actor(user_id=7, role=role, department_id=department)
            accepted = {a for a in A if isinstance(actual(situation, a, role, relation), S)}
            assert set(allowed_actions(situation.view(), actor)) == accepted, (role, relation)


def test_a_user_without_a_department_takes_no_department_action():
    view = SITUATIONS["in progress"].view()
    for action in RELATION_NEEDED:
        with pytest.raises(Forbidden):
            decide(view, action, Actor(user_id=7, role=R.STAFF, department_id=None), {})


# Outcomes that depend on the fields.
DISPATCHER = Actor(user_id=1, role=R.DISPATCHER, department_id=CENTRE_DEPT)
SUPERVISOR = Actor(user_id=2, role=R.SUPERVISOR, department_id=CENTRE_DEPT)
OPERATOR = Actor(user_id=3, role=R.OPERATOR, department_id=CENTRE_DEPT)


@pytest.mark.parametrize(("decision", "to"), [("uphold", S.REGISTERED), ("refuse", S.DISPATCHED)])
def test_review_of_a_return_upheld_goes_back_to_dispatch_refused_back_to_the_department(decision, to):
    step = decide(SITUATIONS["returned"].view(), A.REVIEW_RETURN, DISPATCHER, {"decision": decision})
    assert (step.from_state, step.to_state) == (S.RETURNED, to)


@pytest.mark.parametrize(("decision", "to"), [("approve", S.REPLIED), ("send_back", S.IN_PROGRESS)])
def test_review_of_a_reply_approved_awaits_the_callback_sent_back_is_handled_again(decision, to):
    step = decide(SITUATIONS["replied, not reviewed"].view(), A.REVIEW_REPLY, DISPATCHER, {"decision": decision})
    assert step.to_state == to


@pytest.mark.parametrize("decision", ["approve", "deny"])
def test_deciding_an_extension_does_not_move_the_case(decision):
    step = decide(SITUATIONS["in progress, extension pending"].view(), A.DECIDE_EXTENSION, SUPERVISOR,
                  {"decision": decision})
    assert step.to_state == S.IN_PROGRESS


@pytest.mark.parametrize(("satisfaction", "resolved", "to"), [
    ("satisfied", True, S.CLOSED), ("basically", True, S.CLOSED),
    ("satisfied", False, S.REPLIED), ("basically", False, S.REPLIED),
    ("dissatisfied", True, S.REPLIED), ("dissatisfied", False, S.REPLIED),
])
def test_a_callback_closes_only_when_satisfied_and_resolved(satisfaction, resolved, to):
    step = decide(SITUATIONS["replied, reviewed"].view(), A.CALLBACK, OPERATOR,
                  {"satisfaction": satisfaction, "resolved": resolved})
    assert step.to_state == to


def test_a_department_step_names_its_department_and_whether_it_is_the_lead():
    view = SITUATIONS["dispatched"].view()
    lead = decide(view, A.SIGN, Actor(user_id=9, role=R.STAFF, department_id=LEAD_DEPT))
    co = decide(view, A.SIGN, Actor(user_id=9, role=R.HEAD, department_id=CO_DEPT))
    assert (lead.department_id, lead.by_lead, co.department_id, co.by_lead) == (LEAD_DEPT, True, CO_DEPT, False)
    centre = decide(view, A.URGE, OPERATOR, {"note": "x"})
    assert (centre.department_id, centre.by_lead) == (None, False)


def test_the_whole_loop_by_the_table():
    """派单 → 签收 → 答复 → 审核 → 不满意回访 → 重办 → 答复 → 审核 → 满意回访 → 办结, one CaseView at a time."""
    staff = Actor(user_id=5, role=R.STAFF, department_id=LEAD_DEPT)
    case = CaseView(S.REGISTERED)
    case = CaseView(decide(case, A.DISPATCH, DISPATCHER).to_state, (AssignmentView(LEAD_DEPT, True, "pending"),), 1)
    case = CaseView(decide(case, A.SIGN, staff).to_state, (AssignmentView(LEAD_DEPT, True, "signed"),), 1)
    assert case.state == S.IN_PROGRESS
    case = CaseView(decide(case, A.REPLY, staff).to_state, (AssignmentView(LEAD_DEPT, True, "replied"),), 1)
    assert case.state == S.REPLIED
    assert decide(case, A.REVIEW_REPLY, DISPATCHER, {"decision": "approve"}).to_state == S.REPLIED
    case = CaseView(S.REPLIED, case.assignments, 1, reply_reviewed=True)
    assert decide(case, A.CALLBACK, OPERATOR, {"satisfaction": "dissatisfied", "resolved": False}).to_state \
        == S.REPLIED
    case = CaseView(S.REPLIED, case.assignments, 1, reply_reviewed=True, callback_satisfaction="dissatisfied",
                    callback_resolved=False)
    assert decide(case, A.REDO, DISPATCHER, {"note": "再办"}).to_state == S.IN_PROGRESS
