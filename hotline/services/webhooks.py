"""Fan-out: every case event becomes a webhook delivery for each subscribed department, in the event's own
transaction.

`audit.record_event` is the one place a `CaseEvent` is made, but many code paths call it (intake, handling,
petitions, merges, the sweep …). Rather than ask each of them to remember webhooks, a session listener
notes the new events (and the assignments that ended) as they are flushed, and just before the commit
writes the deliveries and one outbox job per subscription. So a delivery exists exactly when its event does:
nothing is lost if the process dies after the commit, and nothing is sent for a transaction rolled back.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import event as sa_event
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from hotline.clock import now
from hotline.domain import webhooks as rules
from hotline.models import (
    AccusedDepartment,
    Area,
    Assignment,
    Case,
    CaseEvent,
    Category,
    Department,
    WebhookDelivery,
    WebhookSubscription,
)
from hotline.services import outbox

_EVENTS = "hotline.webhooks.events"  # keys in Session.info, alive for one transaction
_ENDED = "hotline.webhooks.ended"


def install(db) -> None:
    """Listen on the app's sessions. Idempotent: tests build more than one app in a process."""
    for name, listener in (("before_flush", _note), ("before_commit", _write),
                           ("after_transaction_end", _forget)):
        if not sa_event.contains(db.session, name, listener):
            sa_event.listen(db.session, name, listener)


def _note(session: Session, _flush_context, _instances) -> None:
    for obj in session.new:
        if isinstance(obj, CaseEvent):
            session.info.setdefault(_EVENTS, []).append(obj)
    for obj in session.dirty:
        if isinstance(obj, Assignment) and obj.active is False and True in inspect(obj).attrs.active.history.deleted:
            session.info.setdefault(_ENDED, []).append(obj)


def _write(session: Session) -> None:
    if not session.info.get(_EVENTS) and not any(isinstance(obj, CaseEvent) for obj in session.new):
        session.info.pop(_ENDED, None)
        return
    session.flush()  # the events need their ids; the events and assignments not flushed yet are noted now
    events, ended = session.info.pop(_EVENTS, []), session.info.pop(_ENDED, [])
    fan_out(session, events, ended)


def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outer transaction ended (commit, rollback or close): start afresh
        session.info.pop(_EVENTS, None)
        session.info.pop(_ENDED, None)


def fan_out(session: Session, events: list[CaseEvent], ended: list[Assignment]) -> list[WebhookDelivery]:
    """Write the deliveries of these events. One query when no subscription is active."""
    subscriptions = session.execute(
        select(WebhookSubscription.id, WebhookSubscription.department_id, WebhookSubscription.events)
        .where(WebhookSubscription.active.is_(True))
    ).all()
    if not subscriptions:
        return []
    events = [e for e in events if inspect(e).persistent]  # an event of a savepoint rolled back is gone
    if not events:
        return []
    by_department: dict[int, list] = defaultdict(list)
    for row in subscriptions:
        by_department[row.department_id].append(row)
    case_ids = {e.case_id for e in events}
    active, accused = _holders(session, case_ids), _accused(session, case_ids)
    left: dict[int, set[int]] = defaultdict(set)
    for assignment in ended:
        if inspect(assignment).persistent:
            left[assignment.case_id].add(assignment.department_id)

    planned: list[tuple[CaseEvent, object]] = []
    for event in events:
        told = rules.recipients(active=active.get(event.case_id, ()), ended=left.get(event.case_id, ()),
                                acting=event.department_id, accused=accused.get(event.case_id, ()))
        planned += [(event, sub) for department_id in sorted(told) for sub in by_department.get(department_id, ())
                    if rules.wants(sub.events, event.action)]
    if not planned:
        return []
    # FOR KEY SHARE, as the foreign key check would take anyway: a subscription deleted meanwhile drops out here
    # (its delete waits for this commit, then removes these deliveries too) instead of failing the case's step.
    # It does not wait for a worker sending to the subscription (FOR NO KEY UPDATE, webhook_delivery.deliver).
    alive = set(session.scalars(select(WebhookSubscription.id)
                                .where(WebhookSubscription.id.in_({sub.id for _e, sub in planned}))
                                .with_for_update(read=True, key_share=True)))
    planned = [(event, sub) for event, sub in planned if sub.id in alive]
    return _deliveries(session, planned) if planned else []


def _holders(session: Session, case_ids: set[int]) -> dict[int, set[int]]:
    held: dict[int, set[int]] = defaultdict(set)
    for case_id, department_id in session.execute(
            select(Assignment.case_id, Assignment.department_id)
            .where(Assignment.case_id.in_(case_ids), Assignment.active.is_(True))):
        held[case_id].add(department_id)
    return held


def _accused(session: Session, case_ids: set[int]) -> dict[int, set[int]]:
    accused: dict[int, set[int]] = defaultdict(set)
    for case_id, department_id in session.execute(
            select(AccusedDepartment.case_id, AccusedDepartment.department_id)
            .where(AccusedDepartment.case_id.in_(case_ids))):
        accused[case_id].add(department_id)
    return accused


def _deliveries(session: Session, planned: list) -> list[WebhookDelivery]:
    cases: dict[int, Case] = {event.case_id: event.case for event, _sub in planned}
    departments = _codes(session, Department, {sub.department_id for _e, sub in planned}
                         | {e.department_id for e, _s in planned} | {c.lead_department_id for c in cases.values()})
    categories = _codes(session, Category, {c.category_id for c in cases.values()})
    areas = _codes(session, Area, {c.area_id for c in cases.values()})
    facts = {case_id: rules.CaseFacts(
        number=c.number, track=c.track, kind=c.kind, state=c.state, category=categories.get(c.category_id),
        area=areas.get(c.area_id), lead_department=departments.get(c.lead_department_id),
        reply_due_at=c.reply_due_at) for case_id, c in cases.items()}
    moment = now()
    rows = []
    for event, sub in planned:
        said = rules.EventFacts(seq=event.seq, action=event.action, at=event.at, from_state=event.from_state,
                                to_state=event.to_state, department=departments.get(event.department_id))
        rows.append(WebhookDelivery(
            subscription_id=sub.id, case_id=event.case_id, event_id=event.id, seq=event.seq, action=event.action,
            payload=rules.payload(departments[sub.department_id], said, facts[event.case_id]),
            status=rules.PENDING, attempts=0, created_at=moment, next_attempt_at=moment))
    session.add_all(rows)
    for subscription_id in sorted({sub.id for _e, sub in planned}):
        outbox.add(session, "deliver_webhooks", subscription_id=subscription_id)
    return rows


def _codes(session: Session, model, ids: set[int | None]) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(session.execute(select(model.id, model.code).where(model.id.in_(ids))).tuples().all())
