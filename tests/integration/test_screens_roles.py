"""For every role and every state, the case page offers exactly what the lifecycle allows, and any other
action sent by hand is refused (403 not allowed, 409 not now, 404 not visible) without writing anything."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers import act, department_id, dispatch
from tests.integration.lifecycle_helpers import step
from tests.integration.test_screens_support import (
    allowed_for,
    case_row,
    event_count,
    html_of,
    offered,
    post_unoffered,
    register_case,
    signed_in,
    visible_to,
)

ACTIONS = ("dispatch", "sign", "return", "review-return", "request-extension", "decide-extension", "reply",
           "review-reply", "callback", "close", "redo", "merge", "answer-directly", "transfer", "terminate", "urge",
           "supervise", "close-unrated", "restamp")


def valid_fields(app, action: str, other_case: str) -> dict:
    """Fields that pass validation, so the refusal comes from the rules, not from the form."""
    return {
        "dispatch": {"lead_department_id": str(department_id(app, "dh-cgj"))},
        "return": {"reason": "不属于本单位职责"}, "review-return": {"decision": "refuse", "note": "请继续办理"},
        "request-extension": {"days": "2", "reason": "需协调"}, "decide-extension": {"decision": "approve"},
        "reply": {"text": "已处理。", "resolved": "yes"}, "review-reply": {"decision": "approve"},
        "callback": {"satisfaction": "satisfied", "resolved": "yes"}, "redo": {"note": "重办"},
        "merge": {"into": other_case}, "answer-directly": {"note": "已电话答复"}, "transfer": {"service": "119"},
        "terminate": {"note": "终止"},
        "urge": {"note": "请加快"}, "supervise": {"note": "督办"}, "restamp": {"note": "重新计算时限"},
    }.get(action, {})


def cases_in_every_state(app) -> dict[str, str]:
    made = {name: register_case(app) for name in ("registered", "dispatched", "in_progress", "extension", "replied",
                                              "reviewed", "lapsed", "unhappy", "returned", "closed", "other")}
    for name, number in made.items():
        if name not in ("registered", "other"):
            dispatch(app, number, "dh-cgj", "dh-xhj")
        if name not in ("registered", "other", "dispatched", "returned"):
            act(app, number, "dh-cgj-staff", "sign")
    act(app, made["returned"], "dh-cgj-staff", "return", reason="不属于本单位")
    act(app, made["extension"], "dh-cgj-staff", "request-extension", days=3, reason="需协调")
    for name in ("replied", "reviewed", "lapsed", "unhappy", "closed"):
        act(app, made[name], "dh-cgj-staff", "reply", text="已处理。", resolved=True)
    for name in ("reviewed", "unhappy", "closed"):
        act(app, made[name], "dispatcher", "review-reply", decision="approve")
    # reviewed a month ago: its callback window (3 working days) has closed with nobody reached
    step(app, made["lapsed"], "dispatcher", "review-reply", at=datetime.now(UTC) - timedelta(days=30),
         decision="approve")
    act(app, made["unhappy"], "operator", "callback", satisfaction="dissatisfied", resolved=False)
    act(app, made["closed"], "operator", "callback", satisfaction="satisfied", resolved=True)
    made.pop("other")  # an open case to merge into
    return made


USERS = ("operator", "dispatcher", "supervisor", "admin", "dh-cgj-staff", "dh-xhj-staff", "xs-cgj-staff")


@pytest.mark.parametrize("username", USERS)
def test_each_role_is_offered_exactly_what_the_rules_allow_and_nothing_else_goes_through(app, username):
    made = cases_in_every_state(app)
    other = register_case(app)
    client = signed_in(app, username)
    for state, number in made.items():
        response = client.get(f"/cases/{number}")
        before = (case_row(app, number).version, event_count(app, number))
        if not visible_to(app, number, username):
            assert username.endswith("-staff") and (state in ("registered", "returned") or username == "xs-cgj-staff")
            assert response.status_code == 404, state  # not theirs: it does not exist for them
            page = html_of(client.get("/dept/inbox"))
            for action in ACTIONS:
                sent = post_unoffered(client, number, action, page, **valid_fields(app, action, other))
                assert sent.status_code == 404, (state, action)
            continue
        assert response.status_code == 200, state
        page = html_of(response)
        allowed = allowed_for(app, number, username)
        assert offered(page, number) == allowed, state
        for action in set(ACTIONS) - allowed:
            sent = post_unoffered(client, number, action, page, **valid_fields(app, action, other))
            assert sent.status_code in (403, 409), (state, action, sent.status_code)
            empty = post_unoffered(client, number, action, page)  # no fields at all: still 403/409, not 422
            assert empty.status_code in (403, 409), (state, action, empty.status_code)
        assert (case_row(app, number).version, event_count(app, number)) == before, state


def test_a_refusal_because_of_the_role_is_403_and_because_of_the_state_is_409(app):
    number = register_case(app)
    dispatch(app, number, "dh-cgj")
    staff = signed_in(app, "dh-cgj-staff")
    page = html_of(staff.get(f"/cases/{number}"))
    assert post_unoffered(staff, number, "dispatch", page,
                          lead_department_id=str(department_id(app, "dh-cgj"))).status_code == 403
    conflict = post_unoffered(staff, number, "reply", page, text="已处理。", resolved="yes")  # not signed yet
    assert conflict.status_code == 409
    assert 'class="flash flash-error"' in html_of(conflict)


def test_an_unknown_action_is_404(app):
    number = register_case(app)
    client = signed_in(app, "dispatcher")
    page = html_of(client.get(f"/cases/{number}"))
    assert post_unoffered(client, number, "register", page).status_code == 404
    assert post_unoffered(client, number, "explode", page).status_code == 404


def test_an_action_without_its_csrf_token_is_refused(app):
    number = register_case(app)
    client = signed_in(app, "dispatcher")
    response = client.post(f"/cases/{number}/actions/answer-directly", data={"answer-directly-note": "已答复"})
    assert response.status_code == 400
    assert case_row(app, number).state == "registered"
