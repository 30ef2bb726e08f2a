"""A case (12345 work order or petition) and its audit trail."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.clock import now
from hotline.domain.access import CaseScope
from hotline.domain.lifecycle import AssignmentView, CaseView, State
from hotline.extensions import db
from hotline.models.category import Category
from hotline.models.org import Area, Department
from hotline.models.people import Person
from hotline.models.types import UTCDateTime

if TYPE_CHECKING:
    from hotline.models.attachment import Attachment
    from hotline.models.petition import Petition, Recusal


class Case(db.Model):
    __tablename__ = "cases"  # "case" is an SQL keyword

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    track: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    urgency: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    location_text: Mapped[str] = mapped_column(String(200), default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    description: Mapped[str] = mapped_column(Text)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    confidential: Mapped[bool] = mapped_column(default=False)
    anonymous: Mapped[bool] = mapped_column(default=False)  # a suggestion or praise filed without name or number
    publish_consent: Mapped[bool] = mapped_column(default=False)  # may be published, anonymised, as question and answer
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    lead_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The key of the form that filed the case: a double tap or a resubmitted page finds this case again.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    # handling (the lifecycle's memory; see hotline/domain/lifecycle.py)
    dispatch_count: Mapped[int] = mapped_column(default=0)
    redo_count: Mapped[int] = mapped_column(default=0)
    urge_count: Mapped[int] = mapped_column(default=0)
    supervised: Mapped[bool] = mapped_column(default=False)
    extension_status: Mapped[str | None] = mapped_column(String(16))  # pending, approved, denied
    extension_days: Mapped[int | None]
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    reply_text: Mapped[str] = mapped_column(Text, default="")
    reply_resolved: Mapped[bool | None]
    # how the department reached the person before answering: phone, visit, sms, none (响应)
    reply_contact: Mapped[str | None] = mapped_column(String(8))
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reply_reviewed: Mapped[bool] = mapped_column(default=False)
    callback_satisfaction: Mapped[str | None] = mapped_column(String(16))
    callback_resolved: Mapped[bool | None]
    callback_note: Mapped[str] = mapped_column(Text, default="")
    callback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    transferred_to: Mapped[str | None] = mapped_column(String(8))  # 110, 119, 120 or 122: an emergency handed on
    answered_article_id: Mapped[int | None] = mapped_column(ForeignKey("knowledge_article.id"))  # 知识库 answer
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # deadlines, stamped when they start and never silently recomputed (Beijing Art. 13)
    sign_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    reply_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    return_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    return_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    callback_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    callback_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    supervision_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # 督办: the department must answer by
    supervision_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadlines_provisional: Mapped[bool] = mapped_column(default=False)

    # the head of the hash-chained history: an event cut from its end no longer matches
    history_length: Mapped[int] = mapped_column(default=0)
    history_hash: Mapped[str] = mapped_column(String(64), default="")

    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    category: Mapped[Category | None] = relationship()
    area: Mapped[Area | None] = relationship()
    person: Mapped[Person | None] = relationship()
    lead_department: Mapped[Department | None] = relationship()
    events: Mapped[list[CaseEvent]] = relationship(back_populates="case", order_by="CaseEvent.seq")
    assignments: Mapped[list[Assignment]] = relationship(back_populates="case", order_by="Assignment.id")
    merged_into: Mapped[Case | None] = relationship(remote_side=[id])
    # written only through the service that records the reply (hotline.services.attachments)
    attachments: Mapped[list[Attachment]] = relationship(order_by="Attachment.id", viewonly=True)
    # written only through handling.act (a declared or recorded conflict of interest)
    recusals: Mapped[list[Recusal]] = relationship(viewonly=True)
    petition: Mapped[Petition | None] = relationship(foreign_keys="Petition.case_id", back_populates="case",
                                                     uselist=False)

    __mapper_args__ = {"version_id_col": version}  # optimistic locking: a stale write raises, never overwrites

    @property
    def active_assignments(self) -> list[Assignment]:
        return [a for a in self.assignments if a.active]

    @property
    def scope(self) -> CaseScope:
        accused = frozenset(a.department_id for a in self.petition.accused) if self.petition else frozenset()
        return CaseScope(department_ids=frozenset(a.department_id for a in self.active_assignments),
                         accused_department_ids=accused,
                         recused_user_ids=frozenset(r.user_id for r in self.recusals))

    def view(self, now: datetime):
        """What the lifecycle needs to know, at `now` (the return window closes with time)."""
        if self.petition is not None:
            return self.petition.view(now)
        return CaseView(
            state=State(self.state),
            assignments=tuple(AssignmentView(a.department_id, a.lead, a.status) for a in self.active_assignments),
            dispatch_count=self.dispatch_count, extension_status=self.extension_status,
            reply_reviewed=self.reply_reviewed, callback_satisfaction=self.callback_satisfaction,
            callback_resolved=self.callback_resolved,
            return_window_open=self.return_until is None or now <= self.return_until,
            callback_window_open=self.callback_due_at is None or now <= self.callback_due_at,
        )


class Assignment(db.Model):
    """A case with one department: the lead (主办) or a co-handler (协办), with its own clock and status."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    lead: Mapped[bool]
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, signed, replied, closed
    active: Mapped[bool] = mapped_column(default=True)  # false once returned, redispatched or the case ends
    dispatch_round: Mapped[int]
    dispatched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    dispatched_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sign_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sign_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reply_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reply_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reply_text: Mapped[str] = mapped_column(Text, default="")
    reply_resolved: Mapped[bool | None]

    case: Mapped[Case] = relationship(back_populates="assignments")
    department: Mapped[Department] = relationship()


class CaseEvent(db.Model):
    """One step in a case's history: who did what, when, and the state it moved from and to."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    seq: Mapped[int]
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(64))  # "citizen", "system", or the user's name at the time
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))  # the acting department
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict | None] = mapped_column(JSON)
    # sha256 over this event's content and the previous event's hash: an edit breaks the chain
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), default="")

    case: Mapped[Case] = relationship(back_populates="events")

    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_case_event_case_id_seq"),)


class CaseNumberCounter(db.Model):
    """The last sequence used per prefix and local day; incremented atomically by an upsert."""

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int]


# A department's inbox, newest first; and its cases in one state (the queues of later releases).
# A department's inbox: its active assignments in a status.
Index("ix_assignment_department_active_status", Assignment.department_id, Assignment.active, Assignment.status)
Index("ix_case_lead_department_received", Case.lead_department_id, Case.received_at.desc(), Case.id.desc())
Index("ix_case_lead_department_state", Case.lead_department_id, Case.state)
# the console's likely duplicates: recent cases at one place, or of one subject
Index("ix_case_area_received", Case.area_id, Case.received_at)
Index("ix_case_category_received", Case.category_id, Case.received_at)
# the rollup counts again the months of the cases changed since it last ran
Index("ix_case_updated_at", Case.updated_at)
