"""Petitions through the REST API: registration with `"track": "petition"` (信访工作条例 Arts. 19, 20, 25, 36), the
petition's own action names, and the `petition` object of a case."""
from __future__ import annotations

from datetime import datetime

import pytest

from tests.api_helpers import Api
from tests.helpers import login
from tests.integration.lifecycle_helpers import local, step
from tests.integration.petition_helpers import ID_NUMBER, new_petition

OTHER_ID = "110101199003074514"  # a valid check digit too


def petition_body(**overrides) -> dict:
    body = {
        "track": "petition", "kind": "grievance", "channel": "letter",
        "request": "要求补发拆迁安置补偿款",
        "facts": "2025年旧城改造中房屋被征收，约定的安置补偿款至今未足额发放。",
        "reasons": "依据征收补偿协议第五条，应于交房后三个月内付清。",
        "petitioners": [{"name": "李建国", "id_number": "11010519491231002x", "phone": "139 0000 1111",
                         "address": "江川市东湖区解放路1号"}],
        "category": "city.noise-construction", "area": "dh-xhj",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def register(api: Api, **overrides) -> dict:
    response = api.post("/cases", petition_body(**overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_an_operator_registers_a_petition_and_reads_it_back(app):
    api = Api.as_user(app, "operator")
    response = api.post("/cases", petition_body(oral=True, submission_key="letter-2026-0001"))
    assert response.status_code == 201, response.get_json()
    case = response.get_json()
    assert response.headers["Location"] == f"/api/v1/cases/{case['number']}"
    assert case["number"].startswith("XF-") and case["track"] == "petition"
    assert (case["kind"], case["state"], case["channel"]) == ("grievance", "registered", "letter")
    assert case["description"] == "要求补发拆迁安置补偿款"
    petition = case["petition"]
    assert petition["facts"].startswith("2025年旧城改造") and petition["oral"] is True
    assert petition["petitioners"] == [{"name": "李建国", "id_number": ID_NUMBER, "phone": "+8613900001111",
                                        "address": "江川市东湖区解放路1号", "representative": False,
                                        "masked": False}]
    assert petition["running"] == ["forward"]
    assert datetime.fromisoformat(petition["deadlines"]["forward"]).utcoffset() is not None
    assert petition["deadlines"]["decide"] is None and petition["final"] is False
    assert petition["documents"] == [] and petition["accused_departments"] == []
    # the operator registers; forwarding is the dispatcher's, and never a work order's `dispatch`
    assert "dispatch" not in case["allowed_actions"]
    dispatcher = Api.as_user(app, "dispatcher").get(f"/cases/{case['number']}").get_json()
    assert {"forward", "refer"} <= set(dispatcher["allowed_actions"])
    assert "dispatch" not in dispatcher["allowed_actions"]

    again = api.post("/cases", petition_body(oral=True, submission_key="letter-2026-0001"))
    assert again.status_code == 200 and again.get_json()["number"] == case["number"]

    listed = api.get("/cases", track="petition", q=case["number"]).get_json()["items"]
    assert [c["number"] for c in listed] == [case["number"]]
    assert listed[0]["petition"]["petitioners"][0]["masked"] is True  # lists always mask
    assert api.get("/cases", track="petition", state="registered").status_code == 200
    assert all(c["track"] == "petition" for c in api.get("/cases", track="petition").get_json()["items"])


def test_a_group_petition_names_its_representatives(app):
    people = [{"name": f"张{n}强", "address": "江川市东湖区解放路2号", "representative": n < 2} for n in range(6)]
    case = register(Api.as_user(app, "operator"), petitioners=people, group_size=40, major=True)
    petition = case["petition"]
    assert petition["group_size"] == 40 and petition["major"] is True
    assert [p["name"] for p in petition["representatives"]] == ["张0强", "张1强"]
    assert len(petition["petitioners"]) == 6


@pytest.mark.parametrize(("overrides", "fields"), [
    ({"petitioners": None}, {"petitioners": "required"}),
    ({"petitioners": "李建国"}, {"petitioners": "not_a_list"}),
    ({"petitioners": [{"name": "", "address": "江川市"}]}, {"petitioners.0.name": "required"}),
    ({"petitioners": [{"name": "李建国"}]}, {"petitioners.0.address": "address_or_phone"}),
    ({"petitioners": [{"name": "李建国", "address": "江川市", "id_number": "110105194912310021"}]},
     {"petitioners.0.id_number": "invalid_id_number"}),
    ({"petitioners": [{"name": "李建国", "phone": "12"}]}, {"petitioners.0.phone": "invalid_phone"}),
    ({"petitioners": [{"name": "李建国", "address": "江川市", "representative": "yes"}]},
     {"petitioners.0.representative": "not_a_boolean"}),
    ({"petitioners": [{"name": f"王{n}", "address": "江川市", "representative": True} for n in range(6)]},
     {"representatives": "too_many_representatives"}),
    ({"group_size": 12}, {"representatives": "representatives_required"}),
    ({"group_size": "many"}, {"group_size": "not_a_number"}),
    ({"kind": "complaint"}, {"kind": "invalid_choice"}),
    ({"channel": "sms"}, {"channel": "invalid_choice"}),
    ({"channel": None}, {"channel": "required"}),
    ({"facts": "", "reasons": None}, {"facts": "required", "reasons": "required"}),
    ({"request": "<script>x</script>"}, {"request": "markup"}),
    ({"category": "no.such"}, {"category": "unknown"}),
    ({"accused_departments": ["dh-cgj"]}, {"accused_departments": "accusation_only"}),
    ({"kind": "accusation", "accused_departments": ["no-such"]}, {"accused_departments": "unknown"}),
    ({"kind": "accusation", "accused_departments": "dh-cgj"}, {"accused_departments": "not_a_list"}),
    ({"track": "letters"}, {"track": "invalid_choice"}),
])
def test_what_is_missing_or_wrong_is_named_field_by_field(app, overrides, fields):
    response = Api.as_user(app, "operator").post("/cases", petition_body(**overrides))
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "invalid_fields"
    assert {k: v for k, v in body["fields"].items() if k in fields} == fields, body["fields"]


@pytest.mark.parametrize("username", ["dh-gov-staff", "dh-gov-head", "admin"])
def test_only_intake_registers_a_petition(app, username):
    assert Api.as_user(app, username).post("/cases", petition_body()).status_code == 403


def _settled(app, at) -> str:
    """A grievance taken to a final 复核 decision."""
    number = new_petition(app, at, people=None)
    hours = iter(range(1, 100))

    def go(username, action, **fields):
        step(app, number, username, action, local(2026, 6, 1, next(hours)), **fields)
    go("dispatcher", "forward", organ_id=_dept(app, "dh-gov"), forwarding="forward")
    go("dh-gov-staff", "accept", decision="accept")
    go("dh-gov-staff", "decide", outcome="reject", facts="f", basis="b", text="不予支持")
    go("operator", "request-review", organ_id=_dept(app, "cgw"), note="请求复查")
    go("cgw-staff", "decide-review", outcome="uphold", facts="f", basis="b", text="维持")
    go("operator", "request-re-review", organ_id=_dept(app, "zjw"), note="请求复核")
    go("zjw-staff", "decide-re-review", outcome="uphold", facts="f", basis="b", text="维持")
    return number


def _dept(app, code):
    from tests.integration.lifecycle_helpers import dept
    return dept(app, code)


def test_the_same_matter_closed_after_re_review_is_refused_with_its_case_named(app):
    earlier = _settled(app, local(2026, 6, 1, 0, 5))
    api = Api.as_user(app, "operator")
    same = petition_body(petitioners=[{"name": "李建国", "id_number": ID_NUMBER, "address": "江川市东湖区解放路1号"}],
                         category=None, area=None)
    response = api.post("/cases", same)
    assert response.status_code == 409
    body = response.get_json()
    assert (body["error"], body["reason"], body["case"]) == ("conflict", "same_matter_settled", earlier)
    assert "复核" in body["message"]
    with_new = api.post("/cases", {**same, "new_facts": "2026年7月收到区政府新的书面答复，与复核认定的事实不符。"})
    assert with_new.status_code == 201
    assert with_new.get_json()["petition"]["same_matter"] == {"kind": "settled", "case": earlier}


def _act(api: Api, number: str, action: str, **fields) -> dict:
    response = api.act(number, action, **fields)
    assert response.status_code == 200, (action, response.get_json())
    return response.get_json()


def test_the_whole_procedure_through_the_api_with_every_document(app):
    operator, dispatcher = Api.as_user(app, "operator"), Api.as_user(app, "dispatcher")
    number = register(operator)["number"]
    case = _act(dispatcher, number, "forward", organ="dh-gov", forwarding="forward", version=1)
    assert (case["state"], case["lead_department"]["code"], case["version"]) == ("forwarded", "dh-gov", 2)
    assert case["petition"]["running"] == ["accept", "object"] and case["petition"]["forwarding"] == "forward"
    staff, head = Api.as_user(app, "dh-gov-staff"), Api.as_user(app, "dh-gov-head")
    assert {"accept", "object"} <= set(staff.get(f"/cases/{number}").get_json()["allowed_actions"])
    _act(staff, number, "accept", decision="accept")
    _act(staff, number, "request-extension", days=30, reason="需要会同住建部门核实补偿协议")
    assert "decide-extension" not in staff.get(f"/cases/{number}").get_json()["allowed_actions"]
    case = _act(head, number, "decide-extension", decision="approve")
    assert case["extension"] == {"status": "approved", "days": 30, "reason": "需要会同住建部门核实补偿协议"}
    case = _act(staff, number, "decide", outcome="explain", facts="经核实，补偿款已分两期支付。",
                basis="《国有土地上房屋征收与补偿条例》第二十五条", text="予以解释说明。")
    assert case["state"] == "decided" and case["petition"]["outcomes"]["decision"]["outcome"] == "explain"
    assert case["petition"]["running"] == ["review_window"]
    _act(operator, number, "request-review", organ="cgw", note="对处理意见不服，请求复查")
    _act(Api.as_user(app, "cgw-staff"), number, "decide-review", outcome="uphold", facts="事实清楚。",
         basis="《信访工作条例》第三十五条", text="维持原处理意见。")
    _act(operator, number, "request-re-review", organ="zjw", note="请求复核")
    top = Api.as_user(app, "zjw-staff")
    case = _act(top, number, "start-hearing", note="举行听证")
    assert case["petition"]["hearing"]["under_way"] is True and case["petition"]["running"] == []
    assert top.act(number, "decide-re-review", outcome="uphold", facts="f", basis="b",
                   text="t").get_json()["reason"] == "in_hearing"
    case = _act(top, number, "end-hearing")
    assert case["petition"]["hearing"] == {"under_way": False, "started_at": None, "days": 1}
    case = _act(top, number, "decide-re-review", outcome="uphold", facts="复查意见认定事实清楚。",
                basis="《信访工作条例》第三十六条", text="维持复查意见。")
    petition = case["petition"]
    assert (case["state"], petition["final"], petition["outcomes"]["re_review"]["outcome"]) == ("closed", True,
                                                                                                 "uphold")
    assert [d["kind"] for d in petition["documents"]] == ["acceptance", "extension", "decision", "review_decision",
                                                          "re_review_decision"]
    assert all(d["number"].startswith("〔") and d["issued_at"] and d["corrects"] is None for d in petition["documents"])
    if "documents.show" in app.view_functions:  # the pages the documents are read on
        client = app.test_client()
        login(client, "supervisor")
        assert all(client.get(d["url"]).status_code == 200 for d in petition["documents"])
    events = operator.get(f"/cases/{number}/events").get_json()["items"]
    assert [e["data"]["organ"] for e in events if e["action"] in ("forward", "request-review", "request-re-review")] \
        == ["dh-gov", "cgw", "zjw"]


def test_a_petition_takes_its_own_actions_and_names_units_by_code(app):
    operator, dispatcher = Api.as_user(app, "operator"), Api.as_user(app, "dispatcher")
    number = register(operator, kind="accusation", accused_departments=["dh-cgj"])["number"]
    assert operator.get(f"/cases/{number}").get_json()["petition"]["accused_departments"][0]["code"] == "dh-cgj"
    assert dispatcher.act(number, "dispatch", lead_department="dh-gov").status_code == 404  # a work order's step
    assert dispatcher.act(number, "fly").status_code == 404
    refused = dispatcher.act(number, "forward", organ="no-such", forwarding="forward")
    assert (refused.status_code, refused.get_json()["fields"]) == (422, {"organ": "unknown"})
    refused = dispatcher.act(number, "forward", forwarding="sideways")
    assert (refused.status_code, refused.get_json()["fields"]) == (422, {"organ": "required",
                                                                         "forwarding": "invalid_choice"})
    ids = dispatcher.act(number, "forward", organ_id=5, forwarding="forward")  # ids never come from the API
    assert (ids.status_code, ids.get_json()["fields"]) == (422, {"organ": "required"})
    accused = dispatcher.client.post(f"/api/v1/cases/{number}/actions/forward?lang=en", headers=dispatcher.headers(),
                                     json={"organ": "dh-cgj", "forwarding": "forward"})
    assert (accused.status_code, accused.get_json()["reason"]) == (409, "accused_department")
    assert "Art. 30" in accused.get_json()["message"]
    assert operator.act(number, "forward", organ="dh-gov", forwarding="forward").status_code == 403
    stale = dispatcher.act(number, "forward", organ="dh-gov", forwarding="assign", version=7)
    assert (stale.status_code, stale.get_json()["reason"]) == (409, "stale")
    _act(dispatcher, number, "forward", organ="dh-gov", forwarding="assign")
    assert Api.as_user(app, "dh-xhj-staff").act(number, "accept", decision="accept").status_code == 404
    hotline = operator.file()
    assert dispatcher.act(hotline, "forward", organ="dh-gov", forwarding="forward").status_code == 404
    assert "dispatch" in dispatcher.get(f"/cases/{hotline}").get_json()["allowed_actions"]
    assert {c["number"] for c in operator.get("/cases", track="petition", state="forwarded").get_json()["items"]} \
        == {number}
