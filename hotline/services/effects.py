"""What each lifecycle step does to a case and its assignments. Called only by handling.act, inside
its transaction, after the lifecycle has allowed the step. Returns what the event should record.

A handler changes the case before anything that flushes (handling.act runs it without autoflush): each
flush of a changed case is an UPDATE, and each UPDATE moves the case's version."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.domain import knowledge
from hotline.domain.errors import InvalidFields
from hotline.domain.kinds import Track
from hotline.domain.lifecycle import OPEN_STATES, Action, State, Step
from hotline.domain.petition import OPEN_PETITION_STATES
from hotline.domain.sla import Clock, Stamp
from hotline.models import Assignment, Attachment, Case, Department, KnowledgeArticle, PetitionDocument, User
from hotline.services import attachments, audit, clocks, notifications, notify, petition_effects, routing


@dataclass
class Outcome:
    data: dict  # what the event records
    notices: list[Callable[[], object]]  # messages to queue once the event is written (queuing flushes)
    attachments: list[Attachment] = field(default_factory=list)  # stored; their rows await the event
    documents: list[PetitionDocument] = field(default_factory=list)  # issued; they name the event


def apply(session: Session, case: Case, step: Step, user: User, ctx, files=()) -> Outcome:
    """`files` (IncomingFile, already checked) come only with a reply: stored last, so that nothing after
    them in here can fail; handling.act removes them if the transaction does not commit."""
    outcome = Outcome({}, [])
    if case.track == Track.PETITION:
        handler = petition_effects.HANDLERS.get(step.action, _nothing)
        data = handler(session, case, step, user, ctx, outcome.notices, outcome.documents)
    else:
        data = HANDLERS.get(step.action, _nothing)(session, case, step, user, ctx, outcome.notices)
    outcome.data = data = data or {}
    if files:
        outcome.attachments = attachments.save(ctx.storage, case, _assignment(case, step), user, files, ctx.now)
        data["attachments"] = attachments.describe(outcome.attachments)
    return outcome


def _nothing(session, case, step, user, ctx, *lists):
    return None


def _dispatch(session: Session, case: Case, step: Step, user: User, ctx, notices) -> dict:
    lead_id, co_ids = step.fields["lead_department_id"], step.fields["co_department_ids"]
    wanted = [lead_id, *co_ids]
    found = {d.id for d in session.scalars(select(Department).where(Department.id.in_(wanted), Department.active))}
    errors = {}
    if lead_id not in found:
        errors["lead_department_id"] = "unknown"
    if set(co_ids) - found:
        errors["co_department_ids"] = "unknown"
    if errors:
        raise InvalidFields("fields", errors)
    for assignment in case.active_assignments:
        assignment.active = False
    case.dispatch_count += 1
    sign, handle, window = (_stamp(ctx, case, clock) for clock in (Clock.SIGN, Clock.HANDLE, Clock.RETURN))
    for department_id in wanted:
        assignment = Assignment(department_id=department_id, lead=department_id == lead_id,
                                dispatch_round=case.dispatch_count, dispatched_at=ctx.now, dispatched_by_id=user.id)
        case.assignments.append(assignment)
        clocks.set_stamp(case, assignment, Clock.SIGN, sign.due_at, sign.warn_at)
        clocks.set_stamp(case, assignment, Clock.HANDLE, handle.due_at, handle.warn_at)
    case.lead_department_id = lead_id
    clocks.set_stamp(case, None, Clock.RETURN, window.due_at, window.warn_at)
    case.deadlines_provisional = sign.provisional or handle.provisional or window.provisional
    case.supervised, case.supervision_due_at, case.supervision_warn_at = False, None, None  # 督办 was of the last round
    data = {"lead": lead_id, "co": co_ids, "round": case.dispatch_count, "designated": case.dispatch_count >= 3,
            "sign_due_at": sign.due_at.isoformat(), "reply_due_at": handle.due_at.isoformat(),
            "deadlines": {"sign": sign.describe(), "handle": handle.describe(), "return": window.describe()}}
    if user.username == routing.ROUTING_USER:  # the catalogue dispatched it: say which rule, of which version
        decision = routing.latest_decision(session, case.id)
        data["rule"] = {"id": decision.rule_id, "position": decision.rule_position, "version": decision.version,
                        "decision": decision.id}
    return data


def _stamp(ctx, case: Case, clock: Clock, start=None) -> Stamp:
    return ctx.book.stamp(clock, start or ctx.now, case.track, case.kind, case.urgency)


def _assignment(case: Case, step: Step) -> Assignment:
    return next(a for a in case.active_assignments if a.department_id == step.department_id)


def _sign(session, case, step, user, ctx, notices):
    assignment = _assignment(case, step)
    assignment.status, assignment.signed_at, assignment.signed_by_id = "signed", ctx.now, user.id
    return {"lead": step.by_lead, "late": bool(assignment.sign_due_at and ctx.now > assignment.sign_due_at)}


def _return(session, case, step, user, ctx, notices):
    for assignment in case.active_assignments:
        assignment.active = False
    if case.extension_status == "pending":
        # the request lapses with the case it was for: approved after a redispatch, it would extend
        # another department's deadline for a reason it never gave
        case.extension_status = None
    decision = routing.latest_decision(session, case.id)
    if decision is not None and decision.lead_department_id == step.department_id:
        decision.returned = True  # counts against the rule that sent it here
    return {"department": step.department_id}


def _review_return(session, case, step, user, ctx, notices):
    if step.fields["decision"] == "uphold":
        case.lead_department_id = None
        case.sign_due_at = case.reply_due_at = case.return_until = case.return_warn_at = None
        return {"decision": "uphold"}
    last_round = [a for a in case.assignments if a.dispatch_round == case.dispatch_count]
    for assignment in last_round:  # back to the same departments, to be signed again
        assignment.active, assignment.status = True, "pending"
        assignment.signed_at = assignment.signed_by_id = None
    return {"decision": "refuse"}


def _request_extension(session, case, step, user, ctx, notices):
    case.extension_status = "pending"
    case.extension_days, case.extension_reason = step.fields["days"], step.fields["reason"]
    return {"days": step.fields["days"]}


def _decide_extension(session, case, step, user, ctx, notices):
    if step.fields["decision"] == "deny":
        case.extension_status = "denied"
        return {"decision": "deny"}
    case.extension_status = "approved"
    lead = next(a for a in case.active_assignments if a.lead)
    previous = lead.reply_due_at or ctx.now
    moved = ctx.book.extend(previous, case.extension_days)
    started = clocks.running_start(session, case.id, Clock.HANDLE, lead.id) or lead.dispatched_at
    warn = ctx.book.warning(ctx.book.policy(Clock.HANDLE, case.track, case.kind, case.urgency), started, moved.at)
    clocks.set_stamp(case, lead, Clock.HANDLE, moved.at, warn)
    case.deadlines_provisional = case.deadlines_provisional or moved.provisional
    local_due = case.reply_due_at.astimezone(ZoneInfo(ctx.timezone)).strftime("%Y-%m-%d %H:%M")
    notices.append(lambda: notify.queue_extension_notice(session, case, local_due))
    return {"decision": "approve", "from": previous.isoformat(), "to": case.reply_due_at.isoformat()}


def _reply(session, case, step, user, ctx, notices):
    assignment = _assignment(case, step)
    assignment.status, assignment.replied_at, assignment.replied_by_id = "replied", ctx.now, user.id
    assignment.reply_text, assignment.reply_resolved = step.fields["text"], step.fields["resolved"]
    if step.by_lead:
        case.reply_text, case.reply_resolved, case.replied_at = step.fields["text"], step.fields["resolved"], ctx.now
        case.reply_contact = step.fields.get("contact")
        case.reply_reviewed = False
        case.callback_satisfaction = case.callback_resolved = case.callback_at = None
    return {"lead": step.by_lead, "resolved": step.fields["resolved"], "text": step.fields["text"],
            "contact": step.fields.get("contact"),
            "late": bool(assignment.reply_due_at and ctx.now > assignment.reply_due_at)}


def _review_reply(session, case, step, user, ctx, notices):
    if step.fields["decision"] == "approve":
        case.reply_reviewed = True
        callback = _stamp(ctx, case, Clock.CALLBACK)
        clocks.set_stamp(case, None, Clock.CALLBACK, callback.due_at, callback.warn_at)
        notices.append(lambda: notify.queue_reply_notice(session, case))
        return {"decision": "approve"}
    for assignment in case.active_assignments:
        if assignment.lead:
            assignment.status = "signed"
    return {"decision": "send_back"}


def _callback(session, case, step, user, ctx, notices):
    case.callback_satisfaction, case.callback_resolved = step.fields["satisfaction"], step.fields["resolved"]
    case.callback_note, case.callback_at = step.fields["note"], ctx.now
    if step.to_state is State.CLOSED:
        case.closed_at = ctx.now
    return {"satisfaction": step.fields["satisfaction"], "resolved": step.fields["resolved"]}


def _close(session, case, step, user, ctx, notices):
    case.closed_at = ctx.now


def _redo(session, case, step, user, ctx, notices):
    """重办: back to the same departments, with a fresh handling clock, counted against them."""
    case.redo_count += 1
    case.reply_reviewed = False
    case.callback_satisfaction = case.callback_resolved = case.callback_at = None
    handle = _stamp(ctx, case, Clock.HANDLE)
    case.callback_due_at = case.callback_warn_at = None
    for assignment in case.active_assignments:
        clocks.set_stamp(case, assignment, Clock.HANDLE, handle.due_at, handle.warn_at)
        if assignment.status == "replied":  # a co-handler that never signed still has to
            assignment.status = "signed"
    return {"redo": case.redo_count, "reply_due_at": handle.due_at.isoformat(),
            "deadlines": {"handle": handle.describe()}}


def _merge(session, case, step, user, ctx, notices):
    target = session.scalar(select(Case).where(Case.number == step.fields["into"]).with_for_update(of=Case))
    # an open 12345 case, or an open petition about the same matter (国办函〔2025〕66号: never twice at once)
    if target is None or target.id == case.id or target.state not in OPEN_STATES | OPEN_PETITION_STATES:
        raise InvalidFields("fields", {"into": "unknown" if target is None else "not_open"})
    case.merged_into_id, case.closed_at = target.id, ctx.now
    target.updated_at = ctx.now
    audit.record_event(session, target, action="merged-in", at=ctx.now, from_state=target.state,
                       to_state=target.state, actor=user, note=step.fields["note"], data={"from": case.number})
    return {"into": target.number}


def _answer_directly(session, case, step, user, ctx, notices):
    case.reply_text, case.replied_at, case.closed_at = step.fields["note"], ctx.now, ctx.now
    article_id = step.fields.get("article_id")
    if article_id is not None:
        article = session.get(KnowledgeArticle, article_id)
        if article is None or not knowledge.valid_on(article, ctx.now.astimezone(ZoneInfo(ctx.timezone)).date()):
            raise InvalidFields("fields", {"article_id": "unknown"})
        case.answered_article_id = article.id
        return {"article": article.id, "title": article.title}


def _transfer(session, case, step, user, ctx, notices):
    case.transferred_to, case.closed_at = step.fields["service"], ctx.now
    return {"service": step.fields["service"]}


def _terminate(session, case, step, user, ctx, notices):
    case.closed_at = ctx.now


def _urge(session, case, step, user, ctx, notices):
    case.urge_count += 1
    return {"count": case.urge_count}


def _supervise(session, case, step, user, ctx, notices):
    """督办: the department must answer by a deadline of its own; a second 督办 keeps the first one's."""
    case.supervised = True
    if case.supervision_due_at is not None and case.supervision_due_at > ctx.now:
        return {"due": case.supervision_due_at.isoformat(), "again": True}
    stamp = _stamp(ctx, case, Clock.SUPERVISION)
    clocks.set_stamp(case, None, Clock.SUPERVISION, stamp.due_at, stamp.warn_at)
    notices.append(lambda: notifications.tell_supervised(session, case, ctx.now))
    return {"deadlines": {"supervision": stamp.describe()}, "due": stamp.due_at.isoformat()}


