"""Tracking one's cases: signing in with a phone and an SMS code, opening one case by its number and a code sent to
the case's phone. No answer tells a visitor whether a number has cases or a case number exists."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hotline.domain.kinds import Channel, Kind, Track
from hotline.extensions import db
from hotline.services import intake
from tests.helpers import hidden_value, some_category_and_area
from tests.integration.lifecycle_helpers import PHONE, new_case
from tests.integration.track_helpers import (
    access_log,
    ask_case,
    ask_sign_in,
    codes_sent,
    enter_code,
    in_english,
    newest_code,
    open_case,
    page,
    sign_in,
)

OTHER = "+8613900002222"
NOBODY = "+8613700003333"


def visitor(app):
    """A visitor who reads English: the words asserted below, whatever the Chinese catalogue holds."""
    new = app.test_client()
    in_english(new)
    return new


@pytest.fixture
def client(app):
    return visitor(app)


def test_signing_in_shows_all_cases_of_the_number_newest_first(app, client):
    older = new_case(app, at=datetime.now(UTC) - timedelta(days=3))
    newer = new_case(app)
    someone_elses = new_case(app, phone=OTHER)
    response = sign_in(client, app, PHONE, typed="138 1234 5678")
    assert response.status_code == 303 and response.headers["Location"].endswith("/track/cases")
    listing = client.get("/track/cases")
    html = listing.get_data(as_text=True)
    assert listing.status_code == 200 and listing.headers["Cache-Control"] == "no-store"
    assert html.index(newer) < html.index(older) and someone_elses not in html
    assert "+86138****5678" in html and "王小明" not in html  # the number masked, as it is in the log


def test_each_portal_sign_in_is_in_the_access_log(app, client):
    sign_in(client, app, PHONE)
    entries = [e for e in access_log(app) if e.action == "portal_sign_in"]
    assert len(entries) == 1
    assert (entries[0].user_id, entries[0].detail, entries[0].ip) == (None, "+86138****5678", "127.0.0.1")


def test_a_number_without_cases_gets_the_same_answer_and_a_code(app, client):
    new_case(app)
    with_cases = ask_sign_in(client, "13812345678")
    shown_with = client.get("/track/code").get_data(as_text=True)
    without = ask_sign_in(visitor(app), "13700003333")
    assert (with_cases.status_code, with_cases.headers["Location"]) == \
        (without.status_code, without.headers["Location"])
    assert newest_code(app, PHONE) and newest_code(app, NOBODY)  # both get a code: the SMS is the same either way
    assert "5678" in shown_with  # the page names only the number the visitor typed
    response = sign_in(client := visitor(app), app, NOBODY)
    assert response.status_code == 303
    assert "No cases were filed with this number." in client.get("/track/cases").get_data(as_text=True)


def test_a_wrong_code_is_refused_next_to_the_field_and_five_wrong_ones_kill_the_code(app, client):
    new_case(app)
    ask_sign_in(client, PHONE)
    right = newest_code(app, PHONE)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = enter_code(client, wrong)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="code-msg"' in html and "not right" in html
    for _ in range(4):
        enter_code(client, wrong)
    assert enter_code(client, right).status_code == 422
    assert client.get("/track/cases").status_code == 302  # not signed in


def test_a_malformed_code_or_number_says_what_is_wrong(app, client):
    ask_sign_in(client, PHONE)
    response = enter_code(client, "12ab")
    assert response.status_code == 422 and "6 digits" in response.get_data(as_text=True)
    response = ask_case(client, "hello")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "12345-20261127-000123" in html and 'value="hello"' in html


def test_a_landline_cannot_get_a_code(app, client):
    response = ask_sign_in(client, "0999-81234567")
    assert response.status_code == 422 and "mobile" in response.get_data(as_text=True)
    assert codes_sent(app) == 0


def test_too_many_codes_to_one_number(app, client):
    for _ in range(3):  # HOTLINE_RATE_CODES: 3 per 10 minutes
        assert ask_sign_in(client, PHONE).status_code == 303
    response = ask_sign_in(client, PHONE)
    assert response.status_code == 429 and "Too many codes" in response.get_data(as_text=True)
    assert codes_sent(app) == 3


def test_code_requests_are_rate_limited_per_visitor(app, client):
    before, app.config["HOTLINE_RATE_CODE_REQUESTS"] = app.config["HOTLINE_RATE_CODE_REQUESTS"], "2 per hour"
    try:
        assert ask_sign_in(client, PHONE).status_code == 303
        assert ask_case(client, "12345-20260101-000001").status_code == 303  # one budget for every kind of code
        assert ask_sign_in(client, OTHER).status_code == 429
    finally:
        app.config["HOTLINE_RATE_CODE_REQUESTS"] = before


def test_opening_a_case_by_number_and_code(app, client):
    number = new_case(app)
    response = open_case(client, app, number.lower(), PHONE)  # typed in lower case
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/track/case/{number}")
    shown = page(client, number)
    assert shown.status_code == 200 and number in shown.get_data(as_text=True)
    assert shown.headers["Cache-Control"] == "no-store"
    opened = [e for e in access_log(app) if e.action == "portal_open_case"]
    assert len(opened) == 1 and opened[0].user_id is None and opened[0].case_id is not None
    assert client.get("/track/cases").status_code == 302  # one case opened is not signing in


def test_an_unknown_number_gets_the_same_page_and_no_code(app, client):
    number = new_case(app)
    known = ask_case(client, number)
    known_page = client.get("/track/code").get_data(as_text=True)
    unknown_number = number[:-1] + ("2" if number[-1] != "2" else "3")
    stranger = visitor(app)
    unknown = ask_case(stranger, unknown_number)
    unknown_page = stranger.get("/track/code").get_data(as_text=True)
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    assert _without_tokens(known_page.replace(number, "N")) == \
        _without_tokens(unknown_page.replace(unknown_number, "N"))
    assert codes_sent(app) == 1
    assert enter_code(stranger, "123456").status_code == 422


def test_an_anonymous_case_cannot_be_opened_and_the_page_does_not_say_so(app, client):
    category_id, area_id = some_category_and_area(app)
    with app.test_request_context():
        anonymous = intake.register(db.session, intake.NewCase(
            track=Track.HOTLINE, kind=Kind.SUGGESTION, channel=Channel.WEB, description="建议在公园增设长椅供老人休息",
            category_id=category_id, area_id=area_id, phone=PHONE, anonymous=True),
            intake.Context(now=datetime.now(UTC), timezone="Asia/Shanghai", locale="zh")).number
    named = new_case(app)
    stranger = visitor(app)
    assert ask_case(client, anonymous).status_code == ask_case(stranger, named).status_code == 303
    assert _without_tokens(client.get("/track/code").get_data(as_text=True).replace(anonymous, "N")) == \
        _without_tokens(stranger.get("/track/code").get_data(as_text=True).replace(named, "N"))
    assert codes_sent(app) == 1  # only the named case's phone
    sign_in(client, app, PHONE)
    listing = client.get("/track/cases").get_data(as_text=True)
    assert named in listing and anonymous not in listing  # an anonymous case keeps no number to find it by


def test_too_many_codes_for_a_case_are_not_told_either(app, client):
    number = new_case(app)
    for _ in range(4):
        assert ask_case(client, number).status_code == 303
    assert codes_sent(app) == 3


def test_a_case_is_shown_only_to_whoever_proved_its_phone(app, client):
    mine, theirs = new_case(app), new_case(app, phone=OTHER)
    assert page(client, mine).status_code == 302  # not signed in: to the form that opens it, same for any number
    assert page(client, "12345-20990101-999999").headers["Location"] == \
        page(client, mine).headers["Location"].replace(mine, "12345-20990101-999999")
    sign_in(client, app, PHONE)
    assert page(client, mine).status_code == 200
    response = page(client, theirs)
    assert response.status_code == 302 and "/track?number=" in response.headers["Location"]
    assert OTHER[-4:] not in client.get("/track/cases").get_data(as_text=True)


def test_a_signed_in_citizen_opens_their_own_case_without_another_code(app, client):
    number = new_case(app)
    sign_in(client, app, PHONE)
    before = codes_sent(app)
    response = ask_case(client, number)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/track/case/{number}")
    assert codes_sent(app) == before


def test_a_new_code_only_after_a_minute_and_only_the_newest_works(app, client):
    ask_sign_in(client, PHONE)
    first = newest_code(app, PHONE)
    html = client.get("/track/code").get_data(as_text=True)
    response = client.post("/track/code/resend", data={"resend-csrf_token": hidden_value(html, "resend-csrf_token")},
                           follow_redirects=True)
    assert "Please wait" in response.get_data(as_text=True) and codes_sent(app) == 1
    with client.session_transaction() as held:
        held["citizen_code"] = {**held["citizen_code"],
                                "sent_at": (datetime.now(UTC) - timedelta(seconds=61)).isoformat()}
    html = client.get("/track/code").get_data(as_text=True)
    response = client.post("/track/code/resend", data={"resend-csrf_token": hidden_value(html, "resend-csrf_token")},
                           follow_redirects=True)
    assert "A new code is on its way" in response.get_data(as_text=True) and codes_sent(app) == 2
    second = newest_code(app, PHONE)
    if second != first:
        assert enter_code(client, first).status_code == 422
    assert enter_code(client, second).status_code == 303


def test_signing_out(app, client):
    new_case(app)
    sign_in(client, app, PHONE)
    html = client.get("/track/cases").get_data(as_text=True)
    client.post("/track/sign-out", data={"csrf_token": hidden_value(html, "csrf_token")})
    assert client.get("/track/cases").status_code == 302


def test_the_code_page_without_a_pending_code_goes_back(client):
    assert client.get("/track/code").headers["Location"].endswith("/track")


def test_forms_need_their_csrf_token(app, client):
    assert client.post("/track/sign-in", data={"signin-phone": PHONE}).status_code == 400
    assert client.post("/track/open", data={"open-number": "12345-20260101-000001"}).status_code == 400
    assert codes_sent(app) == 0


def _without_tokens(html: str) -> str:
    import re
    return re.sub(r'name="[\w-]*csrf_token"[^>]*value="[^"]*"', "", html)
