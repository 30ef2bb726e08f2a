"""The boundaries as an SVG map drawn on the server: no tiles, no script. Longitude is shrunk by cos(latitude)
so that the city keeps its shape (an equirectangular view of a small place)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from hotline.domain import geo

WIDTH = 1000.0
PAD = 12.0
FILLS = 6  # districts take fill classes map-fill-0 … map-fill-5 in turn (places.css)


@dataclass
class Shape:
    code: str
    name: str
    level: int
    d: str
    label_x: float
    label_y: float
    fill: int = 0
    marked: bool = False


@dataclass
class Map:
    width: float
    height: float
    districts: list[Shape] = field(default_factory=list)
    streets: list[Shape] = field(default_factory=list)
    point: tuple[float, float] | None = None


def _rings(geometry: dict) -> list[list[list[float]]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [ring for polygon in polygons for ring in polygon]


def draw(outlines: list[tuple], marked_ids: set[int] = frozenset(), point: tuple[float, float] | None = None
         ) -> Map | None:
    """`outlines`: (area, geometry) pairs. `marked_ids`: the areas to pick out; `point`: (lat, long) to pin."""
    if not outlines:
        return None
    boxes = [geo.box_of(geo.outline_of(g)) for _area, g in outlines]
    min_long, max_long = min(b.min_long for b in boxes), max(b.max_long for b in boxes)
    min_lat, max_lat = min(b.min_lat for b in boxes), max(b.max_lat for b in boxes)
    shrink = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_long - min_long) * shrink, 1e-9)
    scale = (WIDTH - 2 * PAD) / span_x
    height = (max_lat - min_lat) * scale + 2 * PAD

    def xy(long: float, lat: float) -> tuple[float, float]:
        return round(PAD + (long - min_long) * shrink * scale, 1), round(PAD + (max_lat - lat) * scale, 1)

    drawing = Map(width=WIDTH, height=round(height, 1))
    fills: dict[int, int] = {}
    for area, geometry in sorted(outlines, key=lambda pair: (pair[0].level, pair[0].code)):
        d = " ".join("M" + " L".join(f"{x},{y}" for x, y in (xy(*p[:2]) for p in ring)) + " Z"
                     for ring in _rings(geometry))
        spot = geo.outline_of(geometry).representative_point()
        x, y = xy(spot.x, spot.y)
        district_id = area.id if area.level == 1 else area.parent_id
        fill = fills.setdefault(district_id, len(fills) % FILLS)
        shape = Shape(area.code, area.name, area.level, d, x, y, fill, area.id in marked_ids)
        (drawing.districts if area.level == 1 else drawing.streets).append(shape)
    if point is not None and geo.valid_point(*point):
        drawing.point = xy(point[1], point[0])
    return drawing
