"""知识库: the answers an operator gives on the spot, so a 咨询 closes during the call."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.clock import now
from hotline.extensions import db
from hotline.models.types import UTCDateTime


class KnowledgeArticle(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    keywords: Mapped[str] = mapped_column(String(200), default="")  # words callers use that the text may not
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    owner_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)  # a notice of a water cut ends; its article with it
    active: Mapped[bool] = mapped_column(default=True)
    # title, keywords and body normalised (hotline.domain.knowledge.searchable): what a search matches
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    version: Mapped[int] = mapped_column(default=1)

    category = relationship("Category")
    owner_department = relationship("Department")

    __mapper_args__ = {"version_id_col": version}
