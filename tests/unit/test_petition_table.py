"""The petition procedure (信访工作条例, DOMAIN.md §3) checked against a table written here, independently of
RULES: every situation × action × role × relation to the case (the organ, an earlier organ, another unit, the
centre). Forbidden when the role or the relation may never take the action; Conflict when the state or a
guard refuses it now."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from hotline.domain.access import Actor
from hotline.domain.errors import Conflict, Forbidden
from hotline.domain.kinds import Kind
from hotline.domain.lifecycle import AssignmentView
from hotline.domain.petition import PetitionAction as A
from hotline.domain.petition import PetitionState as S
from hotline.domain.petition import PetitionView, allowed_actions, decide
from hotline.domain.roles import Role as R

ORGAN, EARLIER, OTHER, CENTRE = 21, 22, 23, 1
RELATIONS = {"organ": ORGAN, "earlier": EARLIER, "other": OTHER, "centre": CENTRE}
INTAKE = {R.OPERATOR, R.DISPATCHER, R.SUPERVISOR}
OFFICE = {R.DISPATCHER, R.SUPERVISOR}
DEPARTMENT = {R.STAFF, R.HEAD}
WHO: dict[A, set[R]] = {
    A.REGISTER: set(),
    A.FORWARD: OFFICE, A.REFER: OFFICE, A.DECIDE_OBJECTION: OFFICE,
    A.REQUEST_REVIEW: INTAKE, A.REQUEST_RE_REVIEW: INTAKE, A.WITHDRAW: INTAKE, A.LINK: INTAKE, A.URGE: INTAKE,
    A.CLOSE: {R.SUPERVISOR}, A.RECORD_CONFLICT: {R.SUPERVISOR},
    A.OBJECT: DEPARTMENT, A.ACCEPT: DEPARTMENT, A.REQUEST_EXTENSION: DEPARTMENT, A.DECIDE: DEPARTMENT,
    A.DECIDE_REVIEW: DEPARTMENT, A.START_HEARING: DEPARTMENT, A.END_HEARING: DEPARTMENT,
    A.DECIDE_RE_REVIEW: DEPARTMENT, A.DECLARE_CONFLICT: DEPARTMENT, A.CORRECT_DOCUMENT: DEPARTMENT,
    A.DECIDE_EXTENSION: {R.HEAD},  # Art. 34: 经本机关负责人批准
}
# the organ holding the petition acts on it; an earlier organ (before review) keeps sight of it only
ORGAN_ONLY = {A.OBJECT, A.ACCEPT, A.REQUEST_EXTENSION, A.DECIDE_EXTENSION, A.DECIDE, A.DECIDE_REVIEW,
              A.START_HEARING, A.END_HEARING, A.DECIDE_RE_REVIEW}
ANY_ASSIGNED = {A.DECLARE_CONFLICT, A.CORRECT_DOCUMENT}
FIELDS = {A.ACCEPT: {"decision": "accept"}, A.DECIDE_OBJECTION: {"decision": "uphold"}}


@dataclass(frozen=True)
class Situation:
    state: S
    kind: Kind = Kind.GRIEVANCE
    organ: bool = True       # an organ holds the lead
    earlier: bool = False    # an earlier organ keeps sight of it (review, re-review)
    allowed: dict = field(default_factory=dict)  # action → resulting state or "!conflict code"
    extension_status: str | None = None
    in_hearing: bool = False
    objection_window_open: bool = True
    review_window_open: bool = True
    re_review_window_open: bool = True

    def view(self) -> PetitionView:
        assignments = []
        if self.organ:
            assignments.append(AssignmentView(ORGAN, True, "signed"))
        if self.earlier:
            assignments.append(AssignmentView(EARLIER, False, "replied"))
        return PetitionView(self.state, self.kind, tuple(assignments), self.extension_status, self.in_hearing,
                            self.objection_window_open, self.review_window_open, self.re_review_window_open)


EVERYWHERE = {A.DECLARE_CONFLICT: "same", A.RECORD_CONFLICT: "same", A.CORRECT_DOCUMENT: "same"}
OPEN = {**EVERYWHERE, A.LINK: "same"}

SITUATIONS = {
    "registered": Situation(S.REGISTERED, organ=False, allowed={
        **OPEN, A.FORWARD: S.FORWARDED, A.REFER: S.NOT_ACCEPTED, A.WITHDRAW: S.CLOSED}),
    "forwarded": Situation(S.FORWARDED, allowed={
        **OPEN, A.OBJECT: S.OBJECTED, A.ACCEPT: S.ACCEPTED, A.WITHDRAW: S.CLOSED, A.URGE: "same"}),
    "forwarded, objection window closed": Situation(S.FORWARDED, objection_window_open=False, allowed={
        **OPEN, A.OBJECT: "!objection_window_closed", A.ACCEPT: S.ACCEPTED, A.WITHDRAW: S.CLOSED, A.URGE: "same"}),
    "objected": Situation(S.OBJECTED, allowed={**OPEN, A.DECIDE_OBJECTION: S.REGISTERED, A.WITHDRAW: S.CLOSED}),
    "accepted": Situation(S.ACCEPTED, allowed={
        **OPEN, A.REQUEST_EXTENSION: "same", A.DECIDE_EXTENSION: "!no_pending_extension", A.DECIDE: S.DECIDED,
        A.WITHDRAW: S.CLOSED, A.URGE: "same"}),
    "accepted, extension pending": Situation(S.ACCEPTED, extension_status="pending", allowed={
        **OPEN, A.REQUEST_EXTENSION: "!extension_used", A.DECIDE_EXTENSION: "same", A.DECIDE: S.DECIDED,
        A.WITHDRAW: S.CLOSED, A.URGE: "same"}),
    "accepted suggestion": Situation(S.ACCEPTED, kind=Kind.PETITION_SUGGESTION, allowed={
        **OPEN, A.REQUEST_EXTENSION: "same", A.DECIDE_EXTENSION: "!no_pending_extension", A.DECIDE: S.CLOSED,
        A.WITHDRAW: S.CLOSED, A.URGE: "same"}),
    "decided": Situation(S.DECIDED, allowed={**OPEN, A.REQUEST_REVIEW: S.REVIEWING, A.CLOSE: "!window_open"}),
    "decided, window lapsed": Situation(S.DECIDED, review_window_open=False, allowed={
        **OPEN, A.REQUEST_REVIEW: "!review_window_closed", A.CLOSE: S.CLOSED}),
    "decided accusation": Situation(S.DECIDED, kind=Kind.ACCUSATION, allowed={
        **OPEN, A.REQUEST_REVIEW: "!not_a_grievance", A.CLOSE: "!window_open"}),
    "reviewing": Situation(S.REVIEWING, earlier=True, allowed={
        **OPEN, A.DECIDE_REVIEW: S.REVIEWED, A.WITHDRAW: S.CLOSED, A.URGE: "same"}),
    "reviewed": Situation(S.REVIEWED, earlier=True, allowed={
        **OPEN, A.REQUEST_RE_REVIEW: S.RE_REVIEWING, A.CLOSE: "!window_open"}),
    "reviewed, window lapsed": Situation(S.REVIEWED, earlier=True, re_review_window_open=False, allowed={
        **OPEN, A.REQUEST_RE_REVIEW: "!re_review_window_closed", A.CLOSE: S.CLOSED}),
    "re-reviewing": Situation(S.RE_REVIEWING, earlier=True, allowed={
        **OPEN, A.START_HEARING: "same", A.END_HEARING: "!no_hearing", A.DECIDE_RE_REVIEW: S.CLOSED,
        A.WITHDRAW: S.CLOSED, A.URGE: "same"}),
    "in a hearing": Situation(S.RE_REVIEWING, earlier=True, in_hearing=True, allowed={
        **OPEN, A.START_HEARING: "!in_hearing", A.END_HEARING: "same", A.DECIDE_RE_REVIEW: "!in_hearing",
        A.WITHDRAW: S.CLOSED, A.URGE: "same"}),
    "closed": Situation(S.CLOSED, allowed=dict(EVERYWHERE)),
    "not accepted": Situation(S.NOT_ACCEPTED, organ=False, allowed=dict(EVERYWHERE)),
}


def _actor(role: R, relation: str) -> Actor:
    return Actor(1, role, RELATIONS[relation] if role in DEPARTMENT else None)


def _expected(situation: Situation, action: A, role: R, relation: str):
    """Forbidden, "!code" (Conflict) or the resulting state."""
    if role not in WHO[action]:
        return Forbidden
    if role in DEPARTMENT:
        holds = relation == "organ" and situation.organ
        sees = holds or (relation == "earlier" and situation.earlier)
        if action in ORGAN_ONLY and not holds:
            return Forbidden
        if action in ANY_ASSIGNED and not sees:
            return Forbidden
    outcome = situation.allowed.get(action)
    if outcome is None:
        return "!state"
    return situation.state if outcome == "same" else outcome


CASES = [(name, action, role, relation) for name in SITUATIONS for action in A for role in R
         for relation in (("organ", "earlier", "other") if role in DEPARTMENT else ("centre",))]


@pytest.mark.parametrize(("name", "action", "role", "relation"), CASES)
def test_every_situation_action_role_and_relation(name, action, role, relation):
    situation = SITUATIONS[name]
    expected = _expected(situation, action, role, relation)
    view, actor = situation.view(), _actor(role, relation)
    if expected is Forbidden:
        with pytest.raises(Forbidden):
            decide(view, action, actor, FIELDS.get(action))
    elif isinstance(expected, str) and expected.startswith("!"):
        with pytest.raises(Conflict) as refused:
            decide(view, action, actor, FIELDS.get(action))
        assert refused.value.code == expected[1:]
    else:
        assert decide(view, action, actor, FIELDS.get(action)).to_state == expected
        assert action in allowed_actions(view, actor)


def test_an_accusation_is_never_forwarded_to_the_unit_it_accuses():
    view = PetitionView(S.REGISTERED, Kind.ACCUSATION, accused_department_ids=frozenset({ORGAN}))
    with pytest.raises(Conflict, match="accused_department"):
        decide(view, A.FORWARD, _actor(R.DISPATCHER, "centre"), {"organ_id": ORGAN, "forwarding": "forward"})
    assert decide(view, A.FORWARD, _actor(R.DISPATCHER, "centre"),
                  {"organ_id": OTHER, "forwarding": "forward"}).to_state is S.FORWARDED


@pytest.mark.parametrize(("decision", "state"), [("uphold", S.REGISTERED), ("refuse", S.FORWARDED)])
def test_the_office_decides_an_objection(decision, state):
    view = SITUATIONS["objected"].view()
    assert decide(view, A.DECIDE_OBJECTION, _actor(R.DISPATCHER, "centre"), {"decision": decision}).to_state is state


@pytest.mark.parametrize(("outcome", "state"), [("uphold", S.REVIEWED), ("change", S.REVIEWED),
                                                ("revoke", S.ACCEPTED)])
def test_a_review_that_revokes_the_decision_sends_it_back_to_be_decided_again(outcome, state):
    view = SITUATIONS["reviewing"].view()
    assert decide(view, A.DECIDE_REVIEW, _actor(R.STAFF, "organ"), {"outcome": outcome}).to_state is state


def test_not_accepted_when_the_legal_route_applies():
    view = SITUATIONS["forwarded"].view()
    step = decide(view, A.ACCEPT, _actor(R.STAFF, "organ"), {"decision": "refer", "legal_route": "litigation"})
    assert step.to_state is S.NOT_ACCEPTED
