"""Bad input is explained next to the field and kept as typed, with nothing written (422); a case changed by
someone else meanwhile is refused with who and when (409), and what was typed survives to be sent again."""
from __future__ import annotations

import re

from tests.helpers import act, department_id, dispatch, make_user
from tests.integration.test_screens_support import (
    action_form,
    case_row,
    display_name,
    event_count,
    html_of,
    offered,
    post_action,
    register_case,
    signed_in,
    typed_value,
)


def words(app, field: str, code: str, action: str = "") -> str:
    """The message as the page shows it, in the page's language."""
    from markupsafe import escape

    from hotline.web import field_errors

    with app.test_request_context():
        return str(escape(field_errors.message(field, code, action)))


def error_of(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{field_id}-msg" role="alert">(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else ""


def in_progress_case(app) -> str:
    number = register_case(app)
    dispatch(app, number, "dh-cgj")
    act(app, number, "dh-cgj-staff", "sign")
    return number


def test_a_reply_without_text_or_answer_is_explained_and_nothing_is_written(app):
    number = in_progress_case(app)
    before = (case_row(app, number).version, event_count(app, number))
    staff = signed_in(app, "dh-cgj-staff")
    response = post_action(staff, number, "reply", text="   ")
    assert response.status_code == 422
    html = html_of(response)
    assert error_of(html, "reply-text") == words(app, "text", "required", "reply")
    assert error_of(html, "reply-resolved") == words(app, "resolved", "required", "reply")
    assert re.search(r'<details class="action action-reply" id="action-reply" open>', html)
    assert (case_row(app, number).version, event_count(app, number)) == before
    assert case_row(app, number).state == "in_progress"


def test_an_extension_out_of_range_keeps_what_was_typed(app):
    number = in_progress_case(app)
    before = (case_row(app, number).version, event_count(app, number))
    staff = signed_in(app, "dh-cgj-staff")
    response = post_action(staff, number, "request-extension", days="15", reason="需要协调市住建委共同处理")
    assert response.status_code == 422
    form = action_form(html_of(response), number, "request-extension")
    assert error_of(form, "request-extension-days") == words(app, "days", "out_of_range")
    assert typed_value(form, "request-extension-days") == "15"
    assert typed_value(form, "request-extension-reason") == "需要协调市住建委共同处理"
    assert (case_row(app, number).version, event_count(app, number)) == before
    assert case_row(app, number).extension_status is None

    response = post_action(staff, number, "request-extension", days="abc", reason="")
    form = action_form(html_of(response), number, "request-extension")
    assert error_of(form, "request-extension-days") == words(app, "days", "not_a_number")
    assert error_of(form, "request-extension-reason") == words(app, "reason", "required")


def test_a_dispatch_with_the_lead_also_as_co_handler_is_explained(app):
    number = register_case(app)
    dispatcher = signed_in(app, "dispatcher")
    lead = str(department_id(app, "dh-cgj"))
    response = post_action(dispatcher, number, "dispatch", lead_department_id=lead, co_department_ids=[lead],
                           note="注意夜间施工")
    assert response.status_code == 422
    form = action_form(html_of(response), number, "dispatch")
    assert error_of(form, "dispatch-co_department_ids") == words(app, "co_department_ids", "same_department")
    assert re.search(rf'<option selected value="{lead}">', form) or re.search(rf'value="{lead}" selected', form)
    assert typed_value(form, "dispatch-note") == "注意夜间施工"
    assert case_row(app, number).state == "registered"


def test_merging_into_a_case_that_does_not_exist_is_explained(app):
    number = register_case(app)
    dispatcher = signed_in(app, "dispatcher")
    response = post_action(dispatcher, number, "merge", into="12345-20000101-000001")
    assert response.status_code == 422
    form = action_form(html_of(response), number, "merge")
    assert error_of(form, "merge-into") == words(app, "into", "unknown")
    assert case_row(app, number).state == "registered"


def test_a_refused_return_needs_a_note(app):
    number = register_case(app)
    dispatch(app, number, "dh-cgj")
    act(app, number, "dh-cgj-staff", "return", reason="不属于本单位")
    dispatcher = signed_in(app, "dispatcher")
    page = html_of(dispatcher.get(f"/cases/{number}"))
    assert "不属于本单位" in action_form(page, number, "review-return")  # the reason, next to the decision
    response = post_action(dispatcher, number, "review-return", page=page, decision="refuse")
    assert response.status_code == 422
    form = action_form(html_of(response), number, "review-return")
    assert error_of(form, "review-return-note") == words(app, "note", "required", "review-return")
    assert 'checked id="review-return-decision-1"' in form or re.search(r'value="refuse"[^>]*checked|checked[^>]*'
                                                                        r'value="refuse"', form)


def test_signing_a_case_someone_just_signed_names_who_and_when(app):
    number = register_case(app)
    dispatch(app, number, "dh-cgj")
    make_user(app, "dh-cgj-li", "a long enough password", role="staff", department_id=department_id(app, "dh-cgj"))
    from tests.helpers import login

    second = app.test_client()
    login(second, "dh-cgj-li", "a long enough password")
    page = html_of(second.get(f"/cases/{number}"))
    act(app, number, "dh-cgj-staff", "sign")  # the colleague was quicker

    response = post_action(second, number, "sign", page=page)
    assert response.status_code == 409
    html = html_of(response)
    assert display_name(app, "dh-cgj-staff") in html  # 东湖区城管执法局承办人
    assert 'class="flash flash-error"' in html
    assert event_count(app, number) == 3  # register, dispatch, one sign


def test_a_reply_sent_after_someone_else_changed_the_case_is_kept_and_can_be_sent_again(app):
    number = in_progress_case(app)
    staff = signed_in(app, "dh-cgj-staff")
    page = html_of(staff.get(f"/cases/{number}"))
    act(app, number, "supervisor", "urge", note="请尽快答复")  # the case moved on while the reply was typed

    response = post_action(staff, number, "reply", page=page, text="已安排维修，今晚恢复照明。", resolved="yes")
    assert response.status_code == 409
    html = html_of(response)
    assert display_name(app, "supervisor") in html
    form = action_form(html, number, "reply")
    assert typed_value(form, "reply-text") == "已安排维修，今晚恢复照明。"
    assert case_row(app, number).state == "in_progress"

    again = post_action(staff, number, "reply", page=html, text=typed_value(form, "reply-text"), resolved="yes")
    assert again.status_code == 302
    assert case_row(app, number).state == "replied"


def test_a_department_cannot_act_on_another_departments_case(app):
    number = in_progress_case(app)
    other = signed_in(app, "xs-cgj-staff")
    own = signed_in(app, "dh-cgj-staff")
    page = html_of(own.get(f"/cases/{number}"))
    form = action_form(page, number, "reply")
    from tests.helpers import hidden_value

    data = {"reply-csrf_token": hidden_value(html_of(other.get("/dept/inbox")), "csrf_token"),
            "reply-version": hidden_value(form, "reply-version"), "reply-text": "越权答复", "reply-resolved": "yes"}
    assert other.post(f"/cases/{number}/actions/reply", data=data).status_code == 404
    assert case_row(app, number).state == "in_progress"


def test_a_reply_that_came_too_late_is_still_shown_to_copy(app):
    number = in_progress_case(app)
    make_user(app, "dh-cgj-wang", "a long enough password", role="staff", department_id=department_id(app, "dh-cgj"))
    from tests.helpers import login

    late = app.test_client()
    login(late, "dh-cgj-wang", "a long enough password")
    page = html_of(late.get(f"/cases/{number}"))
    act(app, number, "dh-cgj-staff", "reply", text="已修复。", resolved=True)  # a colleague answered first

    response = post_action(late, number, "reply", page=page, text="我写的另一份答复。", resolved="yes")
    assert response.status_code == 409
    html = html_of(response)
    assert "我写的另一份答复。" in html and 'class="unsent"' in html
    assert "reply" not in offered(html, number)  # nothing to send it with any more
    assert case_row(app, number).reply_text == "已修复。"
