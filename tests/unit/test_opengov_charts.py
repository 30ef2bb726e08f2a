"""The server-drawn SVG charts: well-formed, accessible, escaped, and honest about months without a value."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from hotline.web.opengov import charts

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def test_bars_one_per_series_and_month_with_their_values_as_tooltips():
    svg = parse(charts.bars("v", "Received & closed", "desc", ["9月", "10月", "11月"],
                            [charts.Series("受理", [120, 80, 0]), charts.Series("办结", [100, 75, 0])]))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "v-t v-d"
    assert svg.find("s:title", NS).text == "Received & closed"
    rects = svg.findall(".//s:rect", NS)
    assert len(rects) == 6
    tips = [r.find("s:title", NS).text for r in rects]
    assert "9月 受理: 120" in tips and "10月 办结: 75" in tips
    heights = [float(r.get("height")) for r in rects]
    assert heights[0] > heights[1] > heights[2] == 0  # 120 > 80 > 0, drawn to the same scale


def test_lines_break_where_a_month_has_no_rate():
    svg = parse(charts.lines("r", "Rates", "desc", ["a", "b", "c", "d", "e"],
                             [charts.Series("<满意率>", [0.5, 0.75, None, 1.0, 0.9])]))
    polylines = svg.findall(".//s:polyline", NS)
    assert len(polylines) == 2  # a–b, then d–e: nothing is drawn through the gap
    circles = svg.findall(".//s:circle", NS)
    assert len(circles) == 4
    assert circles[0].find("s:title", NS).text == "a <满意率>: 50.0%"  # escaped in the markup, read back whole


def test_every_text_is_escaped():
    markup = str(charts.bars("x", "<script>", "</desc>", ["<b>"], [charts.Series("&", [1])]))
    assert "<script>" not in markup and "<b>" not in markup
    parse(markup)


def test_an_empty_chart_still_draws():
    parse(charts.bars("e", "t", "d", [], []))
    parse(charts.lines("e", "t", "d", ["a"], [charts.Series("s", [None])]))
