"""The code that proves the phone before a complaint is filed: it expires, dies after too many wrong tries, comes
again only after a pause, and is limited per number and per visitor."""
from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from hotline.clock import now
from hotline.extensions import db
from hotline.models import Case, FilingDraft
from tests.helpers import complaint, hidden_value
from tests.integration.filing_helpers import codes_sent, enter_code, open_form, post_form, sent_code

PHONE = "+8613812345678"


def cases(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Case))


def resend(client, verify_url: str):
    page = client.get(verify_url).get_data(as_text=True)
    return client.post(f"{verify_url}/resend", data={"csrf_token": hidden_value(page, "csrf_token")})


def test_an_expired_code_is_refused_and_a_new_one_works(app, client):
    client.get("/language/en")
    start = now()
    with time_machine.travel(start, tick=False):
        sent = post_form(client, complaint(app))
        url = sent.headers["Location"]
        code = sent_code(app, PHONE)
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        late = enter_code(client, url, code)
        assert late.status_code == 422 and "This code has expired" in late.get_data(as_text=True)
        assert resend(client, url).status_code == 302
        assert codes_sent(app, PHONE) == 2
        done = enter_code(client, url, sent_code(app, PHONE))
        assert done.headers["Location"].startswith("/filed/") and cases(app) == 1


def test_too_many_wrong_tries_kill_the_code(app, client):
    client.get("/language/en")
    sent = post_form(client, complaint(app))
    url, code = sent.headers["Location"], sent_code(app, PHONE)
    wrong = "000000" if code != "000000" else "111111"
    answers = [enter_code(client, url, wrong) for _ in range(5)]
    assert all(a.status_code == 422 for a in answers)
    right_too_late = enter_code(client, url, code)
    assert right_too_late.status_code == 422
    assert "Too many wrong tries" in right_too_late.get_data(as_text=True)
    assert cases(app) == 0


def test_a_malformed_code_is_explained_without_using_a_try(app, client):
    client.get("/language/en")
    sent = post_form(client, complaint(app))
    response = enter_code(client, sent.headers["Location"], "12ab")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "The code has 6 digits." in html.split('id="code"', 1)[1]
    done = enter_code(client, sent.headers["Location"], " ".join(sent_code(app, PHONE)))  # typed with spaces
    assert done.headers["Location"].startswith("/filed/")


def test_a_new_code_comes_only_after_a_pause_and_replaces_the_old_one(app, client):
    client.get("/language/en")
    start = now()
    with time_machine.travel(start, tick=False):
        sent = post_form(client, complaint(app))
        url, first = sent.headers["Location"], sent_code(app, PHONE)
        page = client.get(url).get_data(as_text=True)
        assert 'data-wait="60"' in page  # the page counts down the same pause
        early = resend(client, url)
        assert early.status_code == 429 and "Please wait" in early.get_data(as_text=True)
        assert codes_sent(app, PHONE) == 1
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        again = resend(client, url)
        assert again.status_code == 302 and again.headers["Location"] == url
        assert "We have sent a new code." in client.get(url).get_data(as_text=True)
        assert codes_sent(app, PHONE) == 2
        second = sent_code(app, PHONE)
        if first != second:
            assert enter_code(client, url, first).status_code == 422  # the old code no longer counts
        assert enter_code(client, url, second).headers["Location"].startswith("/filed/")


def test_codes_per_visitor_are_limited_and_only_codes_sent_count(app, client):
    app.config["HOTLINE_RATE_CODE_REQUESTS"] = "2 per hour"
    try:
        assert post_form(client, complaint(app, description="")).status_code == 422  # no code: not counted
        first = post_form(client, complaint(app, phone="139 0000 0001"))
        second = post_form(client, complaint(app, phone="139 0000 0002"))
        third = post_form(client, complaint(app, phone="139 0000 0003"))
    finally:
        app.config["HOTLINE_RATE_CODE_REQUESTS"] = "10 per hour;30 per day"
    assert [first.status_code, second.status_code, third.status_code] == [302, 302, 429]
    assert codes_sent(app, "+8613900000003") == 0


def test_codes_per_number_are_limited_and_the_form_says_so_next_to_the_phone(app):
    statuses = []
    for _ in range(4):  # four people (or one, four times) each starting a new form for the same number
        browser = app.test_client()
        browser.get("/language/en")
        statuses.append(post_form(browser, complaint(app)))
    assert [r.status_code for r in statuses] == [302, 302, 302, 429]
    block = statuses[-1].get_data(as_text=True).split('id="phone"', 1)[1].split('class="field', 1)[0]
    assert "Too many codes were sent to this number lately" in block
    assert codes_sent(app, PHONE) == 3


def test_a_draft_left_too_long_expires_and_nothing_is_filed(app, client):
    start = now()
    with time_machine.travel(start, tick=False):
        sent = post_form(client, complaint(app))
        code = sent_code(app, PHONE)
    client.get("/language/en")
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        page = client.get(sent.headers["Location"])
        assert page.status_code == 404 and "/file" in page.get_data(as_text=True)
        form = open_form(client)
        late = client.post(sent.headers["Location"], data={"csrf_token": form["csrf_token"], "code": code})
        assert late.status_code == 404 and "This form has expired" in late.get_data(as_text=True)
    assert cases(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FilingDraft)) == 1  # until purged


def test_filing_is_rate_limited_per_address(app, client):
    app.config["HOTLINE_RATE_FILE"] = "2 per hour"
    try:
        codes = [post_form(client, complaint(app, description="")).status_code for _ in range(3)]
    finally:
        app.config["HOTLINE_RATE_FILE"] = "10 per hour;30 per day"
    assert codes == [422, 422, 429]
