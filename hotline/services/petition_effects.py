"""What each step of the petition procedure does to a case, its petition and its assignments. Called only by
handling.act, inside its transaction, after hotline.domain.petition has allowed the step; like effects.py,
a handler changes the case before anything that flushes, and returns what the event records.

The organ a petition is with holds the lead assignment. For review and re-review the next organ up takes the
lead and the organs before it keep sight of the case (without a say in it)."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.domain.access import can_view_case
from hotline.domain.errors import InvalidFields
from hotline.domain.kinds import Track
from hotline.domain.lifecycle import OPEN_STATES, State
from hotline.domain.petition import PetitionAction, PetitionState
from hotline.domain.sla import Clock, Stamp
from hotline.models import Assignment, Case, Department, PetitionDocument, Recusal, User
from hotline.services import audit, clocks, petition_documents

A = PetitionAction


def _stamp(ctx, case: Case, clock: Clock, start=None, extra_days: int = 0) -> Stamp:
    return ctx.book.stamp_longer(clock, start or ctx.now, case.track, case.kind, case.urgency, extra_days)


def _set(case: Case, stamp: Stamp) -> dict:
    case.petition.set_due(stamp.clock.value, stamp.due_at, stamp.warn_at)
    case.deadlines_provisional = stamp.provisional
    return stamp.describe()


def _organ(session: Session, case: Case, department_id: int) -> Department:
    organ = session.get(Department, department_id)
    if organ is None or not organ.active:
        raise InvalidFields("fields", {"organ_id": "unknown"})
    if organ.id in {a.department_id for a in case.petition.accused}:
        raise InvalidFields("fields", {"organ_id": "accused_department"})
    return organ


def _lead(case: Case) -> Assignment | None:
    return next((a for a in case.active_assignments if a.lead), None)


def _hand_to(case: Case, organ: Department, user: User, ctx, keep_earlier: bool) -> Assignment:
    """The organ takes the lead; the earlier organs step back (review) or leave the case (a new forwarding)."""
    for assignment in case.active_assignments:
        if keep_earlier:
            assignment.lead = False
        else:
            assignment.active = False
    case.dispatch_count += 1
    assignment = Assignment(department_id=organ.id, lead=True, active=True, status="pending",
                            dispatch_round=case.dispatch_count, dispatched_at=ctx.now, dispatched_by_id=user.id)
    case.assignments.append(assignment)
    case.lead_department_id = organ.id
    return assignment


def _issue(session, case, kind, values, user, ctx, step, notices, documents, corrects=None) -> PetitionDocument:
    document = petition_documents.issue(session, case, kind, values, user, ctx.now, step.department_id, corrects)
    documents.append(document)
    notices.append(lambda: petition_documents.after_issue(session, case, document))
    return document


def _local_day(ctx, moment) -> str:
    return moment.astimezone(ZoneInfo(ctx.timezone)).date().isoformat()


def next_authority(organ: Department | None, given: str) -> str:
    """Who reviews: what the organ wrote, else the organ above it, else the city government."""
    if given:
        return given
    if organ is not None and organ.parent is not None:
        return organ.parent.name
    return f"{current_app.config['HOTLINE_CITY_NAME']}人民政府"


def _forward(session, case, step, user, ctx, notices, documents):
    organ = _organ(session, case, step.fields["organ_id"])
    petition = case.petition
    _hand_to(case, organ, user, ctx, keep_earlier=False)
    petition.forwarding, petition.forwarded_at, petition.objection_reason = step.fields["forwarding"], ctx.now, ""
    accept, objection = _stamp(ctx, case, Clock.ACCEPT), _stamp(ctx, case, Clock.OBJECT)
    deadlines = {"accept": _set(case, accept), "object": _set(case, objection)}
    case.deadlines_provisional = accept.provisional or objection.provisional
    return {"organ": organ.id, "forwarding": step.fields["forwarding"], "deadlines": deadlines}


def _refer(session, case, step, user, ctx, notices, documents):
    """Not a matter for petitions (Art. 31): the petitioner is told the legal route, in writing."""
    petition = case.petition
    petition.legal_route = step.fields["legal_route"]
    case.closed_at = ctx.now
    for assignment in case.active_assignments:
        assignment.status = "closed"
    document = _issue(session, case, "referral", {"legal_route": petition.legal_route, "note": step.fields["note"]},
                      user, ctx, step, notices, documents)
    return {"legal_route": petition.legal_route, "document": document.number}


def _object(session, case, step, user, ctx, notices, documents):
    case.petition.objection_reason = step.fields["reason"]
    return {"organ": step.department_id}


def _decide_objection(session, case, step, user, ctx, notices, documents):
    if step.fields["decision"] == "refuse":
        return {"decision": "refuse"}  # back with the organ; its acceptance clock never stopped
    for assignment in case.active_assignments:
        assignment.active = False
    case.lead_department_id = None
    forward = _stamp(ctx, case, Clock.FORWARD)  # the office forwards it again, with a clock of its own
    return {"decision": "uphold", "deadlines": {"forward": _set(case, forward)}}


def _accept(session, case, step, user, ctx, notices, documents):
    if step.fields["decision"] == "refer":
        return _refer(session, case, step, user, ctx, notices, documents)
    petition = case.petition
    petition.accepted_at = ctx.now
    _lead(case).status = "signed"
    decide = _stamp(ctx, case, Clock.DECIDE)
    deadline = _set(case, decide)
    document = _issue(session, case, "acceptance", {"decide_due": _local_day(ctx, decide.due_at),
                                                     "note": step.fields["note"]},
                      user, ctx, step, notices, documents)
    return {"decision": "accept", "deadlines": {"decide": deadline}, "document": document.number}


def _request_extension(session, case, step, user, ctx, notices, documents):
    petition = case.petition
    petition.extension_status = "pending"
    petition.extension_days, petition.extension_reason = step.fields["days"], step.fields["reason"]
    return {"days": step.fields["days"]}


def _decide_extension(session, case, step, user, ctx, notices, documents):
    """Art. 34: approved by the organ's head, at most 30 days, once; the petitioner is told why."""
    petition = case.petition
    if step.fields["decision"] == "deny":
        petition.extension_status = "denied"
        return {"decision": "deny"}
    petition.extension_status = "approved"
    before = petition.decide_due_at
    decide = _stamp(ctx, case, Clock.DECIDE, start=petition.accepted_at, extra_days=petition.extension_days)
    deadline = _set(case, decide)
    document = _issue(session, case, "extension",
                      {"days": petition.extension_days, "reason": petition.extension_reason,
                       "decide_due": _local_day(ctx, decide.due_at)}, user, ctx, step, notices, documents)
    return {"decision": "approve", "from": before.isoformat() if before else None, "to": decide.due_at.isoformat(),
            "deadlines": {"decide": deadline}, "document": document.number}


