"""The closed loop of a work order (issue 3 acceptance), through handling.act: each step's state, version,
event (who, what, from → to), assignments, deadlines and messages to the citizen."""
from __future__ import annotations

from sqlalchemy import select

from hotline.extensions import db
from hotline.models import Case
from hotline.services.audit import broken_chains
from tests.integration.lifecycle_helpers import PHONE, dept, display_name, end_of, local, look, new_case, step

DISPATCHER, SUPERVISOR, OPERATOR = "周婷（派单员）", "孙浩（值班长）", "李娜（话务员）"


def test_the_whole_loop(app):
    lead, co = dept(app, "cgw"), dept(app, "zjw")
    lead_staff, co_staff = display_name(app, "cgw-staff"), display_name(app, "zjw-staff")
    friday = local(2026, 11, 27, 10, 0)
    number = new_case(app, at=friday)
    seen = look(app, number)
    assert (seen.state, seen.version, seen.events, seen.sms) == (
        "registered", 1, [("citizen", "register", None, "registered")], ["ack"])
    versions = [1]

    def then(username, action, at, **fields):
        state = step(app, number, username, action, at=at, **fields)
        now = look(app, number)
        assert now.state == state
        assert now.version == versions[-1] + 1, f"{action} moved the version by {now.version - versions[-1]}"
        versions.append(now.version)
        return now

    # 派单 to the lead and a co-handler, on a Friday morning
    seen = then("dispatcher", "dispatch", friday.replace(minute=5), lead_department_id=lead, co_department_ids=[co],
                note="请主办")
    assert seen.state == "dispatched" and seen.case["dispatch_count"] == 1
    assert [(a["code"], a["lead"], a["status"]) for a in seen.assignments] == [
        ("cgw", True, "pending"), ("zjw", False, "pending")]
    assert seen.case["lead_department_id"] == lead
    assert seen.case["sign_due_at"] == end_of(2026, 11, 30)        # Monday
    assert seen.case["return_until"] == end_of(2026, 12, 1)        # Tuesday
    assert seen.case["reply_due_at"] == end_of(2026, 12, 4)        # next Friday
    assert seen.case["deadlines_provisional"] is False             # 2026 is in the calendar: nothing provisional
    assert seen.event_rows[-1]["data"]["lead"] == lead and seen.event_rows[-1]["data"]["co"] == [co]
    assert seen.event_rows[-1]["note"] == "请主办"

    # the lead signs, then returns it; the dispatcher refuses the return: back to the same departments
    seen = then("cgw-staff", "sign", local(2026, 11, 27, 11))
    assert seen.state == "in_progress" and seen.assignments[0]["status"] == "signed"
    seen = then("cgw-staff", "return", local(2026, 11, 27, 14), reason="应由住建委主办")
    assert seen.state == "returned" and seen.assignments == []
    assert seen.event_rows[-1]["department_id"] == lead and seen.event_rows[-1]["note"] == "应由住建委主办"
    seen = then("dispatcher", "review-return", local(2026, 11, 27, 15), decision="refuse", note="属于城管职责")
    assert seen.state == "dispatched" and seen.case["dispatch_count"] == 1
    assert [(a["code"], a["status"]) for a in seen.assignments] == [("cgw", "pending"), ("zjw", "pending")]

    # the co-handler's sign does not move the case; the lead's does
    seen = then("zjw-staff", "sign", local(2026, 11, 30, 9))
    assert seen.state == "dispatched" and seen.assignments[1]["status"] == "signed"
    seen = then("cgw-staff", "sign", local(2026, 11, 30, 9, 30))
    assert seen.state == "in_progress"

    # 延期: 3 working days, approved: the reply deadline moves from Friday to Wednesday; the citizen is told
    seen = then("cgw-staff", "request-extension", local(2026, 12, 1, 10), days="3", reason="需协调施工单位")
    assert seen.case["extension_status"] == "pending" and seen.case["reply_due_at"] == end_of(2026, 12, 4)
    seen = then("supervisor", "decide-extension", local(2026, 12, 1, 16), decision="approve")
    assert seen.case["extension_status"] == "approved"
    assert seen.case["reply_due_at"] == end_of(2026, 12, 9)
    assert seen.assignments[0]["reply_due_at"] == end_of(2026, 12, 9)      # the lead's own clock too
    assert seen.sms == ["ack", "extension"]
    assert seen.event_rows[-1]["data"]["to"] == end_of(2026, 12, 9).isoformat()

    # the co-handler feeds the lead; the lead's reply closes the loop
    seen = then("zjw-staff", "reply", local(2026, 12, 2, 10), text="已约谈施工单位", resolved="true")
    assert seen.state == "in_progress" and seen.assignments[1]["status"] == "replied"
    seen = then("cgw-staff", "reply", local(2026, 12, 3, 10), text="已责令夜间停工", resolved=True)
    assert seen.state == "replied" and seen.case["reply_text"] == "已责令夜间停工"
    assert seen.case["replied_at"] == local(2026, 12, 3, 10)

    # the centre reviews: the callback is due 3 working days later; the citizen gets the reply
    seen = then("dispatcher", "review-reply", local(2026, 12, 4, 9), decision="approve")
    assert seen.state == "replied" and seen.case["reply_reviewed"] is True
    assert seen.case["callback_due_at"] == end_of(2026, 12, 9)
    assert seen.sms == ["ack", "extension", "reply", "callback"]  # the reply is there; rate it

    # dissatisfied: 重办, counted, with a fresh handling clock
    seen = then("operator", "callback", local(2026, 12, 4, 15), satisfaction="dissatisfied", resolved=False,
                note="夜里仍在施工")
    assert seen.state == "replied" and seen.case["callback_satisfaction"] == "dissatisfied"
    seen = then("dispatcher", "redo", local(2026, 12, 4, 16), note="群众反映仍有施工")
    assert seen.state == "in_progress" and seen.case["redo_count"] == 1
    assert seen.case["callback_satisfaction"] is None and seen.case["reply_reviewed"] is False
    assert seen.case["reply_due_at"] == end_of(2026, 12, 11)
    assert [a["status"] for a in seen.assignments] == ["signed", "signed"]

    seen = then("cgw-staff", "reply", local(2026, 12, 8, 10), text="已查封夜间施工设备", resolved=True)
    seen = then("dispatcher", "review-reply", local(2026, 12, 8, 11), decision="approve")
    seen = then("operator", "callback", local(2026, 12, 8, 15), satisfaction="satisfied", resolved="yes")
    assert seen.state == "closed" and seen.case["closed_at"] == local(2026, 12, 8, 15)

    assert seen.events == [
        ("citizen", "register", None, "registered"),
        (DISPATCHER, "dispatch", "registered", "dispatched"),
        (lead_staff, "sign", "dispatched", "in_progress"),
        (lead_staff, "return", "in_progress", "returned"),
        (DISPATCHER, "review-return", "returned", "dispatched"),
        (co_staff, "sign", "dispatched", "dispatched"),
        (lead_staff, "sign", "dispatched", "in_progress"),
        (lead_staff, "request-extension", "in_progress", "in_progress"),
        (SUPERVISOR, "decide-extension", "in_progress", "in_progress"),
        (co_staff, "reply", "in_progress", "in_progress"),
        (lead_staff, "reply", "in_progress", "replied"),
        (DISPATCHER, "review-reply", "replied", "replied"),
        (OPERATOR, "callback", "replied", "replied"),
        (DISPATCHER, "redo", "replied", "in_progress"),
        (lead_staff, "reply", "in_progress", "replied"),
        (DISPATCHER, "review-reply", "replied", "replied"),
        (OPERATOR, "callback", "replied", "closed"),
    ]
    assert [e["seq"] for e in seen.event_rows] == list(range(1, 18))
    assert seen.version == len(seen.events)
    assert [e["department_id"] for e in seen.event_rows][2:4] == [lead, lead]
    assert seen.event_rows[5]["department_id"] == co
    assert seen.event_rows[-1]["at"] == local(2026, 12, 8, 15)
    with app.app_context():
        assert list(broken_chains(db.session)) == []


