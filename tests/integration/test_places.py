"""/admin/places: who may see and import, the map, the gazetteer search, and "try a location"."""
from __future__ import annotations

import re

import pytest

from tests.helpers import login
from tests.integration.test_admin_catalogue_support import sign_in

PAGE = "/admin/places"


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("username", ["operator", "dh-cgj-staff", "dh-cgj-head"])
def test_other_roles_are_refused(client, username):
    login(client, username)
    assert client.get(PAGE).status_code == 403
    assert client.post(f"{PAGE}/boundaries").status_code in (400, 403)  # no CSRF token, and no right either
    assert client.post(f"{PAGE}/gazetteer").status_code in (400, 403)


def test_a_dispatcher_sees_the_map_and_tries_but_may_not_import(client):
    sign_in(client, "dispatcher")
    page = client.get(PAGE).get_data(as_text=True)
    assert "Boundaries" in page and "Try a location" in page and "Gazetteer" in page
    assert "/admin/places/boundaries" not in page and "/admin/places/gazetteer" not in page
    from tests.helpers import hidden_value

    token = hidden_value(client.get("/").get_data(as_text=True), "csrf_token")
    assert client.post(f"{PAGE}/boundaries", data={"csrf_token": token}).status_code == 403


@pytest.mark.parametrize("username", ["admin", "supervisor"])
def test_admins_and_supervisors_see_the_imports(client, username):
    sign_in(client, username)
    page = client.get(PAGE).get_data(as_text=True)
    assert 'action="/admin/places/boundaries#import"' in page and 'action="/admin/places/gazetteer#import"' in page
    assert 'enctype="multipart/form-data"' in page


def test_the_map_draws_every_district_and_street(client):
    sign_in(client, "dispatcher")
    page = client.get(PAGE).get_data(as_text=True)
    codes = re.findall(r'<path class="map-(street|district)[^"]*" d="M[^"]+" data-code="([^"]+)"', page)
    assert len([c for kind, c in codes if kind == "district"]) == 4
    assert len([c for kind, c in codes if kind == "street"]) == 19
    assert "<svg" in page and "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_trying_a_point_marks_the_street_and_pins_the_point(client):
    sign_in(client, "dispatcher")
    page = client.get(PAGE, query_string={"lat": "30.0", "long": "115.0"}).get_data(as_text=True)
    assert 'class="map-street map-fill-0 map-marked" d=' in page or 'map-marked" d="M' in page
    assert re.search(r'map-marked" d="M[^"]+" data-code="dh-xhj"', page)
    assert '<circle class="map-point"' in page
    assert "东湖区 西湖街道" in page and "the point, in the boundaries" in page


def test_trying_an_address_shows_the_gazetteer_entry(client):
    sign_in(client, "dispatcher")
    page = client.get(PAGE, query_string={"address": "西湖花园3号楼"}).get_data(as_text=True)
    assert "dh-xhj-06" in page and "the address, in the gazetteer" in page
    assert 'value="西湖花园3号楼"' in page  # the form keeps what was typed


def test_trying_a_point_outside_the_city_says_so(client):
    sign_in(client, "dispatcher")
    page = client.get(PAGE, query_string={"lat": "39.9", "long": "116.4"}).get_data(as_text=True)
    assert "Outside the city" in page and 'value="39.9"' in page


@pytest.mark.parametrize(("query", "message"), [
    ({"lat": "thirty", "long": "115"}, "Enter both latitude and longitude"),
    ({"lat": "30"}, "Enter both latitude and longitude"),
    ({"lat": "95", "long": "115"}, "This is not a point on Earth"),
    ({"address_id": "nowhere-1"}, "No active gazetteer entry has this id."),
])
def test_bad_tries_are_explained_next_to_the_field(client, query, message):
    sign_in(client, "dispatcher")
    response = client.get(PAGE, query_string=query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and 'class="error"' in page


def test_the_gazetteer_is_searchable_by_name_code_and_area_and_paginated(client):
    sign_in(client, "dispatcher")
    page = client.get(PAGE).get_data(as_text=True)
    assert "Page 1 of 5" in page  # 247 entries, 50 a page
    page = client.get(PAGE, query_string={"q": "西湖 花园"}).get_data(as_text=True)
    assert "dh-xhj-06" in page and "dh-hbj-" not in page
    page = client.get(PAGE, query_string={"q": "nj-szj-0"}).get_data(as_text=True)
    assert page.count("<code>nj-szj-0") == 9
    page = client.get(PAGE, query_string={"area": "xs"}).get_data(as_text=True)
    rows = re.findall(r"<code>([a-z]+-[a-z]+-\d\d)</code>", page)
    assert rows and all(r.startswith("xs-") for r in rows) and len(rows) == 50
    assert "No entry matches." in client.get(PAGE, query_string={"q": "月球"}).get_data(as_text=True)
    assert client.get(PAGE, query_string={"q": "%_\\", "page": "99"}).status_code == 200


def test_the_page_speaks_chinese_by_default(client):
    login(client, "dispatcher")
    client.get("/?lang=zh")
    page = client.get(PAGE).get_data(as_text=True)
    assert '<html lang="zh' in page
