"""Every response of GeoReport v2, field by field as the spec's tables list them, in XML and in JSON; and every
error case the spec names, as its array of {code, description} with the right HTTP status."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hotline.domain import api_keys as key_rules
from tests.integration.test_open311_support import JURISDICTION, make_key, post, read, root_tag, text

FORMATS = ("xml", "json")
W3 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
                  "address", "address_id", "zipcode", "lat", "long", "media_url"]


def _offered(app) -> dict[str, tuple[str, str, str]]:
    """code → (name, group, keywords) of every active level-2 category under an active level-1 one."""
    from hotline.extensions import db
    from hotline.models import Category

    with app.app_context():
        return {c.code: (c.name, c.parent.name, c.keywords) for c in db.session.scalars(
            select(Category).where(Category.level == 2, Category.active)) if c.parent.active}


def _streets(app) -> set[str]:
    from hotline.extensions import db
    from hotline.models import Area

    with app.app_context():
        return {a.code for a in db.session.scalars(select(Area).where(Area.level == 2, Area.active))}


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(client, fmt):
    response = client.get(f"/open311/discovery.{fmt}")
    assert response.status_code == 200
    body = read(response)
    if fmt == "xml":
        assert root_tag(response) == "discovery"
    assert W3.match(body["changeset"]) and body["contact"] and body["key_service"]
    (endpoint,) = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://localhost/open311/v2"
    assert W3.match(endpoint["changeset"]) and endpoint["type"] in ("production", "test")
    assert endpoint["formats"] == ["text/xml", "application/json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_list(app, client, fmt):
    response = client.get(f"/open311/v2/services.{fmt}?jurisdiction_id={JURISDICTION}")
    assert response.status_code == 200
    services = read(response)
    offered = _offered(app)
    assert sorted(s["service_code"] for s in services) == sorted(offered)
    for service in services:
        assert list(service) == ["service_code", "service_name", "description", "metadata", "type", "keywords",
                                 "group"]
        name, group, keywords = offered[service["service_code"]]
        assert (service["service_name"], service["group"]) == (name, group)
        assert service["keywords"] == ", ".join(keywords.split())
        assert service["description"] == f"{group} › {name}"
        assert text(service["metadata"]) == "true" and service["type"] == "realtime"
    if fmt == "xml":
        assert root_tag(response) == "services"
    else:
        assert all(s["metadata"] is True for s in services)


def test_service_names_in_english(app, client):
    by_lang = read(client.get("/open311/v2/services.json?lang=en"))
    by_header = read(client.get("/open311/v2/services.json", headers={"Accept-Language": "en-GB,en;q=0.8"}))
    noise = next(s for s in by_lang if s["service_code"] == "city.noise-construction")
    assert noise["service_name"] == "Construction noise" and noise["group"] == "Urban management"
    assert by_header == by_lang


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition(app, client, fmt):
    response = client.get(f"/open311/v2/services/city.noise-construction.{fmt}")
    assert response.status_code == 200
    definition = read(response)
    assert list(definition) == ["service_code", "attributes"]
    assert definition["service_code"] == "city.noise-construction"
    if fmt == "xml":
        assert root_tag(response) == "service_definition"
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert set(attributes) == {"kind", "urgency", "area", "confidential"}
    orders = [int(a["order"]) for a in definition["attributes"]]
    assert sorted(orders) == orders and len(set(orders)) == len(orders) and min(orders) == 1
    for attribute in definition["attributes"]:
        assert list(attribute) == ["variable", "code", "datatype", "required", "datatype_description", "order",
                                   "description", "values"]
        assert text(attribute["variable"]) == "true" and attribute["datatype"] == "singlevaluelist"
        assert text(attribute["required"]) in ("true", "false") and attribute["description"]
        assert attribute["values"] and all(list(v) == ["key", "name"] and v["key"] and v["name"]
                                           for v in attribute["values"])
    keys = {code: [v["key"] for v in a["values"]] for code, a in attributes.items()}
    assert keys["kind"] == ["complaint", "help", "report", "consult", "suggestion", "praise"]
    assert keys["urgency"] == ["urgent", "utilities", "general", "complex"]
    assert set(keys["area"]) == _streets(app) and keys["confidential"] == ["false", "true"]
    assert text(attributes["area"]["required"]) == "true" and text(attributes["kind"]["required"]) == "false"
    names = {v["key"]: v["name"] for v in attributes["area"]["values"]}
    assert names["dh-xhj"] == "东湖区 西湖街道"


def test_service_definition_in_english(client):
    definition = read(client.get("/open311/v2/services/city.noise-construction.json?lang=en"))
    kind = next(a for a in definition["attributes"] if a["code"] == "kind")
    assert {"key": "complaint", "name": "Complaint"} in kind["values"]
    area = next(a for a in definition["attributes"] if a["code"] == "area")
    assert {"key": "dh-xhj", "name": "Donghu District Xihu Subdistrict"} in area["values"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_request_answers_the_id_and_the_token(app, client, fmt):
    response = post(client, make_key(app), fmt=fmt)
    assert response.status_code == 200, response.get_data(as_text=True)
    (answer,) = read(response)
    assert list(answer) == ["service_request_id", "token", "service_notice", "account_id"]
    assert re.match(r"^12345-\d{8}-\d{6}$", answer["service_request_id"])
    assert re.match(r"^[0-9a-f]{32}$", answer["token"])
    assert answer["service_notice"] and answer["account_id"] == "acct-4455"
    if fmt == "xml":
        assert root_tag(response) == "service_requests"


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_get_request_and_token(app, client, fmt):
    (made,) = read(post(client, make_key(app)))
    listed = read(client.get(f"/open311/v2/requests.{fmt}"))
    one = read(client.get(f"/open311/v2/requests/{made['service_request_id']}.{fmt}"))
    assert listed == one
    (request,) = one
    assert list(request) == REQUEST_FIELDS
    assert request["service_request_id"] == made["service_request_id"] and request["status"] == "open"
    assert (request["service_code"], request["service_name"]) == ("city.noise-construction", "建筑施工噪声")
    assert W3.match(request["requested_datetime"]) and W3.match(request["updated_datetime"])
    assert request["address"] == "东湖区西湖街道西湖路156号" and request["address_id"] == "dh-xhj-04"
    assert (text(request["lat"]), text(request["long"])) == ("30.005", "114.986")
    assert request["description"].startswith("工地每天夜里十一点以后还在施工")
    for absent in ("status_notes", "service_notice", "zipcode", "media_url", "expected_datetime",
                   "agency_responsible"):
        assert request[absent] is None  # a suggested dispatch: no department and no deadline yet
    token = read(client.get(f"/open311/v2/tokens/{made['token']}.{fmt}"))
    assert token == [{"service_request_id": made["service_request_id"], "token": made["token"]}]


# --- the errors the spec names ------------------------------------------------------------------------------

def _errors(response, status: int, *needles: str):
    assert response.status_code == status, response.get_data(as_text=True)
    errors = read(response)
    assert errors and all(list(e) == ["code", "description"] and text(e["code"]) == str(status) for e in errors)
    described = " ".join(e["description"] for e in errors)
    for needle in needles:
        assert needle in described, described
    return errors


@pytest.mark.parametrize("fmt", FORMATS)
def test_errors_of_the_service_list_and_definition(client, fmt):
    _errors(client.get(f"/open311/v2/services.{fmt}?jurisdiction_id=sfgov.org&lang=en"), 404, "jurisdiction_id")
    _errors(client.get(f"/open311/v2/services/nope.{fmt}?lang=en"), 404, "service_code")
    _errors(client.get(f"/open311/v2/services/city.{fmt}?lang=en"), 404, "service_code")  # a level-1 code
    _errors(client.get(f"/open311/v2/services/city.noise-construction.{fmt}?jurisdiction_id=x"), 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_errors_of_post(app, client, fmt):
    raw = make_key(app)
    en = {"Accept-Language": "en"}
    _errors(post(client, None, fmt, headers=en), 403, "api_key")
    _errors(post(client, "h311_not-a-key", fmt, headers=en), 403, "api_key")
    read_only = make_key(app, scopes=(key_rules.READ,))
    _errors(post(client, read_only, fmt, headers=en), 403, "requests:create")
    _errors(post(client, raw, fmt, headers=en, jurisdiction_id="sfgov.org"), 404, "jurisdiction_id")
    _errors(post(client, raw, fmt, headers=en, service_code="no.such-service"), 404, "service_code")
    _errors(post(client, raw, fmt, headers=en, service_code=""), 400, "service_code was not provided")
    _errors(post(client, raw, fmt, headers=en, address_string="", lat="", long=""), 400, "location")
    _errors(post(client, raw, fmt, headers=en, lat="30.0"), 400, "lat and long")
    _errors(post(client, raw, fmt, headers=en, lat="north", long="114.9"), 400, "lat is not")
    _errors(post(client, raw, fmt, headers=en, address_id="zz-nothing"), 400, "address_id")
    _errors(post(client, raw, fmt, headers=en, address_string=None, lat="39.9", long="116.4"), 400, "outside")
    errors = _errors(post(client, raw, fmt, headers=en, **{"attribute[colour]": "red", "attribute[kind]": "anger",
                                                          "attribute[urgency][]": "urgent"}), 400)
    described = [e["description"] for e in errors]
    assert "attribute[colour] is not an attribute of this service." in described
    assert "attribute[kind] has a value that is not in its list of values." in described
    assert "attribute[urgency][] is not an attribute of this service." not in described  # [] names urgency
    _errors(post(client, raw, fmt, headers=en, address_string="江川市某处"), 400, "attribute[area]")
    _errors(post(client, raw, fmt, headers=en, description="太吵"), 400, "description")
    _errors(post(client, raw, fmt, headers=en, description="<script>alert(1)</script>工地夜间施工噪音"), 400,
            "HTML")
    _errors(post(client, raw, fmt, headers=en, phone=""), 400, "phone is required")
    _errors(post(client, raw, fmt, headers=en, phone="12"), 400, "phone is not")
    _errors(post(client, raw, fmt, headers=en, email="not-an-address"), 400, "email")
    _errors(post(client, raw, fmt, headers=en, first_name="很" * 60), 400, "first_name,last_name")
    _errors(post(client, raw, fmt, headers={**en, "Idempotency-Key": "k" * 201}), 400, "Idempotency-Key")


@pytest.mark.parametrize("fmt", FORMATS)
def test_errors_of_get_requests(client, fmt):
    base = f"/open311/v2/requests.{fmt}?lang=en&"
    _errors(client.get(base + "jurisdiction_id=sfgov.org"), 404, "jurisdiction_id")
    _errors(client.get(base + "start_date=2026-11-01"), 400, "start_date")
    _errors(client.get(base + "end_date=tomorrow"), 400, "end_date")
    _errors(client.get(base + "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z"), 400, "90 days")
    _errors(client.get(base + "start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z"), 400, "after")
    _errors(client.get(base + "status=pending"), 400, "status")
    _errors(client.get(f"/open311/v2/requests/12345-20260101-999999.{fmt}?lang=en"), 404, "service_request_id")
    _errors(client.get(f"/open311/v2/tokens/{'0' * 32}.{fmt}?lang=en"), 404, "token")
    _errors(client.get(f"/open311/v2/tokens/not-a-token.{fmt}?lang=en"), 404, "token")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_wrong_method_is_405_in_the_format_asked(client, fmt):
    response = client.delete(f"/open311/v2/requests.{fmt}?lang=en")
    _errors(response, 405, "method")
    assert response.headers["Allow"] == "GET, POST"
    _errors(client.post(f"/open311/v2/services.{fmt}"), 405)


def test_an_unknown_format_or_resource_is_404_in_json(client):
    for path in ("/open311/v2/services.html", "/open311/v2/requests.csv", "/open311/v3/services.json",
                 "/open311/", "/open311/v2/services/city.noise-construction.yaml"):
        response = client.get(path + "?lang=en")
        _errors(response, 404)
        assert response.content_type == "application/json; charset=utf-8", path
    _errors(client.get("/open311/v2/nothing.xml"), 404)


def test_errors_are_in_chinese_by_default_and_english_when_asked(client):
    (chinese,) = read(client.delete("/open311/v2/requests.json"))
    (english,) = read(client.delete("/open311/v2/requests.json", headers={"Accept-Language": "en"}))
    assert chinese["description"] == "此处不支持该请求方法。"
    assert english["description"] == "This method is not allowed here."
