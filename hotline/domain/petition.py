"""The petition (信访) procedure of 《信访工作条例》(2022) as one table: (state, action) → rule (DOMAIN.md §3).

登记 → 转送/交办 (Art. 22) → 受理告知 or 告知法定途径 (Arts. 23, 31), or the organ's objection "not our remit"
decided by the petition office (Art. 23) → 办理, 60 days, one extension of at most 30 approved by the organ's
head (Arts. 32, 34) → 处理意见书 → 复查 asked within 30 days, decided within 30 (Art. 35) → 复核 asked within 30
days, decided within 30, a hearing not counted (Art. 36) → closed for good. Suggestions (建议意见类) and
accusations (检举控告类) end with the organ's answer; only a grievance (申诉求决类) goes on to review.

`decide` is the only judge of whether a step may be taken; services/petition_effects.py applies it.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hotline.domain.kinds import Kind
from hotline.domain.lifecycle import CALLERS, DEPARTMENT, DISPATCHERS, INTAKE, SUPERVISORS, AssignmentView
from hotline.domain.roles import Role
from hotline.domain.rulebook import Rule, Rulebook, Scope, Step


class PetitionState(StrEnum):
    REGISTERED = "registered"      # 已登记: with the petition office, to be forwarded
    FORWARDED = "forwarded"        # 已转送/交办: the organ must tell the petitioner whether it accepts
    OBJECTED = "objected"          # 异议待定: the organ says it is not its remit; the office decides
    ACCEPTED = "accepted"          # 已受理: being handled, 60 days
    DECIDED = "decided"            # 已出具处理意见: the petitioner may ask for review within 30 days
    REVIEWING = "reviewing"        # 复查中
    REVIEWED = "reviewed"          # 已出具复查意见: the petitioner may ask for re-review within 30 days
    RE_REVIEWING = "re_reviewing"  # 复核中
    CLOSED = "closed"              # 办结
    NOT_ACCEPTED = "not_accepted"  # 不予受理: told the legal route (Art. 31)


OPEN_PETITION_STATES = frozenset({PetitionState.REGISTERED, PetitionState.FORWARDED, PetitionState.OBJECTED,
                                  PetitionState.ACCEPTED, PetitionState.DECIDED, PetitionState.REVIEWING,
                                  PetitionState.REVIEWED, PetitionState.RE_REVIEWING})
# with an organ, which must act (the states the organ's queue shows)
WITH_ORGAN = frozenset({PetitionState.FORWARDED, PetitionState.ACCEPTED, PetitionState.REVIEWING,
                        PetitionState.RE_REVIEWING})


class PetitionAction(StrEnum):
    REGISTER = "register"
    FORWARD = "forward"                        # 转送/交办 to the organ whose remit it is (Art. 22)
    REFER = "refer"                            # the office tells the legal route at once (Art. 31)
    OBJECT = "object"                          # the organ: not our remit, within 5 working days (Art. 23)
    DECIDE_OBJECTION = "decide-objection"      # the office upholds it (forward again) or refuses it
    ACCEPT = "accept"                          # 受理告知, or the legal route (Arts. 23, 31)
    REQUEST_EXTENSION = "request-extension"    # at most 30 days, once (Art. 34)
    DECIDE_EXTENSION = "decide-extension"      # the organ's head (本机关负责人)
    DECIDE = "decide"                          # 处理意见书 (Art. 32)
    REQUEST_REVIEW = "request-review"          # 复查, within 30 days of the decision (Art. 35)
    DECIDE_REVIEW = "decide-review"
    REQUEST_RE_REVIEW = "request-re-review"    # 复核, within 30 days of the review (Art. 36)
    START_HEARING = "start-hearing"            # 听证: its time is not counted (Art. 36)
    END_HEARING = "end-hearing"
    DECIDE_RE_REVIEW = "decide-re-review"      # final: the same facts and reasons are never accepted again
    CLOSE = "close"                            # the window for review or re-review lapsed: the decision stands
    WITHDRAW = "withdraw"                      # the petitioner withdraws (撤回)
    LINK = "link"                              # a 12345 case about the same matter: merged in, or noted
    URGE = "urge"                              # 催办
    DECLARE_CONFLICT = "declare-conflict"      # 回避 (Art. 28): a handler steps away from the case
    RECORD_CONFLICT = "record-conflict"        # a supervisor removes someone with an interest in it
    CORRECT_DOCUMENT = "correct-document"      # an issued document is never changed: a correction is a new one


class Outcome(StrEnum):
    """处理意见 (Art. 32)."""
    SUPPORT = "support"    # 支持
    EXPLAIN = "explain"    # 解释说明
    REJECT = "reject"      # 不予支持


class ReviewOutcome(StrEnum):
    """复查/复核意见."""
    UPHOLD = "uphold"      # 维持
    CHANGE = "change"      # 变更
    REVOKE = "revoke"      # 撤销, to be handled again


class LegalRoute(StrEnum):
    """What a matter that is not a petition's is told (Art. 31)."""
    LITIGATION = "litigation"                        # 诉讼
    ARBITRATION = "arbitration"                      # 仲裁
    ADMINISTRATIVE_REVIEW = "administrative_review"  # 行政复议
    OTHER = "other"                                  # another legal route, named in the note


