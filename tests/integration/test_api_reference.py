"""GET /categories, /areas, /departments: the codes a client files and routes with, in both languages."""
from __future__ import annotations

import pytest

from tests.api_helpers import Api


@pytest.fixture
def api(app):
    return Api.as_user(app, "dh-cgj-staff")


def by_code(response) -> dict:
    assert response.status_code == 200
    return {item["code"]: item for item in response.get_json()["items"]}


def test_categories_have_two_levels_with_parents_and_both_names(api):
    items = by_code(api.get("/categories"))
    assert items["city"] == {"code": "city", "name": "城市管理", "name_en": "Urban management", "level": 1,
                             "parent": None, "active": True}
    assert items["city.noise-construction"]["parent"] == "city"
    assert items["city.noise-construction"]["level"] == 2 and items["city.noise-construction"]["name"] == "建筑施工噪声"


def test_areas_are_districts_and_streets(api):
    items = by_code(api.get("/areas"))
    assert items["dh"]["level"] == 1 and items["dh"]["parent"] is None and items["dh"]["name_en"] == "Donghu District"
    assert items["dh-xhj"] == {"code": "dh-xhj", "name": "西湖街道", "name_en": "Xihu Subdistrict", "level": 2,
                               "parent": "dh", "active": True}


def test_departments_carry_kind_level_parent_and_area(api):
    items = by_code(api.get("/departments"))
    street = items["dh-xhj"]
    assert street["kind"] == "street_office" and street["parent"] == "dh-gov" and street["area"] == "dh-xhj"
    assert street["level"] == 3 and street["name"] == "东湖区西湖街道办事处" and street["short_name"] == "西湖街道"
    assert items["cgw"]["level"] == 1 and items["cgw"]["parent"] is None and items["cgw"]["name_en"]
    assert "id" not in street


@pytest.mark.parametrize("path", ["/categories", "/areas", "/departments"])
def test_reference_data_needs_a_token(client, path):
    assert client.get("/api/v1" + path).status_code == 401
