"""GET /api/v1/locate: what the operator console and integrators ask, and the clear refusals."""
from __future__ import annotations

import pytest

from tests.api_helpers import Api


@pytest.fixture
def api(app):
    return Api.as_user(app, "operator")


def test_a_point_gives_the_street_and_district_with_both_names(api):
    response = api.get("/locate", lat="30.0", long="115.0")
    assert response.status_code == 200
    body = response.get_json()
    assert body == {
        "area": {"code": "dh-xhj", "name": "西湖街道", "name_en": "Xihu Subdistrict"},
        "street": {"code": "dh-xhj", "name": "西湖街道", "name_en": "Xihu Subdistrict"},
        "district": {"code": "dh", "name": "东湖区", "name_en": "Donghu District"},
        "latitude": 30.0, "longitude": 115.0, "address": "", "address_id": None, "how": "point"}


def test_an_address_and_an_address_id(api):
    body = api.get("/locate", address="东湖区 西湖花园 3号楼").get_json()
    assert (body["how"], body["address_id"], body["address"], body["street"]["code"]) == (
        "gazetteer", "dh-xhj-06", "西湖花园", "dh-xhj")
    assert isinstance(body["latitude"], float) and isinstance(body["longitude"], float)
    body = api.get("/locate", address_id="dh-xhj-06").get_json()
    assert (body["how"], body["address_id"], body["district"]["code"]) == ("address_id", "dh-xhj-06", "dh")


def test_a_district_name_alone_gives_no_street(api):
    body = api.get("/locate", address="北塘区某某巷").get_json()
    assert body["how"] == "area_name" and body["street"] is None
    assert body["area"]["code"] == body["district"]["code"] == "bt"


def test_nothing_found_is_an_answer_not_an_error(api):
    response = api.get("/locate", address="月球背面")
    assert response.status_code == 200
    assert response.get_json() == {"area": None, "street": None, "district": None, "latitude": None,
                                   "longitude": None, "address": "月球背面", "address_id": None, "how": "none"}
    assert api.get("/locate").get_json()["how"] == "none"  # nothing asked, nothing found


@pytest.mark.parametrize(("params", "fields"), [
    ({"lat": "30"}, {"long": "required"}),
    ({"long": "115"}, {"lat": "required"}),
    ({"lat": "abc", "long": "115"}, {"lat": "invalid"}),
    ({"lat": "nan", "long": "115"}, {"lat": "invalid"}),
    ({"lat": "91", "long": "115"}, {"lat": "out_of_range"}),
    ({"lat": "30", "long": "-181"}, {"long": "out_of_range"}),
    ({"address": "路" * 201}, {"address": "too_long"}),
    ({"address_id": "x" * 33}, {"address_id": "too_long"}),
    ({"address_id": "no-such"}, {"address_id": "unknown"}),
    ({"lat": "39.9", "long": "116.4"}, {"lat": "outside_jurisdiction", "long": "outside_jurisdiction"}),
])
def test_bad_input_is_a_clear_422(api, params, fields):
    response = api.get("/locate", **params)
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "invalid_fields" and body["fields"] == fields and body["message"]


def test_it_needs_a_token(client):
    response = client.get("/api/v1/locate", query_string={"lat": "30", "long": "115"})
    assert response.status_code == 401


@pytest.mark.parametrize("username", ["dh-cgj-staff", "dispatcher", "admin"])
def test_any_signed_in_role_may_locate(app, username):
    assert Api.as_user(app, username).get("/locate", address="江川大学").status_code == 200