def _decision_values(step, organ: Department | None) -> dict:
    values = {k: step.fields[k] for k in ("outcome", "facts", "basis", "text")}
    if "next_authority" in step.fields:
        values["next_authority"] = next_authority(organ, step.fields["next_authority"])
    return values


def _answer(case: Case, step, user: User, ctx) -> Department | None:
    lead = _lead(case)
    lead.status, lead.replied_at, lead.replied_by_id = "replied", ctx.now, user.id
    lead.reply_text = step.fields["text"]
    case.reply_text, case.replied_at = step.fields["text"], ctx.now
    return lead.department


def _decide(session, case, step, user, ctx, notices, documents):
    petition = case.petition
    organ = _answer(case, step, user, ctx)
    petition.outcome, petition.decided_at = step.fields["outcome"], ctx.now
    values = _decision_values(step, organ)
    data = {"outcome": petition.outcome, "late": bool(petition.decide_due_at and ctx.now > petition.decide_due_at)}
    if step.to_state is PetitionState.DECIDED:  # a grievance: the letter names the route to review and its window
        window = _stamp(ctx, case, Clock.REVIEW_WINDOW)
        data["deadlines"] = {"review_window": _set(case, window)}
        values["request_by"] = _local_day(ctx, window.due_at)
    else:
        values.pop("next_authority", None)
        case.closed_at = ctx.now
    data["document"] = _issue(session, case, "decision", values, user, ctx, step, notices, documents).number
    return data


