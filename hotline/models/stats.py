"""The figures the centre publishes and assesses by (hotline.domain.kpis): monthly counts kept current by the
workers, the assessment policy in force, and the cases published as questions and answers."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.extensions import db
from hotline.models.types import UTCDateTime

DIMENSIONS = ("city", "department", "category", "district")  # key 0 for the city as a whole


class MonthlyFigure(db.Model):
    """The counts of hotline.domain.kpis.Counts for one month (local time), one dimension and one key: a lead
    department, a top-level category, a district, or 0 for the whole city."""

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date)
    dimension: Mapped[str] = mapped_column(String(12))
    key_id: Mapped[int]
    received: Mapped[int] = mapped_column(default=0)
    closed: Mapped[int] = mapped_column(default=0)
    sign_due: Mapped[int] = mapped_column(default=0)
    signed_on_time: Mapped[int] = mapped_column(default=0)
    completion_due: Mapped[int] = mapped_column(default=0)
    completed_on_time: Mapped[int] = mapped_column(default=0)
    replied: Mapped[int] = mapped_column(default=0)
    responded: Mapped[int] = mapped_column(default=0)
    rated: Mapped[int] = mapped_column(default=0)
    satisfied: Mapped[int] = mapped_column(default=0)
    basically: Mapped[int] = mapped_column(default=0)
    resolved: Mapped[int] = mapped_column(default=0)
    redone: Mapped[int] = mapped_column(default=0)
    handling_hours: Mapped[float] = mapped_column(Float, default=0.0)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("month", "dimension", "key_id", name="uq_monthly_figure_month_dimension_key"),)


class RollupState(db.Model):
    """Where the rollup stands: the moment up to which changed cases have been folded into the figures, and the
    policy version the figures were counted under (a new policy's exclusions mean counting again)."""

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    counted_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    policy_version: Mapped[int] = mapped_column(default=0)


class AssessmentPolicy(db.Model):
    """One version of the assessment formula (hotline.domain.kpis.Policy). The newest row is in force; the older
    ones say what an earlier report was computed under."""

    id: Mapped[int] = mapped_column(primary_key=True)
    settings: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Publication(db.Model):
    """A case the person agreed to publish, as a question and the official answer with every personal detail
    removed by a moderator (政务公开). pending → published | declined."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    title: Mapped[str] = mapped_column(String(120), default="")
    question: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    search_text: Mapped[str] = mapped_column(Text, default="")
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    version: Mapped[int] = mapped_column(default=1)

    category = relationship("Category")
    department = relationship("Department")

    __mapper_args__ = {"version_id_col": version}
