"""The case as its citizen sees it: the steps, the departments and every deadline; never an internal note, a return
reason, a staff member's name, an urge or a reply the centre has not approved."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import Case, Department
from tests.integration.lifecycle_helpers import PHONE, dept, display_name, new_case, step
from tests.integration.track_helpers import in_english, page, sign_in


@pytest.fixture
def client(app):
    """A visitor who reads English: the words asserted below, whatever the Chinese catalogue holds."""
    visitor = app.test_client()
    in_english(visitor)
    return visitor


STAFF = ("cgw-staff", "cgw-head", "jtw-staff", "dispatcher", "supervisor", "operator")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _name(app, code: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Department.name_en).where(Department.code == code))  # the page is in English


def _local(app, number: str, column: str) -> str:
    with app.app_context():
        moment = getattr(db.session.scalar(select(Case).where(Case.number == number)), column)
    return moment.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")


def test_what_the_citizen_sees_while_the_case_is_handled(app, client):
    start = datetime.now(UTC) - timedelta(hours=6)
    number = new_case(app, at=start)
    sign_in(client, app, PHONE)
    step(app, number, "dispatcher", "dispatch", at=start + timedelta(minutes=5), lead_department_id=dept(app, "jtw"),
         co_department_ids=[])
    step(app, number, "jtw-staff", "return", at=start + timedelta(minutes=10), reason="非本局职责，退回重派（内部）")
    step(app, number, "dispatcher", "review-return", at=start + timedelta(minutes=15), decision="uphold")
    step(app, number, "dispatcher", "dispatch", at=start + timedelta(minutes=20), lead_department_id=dept(app, "cgw"),
         co_department_ids=[dept(app, "jtw")])
    html = page(client, number).get_data(as_text=True)
    assert "With the department" in html and "To be taken on by" in html
    assert _local(app, number, "sign_due_at") in html and _local(app, number, "reply_due_at") in html
    step(app, number, "jtw-staff", "sign", at=start + timedelta(minutes=25))
    step(app, number, "cgw-staff", "sign", at=start + timedelta(minutes=30))
    step(app, number, "operator", "urge", at=start + timedelta(minutes=35), note="群众来电催促（内部记录）")
    step(app, number, "supervisor", "supervise", at=start + timedelta(minutes=40), note="列入督办（内部记录）")
    step(app, number, "cgw-staff", "request-extension", at=start + timedelta(minutes=45), days=3,
         reason="需会同供电公司现场勘查")
    step(app, number, "supervisor", "decide-extension", at=start + timedelta(minutes=50), decision="approve")
    step(app, number, "jtw-staff", "reply", at=start + timedelta(minutes=55), text="协办意见：已配合（内部）",
         resolved=True)
    step(app, number, "cgw-staff", "reply", at=start + timedelta(minutes=60), text="答复初稿（未审核）", resolved=True,
         contact="phone")

    response = page(client, number)
    html = response.get_data(as_text=True)
    text = _text(html)
    assert response.status_code == 200
    assert "Being handled" in text  # the reply is written, but not an answer until the centre approves it
    assert "答复初稿" not in html and "Rate the answer" not in text
    assert _name(app, "cgw") in text and _name(app, "jtw") in text  # who handles it, by department
    assert "需会同供电公司现场勘查" in text and "3 working days more" in text
    assert _local(app, number, "reply_due_at") in text  # the extended deadline
    for secret in ("非本局职责", "群众来电催促", "列入督办", "协办意见", "王小明"):
        assert secret not in html
    for username in STAFF:
        assert display_name(app, username) not in html

    step(app, number, "dispatcher", "review-reply", at=start + timedelta(minutes=65), decision="send_back",
         note="答复未说明处理结果（内部）")
    step(app, number, "cgw-staff", "reply", at=start + timedelta(minutes=70),
         text="经现场核查，已责令施工单位夜间停工。", resolved=True, contact="visit")
    step(app, number, "dispatcher", "review-reply", at=start + timedelta(minutes=75), decision="approve")
    html = page(client, number).get_data(as_text=True)
    text = _text(html)
    assert "经现场核查，已责令施工单位夜间停工。" in text and "Answered: please rate it" in text
    assert "答复初稿" not in html and "答复未说明处理结果" not in html
    assert "Rate by" in text and _local(app, number, "callback_due_at") in text
    assert "The department reports the matter as resolved." in text


def test_the_steps_are_listed_in_order(app, client):
    start = datetime.now(UTC) - timedelta(hours=3)
    number = new_case(app, at=start)
    step(app, number, "dispatcher", "dispatch", at=start + timedelta(minutes=1), lead_department_id=dept(app, "cgw"),
         co_department_ids=[])
    step(app, number, "cgw-staff", "sign", at=start + timedelta(minutes=2))
    step(app, number, "cgw-staff", "reply", at=start + timedelta(minutes=3), text="已处理完毕。", resolved=True)
    step(app, number, "dispatcher", "review-reply", at=start + timedelta(minutes=4), decision="approve")
    step(app, number, "operator", "callback", at=start + timedelta(minutes=5), satisfaction="satisfied", resolved=True,
         note="电话回访，话务员记录（内部）")
    sign_in(client, app, PHONE)
    html = page(client, number).get_data(as_text=True)
    assert re.findall(r'data-step="(\w+)"', html) == ["received", "dispatched", "signed", "answered", "rated", "closed"]
    assert "话务员记录" not in html and "Satisfied" in html and "Rate the answer" not in html


def test_a_case_answered_directly_shows_the_answer(app, client):
    number = new_case(app)
    step(app, number, "operator", "answer-directly", note="办理地点：市民中心三楼，工作日受理。")
    sign_in(client, app, PHONE)
    text = _text(page(client, number).get_data(as_text=True))
    assert "Answered by the hotline" in text and "办理地点：市民中心三楼，工作日受理。" in text and "Closed" in text


def test_a_terminated_case_does_not_show_the_centres_reason(app, client):
    number = new_case(app)
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "cgw"), co_department_ids=[])
    step(app, number, "supervisor", "terminate", note="已进入诉讼程序，依法终止（内部）")
    sign_in(client, app, PHONE)
    html = page(client, number).get_data(as_text=True)
    assert "Handling ended" in html and "依法终止" not in html


def test_the_page_in_chinese_by_default_and_in_english(app):
    number = new_case(app)
    client = app.test_client()
    sign_in(client, app, PHONE)
    html = page(client, number).get_data(as_text=True)
    assert 'lang="zh-CN"' in html and "投诉" in html  # the kind, from the existing catalogue
    english = client.get(f"/track/case/{number}?lang=en").get_data(as_text=True)
    assert 'lang="en"' in english and "Complaint" in english and "Your matter was received" in english
