"""Outbound webhooks: a department's back office subscribed to its cases' events, and every delivery."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.clock import now
from hotline.extensions import db
from hotline.models.org import Department
from hotline.models.types import UTCDateTime


class WebhookSubscription(db.Model):
    """Where a department wants its cases' events sent. The secret signs each body (HMAC-SHA256); it is
    kept as it is because signing needs it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    name: Mapped[str] = mapped_column(String(64), default="")
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(64))
    events: Mapped[list] = mapped_column(JSON, default=list)  # event actions; [] = every event
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    department: Mapped[Department] = relationship()


class WebhookDelivery(db.Model):
    """One event for one subscription, written in the transaction that made the event, so none is lost.
    Sent in `seq` order per case: a later event of a case waits for the earlier one."""

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("webhook_subscription.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    event_id: Mapped[int] = mapped_column(ForeignKey("case_event.id"))
    seq: Mapped[int]  # the event's place in its case's history
    action: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict] = mapped_column(JSON)  # frozen when the event happened: a replay sends the same body
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, delivered, failed
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(String(500), default="")

    subscription: Mapped[WebhookSubscription] = relationship()

    __table_args__ = (UniqueConstraint("subscription_id", "event_id", name="uq_webhook_delivery_subscription_event"),)


class WebhookAttempt(db.Model):
    """Each try to deliver, what the receiver answered, and how long it took: the delivery log."""

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_delivery.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    status_code: Mapped[int | None]
    error: Mapped[str] = mapped_column(String(500), default="")
    response_excerpt: Mapped[str] = mapped_column(Text, default="")
    duration_ms: Mapped[int] = mapped_column(default=0)
    replay_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # a person asked for it again


# the sender's question: which deliveries of a subscription are due (and first in their case)
Index("ix_webhook_delivery_due", WebhookDelivery.subscription_id, WebhookDelivery.status,
      WebhookDelivery.next_attempt_at)
Index("ix_webhook_delivery_case", WebhookDelivery.subscription_id, WebhookDelivery.case_id, WebhookDelivery.seq)
