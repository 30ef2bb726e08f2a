"""A case (12345 work order or petition) and its audit trail."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.clock import now
from hotline.domain.access import CaseScope
from hotline.extensions import db
from hotline.models.category import Category
from hotline.models.org import Area, Department
from hotline.models.people import Person
from hotline.models.types import UTCDateTime


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
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    lead_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The key of the form that filed the case: a double tap or a resubmitted page finds this case again.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    category: Mapped[Category | None] = relationship()
    area: Mapped[Area | None] = relationship()
    person: Mapped[Person | None] = relationship()
    lead_department: Mapped[Department | None] = relationship()
    events: Mapped[list[CaseEvent]] = relationship(back_populates="case", order_by="CaseEvent.seq")

    __mapper_args__ = {"version_id_col": version}  # optimistic locking: a stale write raises, never overwrites

    @property
    def scope(self) -> CaseScope:
        ids = {self.lead_department_id} if self.lead_department_id else set()
        return CaseScope(department_ids=frozenset(ids))


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
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict | None] = mapped_column(JSON)

    case: Mapped[Case] = relationship(back_populates="events")

    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_case_event_case_id_seq"),)


class CaseNumberCounter(db.Model):
    """The last sequence used per prefix and local day; incremented atomically by an upsert."""

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int]


# A department's inbox, newest first; and its cases in one state (the queues of later releases).
Index("ix_case_lead_department_received", Case.lead_department_id, Case.received_at.desc(), Case.id.desc())
Index("ix_case_lead_department_state", Case.lead_department_id, Case.state)
