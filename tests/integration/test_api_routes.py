"""Every /api/v1 route, enumerated from the app: none works without a token, and none lets a department
read, list or act on another department's case. A new route fails here until it is classified."""
from __future__ import annotations

import re

import pytest

from hotline.web.api.actions import ACTIONS
from tests.api_helpers import VALID_FIELDS, Api, case_body
from tests.helpers import act, dispatch

# How each endpoint relates to a case another department must not see.
CLASSIFIED = {
    "api.create_token": "open",          # the one route without a token: it takes a username and password
    "api.openapi": "description",        # the OpenAPI description: no token, no data
    "api.list_tokens": "own",            # the caller's own tokens
    "api.revoke_token": "own",
    "api.categories": "reference",
    "api.areas": "reference",
    "api.departments": "reference",
    "api.suggest_categories": "reference",  # subjects for a text: no case in it
    "api.locate_place": "reference",     # a place for a point or an address: no case in it
    "api.retrain_suggester": "admin",    # administrators and supervisors only: 403 for departments
    "api.create_case": "intake",         # centre roles only
    "api.routing_preview": "intake",     # centre roles only: no case, and 403 for departments
    "api.list_cases": "list",
    "api.get_case": "case",
    "api.case_events": "case",
    "api.take_action": "case",
    "api.get_attachment": "case",        # a file of a reply (a real one is tried in test_attachments_api.py)
    "api.unknown": "case",               # anything else under /api/v1
}


def api_rules(app):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1")]


def methods(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def paths(rule, number: str, token_id: int) -> list[str]:
    path = rule.rule.replace("<number>", number).replace("<int:token_id>", str(token_id))
    path = path.replace("<int:attachment_id>", "1")
    path = path.replace("<path:rest>", f"cases/{number}/secrets")
    if "<action>" in path:
        return [path.replace("<action>", action) for action in ACTIONS]
    assert not re.search(r"<[^>]+>", path), f"classify the arguments of {rule.rule}"
    return [path]


@pytest.fixture
def theirs(app):
    """A case of 东湖区城管执法局 (lead) and 西湖街道 (co), signed and in progress, and the lead staff's token."""
    number = Api.as_user(app, "operator").file()
    dispatch(app, number, "dh-cgj", "dh-xhj")
    act(app, number, "dh-cgj-staff", "sign")
    owner = Api.as_user(app, "dh-cgj-staff")
    return number, owner.get("/tokens").get_json()["items"][0]["id"]


def test_every_api_route_is_classified(app):
    endpoints = {r.endpoint for r in api_rules(app)}
    assert endpoints == set(CLASSIFIED), "classify the new route here, and test it"


def test_no_route_works_without_a_token(app, client, theirs):
    number, token_id = theirs
    for rule in api_rules(app):
        for method in methods(rule):
            for path in paths(rule, number, token_id):
                for headers in ({}, {"Authorization": "Bearer forged-token"}):
                    response = client.open(path, method=method, json={}, headers=headers)
                    if CLASSIFIED[rule.endpoint] == "description":
                        assert response.status_code == 200 and number not in response.get_data(as_text=True)
                        continue
                    if CLASSIFIED[rule.endpoint] == "open":
                        assert response.status_code in (401, 422), path
                        continue
                    assert response.status_code == 401, (method, path)
                    assert response.get_json()["error"] == "unauthorized"
                    assert number not in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["xs-cgj-staff", "cgw-staff"])
def test_another_department_cannot_read_list_or_act_on_the_case_through_any_route(app, theirs, username):
    number, token_id = theirs
    stranger = Api.as_user(app, username)
    for rule in api_rules(app):
        kind = CLASSIFIED[rule.endpoint]
        for method in methods(rule):
            for path in paths(rule, number, token_id):
                response = stranger.client.open(path, method=method, headers=stranger.headers(),
                                                json=_body(kind, path))
                text = response.get_data(as_text=True)
                assert number not in text, (method, path)
                if kind == "case":
                    assert response.status_code == 404, (method, path, response.get_json())
                elif kind == "own" and method == "DELETE":
                    assert response.status_code == 404  # another person's token does not exist for them
                elif kind in ("intake", "admin"):
                    assert response.status_code == 403
                elif kind == "list":
                    for params in ({}, {"q": number}, {"department": "dh-cgj"}, {"state": "in_progress"},
                                   {"tab": "in_progress"}, {"overdue": "true"}, {"q": "施工"}):
                        listed = stranger.get("/cases", **params)
                        assert listed.status_code == 200 and listed.get_json()["items"] == [], params
                elif kind != "open":
                    assert response.status_code == 200, path
    owner = Api.as_user(app, "dh-cgj-staff")
    assert owner.get(f"/cases/{number}").get_json()["version"] == 3  # untouched by any of it
    assert token_id in [t["id"] for t in owner.get("/tokens").get_json()["items"]]  # not revoked by the stranger


def _body(kind: str, path: str) -> dict:
    if kind == "intake":
        return case_body()
    if "/actions/" in path:
        return VALID_FIELDS[path.rsplit("/", 1)[1]]
    if kind == "open":
        return {"username": "dh-cgj-staff", "password": "wrong"}
    return {}
