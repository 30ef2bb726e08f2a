"""Sending webhook deliveries: signed, in order per case, retried with backoff, and replayed on request.

Order and once: a delivery is sent only when every earlier delivery of its case (to the same subscription)
has been delivered. The subscription's row is locked (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite lets one
writer in at a time anyway) while one delivery is chosen, sent and recorded, so two workers never send the
same delivery, nor two of one case at once. NO KEY: the case steps that write deliveries for it (their foreign
key check takes FOR KEY SHARE) do not wait for the receiver. The lock is taken again for each delivery, so an
administrator editing the subscription waits for one request at most, never for a whole backlog.

A crash between the receiver's 2xx and our commit sends that delivery again: receivers deduplicate by
`X-Hotline-Delivery` (docs/webhooks.md).
"""
from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from urllib.parse import urlsplit

import requests
from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session, aliased

from hotline.clock import now
from hotline.domain import webhooks as rules
from hotline.models import OutboxJob, User, WebhookAttempt, WebhookDelivery, WebhookSubscription
from hotline.services import outbox

BATCH = 200  # deliveries per job; a longer backlog continues in a fresh job, so other work gets its turn


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    error: str
    excerpt: str
    duration_ms: int


Transport = Callable[[str, bytes, dict, float], Answer]


def http_post(url: str, raw: bytes, headers: dict, timeout: float, allow_loopback: bool = True) -> Answer:
    """One POST. Redirects are not followed: a receiver that moved must be edited, not guessed at. A host that
    resolves to an address no receiver may be at (rules.refused_address) is not contacted: the web and worker
    machines can reach what the people who enter URLs cannot."""
    started = time.monotonic()
    refused = _refused(url, allow_loopback)
    if refused:
        return Answer(None, refused, "", _ms(started))
    try:
        response = requests.post(url, data=raw, headers=headers, timeout=timeout, allow_redirects=False)
    except requests.Timeout:
        return Answer(None, "timeout", "", _ms(started))
    except requests.exceptions.SSLError as exc:
        return Answer(None, f"TLS error: {exc}"[:500], "", _ms(started))
    except requests.ConnectionError as exc:
        return Answer(None, f"connection failed: {_reason(exc)}"[:500], "", _ms(started))
    except requests.RequestException as exc:
        return Answer(None, f"{type(exc).__name__}: {exc}"[:500], "", _ms(started))
    excerpt = response.text[:rules.EXCERPT_LENGTH] if response.content else ""
    return Answer(response.status_code, "", excerpt, _ms(started))


def _refused(url: str, allow_loopback: bool) -> str:
    parts = urlsplit(url)
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        return f"connection failed: {exc}"[:500]
    bad = sorted({info[4][0] for info in found if rules.refused_address(info[4][0], allow_loopback)})
    return f"address refused: {parts.hostname} is at {', '.join(bad)}" if bad else ""


def sender(allow_loopback: bool) -> Transport:
    """The transport the workers and the replay button use, with the deployment's rule for this machine."""
    return partial(http_post, allow_loopback=allow_loopback)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _reason(exc: Exception) -> str:
    text = str(exc)
    return "connection refused" if "refused" in text.lower() else text


def headers_for(subscription: WebhookSubscription, delivery: WebhookDelivery, raw: bytes, at: datetime) -> dict:
    return {
        "Content-Type": "application/json",
        "User-Agent": rules.USER_AGENT,
        "X-Hotline-Delivery": str(delivery.id),
        "X-Hotline-Event": delivery.action,
        "X-Hotline-Signature": rules.signature(subscription.secret, int(at.timestamp()), raw),
    }


def deliver(session: Session, subscription_id: int, timeout: float, transport: Transport = http_post,
            limit: int = BATCH) -> int:
    """Send what is due for one subscription, oldest first, each case in order. Returns how many were tried."""
    tried = 0
    while tried < limit:
        subscription = session.scalar(
            select(WebhookSubscription).where(WebhookSubscription.id == subscription_id,
                                              WebhookSubscription.active.is_(True))
            .with_for_update(skip_locked=True, key_share=True)  # FOR NO KEY UPDATE: case steps never wait
            .execution_options(populate_existing=True))
        if subscription is None:  # gone, paused, or another worker is sending to it right now
            session.rollback()
            return tried
        delivery = next_due(session, subscription.id, now())
        if delivery is None:
            session.commit()
            return tried
        _attempt(session, subscription, delivery, timeout, transport)
        session.commit()
        tried += 1
    if next_due(session, subscription_id, now()) is not None:
        outbox.add(session, "deliver_webhooks", subscription_id=subscription_id)
    session.commit()
    return tried


def next_due(session: Session, subscription_id: int, at: datetime) -> WebhookDelivery | None:
    """The oldest due delivery that is first in its case: nothing earlier of its case is still undelivered."""
    earlier = aliased(WebhookDelivery)
    waiting_behind = exists().where(earlier.subscription_id == WebhookDelivery.subscription_id,
                                    earlier.case_id == WebhookDelivery.case_id, earlier.seq < WebhookDelivery.seq,
                                    earlier.status != rules.DELIVERED)
    return session.scalar(
        select(WebhookDelivery)
        .where(WebhookDelivery.subscription_id == subscription_id, WebhookDelivery.status == rules.PENDING,
               WebhookDelivery.next_attempt_at <= at, ~waiting_behind)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(1))


