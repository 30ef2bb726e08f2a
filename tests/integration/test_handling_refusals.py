"""Merging duplicates, and everything handling.act refuses: a refused action writes nothing at all."""
from __future__ import annotations

import pytest

from hotline.domain.errors import Conflict, Forbidden, InvalidFields, NotFound
from hotline.extensions import db
from hotline.services.audit import broken_chains
from tests.integration.lifecycle_helpers import dept, display_name, look, new_case, step

OPERATOR = "李娜（话务员）"


def in_progress(app, co: str | None = None) -> str:
    number = new_case(app)
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "cgw"),
         co_department_ids=[dept(app, co)] if co else [])
    step(app, number, "cgw-staff", "sign")
    return number


def test_a_duplicate_is_merged_into_the_open_case(app):
    target, duplicate = in_progress(app), in_progress(app)
    target_before, duplicate_before = look(app, target), look(app, duplicate)
    assert step(app, duplicate, "operator", "merge", into=target.lower(), note="同一工地") == "merged"
    merged, kept = look(app, duplicate), look(app, target)
    assert merged.case["merged_into_id"] == kept.case["id"] and merged.case["closed_at"] is not None
    assert merged.events[-1] == (OPERATOR, "merge", "in_progress", "merged")
    assert merged.event_rows[-1]["data"] == {"into": target}
    assert kept.state == "in_progress"
    assert kept.events[-1] == (OPERATOR, "merged-in", "in_progress", "in_progress")
    assert kept.event_rows[-1]["data"] == {"from": duplicate} and kept.event_rows[-1]["note"] == "同一工地"
    assert (merged.version, kept.version) == (duplicate_before.version + 1, target_before.version + 1)
    assert len(kept.events) == len(target_before.events) + 1
    with app.app_context():
        assert list(broken_chains(db.session)) == []


def state_of_everything(app, *numbers):
    seen = [look(app, n) for n in numbers]
    return [(s.state, s.version, s.events, s.assignments, s.sms, s.jobs, s.case) for s in seen]


def refused(app, numbers, username, action, error, code=None, **fields):
    """The action is refused with `error` (and `code`), and nothing about any of the cases changed."""
    before = state_of_everything(app, *numbers)
    with pytest.raises(error) as exc:
        step(app, numbers[0], username, action, **fields)
    if code:
        assert exc.value.code == code
    assert state_of_everything(app, *numbers) == before
    return exc.value


@pytest.mark.parametrize(("into", "problem"), [("12345-20000101-000001", "unknown"), ("self", "not_open"),
                                                ("closed", "not_open")])
def test_a_merge_into_a_case_that_is_not_open_is_refused(app, into, problem):
    number = in_progress(app)
    if into == "self":
        into = number
    elif into == "closed":
        into = new_case(app)
        step(app, into, "operator", "answer-directly", note="已解答")
    error = refused(app, [number, into] if "-2000" not in into else [number], "operator", "merge",
                    InvalidFields, "fields", into=into)
    assert error.detail == {"into": problem}


def test_a_dispatch_to_an_unknown_department_writes_nothing(app):
    number = new_case(app)
    error = refused(app, [number], "dispatcher", "dispatch", InvalidFields, lead_department_id=999999,
                    co_department_ids=[dept(app, "zjw")])
    assert error.detail == {"lead_department_id": "unknown"}


def test_invalid_fields_write_nothing(app):
    number = in_progress(app)
    error = refused(app, [number], "cgw-staff", "return", InvalidFields, reason="  ")
    assert error.detail == {"reason": "required"}
    error = refused(app, [number], "cgw-staff", "request-extension", InvalidFields, days=11, reason="r")
    assert error.detail == {"days": "out_of_range"}


