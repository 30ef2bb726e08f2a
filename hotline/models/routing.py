"""The dispatch catalogue as data, its versions, and every routing decision made with it."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.clock import now
from hotline.domain import routing
from hotline.extensions import db
from hotline.models.types import UTCDateTime

if TYPE_CHECKING:
    from hotline.models.case import Case


class RoutingRule(db.Model):
    """One line of the catalogue. Conditions left empty match anything; targets are codes (see
    hotline/domain/routing.py)."""

    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused: decisions and statistics name them

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(default=True)
    track: Mapped[str | None] = mapped_column(String(16))
    kinds: Mapped[list] = mapped_column(JSON, default=list)
    categories: Mapped[list] = mapped_column(JSON, default=list)
    areas: Mapped[list] = mapped_column(JSON, default=list)
    urgencies: Mapped[list] = mapped_column(JSON, default=list)
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    lead: Mapped[str] = mapped_column(String(64))
    co: Mapped[list] = mapped_column(JSON, default=list)
    mode: Mapped[str] = mapped_column(String(8), default=routing.SUGGEST)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def spec(self) -> routing.Rule:
        return routing.Rule(
            id=self.id, position=self.position, name=self.name, track=self.track or None,
            kinds=frozenset(self.kinds or ()), categories=frozenset(self.categories or ()),
            areas=frozenset(self.areas or ()), urgencies=frozenset(self.urgencies or ()),
            keywords=tuple(self.keywords or ()), lead=self.lead, co=tuple(self.co or ()), mode=self.mode,
            active=self.active,
        )

    def snapshot(self) -> dict:
        return {"id": self.id, "position": self.position, "name": self.name, "active": self.active,
                "track": self.track, "kinds": self.kinds, "categories": self.categories, "areas": self.areas,
                "urgencies": self.urgencies, "keywords": self.keywords, "lead": self.lead, "co": self.co,
                "mode": self.mode, "note": self.note}


class RoutingCatalogueVersion(db.Model):
    """Every change to the catalogue makes a new version with a full copy of it, so any decision can be
    traced to the exact catalogue that made it."""

    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(200), default="")
    snapshot: Mapped[list] = mapped_column(JSON)


class RoutingDecision(db.Model):
    """What the catalogue decided for a case, frozen: editing the rule later changes nothing here."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int]
    rule_id: Mapped[int | None] = mapped_column(index=True)  # no foreign key: a rule may be deleted later
    rule_position: Mapped[int | None]
    rule_name: Mapped[str] = mapped_column(String(120), default="")
    mode: Mapped[str] = mapped_column(String(8))  # auto, suggest, none
    lead_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    co_department_ids: Mapped[list] = mapped_column(JSON, default=list)
    matched: Mapped[list] = mapped_column(JSON, default=list)  # [[on, value], ...]
    outcome: Mapped[str] = mapped_column(String(16))  # dispatched, suggested, no_match, failed
    returned: Mapped[bool] = mapped_column(default=False)  # the department sent it back: a rule to look at

    case: Mapped[Case] = relationship()
