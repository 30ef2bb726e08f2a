"""What a citizen leaves with us before a case exists: a one-time code sent to their phone, and the complaint
they filed while the code is on its way. Both expire and are purged by the workers."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.extensions import db
from hotline.models.types import UTCDateTime


class PhoneCode(db.Model):
    """A one-time code sent by SMS. Only its keyed hash is kept; it dies when used, when it expires or after too
    many wrong tries (hotline.services.otp)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(String(16))  # file, sign_in, case
    subject: Mapped[str] = mapped_column(String(64), default="")  # what it opens: a draft's token or a case number
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FilingDraft(db.Model):
    """A complaint filed on the web, waiting for its phone to be verified; its photos are already stored
    (re-encoded) under `photos`' keys. Registered as a case and removed in one transaction."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    phone: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict] = mapped_column(JSON)  # the form's fields
    photos: Mapped[list] = mapped_column(JSON, default=list)  # [{key, name, type, size, sha256}]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


# codes sent to a number lately: the per-number limit and the lookup of the live code
Index("ix_phone_code_phone_created", PhoneCode.phone, PhoneCode.created_at)
