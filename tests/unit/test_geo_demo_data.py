"""The demo city's boundaries and gazetteer (hotline/seed/data): every street's outline lies in its district,
the streets tile each district without overlapping, and every gazetteer point lies in its own street."""
from __future__ import annotations

import csv
import json

import pytest
from shapely.geometry import Point
from shapely.ops import unary_union

from hotline.domain import geo
from hotline.seed import demo_city, demo_geo

TOLERANCE = 1e-9  # square degrees: the tiles share their vertices exactly, so only rounding remains


@pytest.fixture(scope="module")
def outlines() -> dict:
    data = json.loads(demo_geo.BOUNDARIES.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    return {f["properties"]["code"]: geo.outline_of(f["geometry"]) for f in data["features"]}


def test_every_demo_area_has_one_outline(outlines):
    assert set(outlines) == {a.code for a in demo_city.AREAS}
    assert len(outlines) == 23


@pytest.mark.parametrize("district", [a.code for a in demo_city.AREAS if a.parent is None])
def test_the_streets_tile_their_district(outlines, district):
    streets = [outlines[a.code] for a in demo_city.AREAS if a.parent == district]
    assert streets
    assert unary_union(streets).symmetric_difference(outlines[district]).area < TOLERANCE
    for i, a in enumerate(streets):
        for b in streets[i + 1:]:
            assert a.intersection(b).area < TOLERANCE


def test_districts_do_not_overlap(outlines):
    districts = [outlines[a.code] for a in demo_city.AREAS if a.parent is None]
    for i, a in enumerate(districts):
        for b in districts[i + 1:]:
            assert a.intersection(b).area < TOLERANCE


def test_the_gazetteer_names_each_street_10_to_20_times_with_points_inside_it(outlines):
    with demo_geo.GAZETTEER.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    streets = {a.code for a in demo_city.AREAS if a.parent}
    per_street = {code: 0 for code in streets}
    for row in rows:
        assert row["area_code"] in streets
        per_street[row["area_code"]] += 1
        assert outlines[row["area_code"]].contains(Point(float(row["long"]), float(row["lat"]))), row
        assert row["kind"] in ("address", "estate", "road", "landmark")
    assert all(10 <= n <= 20 for n in per_street.values()), per_street
    assert len({r["code"] for r in rows}) == len(rows)
    assert len({geo.address_key(r["name"]) for r in rows}) == len(rows)  # no two entries match the same text
