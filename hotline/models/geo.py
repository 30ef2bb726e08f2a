"""Where places are: each area's boundary, and the gazetteer (地名地址库) of named addresses."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.clock import now
from hotline.extensions import db
from hotline.models.org import Area
from hotline.models.types import UTCDateTime


class AreaBoundary(db.Model):
    """A district's or street's outline as a GeoJSON Polygon or MultiPolygon (WGS 84, [long, lat]).
    The bounding box lets a lookup skip most outlines before testing the point."""

    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), primary_key=True)
    geometry: Mapped[dict] = mapped_column(JSON)
    min_lat: Mapped[float]
    min_long: Mapped[float]
    max_lat: Mapped[float]
    max_long: Mapped[float]
    source: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    area: Mapped[Area] = relationship()


class GazetteerEntry(db.Model):
    """A named address or place (a road number, an estate, a landmark) and the street it lies in.
    `code` is the Open311 `address_id`; `key` is the name normalised for matching."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="address")  # address, estate, road, landmark
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    active: Mapped[bool] = mapped_column(default=True)

    area: Mapped[Area] = relationship()
