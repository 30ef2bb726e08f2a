"""Messages sent to people, and the outbox that hands jobs to Redis only after their data is committed."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.clock import now
from hotline.extensions import db
from hotline.models.types import UTCDateTime


class SmsMessage(db.Model):
    """One text, either way. Outbound: queued → sent (the provider took it) → delivered | undelivered | failed,
    as the provider's status callbacks tell. Inbound: received, and kept in its sender's thread."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3), default="out")  # out, in
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("sms_thread.id"), index=True)
    from_phone: Mapped[str] = mapped_column(String(20), default="")
    to_phone: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(String(32))  # ack, reply, callback, ..., inbox (an operator's), auto, inbound
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the operator who wrote it
    status: Mapped[str] = mapped_column(String(16), default="queued")
    transport: Mapped[str] = mapped_column(String(16), default="")
    provider_id: Mapped[str | None] = mapped_column(String(64))  # the provider's id (Twilio's MessageSid), once known
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the provider's last word on it


class OutboxJob(db.Model):
    """A job written in the same transaction as the data it needs (DESIGN.md rule 3).

    pending → pushed (in Redis) → done | failed. A pushed job whose Redis copy vanished
    (Redis restarted) is pushed again; jobs are idempotent, so a second run changes nothing.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    pushed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    push_count: Mapped[int] = mapped_column(default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")


# Twilio's MessageSid: an inbound text is stored once however often Twilio posts it; a status callback finds its
# message. An outbound message has none (NULL) until it is sent. Not a partial index: PostgreSQL's generic plan
# for a prepared `provider_id = $1` cannot prove a partial index's predicate, and would scan the table.
Index("uq_sms_message_provider_id", SmsMessage.provider_id, unique=True)
# per-number limits count a number's recent texts
Index("ix_sms_message_from_created", SmsMessage.from_phone, SmsMessage.created_at)
Index("ix_sms_message_to_created", SmsMessage.to_phone, SmsMessage.created_at)
Index("ix_outbox_job_status_pushed_at", OutboxJob.status, OutboxJob.pushed_at)
