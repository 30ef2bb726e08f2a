"""What the API refuses, and how: 403 not this person's to take, 409 wrong state or stale version,
422 invalid fields, 404 unknown action — for every role and action in each state, with nothing written."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hotline.clock import now
from hotline.domain import lifecycle
from hotline.domain.errors import Conflict, Forbidden
from hotline.extensions import db
from hotline.models import Case, CaseEvent, User
from hotline.web.api.actions import ACTIONS
from tests.api_helpers import VALID_FIELDS, Api
from tests.helpers import act, dispatch

USERS = ("operator", "dispatcher", "supervisor", "admin", "dh-cgj-staff", "dh-xhj-staff")


def in_state(app, operator: Api, state: str) -> str:
    number = operator.file()
    if state == "registered":
        return number
    dispatch(app, number, "dh-cgj", "dh-xhj")
    if state == "returned":
        act(app, number, "dh-cgj-staff", "return", reason="不属于本单位")
    if state in ("in_progress", "replied", "reviewed"):
        act(app, number, "dh-cgj-staff", "sign")
    if state in ("replied", "reviewed"):
        act(app, number, "dh-cgj-staff", "reply", text="已处理。", resolved=True)
    if state == "reviewed":
        act(app, number, "dispatcher", "review-reply", decision="approve")
    return number


def snapshot(app, number: str) -> tuple:
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        events = db.session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case.id))
        return case.state, case.version, events


def verdict(app, number: str, username: str, action: str):
    """What the lifecycle table says: Forbidden, Conflict, or None (allowed)."""
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        user = db.session.scalar(select(User).where(User.username == username))
        try:
            lifecycle.decide(case.view(now()), lifecycle.Action(action), user.actor)
        except (Forbidden, Conflict) as exc:
            return type(exc)
        return None


@pytest.mark.parametrize("state", ["registered", "dispatched", "returned", "in_progress", "replied", "reviewed"])
def test_every_refused_combination_is_refused_with_403_or_409_and_the_rest_is_offered(app, state):
    number = in_state(app, Api.as_user(app, "operator"), state)
    before = snapshot(app, number)
    for username in USERS:
        api = Api.as_user(app, username)
        shown = api.get(f"/cases/{number}")
        if shown.status_code == 404:  # a department with no active assignment: the case is not there for it
            assert username.endswith("-staff") and state in ("registered", "returned")
            assert {api.act(number, a, **VALID_FIELDS[a]).status_code for a in ACTIONS} == {404}
            continue
        offered = set(shown.get_json()["allowed_actions"])
        for action in ACTIONS:
            expected = verdict(app, number, username, action)
            if expected is None:
                assert action in offered, (state, username, action)
                continue
            assert action not in offered, (state, username, action)
            response = api.act(number, action, **VALID_FIELDS[action])
            body = response.get_json()
            status = 403 if expected is Forbidden else 409
            assert response.status_code == status, (state, username, action, body)
            assert body["error"] == ("forbidden" if status == 403 else "conflict") and body["message"]
            assert body["reason"]
            if status == 409:
                assert body["last_change"]["state"] == before[0] and body["last_change"]["version"] == before[1]
    assert snapshot(app, number) == before


def test_a_stale_version_is_a_409_naming_who_changed_the_case(app):
    number = Api.as_user(app, "operator").file()
    dispatch(app, number, "dh-cgj", "dh-xhj")
    lead, co = Api.as_user(app, "dh-cgj-staff"), Api.as_user(app, "dh-xhj-staff")
    loaded = co.get(f"/cases/{number}").get_json()["version"]
    assert lead.act(number, "sign", version=loaded).status_code == 200
    response = co.act(number, "sign", version=loaded)
    body = response.get_json()
    assert response.status_code == 409 and body["reason"] == "stale"
    assert body["last_change"]["by"] == "东湖区城管执法局承办人" and body["last_change"]["action"] == "sign"
    assert body["last_change"]["version"] == loaded + 1 and body["last_change"]["at"]
    assert "东湖区城管执法局承办人" in body["message"]
    assert co.act(number, "sign", version=loaded + 1).status_code == 200


def test_signing_twice_is_a_conflict_that_says_who_signed(app):
    number = Api.as_user(app, "operator").file()
    dispatch(app, number, "dh-cgj")
    staff = Api.as_user(app, "dh-cgj-staff")
    staff.act(number, "sign")
    response = staff.act(number, "sign")
    assert response.status_code == 409 and response.get_json()["reason"] == "already_signed"
    assert response.get_json()["last_change"]["action"] == "sign"


@pytest.mark.parametrize("fields, errors", [
    ({}, {"lead_department": "required"}),
    ({"lead_department": "atlantis"}, {"lead_department": "unknown"}),
    ({"lead_department": 7}, {"lead_department": "not_a_string"}),
    ({"lead_department": "dh-cgj", "co_departments": ["atlantis"]}, {"co_departments": "unknown"}),
    ({"lead_department": "dh-cgj", "co_departments": "dh-xhj"}, {"co_departments": "not_a_list"}),
    ({"lead_department": "dh-cgj", "co_departments": ["dh-cgj"]}, {"co_departments": "same_department"}),
    ({"lead_department": "dh-cgj", "version": "2"}, {"version": "not_a_number"}),
])
def test_dispatch_names_departments_by_code_and_bad_ones_are_422(app, fields, errors):
    number = Api.as_user(app, "operator").file()
    before = snapshot(app, number)
    response = Api.as_user(app, "dispatcher").act(number, "dispatch", **fields)
    assert response.status_code == 422 and response.get_json()["fields"] == errors
    assert snapshot(app, number) == before


@pytest.mark.parametrize("action, fields, errors", [
    ("reply", {}, {"text": "required", "resolved": "required"}),
    ("request-extension", {"days": 11, "reason": "太忙"}, {"days": "out_of_range"}),
    ("return", {"reason": "  "}, {"reason": "required"}),
])
def test_invalid_action_fields_are_422_field_by_field(app, action, fields, errors):
    number = Api.as_user(app, "operator").file()
    dispatch(app, number, "dh-cgj")
    act(app, number, "dh-cgj-staff", "sign")
    before = snapshot(app, number)
    response = Api.as_user(app, "dh-cgj-staff").act(number, action, **fields)
    assert response.status_code == 422 and response.get_json()["fields"] == errors
    assert snapshot(app, number) == before


@pytest.mark.parametrize("action", ["register", "approve", "Sign", "review_reply", "re-stamp"])
def test_an_unknown_action_is_a_404(app, action):
    number = Api.as_user(app, "operator").file()
    response = Api.as_user(app, "dispatcher").act(number, action)
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_acting_on_a_case_that_does_not_exist_is_a_404(app):
    response = Api.as_user(app, "dispatcher").act("12345-20200101-999999", "dispatch", lead_department="dh-cgj")
    assert response.status_code == 404