def test_a_redispatch_after_an_upheld_return_and_designation_after_three(app):
    number = new_case(app)
    for round_, code in enumerate(("cgw", "zjw", "jtw"), start=1):
        assert step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, code)) == "dispatched"
        seen = look(app, number)
        assert seen.case["dispatch_count"] == round_ and [a["code"] for a in seen.assignments] == [code]
        assert seen.event_rows[-1]["data"]["designated"] is (round_ >= 3)
        if round_ < 3:
            assert step(app, number, f"{code}-staff", "return", reason="非本单位职责") == "returned"
            assert step(app, number, "dispatcher", "review-return", decision="uphold") == "registered"
            seen = look(app, number)
            assert seen.case["lead_department_id"] is None and seen.case["sign_due_at"] is None
    seen = look(app, number)
    assert step_refused(app, number, "jtw-staff", "return", reason="还是不归我们") == ("Conflict", "designated")
    assert look(app, number).version == seen.version
    assert step(app, number, "jtw-staff", "sign") == "in_progress"


def step_refused(app, number, username, action, **fields):
    from hotline.domain.errors import DomainError

    try:
        step(app, number, username, action, **fields)
    except DomainError as exc:
        return type(exc).__name__, exc.code
    raise AssertionError(f"{action} by {username} was not refused")