def _request_review(session, case, step, user, ctx, notices, documents, clock=Clock.REVIEW):
    organ = _organ(session, case, step.fields["organ_id"])
    lead = _lead(case)
    if lead is not None and lead.department_id == organ.id:
        raise InvalidFields("fields", {"organ_id": "same_organ"})  # review is by the organ above (Art. 35)
    _hand_to(case, organ, user, ctx, keep_earlier=True)
    _lead(case).status = "signed"
    petition = case.petition
    if clock is Clock.REVIEW:
        petition.review_requested_at = ctx.now
    else:
        petition.re_review_requested_at, petition.hearing_days = ctx.now, 0
    return {"organ": organ.id, "deadlines": {clock.value: _set(case, _stamp(ctx, case, clock))}}


def _decide_review(session, case, step, user, ctx, notices, documents):
    petition = case.petition
    organ = _answer(case, step, user, ctx)
    petition.review_outcome, petition.reviewed_at = step.fields["outcome"], ctx.now
    values = _decision_values(step, organ)
    data = {"outcome": petition.review_outcome,
            "late": bool(petition.review_due_at and ctx.now > petition.review_due_at)}
    if step.to_state is PetitionState.ACCEPTED:
        data["deadlines"] = {"decide": _handle_again(case, ctx)}
        values.pop("next_authority", None)
    else:
        window = _stamp(ctx, case, Clock.RE_REVIEW_WINDOW)
        data["deadlines"] = {"re_review_window": _set(case, window)}
        values["request_by"] = _local_day(ctx, window.due_at)
    data["document"] = _issue(session, case, "review_decision", values, user, ctx, step, notices, documents).number
    return data


def _handle_again(case: Case, ctx) -> dict:
    """Revoked on review: the organ that decided takes the lead again and decides anew, in 60 days from now."""
    review_organ = _lead(case)
    earlier = max((a for a in case.active_assignments if not a.lead), key=lambda a: a.dispatch_round)
    review_organ.lead, earlier.lead, earlier.status = False, True, "signed"
    case.lead_department_id = earlier.department_id
    petition = case.petition
    petition.accepted_at, petition.outcome, petition.decided_at = ctx.now, None, None
    petition.extension_status = petition.extension_days = None
    petition.extension_reason = ""
    return _set(case, _stamp(ctx, case, Clock.DECIDE))


def _request_re_review(session, case, step, user, ctx, notices, documents):
    return _request_review(session, case, step, user, ctx, notices, documents, clock=Clock.RE_REVIEW)


def _start_hearing(session, case, step, user, ctx, notices, documents):
    case.petition.hearing_started_at = ctx.now  # the re-review clock stops (clocks.wanted) until the hearing ends
    return {"due_before": case.petition.re_review_due_at.isoformat()}


def _end_hearing(session, case, step, user, ctx, notices, documents):
    """Art. 36: the hearing's days are not counted — its first and last day included."""
    petition = case.petition
    zone = ZoneInfo(ctx.timezone)
    days = (ctx.now.astimezone(zone).date() - petition.hearing_started_at.astimezone(zone).date()).days + 1
    petition.hearing_days += days
    petition.hearing_started_at = None
    stamp = _stamp(ctx, case, Clock.RE_REVIEW, start=petition.re_review_requested_at, extra_days=petition.hearing_days)
    return {"hearing_days": days, "deadlines": {"re_review": _set(case, stamp)}}


def _decide_re_review(session, case, step, user, ctx, notices, documents):
    """Final (Art. 36): the same facts and reasons are never accepted again."""
    petition = case.petition
    organ = _answer(case, step, user, ctx)
    petition.re_review_outcome, petition.final, case.closed_at = step.fields["outcome"], True, ctx.now
    document = _issue(session, case, "re_review_decision", _decision_values(step, organ), user, ctx, step, notices,
                      documents)
    return {"outcome": petition.re_review_outcome, "final": True, "document": document.number,
            "late": bool(petition.re_review_due_at and ctx.now > petition.re_review_due_at)}


def _close(session, case, step, user, ctx, notices, documents):
    case.closed_at = ctx.now
    return {"stands": "review_decision" if step.from_state is PetitionState.REVIEWED else "decision"}


