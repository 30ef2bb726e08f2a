"""GET /api/v1/routing/preview, and the routing part of a case's JSON: a case created through the API
routes exactly as the preview said for the same inputs (issue 4)."""
from __future__ import annotations

import random

import pytest

from hotline.domain.kinds import KINDS_BY_TRACK, Track
from hotline.seed import demo_city
from tests.api_helpers import Api, case_body

GAS = "厨房里一股煤气味，楼道里也能闻到，担心燃气泄漏。"


@pytest.fixture
def dispatcher(app):
    return Api.as_user(app, "dispatcher")


def preview(api: Api, **params):
    response = api.get("/routing/preview", **params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_an_automatic_rule_is_previewed_with_its_rule_what_it_matched_and_why(dispatcher):
    answer = preview(dispatcher, kind="complaint", category="city.street-vending", area="dh-xhj")
    assert answer["mode"] == "auto" and answer["version"] == 1
    assert answer["lead"]["code"] == "dh-cgj" and answer["lead"]["name"] == "东湖区城市管理综合执法局"
    assert [d["code"] for d in answer["co"]] == ["dh-xhj"]
    assert answer["rule"]["name"] == "占道经营" and answer["rule"]["version"] == 1
    assert answer["matched"] == [["category", "city.street-vending"]] and answer["skipped"] == []
    assert answer["explanation"].startswith(f"规则 {answer['rule']['position']}")
    assert "→ 东湖区城管执法局" in answer["explanation"]
    english = preview(dispatcher, kind="complaint", category="city.street-vending", area="dh-xhj", lang="en")
    assert "dispatched at once" in english["explanation"]


def test_a_keyword_in_the_text_comes_before_the_subject(dispatcher):
    answer = preview(dispatcher, kind="help", category="housing.property-service", area="nj-bsj", text=GAS,
                     urgency="urgent")
    assert (answer["mode"], answer["lead"]["code"]) == ("auto", "rqjt")
    assert ["keyword", "燃气泄漏"] in answer["matched"]  # the first of the rule's words the text has


def test_a_district_alone_skips_the_street_office_rule_and_says_why(dispatcher):
    answer = preview(dispatcher, kind="complaint", category="housing.property-service", area="nj")
    assert (answer["mode"], answer["lead"]["code"]) == ("suggest", "nj-zjj")
    assert answer["skipped"] and "street_office" in answer["skipped"][0]["reason"]


def test_no_rule_is_a_preview_too(app, dispatcher):
    answer = preview(dispatcher, kind="complaint", category="city.garbage")  # a place matter with no place
    assert answer["mode"] == "none" and answer["lead"] is None and answer["rule"] is None and answer["co"] == []
    assert "没有规则匹配" in answer["explanation"]


@pytest.mark.parametrize(("params", "field", "code"), [
    ({"kind": "complaint", "category": "city.no-such"}, "category", "unknown"),
    ({"kind": "complaint", "category": "city"}, "category", "unknown"),  # cases take a sub-category
    ({"kind": "complaint", "area": "atlantis"}, "area", "unknown"),
    ({"kind": "grumble"}, "kind", "invalid_choice"),
    ({}, "kind", "required"),
    ({"kind": "complaint", "track": "tv"}, "track", "invalid_choice"),
    ({"kind": "accusation"}, "kind", "invalid_choice"),  # not a hotline kind
    ({"kind": "complaint", "urgency": "panic"}, "urgency", "invalid_choice"),
    ({"kind": "complaint", "text": "长" * 2001}, "text", "too_long"),
])
def test_unknown_codes_and_bad_values_are_a_422_naming_the_field(dispatcher, params, field, code):
    response = dispatcher.get("/routing/preview", **params)
    assert response.status_code == 422
    assert response.get_json()["fields"][field] == code


def test_petitions_are_previewed_on_their_own_track(dispatcher):
    answer = preview(dispatcher, track="petition", kind="grievance", category="labour.wage-arrears", area="xs-yqj")
    assert (answer["mode"], answer["lead"]["code"]) == ("suggest", "xs-gov")


def test_the_preview_is_for_the_centre(app):
    assert Api.as_user(app, "operator").get("/routing/preview", kind="complaint").status_code == 200
    staff = Api.as_user(app, "dh-cgj-staff").get("/routing/preview", kind="complaint")
    assert staff.status_code == 403 and staff.get_json()["reason"] == "role"
    assert Api(app.test_client(), None).get("/routing/preview", kind="complaint").status_code == 401


def _grid_sample(n: int, seed: int = 4) -> list[tuple[str, str, str, str]]:
    rng = random.Random(seed)  # noqa: S311
    subjects = [c.code for c in demo_city.CATEGORIES if c.parent]
    areas = [a.code for a in demo_city.AREAS]
    kinds = [str(k) for k in KINDS_BY_TRACK[Track.HOTLINE]]
    sample = [(rng.choice(subjects), rng.choice(areas), rng.choice(kinds), rng.choice(["general", "urgent"]))
              for _ in range(n)]
    return sample + [("city.garbage", "bt", "complaint", "general"),  # the district rule after the street one
                     ("city.manhole", "dh-xhj", "complaint", "urgent"), ("labour.contract", "xs", "consult", "general")]


def test_a_case_created_through_the_api_routes_exactly_as_the_preview_said(app):
    operator = Api.as_user(app, "operator")
    modes = set()
    for i, (category, area, kind, urgency) in enumerate(_grid_sample(40)):
        said = preview(operator, kind=kind, category=category, area=area, urgency=urgency,
                       text=case_body()["description"])
        created = operator.post("/cases", case_body(kind=kind, category=category, area=area, urgency=urgency,
                                                    submission_key=f"grid-{i}"))
        assert created.status_code == 201, created.get_json()
        case = created.get_json()
        routed = case["routing"]
        where = (category, area, kind, urgency)
        assert routed["mode"] == said["mode"], where
        assert routed["rule"]["id"] == said["rule"]["id"] and routed["rule"]["version"] == said["version"], where
        assert routed["lead"]["code"] == said["lead"]["code"], where
        assert [d["code"] for d in routed["co"]] == [d["code"] for d in said["co"]], where
        assert routed["explanation"] == said["explanation"], where
        if said["mode"] == "auto":
            assert case["state"] == "dispatched" and routed["outcome"] == "dispatched", where
            assert case["lead_department"]["code"] == said["lead"]["code"], where
            assert sorted(d["code"] for d in case["co_departments"]) == sorted(d["code"] for d in said["co"]), where
        else:
            assert case["state"] == "registered" and routed["outcome"] == "suggested", where
            assert case["lead_department"] is None, where
        modes.add(said["mode"])
    assert modes == {"auto", "suggest"}


def test_the_case_json_and_its_events_name_the_rule_that_dispatched_it(app, dispatcher):
    operator = Api.as_user(app, "operator")
    number = operator.file(category="utilities.power-outage", area="bt-lyj",
                           description="整栋楼停电三个小时了还没来电。")
    case = dispatcher.get(f"/cases/{number}").get_json()
    routed = case["routing"]
    assert routed["outcome"] == "dispatched" and routed["returned"] is False and routed["rule"]["name"] == "停电"
    assert set(routed) >= {"mode", "outcome", "rule", "lead", "co", "explanation", "returned"}
    events = dispatcher.get(f"/cases/{number}/events").get_json()["items"]
    dispatched = next(e for e in events if e["action"] == "dispatch")
    assert dispatched["data"]["lead"] == "gdgs"
    assert dispatched["data"]["rule"]["position"] == routed["rule"]["position"]
    assert dispatched["data"]["rule"]["version"] == 1 and dispatched["data"]["rule"]["id"] == routed["rule"]["id"]

    staff = Api.as_user(app, "gdgs-staff")
    assert staff.act(number, "return", reason="该小区由自建配电房供电，不属于供电公司").status_code == 200
    assert dispatcher.get(f"/cases/{number}").get_json()["routing"]["returned"] is True
    listed = dispatcher.get("/cases", queue="dispatch").get_json()["items"]
    assert [c["routing"]["rule"]["name"] for c in listed if c["number"] == number] == ["停电"]
