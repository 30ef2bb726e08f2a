"""The OpenAPI description is true to the app: every /api/v1 route is in it with its methods, every path in it is a
route, it is valid OpenAPI 3.1, and it is served without a token."""
from __future__ import annotations

import re

import jsonschema_rs
import pytest
import schemathesis

from hotline.web.api.actions import ACTIONS, PETITION_ACTIONS
from hotline.web.api.openapi import document

CATCH_ALL = "api.unknown"  # anything else under /api/v1 is a JSON 404: not an operation
IGNORED_METHODS = {"HEAD", "OPTIONS"}
PREFIX = "/api/v1"


def app_operations(app) -> set[tuple[str, str]]:
    """(path in OpenAPI form, method) of every rule under /api/v1: /cases/<number> → /cases/{number}."""
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX) or rule.endpoint == CATCH_ALL:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule[len(PREFIX):])
        found.update((path, method.lower()) for method in rule.methods - IGNORED_METHODS)
    return found


def described_operations(doc: dict) -> set[tuple[str, str]]:
    methods = {"get", "post", "put", "patch", "delete"}
    return {(path, method) for path, item in doc["paths"].items() for method in item if method in methods}


def test_every_route_is_described_with_its_methods(app):
    missing = app_operations(app) - described_operations(document())
    assert not missing, f"describe these routes in hotline/web/api/openapi/: {sorted(missing)}"


def test_every_described_operation_is_a_route(app):
    extra = described_operations(document()) - app_operations(app)
    assert not extra, f"these are described but the app has no such route: {sorted(extra)}"


def test_the_catch_all_is_the_only_route_left_out(app):
    left_out = {r.endpoint for r in app.url_map.iter_rules() if r.rule.startswith(PREFIX)} - {
        f"api.{op['operationId']}" for item in document()["paths"].values() for op in item.values()}
    assert left_out == {CATCH_ALL}


def test_operation_ids_are_the_endpoints_and_unique(app):
    ids = [op["operationId"] for item in document()["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert {f"api.{i}" for i in ids} <= endpoints


def test_it_is_valid_openapi_3_1():
    doc = document()
    assert doc["openapi"].startswith("3.1.")
    schemathesis.openapi.from_dict(doc).validate()  # the OpenAPI 3.1 meta-schema
    for name, schema in doc["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(schema), name  # each a valid JSON Schema 2020-12


def test_an_invalid_document_is_refused():
    """The check above can fail: a document the meta-schema refuses is reported."""
    doc = document()
    doc["paths"]["/cases"]["get"]["responses"] = "none"
    with pytest.raises(jsonschema_rs.ValidationError):
        schemathesis.openapi.from_dict(doc).validate()


def test_every_action_is_offered(app):
    path = document()["paths"]["/cases/{number}/actions/{action}"]["post"]
    action = next(p for p in path["parameters"] if p["name"] == "action")
    assert set(action["schema"]["enum"]) == set(ACTIONS) | set(PETITION_ACTIONS)


def test_every_operation_documents_its_errors_and_security():
    doc = document()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            public = op.get("security") == []
            assert "500" in op["responses"], (method, path)
            assert public or "401" in op["responses"], (method, path)
    assert {(p, m) for p, item in doc["paths"].items() for m, op in item.items() if op.get("security") == []} == {
        ("/tokens", "post"), ("/openapi.json", "get")}


def test_served_without_a_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == document()


def test_the_document_is_not_changed_by_a_reader():
    document()["paths"].clear()
    assert document()["paths"]
