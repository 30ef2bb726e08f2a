"""The whole closed loop through the API alone:
受理 → 派单 → 签收 → 退单/审核 → 延期 → 答复 → 审核 → 回访 → 重办 → 办结."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from hotline.extensions import db
from hotline.models import SmsMessage
from tests.api_helpers import Api


def step(api: Api, number: str, action: str, expect_state: str, **fields) -> dict:
    response = api.act(number, action, **fields)
    assert response.status_code == 200, (action, response.get_json())
    case = response.get_json()
    assert case["state"] == expect_state, (action, case["state"])
    return case


def test_the_whole_loop_through_the_api(app):
    operator, dispatcher = Api.as_user(app, "operator"), Api.as_user(app, "dispatcher")
    supervisor, staff = Api.as_user(app, "supervisor"), Api.as_user(app, "dh-cgj-staff")

    number = operator.file()
    case = step(dispatcher, number, "dispatch", "dispatched", lead_department="dh-cgj")
    assert case["lead_department"]["code"] == "dh-cgj" and case["dispatch_count"] == 1 and case["version"] == 2
    first_reply_due = case["deadlines"]["reply"]

    step(staff, number, "sign", "in_progress")
    case = step(staff, number, "return", "returned", reason="施工噪声属于区城管委职责之外")
    assert case["lead_department"]["code"] == "dh-cgj" and case["assignments"] == []
    step(dispatcher, number, "review-return", "dispatched", decision="refuse", note="属于你单位职责，请继续办理")
    case = step(staff, number, "sign", "in_progress")
    assert case["assignments"][0]["signed_at"] and set(case["allowed_actions"]) >= {"request-extension", "reply"}

    case = step(staff, number, "request-extension", "in_progress", days=3, reason="需要协调施工单位与环保部门")
    assert case["extension"] == {"status": "pending", "days": 3, "reason": "需要协调施工单位与环保部门"}
    assert "decide-extension" in supervisor.get(f"/cases/{number}").get_json()["allowed_actions"]
    case = step(supervisor, number, "decide-extension", "in_progress", decision="approve")
    assert case["extension"]["status"] == "approved"
    assert datetime.fromisoformat(case["deadlines"]["reply"]) > datetime.fromisoformat(first_reply_due)

    case = step(staff, number, "reply", "replied", text="已责令施工单位夜间停工。", resolved=True, contact="visit")
    assert case["reply"]["text"] == "已责令施工单位夜间停工。" and case["reply"]["reviewed"] is False
    assert case["reply"]["contact"] == "visit"
    case = step(dispatcher, number, "review-reply", "replied", decision="approve")
    assert case["reply"]["reviewed"] is True and case["deadlines"]["callback"]
    case = step(operator, number, "callback", "replied", satisfaction="dissatisfied", resolved=False,
                note="夜里仍有施工")
    assert case["callback"]["satisfaction"] == "dissatisfied" and case["callback"]["resolved"] is False

    case = step(dispatcher, number, "redo", "in_progress", note="市民不满意，重新办理")
    assert case["redo_count"] == 1 and case["callback"]["satisfaction"] is None
    step(staff, number, "reply", "replied", text="已联合执法，没收夜间施工设备。", resolved=True)
    step(dispatcher, number, "review-reply", "replied", decision="approve")
    case = step(operator, number, "callback", "closed", satisfaction="satisfied", resolved=True)
    assert case["callback"]["satisfaction"] == "satisfied" and case["allowed_actions"] == []

    events = staff.get(f"/cases/{number}/events").get_json()["items"]
    assert [(e["action"], e["to_state"]) for e in events] == [
        ("register", "registered"), ("dispatch", "dispatched"), ("sign", "in_progress"), ("return", "returned"),
        ("review-return", "dispatched"), ("sign", "in_progress"), ("request-extension", "in_progress"),
        ("decide-extension", "in_progress"), ("reply", "replied"), ("review-reply", "replied"),
        ("callback", "replied"), ("redo", "in_progress"), ("reply", "replied"), ("review-reply", "replied"),
        ("callback", "closed"),
    ]
    assert [e["seq"] for e in events] == list(range(1, 16))
    assert all(e["at"].endswith("+00:00") for e in events)
    who = {"李娜（话务员）": "operator", "周婷（派单员）": "dispatcher", "孙浩（值班长）": "supervisor",
           "东湖区城管执法局承办人": "staff"}
    assert [who[e["actor"]] for e in events] == [
        "operator", "dispatcher", "staff", "staff", "dispatcher", "staff", "staff", "supervisor", "staff",
        "dispatcher", "operator", "dispatcher", "staff", "dispatcher", "operator"]
    assert events[2]["department"]["code"] == "dh-cgj" and events[3]["note"] == "施工噪声属于区城管委职责之外"
    assert case["version"] == 15
    with app.app_context():
        purposes = db.session.scalars(select(SmsMessage.purpose).order_by(SmsMessage.id)).all()
        assert purposes[0] == "ack" and "extension" in purposes  # the citizen is told of the new deadline


def test_co_handlers_sign_and_reply_to_their_part_and_the_lead_moves_the_case(app):
    operator, dispatcher = Api.as_user(app, "operator"), Api.as_user(app, "dispatcher")
    lead, co = Api.as_user(app, "dh-cgj-staff"), Api.as_user(app, "dh-xhj-staff")
    number = operator.file()
    step(dispatcher, number, "dispatch", "dispatched", lead_department="dh-cgj", co_departments=["dh-xhj"])
    case = step(co, number, "sign", "dispatched")
    assert [a["status"] for a in case["assignments"]] == ["pending", "signed"]
    assert co.act(number, "return", reason="不归我们管").status_code == 403  # only the lead returns
    step(lead, number, "sign", "in_progress")
    step(co, number, "reply", "in_progress", text="已配合现场查看。", resolved=True)
    case = step(lead, number, "reply", "replied", text="已处理。", resolved=True)
    assert [a["status"] for a in case["assignments"]] == ["replied", "replied"]
