"""Places, pure: outlines from GeoJSON, which outline holds a point, and address text made comparable.

Coordinates are WGS 84 as GeoJSON has them: [long, lat]. A street's outline lies inside its district's, so a
point is in several outlines; the smallest one is the most precise answer (street over district)."""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

SHAPE_TYPES = ("Polygon", "MultiPolygon")


class BadGeometry(ValueError):
    """The GeoJSON is not a valid polygon; the message says why (for the person importing it)."""


@dataclass(frozen=True)
class Box:
    min_lat: float
    min_long: float
    max_lat: float
    max_long: float


@dataclass(frozen=True)
class Outline:
    key: int  # the area's id, or anything the caller uses to find it again
    shape: BaseGeometry

    @property
    def size(self) -> float:
        return self.shape.area


def outline_of(geometry: dict) -> BaseGeometry:
    """A GeoJSON Polygon or MultiPolygon as a shape, refused when it is not one or is not a valid outline."""
    if not isinstance(geometry, dict) or geometry.get("type") not in SHAPE_TYPES:
        raise BadGeometry("not a Polygon or MultiPolygon")
    try:
        made = shape(geometry)
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise BadGeometry(f"unreadable coordinates ({exc})") from None
    if made.is_empty:
        raise BadGeometry("empty")
    if not made.is_valid:
        raise BadGeometry(explain_validity(made))
    minx, miny, maxx, maxy = made.bounds
    if not (valid_point(miny, minx) and valid_point(maxy, maxx)):
        raise BadGeometry("coordinates outside [-180, 180] × [-90, 90] (GeoJSON is [long, lat])")
    return made


def box_of(outline: BaseGeometry) -> Box:
    minx, miny, maxx, maxy = outline.bounds
    return Box(min_lat=miny, min_long=minx, max_lat=maxy, max_long=maxx)


def valid_point(lat: float, long: float) -> bool:
    return math.isfinite(lat) and math.isfinite(long) and -90 <= lat <= 90 and -180 <= long <= 180


class OutlineIndex:
    """Outlines indexed by their bounding boxes (an R-tree), so a lookup tests only the few whose box holds
    the point. Built once per set of outlines; read-only afterwards, so threads may share it."""

    def __init__(self, outlines: Iterable[Outline]):
        self.outlines = sorted(outlines, key=lambda o: (o.size, o.key))  # smallest first
        self._tree = STRtree([o.shape for o in self.outlines])

    def __len__(self) -> int:
        return len(self.outlines)

    def holding(self, lat: float, long: float) -> list[Outline]:
        """Every outline that holds the point (a point on an edge counts), smallest first."""
        if not valid_point(lat, long) or not self.outlines:
            return []
        hits = self._tree.query(Point(long, lat), predicate="intersects")
        return [self.outlines[i] for i in sorted(int(h) for h in hits)]


# --- address text ----------------------------------------------------------------------------------------------

_BUILDING = re.compile(r"(\d+)(?:号楼|幢|座|栋楼|栋)")
# \W is "not a letter or digit": spaces, ASCII and CJK punctuation, symbols; CJK characters are letters.
_NOT_A_WORD = re.compile(r"[\W_]+")


def address_key(text: str) -> str:
    """The form two spellings of one address share: full-width → half-width (NFKC), case folded, spaces and
    punctuation out, and a building written 5号楼, 5幢, 5座 or 5栋 always as 5栋."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    squeezed = _NOT_A_WORD.sub("", folded)
    return _BUILDING.sub(r"\1栋", squeezed)


def substrings(key: str, shortest: int = 2, longest: int = 40) -> list[str]:
    """Every piece of `key` of `shortest`..`longest` characters, longest first: the candidate gazetteer keys an
    address may contain (looked up by an index, so the cost grows with the address, not with the gazetteer)."""
    seen: dict[str, None] = {}
    for size in range(min(longest, len(key)), shortest - 1, -1):
        for start in range(len(key) - size + 1):
            seen.setdefault(key[start:start + size])
    return list(seen)


def longest_contained(key: str, names: dict[str, object]) -> object | None:
    """Of the names (already address keys) found in `key`, the one of the longest name; None if none is."""
    best = None
    for name, value in names.items():
        if name and name in key and (best is None or len(name) > len(best[0])):
            best = (name, value)
    return best[1] if best else None