class Forwarding(StrEnum):
    FORWARD = "forward"  # 转送: the organ handles it and answers the petitioner
    ASSIGN = "assign"    # 交办: and reports the result back to the office


@dataclass(frozen=True)
class PetitionView:
    """What the rules need to know about a petition, and nothing else."""
    state: PetitionState
    kind: Kind
    assignments: tuple[AssignmentView, ...] = ()
    extension_status: str | None = None  # pending, approved, denied
    in_hearing: bool = False
    objection_window_open: bool = True     # 5 working days from forwarding (Art. 23)
    review_window_open: bool = True        # 30 days from the decision (Art. 35)
    re_review_window_open: bool = True     # 30 days from the review decision (Art. 36)
    accused_department_ids: frozenset[int] = frozenset()

    def assignment_of(self, department_id: int | None) -> AssignmentView | None:
        return next((a for a in self.assignments if a.department_id == department_id), None)


HEADS = frozenset({Role.HEAD})
ANYONE_ON_IT = DEPARTMENT


def _not_accused(case: PetitionView, assignment, fields):
    """An accusation never goes to the unit accused (Art. 30): it must not learn who accused it."""
    return "accused_department" if fields.get("organ_id") in case.accused_department_ids else None


def _objection_window(case, assignment, fields):
    return None if case.objection_window_open else "objection_window_closed"


def _no_extension_yet(case, assignment, fields):
    return "extension_used" if case.extension_status else None


def _extension_pending(case, assignment, fields):
    return None if case.extension_status == "pending" else "no_pending_extension"


def _grievance(case: PetitionView) -> str | None:
    return None if case.kind is Kind.GRIEVANCE else "not_a_grievance"


def _review_window(case, assignment, fields):
    return _grievance(case) or (None if case.review_window_open else "review_window_closed")


def _re_review_window(case, assignment, fields):
    return _grievance(case) or (None if case.re_review_window_open else "re_review_window_closed")


def _no_hearing(case, assignment, fields):
    return "in_hearing" if case.in_hearing else None


def _hearing(case, assignment, fields):
    return None if case.in_hearing else "no_hearing"


def _review_lapsed(case, assignment, fields):
    open_now = case.review_window_open if case.state is PetitionState.DECIDED else case.re_review_window_open
    return "window_open" if open_now else None


def _after_objection(case, fields, by_lead):
    return PetitionState.REGISTERED if fields.get("decision") == "uphold" else PetitionState.FORWARDED


def _after_accept(case, fields, by_lead):
    return PetitionState.ACCEPTED if fields.get("decision") == "accept" else PetitionState.NOT_ACCEPTED


def _after_decision(case: PetitionView, fields, by_lead):
    """Only a grievance may be reviewed; a suggestion or an accusation ends with its answer."""
    return PetitionState.DECIDED if case.kind is Kind.GRIEVANCE else PetitionState.CLOSED