def test_review_reply_sent_back_goes_back_to_the_lead(app):
    number = new_case(app)
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "cgw"))
    step(app, number, "cgw-staff", "sign")
    step(app, number, "cgw-staff", "reply", text="已处理", resolved=True)
    assert step(app, number, "dispatcher", "review-reply", decision="send_back", note="未说明处理结果") == "in_progress"
    seen = look(app, number)
    assert seen.assignments[0]["status"] == "signed" and seen.sms == ["ack"]
    assert step(app, number, "cgw-staff", "reply", text="已处理，罚款五千元", resolved=True) == "replied"


def test_a_supervisor_closes_a_reviewed_case_without_a_callback(app):
    number = new_case(app)
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "cgw"))
    step(app, number, "cgw-staff", "sign")
    step(app, number, "cgw-staff", "reply", text="已处理", resolved=True)
    step(app, number, "dispatcher", "review-reply", decision="approve")
    at = local(2026, 12, 9, 9)
    assert step(app, number, "supervisor", "close", at=at, note="三次回访未接通") == "closed"
    assert look(app, number).case["closed_at"] == at


def test_answered_directly_at_intake(app):
    number = new_case(app)
    assert step(app, number, "operator", "answer-directly", note="已告知办事地点和时间") == "closed"
    seen = look(app, number)
    assert seen.case["reply_text"] == "已告知办事地点和时间" and seen.case["closed_at"] is not None
    assert seen.events[-1] == (OPERATOR, "answer-directly", "registered", "closed") and seen.version == 2


def test_terminated_by_the_centre(app):
    number = new_case(app)
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "cgw"))
    step(app, number, "cgw-staff", "sign")
    assert step(app, number, "supervisor", "terminate", note="已进入诉讼程序") == "terminated"
    seen = look(app, number)
    assert seen.events[-1] == (SUPERVISOR, "terminate", "in_progress", "terminated")
    assert seen.event_rows[-1]["note"] == "已进入诉讼程序" and seen.case["closed_at"] is not None


def test_urging_and_supervising_are_recorded_without_moving_the_case(app):
    number = new_case(app)
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "cgw"))
    step(app, number, "cgw-staff", "sign")
    before = look(app, number)
    assert step(app, number, "operator", "urge", note="群众来电催促") == "in_progress"
    assert step(app, number, "operator", "urge", note="再次催促") == "in_progress"
    assert step(app, number, "supervisor", "supervise", note="列入督办") == "in_progress"
    seen = look(app, number)
    assert seen.case["urge_count"] == 2 and seen.case["supervised"] is True
    assert seen.version == before.version + 3
    assert seen.events[-3:] == [(OPERATOR, "urge", "in_progress", "in_progress"),
                                (OPERATOR, "urge", "in_progress", "in_progress"),
                                (SUPERVISOR, "supervise", "in_progress", "in_progress")]
    assert [e["note"] for e in seen.event_rows[-3:]] == ["群众来电催促", "再次催促", "列入督办"]


