"""POST /cases (intake through the API), GET /cases/<number> and its events: shapes, validation, privacy."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hotline.extensions import db
from hotline.models import AccessLog, Case, CaseEvent, OutboxJob, Person, SmsMessage
from tests.api_helpers import Api, case_body
from tests.helpers import dispatch


@pytest.fixture
def operator(app):
    return Api.as_user(app, "operator")


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


CASE_KEYS = {
    "number", "track", "kind", "state", "channel", "urgency", "category", "area", "location_text", "description",
    "confidential", "person", "received_at", "lead_department", "co_departments", "assignments", "deadlines",
    "deadlines_provisional", "dispatch_count", "designated", "redo_count", "extension", "reply", "callback",
    "merged_into", "transferred_to", "answered_article", "closed_at", "version", "allowed_actions",
}


def test_an_operator_files_a_phone_call_and_gets_the_case(app, operator):
    response = operator.post("/cases", case_body(urgency="utilities", confidential=True))
    assert response.status_code == 201
    case = response.get_json()
    assert set(case) >= CASE_KEYS
    assert response.headers["Location"].endswith(f"/api/v1/cases/{case['number']}")
    assert case["number"].startswith("12345-") and case["state"] == "registered" and case["track"] == "hotline"
    assert case["channel"] == "phone" and case["urgency"] == "utilities" and case["confidential"] is True
    assert case["category"] == {"code": "city.noise-construction", "name": "建筑施工噪声",
                                "name_en": "Construction noise"}
    assert case["area"]["code"] == "dh-xhj"
    assert case["person"] == {"name": "王小明", "phone": "+8613812345678", "masked": False}
    assert case["received_at"].endswith("+00:00") and case["version"] == 1
    assert case["lead_department"] is None and case["co_departments"] == [] and case["assignments"] == []
    assert case["deadlines"] == {"sign": None, "reply": None, "return_until": None, "callback": None,
                                 "supervision": None}
    assert set(case["allowed_actions"]) == {"answer-directly", "transfer", "merge"}  # an operator does not dispatch
    with app.app_context():
        stored = db.session.scalar(select(Case))
        assert stored.created_by_id is not None and stored.events[0].actor_label != "citizen"
        assert db.session.scalar(select(SmsMessage.purpose)) == "ack"


def test_the_channel_comes_from_the_body(operator):
    assert operator.post("/cases", case_body(channel="api")).get_json()["channel"] == "api"


@pytest.mark.parametrize("username", ["dispatcher", "supervisor"])
def test_the_dispatcher_and_supervisor_may_file_too(app, username):
    assert Api.as_user(app, username).post("/cases", case_body()).status_code == 201


@pytest.mark.parametrize("username", ["dh-cgj-staff", "admin"])
def test_departments_and_the_administrator_may_not_file(app, username):
    response = Api.as_user(app, username).post("/cases", case_body())
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden" and response.get_json()["reason"] == "role"
    assert count(app, Case) == 0


def test_the_same_submission_twice_makes_one_case(app, operator):
    first = operator.post("/cases", case_body(submission_key="call-2026-0001"))
    again = operator.post("/cases", case_body(submission_key="call-2026-0001"))
    assert first.status_code == 201 and again.status_code == 200
    assert first.get_json()["number"] == again.get_json()["number"] and count(app, Case) == 1


BAD_INPUTS = [
    ({"kind": None}, "kind", "required"),
    ({"kind": "accusation"}, "kind", "invalid_choice"),
    ({"category": None}, "category", "required"),
    ({"category": "city"}, "category", "unknown"),
    ({"category": "no-such-subject"}, "category", "unknown"),
    ({"area": "atlantis"}, "area", "unknown"),
    ({"location_text": "   "}, "location_text", "required"),
    ({"location_text": "路" * 201}, "location_text", "too_long"),
    ({"location_text": "<script>alert(1)</script>"}, "location_text", "markup"),
    ({"description": "太吵了"}, "description", "too_short"),
    ({"description": "吵" * 2001}, "description", "too_long"),
    ({"description": 12345678901}, "description", "not_a_string"),
    ({"description": "晚上很吵 <img src=x onerror=alert(1)>"}, "description", "markup"),
    ({"name": None}, "name", "required"),
    ({"name": "名" * 51}, "name", "too_long"),
    ({"phone": None}, "phone", "required"),
    ({"phone": "12"}, "phone", "invalid_phone"),
    ({"confidential": "yes"}, "confidential", "not_a_boolean"),
    ({"urgency": "panic"}, "urgency", "invalid_choice"),
    ({"channel": "pigeon"}, "channel", "invalid_choice"),
    ({"submission_key": "k" * 65}, "submission_key", "too_long"),
]


@pytest.mark.parametrize("overrides, field, code", BAD_INPUTS)
def test_bad_input_is_named_field_by_field_and_writes_nothing(app, operator, overrides, field, code):
    response = operator.post("/cases", case_body(**overrides) | {k: None for k, v in overrides.items() if v is None})
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "invalid_fields" and body["fields"] == {field: code} and body["message"]
    for model in (Case, Person, CaseEvent, SmsMessage, OutboxJob):
        assert count(app, model) == 0, model


def test_every_bad_field_is_named_at_once(operator):
    response = operator.post("/cases", {"kind": "complaint"})
    assert set(response.get_json()["fields"]) == {"category", "area", "location_text", "description", "name", "phone"}


def test_a_department_sees_its_case_with_the_events_and_only_its_allowed_actions(app, operator):
    number = operator.file()
    dispatch(app, number, "dh-cgj", "dh-xhj")
    case = Api.as_user(app, "dh-cgj-staff").get(f"/cases/{number}").get_json()
    assert case["state"] == "dispatched" and case["lead_department"]["code"] == "dh-cgj"
    assert [d["code"] for d in case["co_departments"]] == ["dh-xhj"]
    assert [(a["department"]["code"], a["lead"], a["status"]) for a in case["assignments"]] == [
        ("dh-cgj", True, "pending"), ("dh-xhj", False, "pending")]
    assert case["deadlines"]["sign"].endswith("+00:00") and case["deadlines"]["reply"] and case["dispatch_count"] == 1
    assert set(case["allowed_actions"]) == {"sign", "return"}
    assert set(Api.as_user(app, "dh-xhj-staff").get(f"/cases/{number}").get_json()["allowed_actions"]) == {"sign"}
    events = Api.as_user(app, "dh-xhj-staff").get(f"/cases/{number}/events").get_json()["items"]
    assert [(e["seq"], e["action"], e["from_state"], e["to_state"]) for e in events] == [
        (1, "register", None, "registered"), (2, "dispatch", "registered", "dispatched")]
    assert events[1]["data"]["lead"] == "dh-cgj" and events[1]["data"]["co"] == ["dh-xhj"]
    assert events[1]["actor"] and events[1]["at"].endswith("+00:00")


@pytest.mark.parametrize("username", ["xs-cgj-staff", "cgw-staff"])
def test_another_departments_case_and_its_events_do_not_exist(app, operator, username):
    number = operator.file()
    api = Api.as_user(app, username)
    assert api.get(f"/cases/{number}").status_code == 404  # not dispatched yet
    dispatch(app, number, "dh-cgj", "dh-xhj")
    for path in (f"/cases/{number}", f"/cases/{number}/events", "/cases/12345-20200101-999999"):
        response = api.get(path)
        assert response.status_code == 404 and response.get_json()["error"] == "not_found", path


def test_viewing_the_person_unmasked_is_logged_and_not_cached(app, operator):
    number = operator.file()
    response = Api.as_user(app, "supervisor").get(f"/cases/{number}")
    assert response.get_json()["person"]["masked"] is False and response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        rows = db.session.scalars(select(AccessLog).where(AccessLog.action == "view_personal_data")).all()
        assert len(rows) == 2 and {r.detail for r in rows} == {"api"}  # the operator's 201, the supervisor's GET


def test_a_confidential_person_is_masked_for_the_department_and_not_logged(app, operator):
    number = operator.post("/cases", case_body(confidential=True)).get_json()["number"]
    dispatch(app, number, "dh-cgj")
    staff = Api.as_user(app, "dh-cgj-staff")
    views = select(func.count()).select_from(AccessLog).where(AccessLog.action == "view_personal_data")
    with app.app_context():
        before = db.session.scalar(views)
    case = staff.get(f"/cases/{number}").get_json()
    assert case["person"] == {"name": "王**", "phone": "+86138****5678", "masked": True}
    with app.app_context():
        assert db.session.scalar(views) == before


def test_lists_mask_the_person_even_for_the_centre(app, operator):
    number = operator.file()
    items = operator.get("/cases").get_json()["items"]
    assert [i["number"] for i in items] == [number] and items[0]["person"]["masked"] is True


def test_an_emergency_handed_on_and_an_answer_from_the_knowledge_base_show_on_the_case(app, operator):
    from hotline.models import KnowledgeArticle

    burning = operator.file(kind="help", description="三号楼楼道里一直在冒烟，好像是着火了，味道很呛。")
    response = operator.act(burning, "transfer", service="119", note="已告知立即拨打119")
    assert response.status_code == 200, response.get_json()
    case = operator.get(f"/cases/{burning}").get_json()
    assert case["state"] == "closed" and case["transferred_to"] == "119" and case["answered_article"] is None

    with app.app_context():
        article = db.session.scalar(select(KnowledgeArticle).where(KnowledgeArticle.active).limit(1))
        article_id = article.id
    asked = operator.file(kind="consult", description="想问一下提取住房公积金需要带哪些材料？")
    assert operator.act(asked, "answer-directly", note="已告知", article_id=article_id).status_code == 200
    assert operator.get(f"/cases/{asked}").get_json()["answered_article"] == article_id

    unknown = operator.file(kind="consult", description="外地户口在本市办居住证需要什么条件？")
    refused = operator.act(unknown, "answer-directly", note="已告知", article_id=99999999)
    assert refused.status_code == 422 and refused.get_json()["fields"] == {"article_id": "unknown"}
