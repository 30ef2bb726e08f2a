"""Where a report is: a point, a gazetteer address id or an address typed → the street and district.

Order: an `address_id` names a gazetteer entry; else a point (lat + long) is looked up in the boundaries, the
smallest outline winning (street over district); else the address text is matched against the gazetteer (the
whole text, then the longest entry name it contains) and, failing that, against the names of streets and
districts. The outlines are loaded once per process and loaded again when the boundary table changes."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.domain import geo
from hotline.models import Area, AreaBoundary, GazetteerEntry

HOW = ("address_id", "point", "gazetteer", "area_name", "none")
ADDRESS_MAX = 200  # longer text is cut before matching: no gazetteer name is that long


@dataclass(frozen=True)
class Located:
    area_id: int | None          # the street (level 2) when known, else the district (level 1), else None
    street_code: str | None
    district_code: str | None
    latitude: float | None
    longitude: float | None
    address: str                 # the gazetteer entry's name when one matched, else the address string as given
    address_id: str | None       # the gazetteer entry's code when one matched
    how: str                     # "address_id", "point", "gazetteer", "area_name" or "none"


class UnknownAddressId(LookupError):
    """address_id names no active gazetteer entry."""


class OutsideJurisdiction(ValueError):
    """A point in no district of the city."""


class InvalidPoint(OutsideJurisdiction):
    """Half a point (lat without long, or the reverse), or coordinates no place on Earth has. A kind of
    OutsideJurisdiction so a caller that answers "outside the city" answers these too."""


def resolve(session: Session, *, lat: float | None = None, long: float | None = None, address: str | None = None,
            address_id: str | None = None) -> Located:
    text = (address or "").strip()
    if address_id is not None and str(address_id).strip():
        entry = session.scalar(select(GazetteerEntry).where(GazetteerEntry.code == str(address_id).strip(),
                                                            GazetteerEntry.active.is_(True)))
        if entry is None:
            raise UnknownAddressId(str(address_id))
        return _from_entry(session, entry, "address_id")
    if lat is not None or long is not None:
        located = _from_point(session, lat, long, text)
        if located is not None:
            return located
    if text:
        return _from_text(session, text)
    return Located(None, None, None, None, None, "", None, "none")


def area_codes(area: Area | None) -> tuple[str | None, str | None]:
    """(street code, district code) of an area of either level."""
    if area is None:
        return None, None
    if area.level == 1 or area.parent is None:
        return None, area.code
    return area.code, area.parent.code


# --- a point ---------------------------------------------------------------------------------------------------

def _from_point(session: Session, lat, long, text: str) -> Located | None:
    if lat is None or long is None:
        raise InvalidPoint("lat and long go together")
    try:
        lat, long = float(lat), float(long)
    except (TypeError, ValueError):
        raise InvalidPoint("lat and long must be numbers") from None
    if not geo.valid_point(lat, long):
        raise InvalidPoint("lat must be within ±90 and long within ±180")
    index = outlines(session)
    if not len(index):
        return None  # a city without boundaries cannot place a point: the address is all there is
    for outline in index.holding(lat, long):
        area = session.get(Area, outline.key)
        if area is not None and area.active:
            street, district = area_codes(area)
            return Located(area.id, street, district, lat, long, text, None, "point")
    raise OutsideJurisdiction(f"({lat}, {long}) lies in no district of the city")


_cache_lock = threading.Lock()
_cache: dict[str, tuple[tuple, geo.OutlineIndex]] = {}


def boundaries_stamp(session: Session) -> tuple:
    """What changes when the boundary table does. max(updated_at) alone misses a deleted row and a table filled
    again within the same second (tests freeze time), so the count and sums of the boxes are in it too."""
    row = session.execute(select(func.count(), func.max(AreaBoundary.updated_at), func.sum(AreaBoundary.area_id),
                                 func.sum(AreaBoundary.min_lat + AreaBoundary.max_long))).one()
    return tuple(round(v, 9) if isinstance(v, float) else v for v in row)


def outlines(session: Session) -> geo.OutlineIndex:
    """The outlines of every area, from this process's copy when the table has not changed since it was made."""
    where = str(session.get_bind().url)
    stamp = boundaries_stamp(session)
    held = _cache.get(where)
    if held and held[0] == stamp:
        return held[1]
    with _cache_lock:
        held = _cache.get(where)
        if held and held[0] == stamp:
            return held[1]
        rows = session.execute(select(AreaBoundary.area_id, AreaBoundary.geometry)).all()
        index = geo.OutlineIndex(geo.Outline(area_id, geo.outline_of(geometry)) for area_id, geometry in rows)
        _cache[where] = (stamp, index)
        return index


def forget() -> None:
    """Drop this process's copies of the outlines (tests; an import calls nothing: the stamp notices)."""
    with _cache_lock:
        _cache.clear()


# --- an address ------------------------------------------------------------------------------------------------

def _from_entry(session: Session, entry: GazetteerEntry, how: str) -> Located:
    street, district = area_codes(entry.area)
    return Located(entry.area_id, street, district, entry.latitude, entry.longitude, entry.name, entry.code, how)


def _from_text(session: Session, text: str) -> Located:
    key = geo.address_key(text[:ADDRESS_MAX])
    if not key:
        return Located(None, None, None, None, None, text, None, "none")
    active = GazetteerEntry.active.is_(True)
    exact = list(session.scalars(select(GazetteerEntry).where(GazetteerEntry.key == key, active)))
    if not exact:
        pieces = geo.substrings(key)
        found = list(session.scalars(select(GazetteerEntry).where(GazetteerEntry.key.in_(pieces), active)))
        longest = max((len(e.key) for e in found), default=0)
        exact = [e for e in found if len(e.key) == longest]
    if len(exact) == 1:  # decided: the area names (every area read) are not needed (docs/benchmarks.md §10)
        return _from_entry(session, exact[0], "gazetteer")
    named = _named_areas(session, key)
    entry = _one_of(exact, named)
    if entry is not None:
        return _from_entry(session, entry, "gazetteer")
    if named:
        area = named[0]
        street, district = area_codes(area)
        return Located(area.id, street, district, None, None, text, None, "area_name")
    return Located(None, None, None, None, None, text, None, "none")


def _one_of(entries: list[GazetteerEntry], named: list[Area]) -> GazetteerEntry | None:
    """One entry among several of the same name: the one in a street or district the address also names; when
    that does not decide, none (a guess would send the case to the wrong street office)."""
    if len(entries) <= 1:
        return entries[0] if entries else None
    named_ids = {a.id for a in named}
    inside = [e for e in entries if e.area_id in named_ids or (e.area and e.area.parent_id in named_ids)]
    return inside[0] if len(inside) == 1 else None


def _named_areas(session: Session, key: str) -> list[Area]:
    """Active streets and districts whose name the address contains: streets first, longer names first; a
    street outside a district the address also names is dropped (江川市东湖区… means 东湖区's streets)."""
    if not key:
        return []
    areas = [a for a in session.scalars(select(Area).where(Area.active.is_(True)))
             if (k := geo.address_key(a.name)) and k in key]
    districts = {a.id for a in areas if a.level == 1}
    streets = [a for a in areas if a.level == 2 and (not districts or a.parent_id in districts)]
    ordered = sorted(streets, key=lambda a: -len(a.name)) + sorted(
        (a for a in areas if a.level == 1), key=lambda a: -len(a.name))
    return ordered
