"""Messages sent to people, and the outbox that hands jobs to Redis only after their data is committed."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.clock import now
from hotline.extensions import db
from hotline.models.types import UTCDateTime


class SmsMessage(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    to_phone: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(String(32))  # ack, ...
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued, sent, delivered, failed
    transport: Mapped[str] = mapped_column(String(16), default="")
    provider_id: Mapped[str] = mapped_column(String(64), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


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


Index("ix_outbox_job_status_pushed_at", OutboxJob.status, OutboxJob.pushed_at)
