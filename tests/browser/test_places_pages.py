"""The places page as a dispatcher and an administrator see it (screenshots in screenshots/): the map, trying a
point and an address, the gazetteer search, a refused import with its problems listed — at desktop and phone
width, in Chinese and English."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import fits_the_screen, shot, sign_in


@pytest.fixture
def narrow(browser):
    context = browser.new_context(viewport={"width": 360, "height": 780}, device_scale_factor=1, locale="zh-CN")
    yield context.new_page()
    context.close()


def test_the_map_and_a_point_tried_in_chinese_on_the_desktop(desktop, live_server):
    sign_in(desktop, live_server, "dispatcher")
    desktop.goto(f"{live_server}/admin/places?lang=zh")
    expect(desktop.locator("svg path.map-street")).to_have_count(19)
    expect(desktop.locator("svg path.map-district")).to_have_count(4)
    box = desktop.locator(".places-map svg").bounding_box()
    assert box["width"] > 400 and box["height"] > 200  # drawn, not collapsed
    desktop.fill("#lat", "30.0")
    desktop.fill("#long", "115.0")
    with desktop.expect_navigation():
        desktop.click(".places-try button[type=submit]")
    expect(desktop.locator(".places-try .result h3")).to_have_text("东湖区 西湖街道")
    expect(desktop.locator("svg path.map-marked")).to_have_count(1)
    expect(desktop.locator("svg circle.map-point")).to_have_count(1)
    expect(desktop.locator("#lat")).to_have_value("30.0")  # what was typed stays
    assert fits_the_screen(desktop)
    shot(desktop, "32-places-desktop-zh")


def test_an_address_tried_and_the_gazetteer_searched_in_english(desktop, live_server):
    sign_in(desktop, live_server, "dispatcher")
    desktop.goto(f"{live_server}/admin/places?lang=en")
    desktop.fill("#address", "江川市西山区江川大学东门")
    with desktop.expect_navigation():
        desktop.click(".places-try button[type=submit]")
    expect(desktop.locator(".places-try .result")).to_contain_text("the address, in the gazetteer")
    expect(desktop.locator(".places-try .result h3")).to_have_text("西山区 学院路街道")
    desktop.fill("input[name=q]", "公园")
    with desktop.expect_navigation():
        desktop.click("form.filters button[type=submit]")
    rows = desktop.locator("table.gazetteer tbody tr")
    assert rows.count() >= 10
    expect(rows.first).to_contain_text("公园")
    shot(desktop, "32-places-desktop-en")


def test_a_refused_import_lists_its_problems(desktop, live_server, tmp_path):
    sign_in(desktop, live_server, "admin")
    desktop.goto(f"{live_server}/admin/places?lang=en")
    bad = tmp_path / "districts.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "nowhere"},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}},
        {"type": "Feature", "properties": {},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}))
    desktop.set_input_files("#import form:first-of-type input[type=file]", str(bad))
    with desktop.expect_navigation():
        desktop.click("#import form:first-of-type button[type=submit]")
    errors = desktop.locator(".import-errors")
    expect(errors).to_contain_text("Nothing was imported from districts.geojson.")
    expect(errors.locator("li")).to_have_count(2)
    errors.scroll_into_view_if_needed()
    shot(desktop, "33-places-import-refused-desktop")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_fits_a_phone(narrow, live_server, lang):
    sign_in(narrow, live_server, "supervisor")
    narrow.goto(f"{live_server}/admin/places?lang={lang}&address=%E8%A5%BF%E6%B9%96%E8%8A%B1%E5%9B%AD")
    expect(narrow.locator(".places-try .result h3")).to_have_text("东湖区 西湖街道")
    assert narrow.locator("text.map-street-label").first.is_hidden()  # too small to read on a phone
    assert fits_the_screen(narrow)
    shot(narrow, f"33-places-phone-{lang}")