@pytest.mark.parametrize(("username", "action", "code"), [
    ("operator", "sign", "role"),
    ("admin", "urge", "role"),
    ("dispatcher", "decide-extension", "role"),
    ("cgw-staff", "dispatch", "role"),        # refused for who they are, not for the missing fields
    ("cgw-staff", "terminate", "role"),
    ("zjw-staff", "return", "department"),    # a co-handler does not return the case
    ("zjw-staff", "request-extension", "department"),
])
def test_forbidden_actions_write_nothing(app, username, action, code):
    number = in_progress(app, co="zjw")
    refused(app, [number], username, action, Forbidden, code)


def test_conflicts_write_nothing_and_say_who_changed_the_case_last(app):
    number = new_case(app)
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "cgw"))
    error = refused(app, [number], "cgw-staff", "reply", Conflict, "state", text="已处理", resolved=True)
    assert error.detail["by"] == "周婷（派单员）" and error.detail["action"] == "dispatch"
    step(app, number, "cgw-staff", "sign")
    error = refused(app, [number], "cgw-staff", "sign", Conflict, "already_signed")
    assert error.detail["by"] == display_name(app, "cgw-staff") and error.detail["action"] == "sign"
    assert error.detail["state"] == "in_progress" and error.detail["version"] == 3
    refused(app, [number], "operator", "callback", Conflict, "state", satisfaction="satisfied", resolved=True)
    refused(app, [number], "supervisor", "decide-extension", Conflict, "no_pending_extension")
    refused(app, [number], "dispatcher", "redo", Conflict, "state", note="重办")
    # a refused state is refused before the fields are looked at
    refused(app, [number], "dispatcher", "review-reply", Conflict, "state")


def test_an_extension_is_asked_for_once(app):
    number = in_progress(app)
    step(app, number, "cgw-staff", "request-extension", days=2, reason="需现场勘查")
    step(app, number, "supervisor", "decide-extension", decision="deny", note="理由不足")
    assert look(app, number).case["extension_status"] == "denied"
    refused(app, [number], "cgw-staff", "request-extension", Conflict, "extension_used", days=2, reason="再申请")


def test_a_stale_version_is_refused(app):
    number = in_progress(app)
    version = look(app, number).version
    step(app, number, "operator", "urge", expected_version=version, note="催办")
    error = refused(app, [number], "supervisor", "supervise", Conflict, "stale", expected_version=version,
                    note="督办")
    assert error.detail["version"] == version + 1 and error.detail["action"] == "urge"


def test_another_departments_case_does_not_exist_for_its_staff(app):
    number = in_progress(app, co="zjw")
    refused(app, [number], "jtw-staff", "sign", NotFound, "case")
    refused(app, [number], "jtw-staff", "reply", NotFound, "case", text="x", resolved=True)
    assert step(app, number, "zjw-staff", "sign") == "in_progress"  # the co-handler sees and signs it


def test_an_undispatched_case_does_not_exist_for_departments(app):
    number = new_case(app)
    refused(app, [number], "cgw-staff", "sign", NotFound, "case")


def test_a_returned_case_leaves_the_departments_until_the_review(app):
    number = in_progress(app, co="zjw")
    step(app, number, "cgw-staff", "return", reason="非本单位职责")
    refused(app, [number], "cgw-staff", "sign", NotFound, "case")
    refused(app, [number], "zjw-staff", "sign", NotFound, "case")


def test_unknown_cases_and_actions_are_not_found(app):
    number = new_case(app)
    refused(app, [number], "dispatcher", "fly", NotFound, "action")
    with pytest.raises(NotFound):
        step(app, "12345-20000101-999999", "dispatcher", "urge", note="x")


def test_an_ended_case_takes_no_more_actions(app):
    number = new_case(app)
    step(app, number, "operator", "answer-directly", note="已解答")
    for username, action, fields in [("dispatcher", "dispatch", {"lead_department_id": dept(app, "cgw")}),
                                     ("supervisor", "terminate", {"note": "x"}),
                                     ("operator", "merge", {"into": new_case(app)}),
                                     ("operator", "urge", {"note": "x"})]:
        refused(app, [number], username, action, Conflict, "state", **fields)
