"""People who contact the centre. Personal data: views of it unmasked are written to the access log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.clock import now
from hotline.extensions import db
from hotline.models.types import UTCDateTime


class Person(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str | None] = mapped_column(String(20), index=True)  # E.164
    address: Mapped[str] = mapped_column(String(200), default="")
    confidential: Mapped[bool] = mapped_column(default=False)  # has asked for identity to be kept confidential
    locale: Mapped[str] = mapped_column(String(8), default="zh")  # the language of the SMS we send
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
