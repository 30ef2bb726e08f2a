"""A department cannot read, list or act on another department's case through any page: every route
of the app is tried, so a route added later is covered the day it is added."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hotline.domain.lifecycle import Action
from hotline.extensions import db
from hotline.models import Case
from tests.helpers import act, case_number_from, complaint, dispatch, file_complaint, hidden_value, login

OUTSIDER = "xs-cgj-staff"  # 西山区城管执法局: the case below is with 东湖区


@pytest.fixture
def case_elsewhere(app):
    number = case_number_from(file_complaint(app.test_client(), complaint(app)))
    dispatch(app, number, "dh-cgj", "dh-xhj")
    act(app, number, "dh-cgj-staff", "sign")
    return number


def page_routes(app):
    return [r for r in app.url_map.iter_rules()
            if not r.endpoint.startswith(("api.", "static")) and "GET" in r.methods]


def fill(rule, number: str) -> str:
    path = rule.rule.replace("<number>", number).replace("<path:number>", number)
    values = {"action": "sign", "name": "overdue", "code": "zh", "id": "1"}
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "1"), path)


def test_no_page_shows_another_departments_case(app, client, case_elsewhere):
    login(client, OUTSIDER)
    for rule in page_routes(app):
        if rule.endpoint in ("auth.logout", "public.language"):
            continue
        response = client.get(fill(rule, case_elsewhere))
        body = response.get_data(as_text=True)
        if rule.endpoint.startswith("public.track") and "<number>" in rule.rule:
            # the citizen's pages: a signed-in staff member is no citizen, and is sent to prove the number by code
            assert response.status_code in (302, 404), rule.rule
            assert response.status_code == 404 or "/track" in response.headers["Location"], rule.rule
        elif "<number>" in rule.rule:
            assert response.status_code in (403, 404), rule.rule
        else:  # (a page about the number itself may echo it in its language link: that is what was typed)
            assert case_elsewhere not in body, rule.rule


@pytest.mark.parametrize("tab", ["", "pending", "in_progress", "due_soon", "overdue", "replied"])
def test_no_inbox_tab_lists_it(client, case_elsewhere, tab):
    login(client, OUTSIDER)
    assert case_elsewhere not in client.get(f"/dept/inbox?tab={tab}&q={case_elsewhere[-6:]}").get_data(as_text=True)


def test_no_action_can_be_taken_on_it(app, client, case_elsewhere):
    login(client, OUTSIDER)
    token = hidden_value(client.get("/dept/inbox").get_data(as_text=True), "csrf_token")
    for action in Action:
        response = client.post(f"/cases/{case_elsewhere}/actions/{action.value}",
                               data={"csrf_token": token, "version": "1", "reason": "x", "text": "x", "note": "x"})
        assert response.status_code == 404, action
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == case_elsewhere))
        assert case.state == "in_progress" and case.history_length == 3  # registered, dispatched, signed
