"""GET /cases: filters, pages, and scoping — a department finds only its own cases, whatever it asks."""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from tests.api_helpers import Api
from tests.helpers import act, dispatch


@pytest.fixture
def operator(app):
    return Api.as_user(app, "operator")


@pytest.fixture
def three(app, operator):
    """Ours (dh-cgj, with dh-xhj co-handling), theirs (xs-cgj) and one not dispatched yet."""
    ours = operator.file()
    theirs = operator.file(description="西山区某工地夜间施工，噪音扰民严重。")
    waiting = operator.file()
    dispatch(app, ours, "dh-cgj", "dh-xhj")
    dispatch(app, theirs, "xs-cgj")
    return ours, theirs, waiting


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["number"] for item in response.get_json()["items"]]


FILTERS = [
    {}, {"state": "dispatched"}, {"state": "registered"}, {"tab": "pending"}, {"tab": "in_progress"},
    {"tab": "due_soon"}, {"tab": "overdue"}, {"tab": "replied"}, {"overdue": "true"}, {"q": "施工"}, {"q": "西山区"},
    {"department": "xs-cgj"}, {"department": "dh-cgj"}, {"sort": "oldest"}, {"sort": "due"}, {"track": "hotline"},
    {"per_page": "1", "page": "2"}, {"q": "13812345678"},
]


@pytest.mark.parametrize("params", FILTERS)
def test_a_department_lists_only_its_own_cases_through_every_filter(app, three, params):
    ours, theirs, waiting = three
    for username in ("dh-cgj-staff", "dh-xhj-staff"):
        found = numbers(Api.as_user(app, username).get("/cases", **params))
        assert theirs not in found and waiting not in found, (username, params)
    assert numbers(Api.as_user(app, "xs-cgj-staff").get("/cases", **params)) in ([], [theirs]), params
    assert numbers(Api.as_user(app, "cgw-staff").get("/cases", **params)) == [], params
    # nor by the other case's number
    assert numbers(Api.as_user(app, "dh-cgj-staff").get("/cases", q=theirs)) == []


def test_a_department_finds_its_case_by_tab_and_word(app, three):
    ours, _, _ = three
    staff = Api.as_user(app, "dh-cgj-staff")
    assert numbers(staff.get("/cases", tab="pending")) == [ours]
    assert numbers(staff.get("/cases", tab="in_progress")) == []
    assert numbers(staff.get("/cases", q="施工")) == [ours]
    assert numbers(staff.get("/cases", department="dh-cgj")) == [ours]


def test_the_centre_filters_by_state_department_and_queue(app, operator, three):
    ours, theirs, waiting = three
    assert sorted(numbers(operator.get("/cases"))) == sorted(three)
    assert numbers(operator.get("/cases", department="xs-cgj")) == [theirs]
    assert numbers(operator.get("/cases", department="dh-xhj")) == [ours]
    assert numbers(operator.get("/cases", state="registered")) == [waiting]
    assert numbers(operator.get("/cases", queue="dispatch")) == [waiting]
    assert numbers(operator.get("/cases", q=waiting)) == [waiting]
    assert len(numbers(operator.get("/cases", q="13812345678"))) == 3


def test_overdue_means_the_centre_queue_or_the_department_tab(app, operator, three):
    ours, _, _ = three
    with time_machine.travel(timedelta(days=10)):
        assert ours in numbers(operator.get("/cases", overdue="true"))
        assert numbers(Api.as_user(app, "dh-cgj-staff").get("/cases", overdue="true")) == [ours]
    act(app, ours, "dh-cgj-staff", "sign")
    with time_machine.travel(timedelta(days=1)):
        assert numbers(Api.as_user(app, "dh-cgj-staff").get("/cases", overdue="1")) == []


@pytest.mark.parametrize("username, params, field, code", [
    ("operator", {"state": "open"}, "state", "invalid_choice"),
    ("operator", {"queue": "nope"}, "queue", "invalid_choice"),
    ("operator", {"tab": "pending"}, "tab", "not_applicable"),
    ("dh-cgj-staff", {"queue": "dispatch"}, "queue", "not_applicable"),
    ("dh-cgj-staff", {"tab": "nope"}, "tab", "invalid_choice"),
    ("operator", {"department": "nope"}, "department", "unknown"),
    ("operator", {"overdue": "perhaps"}, "overdue", "not_a_boolean"),
    ("operator", {"overdue": "true", "queue": "review"}, "overdue", "conflicts"),
    ("operator", {"per_page": "101"}, "per_page", "out_of_range"),
    ("operator", {"per_page": "0"}, "per_page", "out_of_range"),
    ("operator", {"page": "x"}, "page", "not_a_number"),
    ("operator", {"sort": "random"}, "sort", "invalid_choice"),
    ("operator", {"q": "x" * 101}, "q", "too_long"),
])
def test_a_bad_filter_is_named(app, username, params, field, code):
    response = Api.as_user(app, username).get("/cases", **params)
    assert response.status_code == 422 and response.get_json()["fields"] == {field: code}


def register_many(app, n: int) -> None:
    from hotline.clock import now
    from hotline.domain.kinds import Channel, Kind, Track
    from hotline.extensions import db
    from hotline.services import intake

    with app.app_context():
        ctx = intake.Context(now=now(), timezone="Asia/Shanghai", locale="zh")
        for i in range(n):
            intake.register(db.session, intake.NewCase(
                track=Track.HOTLINE, kind=Kind.CONSULT, channel=Channel.PHONE,
                description=f"第 {i} 个咨询，关于办事指南。"), ctx)


def test_pages_of_any_size_up_to_100_cover_every_case_once_in_order(app, operator):
    register_many(app, 61)
    everything = operator.get("/cases", per_page="100").get_json()
    assert len(everything["items"]) == 61 and everything["has_next"] is False and everything["per_page"] == 100
    newest_first = [i["number"] for i in everything["items"]]
    assert newest_first == sorted(newest_first, reverse=True)
    for size in (7, 50, 60):
        seen, page, more = [], 1, True
        while more:
            body = operator.get("/cases", per_page=str(size), page=str(page)).get_json()
            assert body["page"] == page and len(body["items"]) <= size
            seen += [i["number"] for i in body["items"]]
            more, page = body["has_next"], page + 1
        assert seen == newest_first, size
    assert len(operator.get("/cases").get_json()["items"]) == 50
