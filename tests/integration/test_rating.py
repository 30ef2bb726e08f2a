"""Rating the answer on the tracking page (回访), and asking for the case to be handled again (重办) when unhappy,
within the callback window; the page and the SMS rating agree."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import Case
from hotline.services import system_users
from tests.helpers import hidden_value
from tests.integration.lifecycle_helpers import PHONE, dept, look, new_case, step
from tests.integration.track_helpers import csrf, events, in_english, page, post_form, rate, sign_in
from tests.integration.twilio_helpers import replied_and_reviewed, text


@pytest.fixture
def client(app):
    """A visitor who reads English: the words asserted below, whatever the Chinese catalogue holds."""
    visitor = app.test_client()
    in_english(visitor)
    return visitor


@pytest.fixture
def answered(app, client):
    """A case of PHONE whose answer the centre approved: awaiting the rating; its citizen is signed in."""
    number = replied_and_reviewed(app)
    sign_in(client, app, PHONE)
    return number


def portal_name(app) -> str:
    with app.app_context():
        return system_users.get(db.session, system_users.PORTAL).display_name


def test_satisfied_and_resolved_closes_the_case(app, client, answered):
    html = page(client, answered).get_data(as_text=True)
    assert "已责令夜间停工" in html and 'name="satisfaction"' in html
    response = rate(client, answered, "satisfied", "yes", "处理及时，谢谢")
    assert response.status_code == 303
    seen = look(app, answered)
    assert seen.state == "closed"
    assert seen.events[-1] == (portal_name(app), "callback", "replied", "closed")
    assert portal_name(app) == "市民网上评价"
    assert seen.event_rows[-1]["note"] == "处理及时，谢谢"
    shown = client.get(f"/track/case/{answered}").get_data(as_text=True)
    assert "Thank you. Your rating has been recorded." in shown and "Satisfied" in shown
    assert 'name="satisfaction"' not in shown and "Should the department handle it again?" not in shown
    assert "Your words: 处理及时，谢谢" in shown


def test_dissatisfied_then_reopened_goes_back_to_the_department(app, client, answered):
    response = rate(client, answered, "dissatisfied", "no", "晚上还在施工")
    assert response.status_code == 303 and response.headers["Location"].endswith("#reopen")
    assert look(app, answered).state == "replied"
    html = page(client, answered).get_data(as_text=True)
    assert "Should the department handle it again?" in html and re.search(r">\s*晚上还在施工</textarea>", html)
    assert "You may ask for it to be handled again until" in html
    response = post_form(client, answered, "reopen", comment="晚上十一点以后仍在施工，请再次处理")
    assert response.status_code == 303
    seen = look(app, answered)
    assert (seen.state, seen.case["redo_count"]) == ("in_progress", 1)
    assert seen.events[-1] == ("市民网上评价", "redo", "replied", "in_progress")
    assert seen.event_rows[-1]["note"] == "晚上十一点以后仍在施工，请再次处理"  # the department reads their words
    html = client.get(f"/track/case/{answered}").get_data(as_text=True)
    assert "goes back to the department" in html and "Sent back to be handled again" in html
    assert "Should the department handle it again?" not in html and "Being handled" in html

    # the department answers again; the citizen rates the new answer
    step(app, answered, "cgw-staff", "reply", text="已现场复查，施工单位已停止夜间施工。", resolved=True)
    step(app, answered, "dispatcher", "review-reply", decision="approve")
    assert "已现场复查" in page(client, answered).get_data(as_text=True)
    assert rate(client, answered, "basically", "yes").status_code == 303
    assert look(app, answered).state == "closed"


def test_resolved_but_dissatisfied_and_satisfied_but_unresolved_both_offer_a_redo(app, client):
    for satisfaction, resolved in (("dissatisfied", "yes"), ("satisfied", "no")):
        number = replied_and_reviewed(app)
        sign_in(client, app, PHONE)
        rate(client, number, satisfaction, resolved)
        assert "Should the department handle it again?" in page(client, number).get_data(as_text=True)


def test_reopening_needs_a_reason_and_keeps_what_was_typed(app, client, answered):
    rate(client, answered, "dissatisfied", "no")
    response = post_form(client, answered, "reopen", comment="  ")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="comment-msg"' in html and "still wrong" in html
    assert look(app, answered).state == "replied"
    response = post_form(client, answered, "reopen", comment="<script>alert(1)</script>")
    assert response.status_code == 422 and "&lt;script&gt;" in response.get_data(as_text=True)
    assert look(app, answered).state == "replied"


def test_a_rating_with_a_missing_choice_says_so_and_keeps_the_comment(app, client, answered):
    html = page(client, answered).get_data(as_text=True)
    response = client.post(f"/track/case/{answered}/rate", data={
        "csrf_token": hidden_value(html, "csrf_token"), "version": hidden_value(html, "version"),
        "resolved": "no", "comment": "噪音依旧"})
    shown = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="satisfaction-msg"' in shown
    assert re.search(r">\s*噪音依旧</textarea>", shown)
    assert re.search(r'value="no"[^>]*checked|checked[^>]*value="no"', shown)
    assert look(app, answered).case["callback_satisfaction"] is None


def test_a_rating_sent_twice_is_recorded_once(app, client, answered):
    html = page(client, answered).get_data(as_text=True)
    form = {"csrf_token": hidden_value(html, "csrf_token"), "version": hidden_value(html, "version"),
            "satisfaction": "dissatisfied", "resolved": "no", "comment": ""}
    assert client.post(f"/track/case/{answered}/rate", data=form).status_code == 303
    again = client.post(f"/track/case/{answered}/rate", data=form, follow_redirects=True)
    assert "already been rated" in again.get_data(as_text=True)
    assert [e.action for e in events(app, answered)].count("callback") == 1


def test_a_page_read_before_the_case_changed_does_not_rate_the_new_state(app, client, answered):
    html = page(client, answered).get_data(as_text=True)
    step(app, answered, "supervisor", "supervise", note="督办")  # the case changes while the page is open
    response = client.post(f"/track/case/{answered}/rate", data={
        "csrf_token": hidden_value(html, "csrf_token"), "version": hidden_value(html, "version"),
        "satisfaction": "satisfied", "resolved": "yes"}, follow_redirects=True)
    assert "The case has changed since you opened the page." in response.get_data(as_text=True)
    assert look(app, answered).state == "replied"
    assert rate(client, answered, "satisfied", "yes").status_code == 303  # read again, rated


def test_a_rating_by_sms_shows_on_the_page_and_offers_the_redo(app, client, answered):
    text(client, app, "3")
    html = page(client, answered).get_data(as_text=True)
    assert "Dissatisfied" in html and 'name="satisfaction"' not in html
    assert "Should the department handle it again?" in html
    assert post_form(client, answered, "reopen", comment="短信评价不满意：仍然很吵").status_code == 303
    assert look(app, answered).state == "in_progress"


def test_after_the_callback_window_nothing_can_be_rated_or_reopened(app, client):
    long_ago = datetime.now(UTC) - timedelta(days=20)
    number = new_case(app, at=long_ago)
    step(app, number, "dispatcher", "dispatch", at=long_ago, lead_department_id=dept(app, "cgw"),
         co_department_ids=[])
    step(app, number, "cgw-staff", "sign", at=long_ago + timedelta(hours=1))
    step(app, number, "cgw-staff", "reply", at=long_ago + timedelta(hours=2), text="已处理", resolved=True)
    step(app, number, "dispatcher", "review-reply", at=long_ago + timedelta(hours=3), decision="approve")
    sign_in(client, app, PHONE)
    html = page(client, number).get_data(as_text=True)
    assert 'name="satisfaction"' not in html and 'data-due="callback"' not in html
    response = client.post(f"/track/case/{number}/rate", data={
        "csrf_token": csrf(client), "satisfaction": "dissatisfied", "resolved": "no"},
        follow_redirects=True)
    assert "is over" in response.get_data(as_text=True)
    assert look(app, number).case["callback_satisfaction"] is None

    step(app, number, "operator", "callback", at=long_ago + timedelta(hours=4), satisfaction="dissatisfied",
         resolved=False)
    html = page(client, number).get_data(as_text=True)
    assert "Should the department handle it again?" not in html
    response = post_form(client, number, "reopen", comment="还是不行")
    assert response.status_code == 303 and look(app, number).state == "replied"


def test_nobody_else_can_rate_or_reopen(app, answered):
    stranger = app.test_client()
    in_english(stranger)
    html = stranger.get("/track").get_data(as_text=True)
    response = stranger.post(f"/track/case/{answered}/rate", data={
        "csrf_token": hidden_value(html, "signin-csrf_token"), "satisfaction": "satisfied", "resolved": "yes"})
    assert response.status_code == 302 and "/track?number=" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(Case.callback_satisfaction).where(Case.number == answered)) is None


def test_the_list_invites_to_rate(app, client, answered):
    html = client.get("/track/cases").get_data(as_text=True)
    assert "Read the answer and rate it" in html and f"/track/case/{answered}#rate" in html