def _attempt(session: Session, subscription: WebhookSubscription, delivery: WebhookDelivery, timeout: float,
             transport: Transport) -> WebhookAttempt:
    started = now()
    raw = rules.body(delivery.id, delivery.payload)
    answer = transport(subscription.url, raw, headers_for(subscription, delivery, raw, started), timeout)
    attempt = _record(session, delivery, answer, started)
    delivery.attempts += 1
    delivery.last_status_code, delivery.last_error = answer.status_code, answer.error[:500]
    at = now()
    if rules.delivered(answer.status_code):
        delivery.status, delivery.delivered_at = rules.DELIVERED, at
        # the receiver is back: its backlog goes now, not when each delivery's backoff would have come round
        session.execute(update(WebhookDelivery)
                        .where(WebhookDelivery.subscription_id == subscription.id,
                               WebhookDelivery.status == rules.PENDING, WebhookDelivery.next_attempt_at > at)
                        .values(next_attempt_at=at).execution_options(synchronize_session=False))
        return attempt
    session.flush()
    nxt = rules.after_failure(delivery.attempts, _first_failure(session, delivery) or started, at)
    if nxt is None:
        delivery.status = rules.FAILED
    else:
        delivery.next_attempt_at = nxt
    return attempt


def _record(session: Session, delivery: WebhookDelivery, answer: Answer, at: datetime,
            replay_by: User | None = None) -> WebhookAttempt:
    attempt = WebhookAttempt(delivery_id=delivery.id, at=at, status_code=answer.status_code,
                             error=answer.error[:500], response_excerpt=answer.excerpt[:rules.EXCERPT_LENGTH],
                             duration_ms=answer.duration_ms, replay_by_id=replay_by.id if replay_by else None)
    session.add(attempt)
    return attempt


def _first_failure(session: Session, delivery: WebhookDelivery) -> datetime | None:
    """When the current run of failures began: the oldest of the last `attempts` tries (a replay resets the
    count, and the tries a person asked for are not counted)."""
    return session.scalar(
        select(WebhookAttempt.at)
        .where(WebhookAttempt.delivery_id == delivery.id, WebhookAttempt.replay_by_id.is_(None))
        .order_by(WebhookAttempt.id.desc()).offset(max(delivery.attempts - 1, 0)).limit(1))


def queue_due(session: Session, at: datetime) -> list[int]:
    """Every minute: one `deliver_webhooks` job for each active subscription with a delivery due, unless one
    is already waiting. The jobs run side by side on the workers: a slow receiver holds up only itself."""
    due = set(session.scalars(
        select(WebhookDelivery.subscription_id).distinct()
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(WebhookSubscription.active.is_(True), WebhookDelivery.status == rules.PENDING,
               WebhookDelivery.next_attempt_at <= at)))
    if not due:
        return []
    waiting = {row.get("subscription_id") for row in session.scalars(
        select(OutboxJob.payload).where(OutboxJob.job == "deliver_webhooks",
                                        OutboxJob.status.in_(("pending", "pushed"))))}
    queued = sorted(due - waiting)
    for subscription_id in queued:
        outbox.add(session, "deliver_webhooks", subscription_id=subscription_id)
    session.commit()
    return queued


def replay(session: Session, user: User, delivery: WebhookDelivery, timeout: float,
           transport: Transport = http_post) -> WebhookAttempt | None:
    """A person asks again. Failed: back in line with a fresh run of retries (it goes out before the later
    deliveries of its case, which waited behind it). Delivered: sent once more, at once, and logged as their
    replay; it stays delivered whatever the answer. Pending: tried at the next turn."""
    if delivery.status == rules.DELIVERED:
        subscription = delivery.subscription
        session.commit()  # hold no transaction (on SQLite: no write lock) while the receiver answers
        started = now()
        raw = rules.body(delivery.id, delivery.payload)
        answer = transport(subscription.url, raw, headers_for(subscription, delivery, raw, started), timeout)
        attempt = _record(session, delivery, answer, started, replay_by=user)
        session.commit()
        return attempt
    _back_in_line(delivery, now())
    outbox.add(session, "deliver_webhooks", subscription_id=delivery.subscription_id)
    session.commit()
    return None


def replay_failed(session: Session, subscription: WebhookSubscription) -> int:
    """Every failed delivery of the subscription back in line."""
    rows = session.scalars(select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription.id,
                                                         WebhookDelivery.status == rules.FAILED)).all()
    at = now()
    for delivery in rows:
        _back_in_line(delivery, at)
    if rows:
        outbox.add(session, "deliver_webhooks", subscription_id=subscription.id)
    session.commit()
    return len(rows)


def _back_in_line(delivery: WebhookDelivery, at: datetime) -> None:
    delivery.status, delivery.attempts, delivery.next_attempt_at = rules.PENDING, 0, at
    delivery.last_error = ""
