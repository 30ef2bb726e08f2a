"""The working calendar, the SLA policies, and the deadlines the sweep watches."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.clock import now
from hotline.extensions import db
from hotline.models.types import UTCDateTime


class CalendarYear(db.Model):
    """A year whose State Council notice is entered: its days are exact, not weekends-only."""

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(32))  # chinese-calendar, or admin
    notice: Mapped[str] = mapped_column(String(200), default="")  # the notice's reference, e.g. 国办发明电〔2025〕7号
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class CalendarDay(db.Model):
    """A day that breaks the weekday/weekend rule: a holiday, or a weekend day worked (调休)."""

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(ForeignKey("calendar_year.year", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # holiday, working_day
    name: Mapped[str] = mapped_column(String(64), default="")


class SlaPolicy(db.Model):
    """One clock's limit for a track × kind × urgency ("" = any). Editing one never moves a stamped deadline."""

    id: Mapped[int] = mapped_column(primary_key=True)
    track: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32), default="")
    urgency: Mapped[str] = mapped_column(String(16), default="")
    clock: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int]
    unit: Mapped[str] = mapped_column(String(16))
    warn_percent: Mapped[int | None]
    warn_left_amount: Mapped[int | None]
    warn_left_unit: Mapped[str | None] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (UniqueConstraint("track", "kind", "urgency", "clock", name="uq_sla_policy_scope"),)


class Deadline(db.Model):
    """One running clock of a case: stamped when it starts, watched by the sweep until it stops.

    The sweep finds work by `next_at` alone (the warning moment, then the due moment, then nothing), so its
    cost grows with what is due, not with how many cases are open. `warned_at` and `breached_at` are
    written once each; a stopped clock keeps them, so "signed late" is always answerable."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))  # whose clock; None: the centre's
    clock: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    provisional: Mapped[bool] = mapped_column(default=False)
    warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class Notification(db.Model):
    """Something a person working in hotline should see: a warning, a breach, a 督办, a digest."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadline.id"))
    kind: Mapped[str] = mapped_column(String(32))  # warning, breach, supervision, digest, job_failed
    clock: Mapped[str] = mapped_column(String(16), default="")
    data: Mapped[dict | None] = mapped_column(JSON)
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # one notice per person, deadline and kind: a sweep that runs twice tells nobody twice
    __table_args__ = (UniqueConstraint("user_id", "deadline_id", "kind", name="uq_notification_once"),)


Index("ix_notification_user_unread", Notification.user_id, Notification.read_at, Notification.id)
Index("ix_deadline_case_clock", Deadline.case_id, Deadline.clock)
# the petition office's statutory calendar: running petition clocks by due date (bench section 9: 120 ms → 1 ms)
PETITION_CLOCKS_RUNNING = text("stopped_at IS NULL AND clock IN ('forward', 'accept', 'object', 'decide', "
                               "'review_window', 'review', 're_review_window', 're_review')")
Index("ix_deadline_petition_running_due", Deadline.due_at, postgresql_include=["clock"],
      postgresql_where=PETITION_CLOCKS_RUNNING, sqlite_where=PETITION_CLOCKS_RUNNING)
