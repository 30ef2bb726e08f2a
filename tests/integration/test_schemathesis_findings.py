"""What schemathesis found, kept as plain tests that run on SQLite and PostgreSQL: ids beyond what the database
column holds were a server error (404 now), and a NUL character in a field or in the query string was a server
error on PostgreSQL, which refuses to store or compare it (422 `invalid_character` now, naming the field)."""
from __future__ import annotations

import pytest

from tests.api_helpers import Api, case_body

TOO_BIG = 2**63  # past SQLite's and PostgreSQL's integers


@pytest.fixture
def dispatcher(app) -> Api:
    return Api.as_user(app, "dispatcher")


def test_a_token_id_beyond_the_column_is_not_found(dispatcher):
    for token_id in (TOO_BIG, 2**31):
        response = dispatcher.delete(f"/tokens/{token_id}")
        assert response.status_code == 404 and response.get_json()["error"] == "not_found"
    assert dispatcher.get("/tokens").status_code == 200  # and the caller's own token still works


def test_an_attachment_id_beyond_the_column_is_not_found(app, dispatcher):
    number = Api.as_user(app, "operator").file()
    response = dispatcher.get(f"/cases/{number}/attachments/{TOO_BIG}")
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_a_nul_in_a_body_is_named_and_nothing_is_written(app, dispatcher):
    operator = Api.as_user(app, "operator")
    response = operator.post("/cases", case_body(description="工地夜间施工\x00噪音很大，影响休息。"))
    assert response.status_code == 422
    assert response.get_json()["fields"] == {"description": "invalid_character"}
    body = {"track": "petition", "kind": "grievance", "channel": "letter", "request": "r", "facts": "f",
            "reasons": "r", "petitioners": [], "accused_departments": ["\x00"]}
    response = operator.post("/cases", body)
    assert response.status_code == 422
    assert response.get_json()["fields"] == {"accused_departments": "invalid_character"}
    assert dispatcher.get("/cases").get_json()["items"] == []


def test_a_nul_in_an_action_is_named(app, dispatcher):
    number = Api.as_user(app, "operator").file()
    response = dispatcher.act(number, "dispatch", lead_department="dh-cgj\x00", co_departments=[])
    assert response.status_code == 422
    assert response.get_json()["fields"] == {"lead_department": "invalid_character"}


def test_a_nul_in_the_query_string_is_named(dispatcher):
    for path, params, field in (("/cases", {"q": "施工\x00"}, "q"), ("/cases", {"department": "\x00"}, "department"),
                                ("/routing/preview", {"kind": "complaint", "text": "\x00"}, "text"),
                                ("/categories/suggest", {"text": "噪音\x00"}, "text")):
        response = dispatcher.get(path, **params)
        assert response.status_code == 422, path
        assert response.get_json()["fields"] == {field: "invalid_character"}


def test_a_nul_is_refused_only_after_the_token_check(client):
    response = client.get("/api/v1/cases", query_string={"q": "\x00"})
    assert response.status_code == 401


def test_a_nul_in_a_query_string_no_route_reads_is_ignored(app, dispatcher):
    number = Api.as_user(app, "operator").file()
    assert dispatcher.get(f"/cases/{number}", **{"x\x00": "\x00"}).status_code == 200