def test_no_sms_for_a_citizen_without_a_mobile_number(app):
    number = new_case(app, phone=None)
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "cgw"))
    step(app, number, "cgw-staff", "sign")
    step(app, number, "cgw-staff", "request-extension", days=2, reason="需现场勘查")
    step(app, number, "supervisor", "decide-extension", decision="approve")
    seen = look(app, number)
    assert seen.sms == [] and seen.case["extension_status"] == "approved"


def test_the_case_number_may_be_typed_in_lower_case(app):
    number = new_case(app)
    assert step(app, f" {number.lower()} ", "dispatcher", "dispatch", lead_department_id=dept(app, "cgw")) \
        == "dispatched"
    with app.app_context():
        assert db.session.scalar(select(Case.state).where(Case.number == number)) == "dispatched"
    assert PHONE.startswith("+86")


def test_a_redo_goes_back_to_what_each_department_had_done(app):
    """The lead handles again; a co-handler that never signed is still asked to sign, not marked signed."""
    number = new_case(app)
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "cgw"),
         co_department_ids=[dept(app, "zjw")])
    step(app, number, "cgw-staff", "sign")
    step(app, number, "cgw-staff", "reply", text="已处理", resolved=True)
    step(app, number, "dispatcher", "review-reply", decision="approve")
    step(app, number, "operator", "callback", satisfaction="basically", resolved=False)
    assert step(app, number, "dispatcher", "redo", note="问题未解决") == "in_progress"
    seen = look(app, number)
    assert [(a["code"], a["status"], a["signed_by_id"]) for a in seen.assignments] == [
        ("cgw", "signed", seen.event_rows[2]["actor_id"]), ("zjw", "pending", None)]
    assert step(app, number, "zjw-staff", "sign") == "in_progress"


def test_a_pending_extension_lapses_when_the_case_is_returned(app):
    number = new_case(app)
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "cgw"))
    step(app, number, "cgw-staff", "sign")
    step(app, number, "cgw-staff", "request-extension", days=5, reason="需协调")
    step(app, number, "cgw-staff", "return", reason="应由住建委办理")
    step(app, number, "dispatcher", "review-return", decision="uphold")
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "zjw"))
    step(app, number, "zjw-staff", "sign")
    seen = look(app, number)
    assert seen.case["extension_status"] is None and seen.case["extension_days"] == 5  # the request stays on record
    assert step(app, number, "zjw-staff", "request-extension", days=2, reason="需现场核查") == "in_progress"


def test_a_citizen_who_filed_in_english_gets_the_sms_in_english_whoever_acts(app, client):
    """The SMS follows the citizen's language, not the language of the operator's screen."""
    from hotline.models import SmsMessage
    from tests.helpers import case_number_from, complaint, file_complaint

    client.get("/language/en")
    number = case_number_from(file_complaint(client, complaint(app)))
    with app.app_context():
        body = db.session.scalar(select(SmsMessage.body).where(SmsMessage.purpose == "ack"))
    assert body.startswith("[Jiangchuan 12345]") and number in body


def test_a_return_is_refused_once_the_return_window_has_passed(app):
    """DOMAIN.md §2: a department returns a case within 2 working days of dispatch, not later."""
    import pytest as _pytest

    from hotline.domain.errors import Conflict
    from tests.integration.lifecycle_helpers import local

    dispatched_on = local(2026, 11, 23, 10)  # a Monday: the window ends Wednesday 23:59:59
    number = new_case(app, at=dispatched_on)
    step(app, number, "dispatcher", "dispatch", at=dispatched_on, lead_department_id=dept(app, "cgw"))
    with _pytest.raises(Conflict) as refused:
        step(app, number, "cgw-staff", "return", at=local(2026, 11, 26, 9), reason="不属于本单位职责")
    assert refused.value.code == "return_window_closed"
    assert step(app, number, "cgw-staff", "return", at=local(2026, 11, 25, 23, 59), reason="不属于本单位职责") \
        == "returned"
