"""What outside systems hold: API keys for Open311 clients and integrators, and the log of every use."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.clock import now
from hotline.extensions import db
from hotline.models.types import UTCDateTime
from hotline.models.user import User


class ApiKey(db.Model):
    """A key an administrator gave a system (a 311 app, a back office). Only its sha256 is stored; the
    key is shown once. `prefix` (its first characters) tells keys apart in lists and logs."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(12))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list] = mapped_column(JSON, default=list)  # hotline.domain.api_keys.SCOPES
    rate_limit: Mapped[str] = mapped_column(String(64), default="")  # "" = HOTLINE_RATE_API_KEY
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class ApiKeyUse(db.Model):
    """One request made with a key: what was asked, the answer's status, and the case it made or read."""

    id: Mapped[int] = mapped_column(primary_key=True)
    api_key_id: Mapped[int] = mapped_column(ForeignKey("api_key.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(200))
    status: Mapped[int]
    ip: Mapped[str] = mapped_column(String(45), default="")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))

    api_key: Mapped[ApiKey] = relationship()


Index("ix_api_key_use_key_at", ApiKeyUse.api_key_id, ApiKeyUse.at)  # a key's log, newest first


class PublicText(db.Model):
    """A request's texts as Open311 shows them, redacted (hotline.domain.redact): finding other people's names
    takes milliseconds a text, too long to do again for each of a thousand records on every read. Made again when
    what it was made from changes (`source_hash`)."""

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    source_hash: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(Text)
    status_notes: Mapped[str | None] = mapped_column(Text)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
