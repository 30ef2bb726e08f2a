"""What arrives from the phone network outside a call an operator takes: text messages threaded by the sender's
number, voice mail left after hours, and the numbers the centre no longer answers."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.clock import now
from hotline.extensions import db
from hotline.models.types import UTCDateTime


class SmsThread(db.Model):
    """Every text from one number, in one conversation the operators answer (DESIGN.md: texts rarely carry
    enough to route, so they go to people, not straight into cases). A new text reopens a finished thread."""

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)  # E.164, or the sender as Twilio gave it
    state: Mapped[str] = mapped_column(String(8), default="open")  # open, done
    unread: Mapped[int] = mapped_column(default=0)  # texts no operator has opened yet
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))  # the last case made from it
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    case = relationship("Case")


class Voicemail(db.Model):
    """A message left on the hotline (after hours, or when the caller chose to): the recording stays with Twilio;
    we keep its address, its length and Twilio's transcription when one was asked for."""

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)  # one message per call, however often posted
    from_phone: Mapped[str] = mapped_column(String(20), index=True)
    recording_sid: Mapped[str] = mapped_column(String(64), default="")
    recording_url: Mapped[str] = mapped_column(String(500), default="")
    duration_seconds: Mapped[int] = mapped_column(default=0)
    transcription: Mapped[str] = mapped_column(Text, default="")
    transcription_status: Mapped[str] = mapped_column(String(16), default="")  # "", completed, failed
    state: Mapped[str] = mapped_column(String(8), default="open")  # open, done
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")

    case = relationship("Case")


class BlockedNumber(db.Model):
    """A number whose texts and voice mail are no longer answered or shown (abuse, automated senders). Blocking
    and lifting are audited; a lifted block keeps its row, so the next block of the same number reuses it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    reason: Mapped[str] = mapped_column(String(200))
    blocked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    blocked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def active(self) -> bool:
        return self.lifted_at is None


# the operator inbox: open threads, newest first
Index("ix_sms_thread_state_last", SmsThread.state, SmsThread.last_message_at.desc())
Index("ix_voicemail_state_received", Voicemail.state, Voicemail.received_at.desc())