def _withdraw(session, case, step, user, ctx, notices, documents):
    case.closed_at = ctx.now
    return {"withdrawn": True}


def _link(session, case, step, user, ctx, notices, documents):
    """A 12345 case about the same matter: still open, it is merged into the petition, so the matter is never
    handled twice at once (国办函〔2025〕66号); closed, it is noted on both."""
    other = session.scalar(select(Case).where(Case.number == step.fields["case"]).with_for_update(of=Case))
    if other is None or other.id == case.id or not _sees(user, other):
        raise InvalidFields("fields", {"case": "unknown"})
    if other.track != Track.HOTLINE:
        raise InvalidFields("fields", {"case": "not_hotline"})
    merged = other.state in OPEN_STATES
    other.updated_at = ctx.now
    if merged:
        before = other.state
        other.state, other.merged_into_id, other.closed_at = State.MERGED, case.id, ctx.now
        for assignment in other.active_assignments:
            assignment.active = False
        audit.record_event(session, other, action="merge", at=ctx.now, from_state=before, to_state=State.MERGED,
                           actor=user, note=step.fields["note"], data={"into": case.number, "petition": True})
        clocks.reconcile(session, other, ctx.now)
    else:
        # the office's words stay on the petition: the 12345 case's department may read this one's history
        audit.record_event(session, other, action="linked", at=ctx.now, from_state=other.state, to_state=other.state,
                           actor=user, data={"petition": case.number})
    return {"case": other.number, "merged": merged}


def _sees(user: User, other: Case) -> bool:
    return can_view_case(user.actor, other.scope)


def _urge(session, case, step, user, ctx, notices, documents):
    case.urge_count += 1
    return {"count": case.urge_count}


def _recuse(session, case, user_id: int, reason: str, by: User, ctx) -> dict:
    if session.get(User, user_id) is None:
        raise InvalidFields("fields", {"user_id": "unknown"})
    held = session.scalar(select(Recusal).where(Recusal.case_id == case.id, Recusal.user_id == user_id))
    if held is None:
        session.add(Recusal(case_id=case.id, user_id=user_id, reason=reason, recorded_by_id=by.id,
                            recorded_at=ctx.now))
    return {"user": user_id, "again": held is not None}


def _declare_conflict(session, case, step, user, ctx, notices, documents):
    return _recuse(session, case, user.id, step.fields["reason"], user, ctx)


def _record_conflict(session, case, step, user, ctx, notices, documents):
    return _recuse(session, case, step.fields["user_id"], step.fields["reason"], user, ctx)


def _correct_document(session, case, step, user, ctx, notices, documents):
    """An issued document never changes: the correction is a new, numbered document that names the old one."""
    old = session.scalar(select(PetitionDocument).where(PetitionDocument.case_id == case.id,
                                                        PetitionDocument.number == step.fields["document"]))
    if old is None:
        raise InvalidFields("fields", {"document": "unknown"})
    if old.department_id != step.department_id:
        raise InvalidFields("fields", {"document": "not_yours"})
    new = _issue(session, case, old.kind, {**old.fields, "correction": step.fields["text"]}, user, ctx, step,
                 notices, documents, corrects=old)
    return {"corrects": old.number, "document": new.number}


HANDLERS = {
    A.FORWARD: _forward, A.REFER: _refer, A.OBJECT: _object, A.DECIDE_OBJECTION: _decide_objection,
    A.ACCEPT: _accept, A.REQUEST_EXTENSION: _request_extension, A.DECIDE_EXTENSION: _decide_extension,
    A.DECIDE: _decide, A.REQUEST_REVIEW: _request_review, A.DECIDE_REVIEW: _decide_review,
    A.REQUEST_RE_REVIEW: _request_re_review, A.START_HEARING: _start_hearing, A.END_HEARING: _end_hearing,
    A.DECIDE_RE_REVIEW: _decide_re_review, A.CLOSE: _close, A.WITHDRAW: _withdraw, A.LINK: _link, A.URGE: _urge,
    A.DECLARE_CONFLICT: _declare_conflict, A.RECORD_CONFLICT: _record_conflict,
    A.CORRECT_DOCUMENT: _correct_document,
}
