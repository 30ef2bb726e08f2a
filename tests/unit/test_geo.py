"""hotline/domain/geo.py: outlines from GeoJSON, which outline holds a point, and address keys."""
from __future__ import annotations

import pytest

from hotline.domain import geo


def square(x0, y0, size):
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size],
                                                [x0, y0]]]}


@pytest.mark.parametrize(("typed", "key"), [
    ("西湖路18号", "西湖路18号"),
    ("江川市 东湖区 西湖路１８号", "江川市东湖区西湖路18号"),        # full-width digits, spaces
    ("西湖路18号5号楼", "西湖路18号5栋"),
    ("西湖路18号5幢", "西湖路18号5栋"),
    ("西湖路18号-5座", "西湖路18号5栋"),
    ("西湖路18号５栋楼", "西湖路18号5栋"),
    ("（西湖花园）、3栋，2单元。", "西湖花园3栋2单元"),               # CJK punctuation out
    ("Hubin Road, No. 5", "hubinroadno5"),
    ("ＡＢＣ　大厦", "abc大厦"),                                    # full-width letters and space
    ("", ""),
    ("！？…", ""),
])
def test_address_keys_make_spellings_of_one_address_equal(typed, key):
    assert geo.address_key(typed) == key


def test_a_number_that_is_not_a_building_keeps_its_form():
    assert geo.address_key("西湖路18号") != geo.address_key("西湖路18栋")
    assert geo.address_key("18号院") == "18号院"


def test_substrings_come_longest_first_without_repeats():
    pieces = geo.substrings("abab", shortest=2)
    assert pieces == ["abab", "aba", "bab", "ab", "ba"]
    assert geo.substrings("a") == []
    assert max(map(len, geo.substrings("x" * 100 + "y", longest=40))) == 40


def test_the_longest_contained_name_wins():
    names = {"西湖路": "road", "西湖路18号": "address", "西湖": "lake", "": "never"}
    assert geo.longest_contained("东湖区西湖路18号3栋", names) == "address"
    assert geo.longest_contained("西湖路99号", names) == "road"
    assert geo.longest_contained("湖滨路", names) is None


@pytest.mark.parametrize(("geometry", "why"), [
    (None, "not a Polygon"),
    ({"type": "Point", "coordinates": [115, 30]}, "not a Polygon"),
    ({"type": "Polygon", "coordinates": "nonsense"}, "unreadable"),
    ({"type": "Polygon", "coordinates": []}, "empty"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}, "Self-intersection"),
    (square(200, 0, 1), "outside"),
    (square(0, 95, 1), "outside"),
])
def test_bad_outlines_are_refused_with_a_reason(geometry, why):
    with pytest.raises(geo.BadGeometry, match=why):
        geo.outline_of(geometry)


def test_a_multipolygon_is_an_outline_and_its_box_covers_both_parts():
    multi = {"type": "MultiPolygon", "coordinates": [square(0, 0, 1)["coordinates"], square(5, 5, 1)["coordinates"]]}
    box = geo.box_of(geo.outline_of(multi))
    assert (box.min_long, box.min_lat, box.max_long, box.max_lat) == (0, 0, 6, 6)


def test_the_smallest_outline_that_holds_the_point_comes_first():
    district = geo.Outline(1, geo.outline_of(square(0, 0, 10)))
    street_a = geo.Outline(2, geo.outline_of(square(0, 0, 5)))
    street_b = geo.Outline(3, geo.outline_of(square(5, 0, 5)))
    index = geo.OutlineIndex([district, street_a, street_b])
    assert [o.key for o in index.holding(lat=2, long=2)] == [2, 1]
    assert [o.key for o in index.holding(lat=2, long=7)] == [3, 1]
    assert [o.key for o in index.holding(lat=8, long=8)] == [1]          # in the district, in no street
    assert [o.key for o in index.holding(lat=2, long=5)] == [2, 3, 1]    # on the line between two streets
    assert index.holding(lat=20, long=20) == []
    assert index.holding(lat=float("nan"), long=1) == []
    assert geo.OutlineIndex([]).holding(1, 1) == []


@pytest.mark.parametrize(("lat", "long", "ok"), [
    (30, 115, True), (-90, -180, True), (90.01, 0, False), (0, 180.5, False), (float("inf"), 0, False),
])
def test_valid_points(lat, long, ok):
    assert geo.valid_point(lat, long) is ok
