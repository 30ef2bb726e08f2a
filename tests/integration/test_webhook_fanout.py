"""Who is told of a case event, and that the deliveries are written in the event's own transaction."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from hotline.domain.kinds import Kind
from hotline.extensions import db
from hotline.models import Assignment, Case, OutboxJob, WebhookDelivery
from hotline.services import audit
from tests.integration.lifecycle_helpers import dept, local, new_case, step
from tests.integration.petition_helpers import new_petition
from tests.integration.test_webhook_helpers import closed_port, deliveries, subscribe

URL = f"http://127.0.0.1:{closed_port()}/hook"
FRIDAY = local(2026, 11, 27, 10)


def _told(app, subscription_id) -> list[tuple[str, int]]:
    return [(d["action"], d["seq"]) for d in deliveries(app, subscription_id)]


def test_no_subscription_no_delivery(app):
    new_case(app, at=FRIDAY)
    assert deliveries(app) == []


def test_the_departments_holding_the_case_and_the_one_acting_are_told(app):
    cgw, zjw, centre = (subscribe(app, code, URL) for code in ("cgw", "zjw", "centre"))
    number = new_case(app, at=FRIDAY)
    step(app, number, "dispatcher", "dispatch", local(2026, 11, 27, 10, 5), lead_department_id=dept(app, "cgw"),
         co_department_ids=[dept(app, "zjw")])
    step(app, number, "cgw-staff", "sign", local(2026, 11, 27, 11))
    step(app, number, "zjw-staff", "sign", local(2026, 11, 27, 11, 30))
    assert _told(app, cgw) == [("dispatch", 2), ("sign", 3), ("sign", 4)]
    assert _told(app, zjw) == [("dispatch", 2), ("sign", 3), ("sign", 4)]
    assert _told(app, centre) == []  # registered before anyone held it; the dispatcher acts for the centre
    first = deliveries(app, cgw)[0]["payload"]
    assert first["department"] == "cgw" and first["type"] == "case.event"
    assert first["event"] == {"seq": 2, "action": "dispatch", "at": "2026-11-27T02:05:00+00:00",
                              "from_state": "registered", "to_state": "dispatched", "department": None}
    case = first["case"]
    assert (case["number"], case["track"], case["kind"], case["category"], case["area"], case["lead_department"],
            case["api_url"]) == (number, "hotline", "complaint", "city.noise-construction", "dh-xhj", "cgw",
                                 f"/api/v1/cases/{number}")
    assert case["reply_due_at"].endswith("+00:00")
    with app.app_context():  # one job per subscription per transaction
        jobs = db.session.scalars(select(OutboxJob.payload).where(OutboxJob.job == "deliver_webhooks")).all()
    assert sorted(j["subscription_id"] for j in jobs) == sorted([cgw, zjw] * 3)


def test_no_personal_data_and_no_free_text_in_the_payload(app):
    subscription = subscribe(app, "cgw", URL)
    number = new_case(app, at=FRIDAY)
    step(app, number, "dispatcher", "dispatch", FRIDAY, lead_department_id=dept(app, "cgw"), co_department_ids=[],
         note="请联系王小明 13812345678")
    text = repr(deliveries(app, subscription))
    for secret in ("王小明", "13812345678", "夜间施工噪音扰民", "请联系"):
        assert secret not in text


def test_a_department_that_returned_the_case_is_told_once_and_then_no_more(app):
    cgw, zjw = subscribe(app, "cgw", URL), subscribe(app, "zjw", URL)
    number = new_case(app, at=FRIDAY)
    step(app, number, "dispatcher", "dispatch", FRIDAY, lead_department_id=dept(app, "cgw"), co_department_ids=[])
    step(app, number, "cgw-staff", "return", local(2026, 11, 27, 14), reason="应由住建委主办")
    step(app, number, "dispatcher", "review-return", local(2026, 11, 27, 15), decision="uphold", note="改派")
    step(app, number, "dispatcher", "dispatch", local(2026, 11, 27, 16), lead_department_id=dept(app, "zjw"),
         co_department_ids=[])
    assert _told(app, cgw) == [("dispatch", 2), ("return", 3)]  # the return: acting and leaving, one delivery
    assert _told(app, zjw) == [("dispatch", 5)]


def test_a_redispatch_tells_the_department_it_leaves(app):
    cgw = subscribe(app, "cgw", URL)
    number = new_case(app, at=FRIDAY)
    step(app, number, "dispatcher", "dispatch", FRIDAY, lead_department_id=dept(app, "cgw"), co_department_ids=[])
    step(app, number, "cgw-staff", "return", local(2026, 11, 27, 14), reason="不属本单位")
    step(app, number, "dispatcher", "review-return", local(2026, 11, 27, 15), decision="refuse", note="仍由城管")
    assert _told(app, cgw) == [("dispatch", 2), ("return", 3), ("review-return", 4)]


def test_a_subscription_with_a_list_gets_only_those_actions(app):
    only = subscribe(app, "cgw", URL, events=["sign", "reply"])
    number = new_case(app, at=FRIDAY)
    step(app, number, "dispatcher", "dispatch", FRIDAY, lead_department_id=dept(app, "cgw"), co_department_ids=[])
    step(app, number, "cgw-staff", "sign", local(2026, 11, 27, 11))
    assert _told(app, only) == [("sign", 3)]


def test_an_inactive_subscription_gets_nothing(app):
    paused = subscribe(app, "cgw", URL, active=False)
    number = new_case(app, at=FRIDAY)
    step(app, number, "dispatcher", "dispatch", FRIDAY, lead_department_id=dept(app, "cgw"), co_department_ids=[])
    assert deliveries(app, paused) == []


def test_the_accused_unit_is_never_told(app):
    accused, organ = subscribe(app, "dh-cgj", URL), subscribe(app, "dh-gov", URL)
    number = new_petition(app, FRIDAY, kind=Kind.ACCUSATION, accused_department_ids=(dept(app, "dh-cgj"),))
    step(app, number, "dispatcher", "forward", local(2026, 11, 27, 11), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    assert _told(app, organ) == [("forward", 2)]
    # even were it to hold the case, or to act on it, its back office would hear nothing of it
    cgj = dept(app, "dh-cgj")
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        case.assignments.append(Assignment(department_id=cgj, lead=False, dispatch_round=9,
                                           dispatched_at=datetime.now(UTC)))
        audit.record_event(db.session, case, action="urge", at=datetime.now(UTC), to_state=case.state,
                           from_state=case.state, department_id=cgj)
        db.session.commit()
    assert deliveries(app, accused) == []
    assert _told(app, organ) == [("forward", 2), ("urge", 3)]


def test_a_rolled_back_transaction_writes_no_delivery(app):
    subscribe(app, "cgw", URL)
    number = new_case(app, at=FRIDAY)
    step(app, number, "dispatcher", "dispatch", FRIDAY, lead_department_id=dept(app, "cgw"), co_department_ids=[])
    before, cgw = len(deliveries(app)), dept(app, "cgw")
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        audit.record_event(db.session, case, action="urge", at=datetime.now(UTC), to_state=case.state,
                           from_state=case.state, department_id=cgw)
        db.session.flush()  # the listener has seen the event …
        db.session.rollback()  # … which never happened
        db.session.commit()  # and a later, empty commit of the same session remembers nothing of it
        assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == before
    assert len(deliveries(app)) == before


def test_a_step_refused_writes_no_delivery(app):
    from hotline.domain.errors import Conflict

    subscribe(app, "cgw", URL)
    number = new_case(app, at=FRIDAY)
    step(app, number, "dispatcher", "dispatch", FRIDAY, lead_department_id=dept(app, "cgw"), co_department_ids=[])
    before = len(deliveries(app))
    with pytest.raises(Conflict):
        step(app, number, "cgw-staff", "reply", local(2026, 11, 27, 12), text="已处理", resolved="true",
             contact="phone")  # not signed yet
    assert len(deliveries(app)) == before
