"""The two-level subject taxonomy (e.g. 城市管理 › 建筑施工噪声)."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.extensions import db


class Category(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(128), default="")
    level: Mapped[int]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    keywords: Mapped[str] = mapped_column(Text, default="")  # space-separated words citizens use
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Category]] = relationship(back_populates="parent", order_by="Category.sort_order")

    @property
    def path(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent else self.name