def _close_unrated(session, case, step, user, ctx, notices):
    """The callback window closed with nobody reached: closed, and counted as "no rating"."""
    case.closed_at = ctx.now
    return {"callback_due_at": case.callback_due_at.isoformat() if case.callback_due_at else None}


def _restamp(session, case, step, user, ctx, notices):
    """An administrator's explicit recompute, after a policy or the calendar changed: every running clock
    again from its own start, under the rules in force now; the event keeps each old and new deadline."""
    changes = {}
    again = clocks.recompute(session, case, ctx.book)
    for r in again:
        if r.moved:
            clocks.set_stamp(case, r.assignment, r.clock, r.due_at, r.warn_at)
            label = r.clock.value if r.assignment is None else f"{r.clock.value}:{r.assignment.department_id}"
            changes[label] = {"from": r.row.due_at.isoformat(), "to": r.due_at.isoformat()}
    case.deadlines_provisional = any(r.provisional for r in again)
    return {"changes": changes, "provisional": case.deadlines_provisional}


HANDLERS = {
    Action.DISPATCH: _dispatch, Action.SIGN: _sign, Action.RETURN: _return, Action.REVIEW_RETURN: _review_return,
    Action.REQUEST_EXTENSION: _request_extension, Action.DECIDE_EXTENSION: _decide_extension,
    Action.REPLY: _reply, Action.REVIEW_REPLY: _review_reply, Action.CALLBACK: _callback, Action.CLOSE: _close,
    Action.REDO: _redo, Action.MERGE: _merge, Action.ANSWER_DIRECTLY: _answer_directly,
    Action.TRANSFER: _transfer, Action.TERMINATE: _terminate, Action.URGE: _urge, Action.SUPERVISE: _supervise,
    Action.CLOSE_UNRATED: _close_unrated, Action.RESTAMP: _restamp,
}