def _after_review(case, fields, by_lead):
    """A review that revokes the decision sends the matter back to the organ that decided it, to decide again."""
    return PetitionState.ACCEPTED if fields.get("outcome") == ReviewOutcome.REVOKE else PetitionState.REVIEWED


S, A = PetitionState, PetitionAction
_EVERY_STATE = tuple(PetitionState)
_WITHDRAWABLE = (S.REGISTERED, S.FORWARDED, S.OBJECTED, S.ACCEPTED, S.REVIEWING, S.RE_REVIEWING)
_ORGAN = dict(who=DEPARTMENT, scope=Scope.LEAD)

RULES: dict[tuple[PetitionState, PetitionAction], Rule] = {
    (S.REGISTERED, A.FORWARD): Rule(S.FORWARDED, DISPATCHERS, guard=_not_accused),
    (S.REGISTERED, A.REFER): Rule(S.NOT_ACCEPTED, DISPATCHERS),
    (S.FORWARDED, A.OBJECT): Rule(S.OBJECTED, guard=_objection_window, **_ORGAN),
    (S.OBJECTED, A.DECIDE_OBJECTION): Rule(_after_objection, DISPATCHERS),
    (S.FORWARDED, A.ACCEPT): Rule(_after_accept, **_ORGAN),
    (S.ACCEPTED, A.REQUEST_EXTENSION): Rule(S.ACCEPTED, guard=_no_extension_yet, **_ORGAN),
    (S.ACCEPTED, A.DECIDE_EXTENSION): Rule(S.ACCEPTED, HEADS, Scope.LEAD, _extension_pending),
    (S.ACCEPTED, A.DECIDE): Rule(_after_decision, **_ORGAN),
    (S.DECIDED, A.REQUEST_REVIEW): Rule(S.REVIEWING, INTAKE, guard=_review_window),
    (S.REVIEWING, A.DECIDE_REVIEW): Rule(_after_review, **_ORGAN),
    (S.REVIEWED, A.REQUEST_RE_REVIEW): Rule(S.RE_REVIEWING, INTAKE, guard=_re_review_window),
    (S.RE_REVIEWING, A.START_HEARING): Rule(S.RE_REVIEWING, guard=_no_hearing, **_ORGAN),
    (S.RE_REVIEWING, A.END_HEARING): Rule(S.RE_REVIEWING, guard=_hearing, **_ORGAN),
    (S.RE_REVIEWING, A.DECIDE_RE_REVIEW): Rule(S.CLOSED, guard=_no_hearing, **_ORGAN),
    (S.DECIDED, A.CLOSE): Rule(S.CLOSED, SUPERVISORS, guard=_review_lapsed),
    (S.REVIEWED, A.CLOSE): Rule(S.CLOSED, SUPERVISORS, guard=_review_lapsed),
    **{(s, A.WITHDRAW): Rule(S.CLOSED, INTAKE) for s in _WITHDRAWABLE},
    **{(s, A.LINK): Rule(s, INTAKE) for s in OPEN_PETITION_STATES},
    **{(s, A.URGE): Rule(s, CALLERS) for s in WITH_ORGAN},
    **{(s, A.DECLARE_CONFLICT): Rule(s, ANYONE_ON_IT, Scope.ASSIGNED) for s in _EVERY_STATE},
    **{(s, A.RECORD_CONFLICT): Rule(s, SUPERVISORS) for s in _EVERY_STATE},
    **{(s, A.CORRECT_DOCUMENT): Rule(s, ANYONE_ON_IT, Scope.ASSIGNED) for s in _EVERY_STATE},
}

BOOK = Rulebook(RULES, PetitionAction)


def decide(case: PetitionView, action: PetitionAction, actor, fields: dict | None = None) -> Step:
    return BOOK.decide(case, action, actor, fields)


def allowed_actions(case: PetitionView, actor) -> list[PetitionAction]:
    return BOOK.allowed(case, actor)
