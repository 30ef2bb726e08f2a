"""A citizen on a phone (390 × 844) signs in with the code from the SMS, finds the answered case, rates it dissatisfied
and asks for it to be handled again; the pages fit a phone's width, and a 320 px one."""
from __future__ import annotations

from tests.browser.conftest import fits_the_screen, shot
from tests.integration.lifecycle_helpers import PHONE, look
from tests.integration.track_helpers import newest_code
from tests.integration.twilio_helpers import replied_and_reviewed


def test_a_citizen_tracks_the_case_rates_it_dissatisfied_and_reopens_it(app, live_server, phone):
    number = replied_and_reviewed(app)
    page = phone
    page.goto(f"{live_server}/")
    with page.expect_navigation():
        page.click(".hero-actions a[href='/track']")
    assert fits_the_screen(page)
    shot(page, "track-01-start-phone")

    page.fill("#signin-phone", "138 1234 5678")
    with page.expect_navigation():
        page.click("form[action='/track/sign-in'] button[type=submit]")
    assert page.url.endswith("/track/code")
    page.fill("#code", newest_code(app, PHONE))
    shot(page, "track-02-code-phone")
    with page.expect_navigation():
        page.click("form[action='/track/code'] button[type=submit]")
    assert page.url.endswith("/track/cases")
    assert fits_the_screen(page)
    shot(page, "track-03-my-cases-phone")

    with page.expect_navigation():
        page.click(f".my-case[data-number='{number}'] a.btn")
    assert "已责令夜间停工" in page.inner_text(".track-rate .answer-text")
    assert page.get_attribute(".case-head .state", "data-status") == "answered"
    assert fits_the_screen(page)
    shot(page, "track-04-answer-to-rate-phone")

    page.check("input[name=satisfaction][value=dissatisfied]")
    page.check("input[name=resolved][value=no]")
    page.fill("#comment", "晚上十一点以后还在施工")
    with page.expect_navigation():
        page.click(".track-rate button[type=submit]")
    assert page.input_value(".track-reopen #comment") == "晚上十一点以后还在施工"
    assert page.get_attribute(".case-head .state", "data-status") == "rated"
    assert fits_the_screen(page)
    shot(page, "track-05-reopen-phone")

    page.fill(".track-reopen #comment", "晚上十一点以后还在施工，请再次处理")
    with page.expect_navigation():
        page.click(".track-reopen button[type=submit]")
    assert page.get_attribute(".case-head .state", "data-status") == "in_progress"
    assert page.locator(".public-timeline li[data-step=reopened]").count() == 1
    assert look(app, number).state == "in_progress"
    shot(page, "track-06-reopened-phone")

    page.set_viewport_size({"width": 320, "height": 640})
    assert fits_the_screen(page)
    page.goto(f"{live_server}/track/cases")
    assert fits_the_screen(page)
    page.goto(f"{live_server}/track")
    assert fits_the_screen(page)
    shot(page, "track-07-start-320")


def test_opening_one_case_by_its_number_on_a_phone(app, live_server, phone):
    number = replied_and_reviewed(app)
    page = phone
    page.goto(f"{live_server}/track")
    page.fill("#open-number", number)
    with page.expect_navigation():
        page.click("form[action='/track/open'] button[type=submit]")
    page.fill("#code", "000000" if newest_code(app, PHONE) != "000000" else "111111")
    with page.expect_navigation():
        page.click("form[action='/track/code'] button[type=submit]")
    assert page.locator("#code-msg").is_visible()  # a wrong code, said next to the field
    assert fits_the_screen(page)
    shot(page, "track-08-wrong-code-phone")
    page.fill("#code", newest_code(app, PHONE))
    with page.expect_navigation():
        page.click("form[action='/track/code'] button[type=submit]")
    assert page.inner_text(".case-head h1") == number
    assert page.locator(".public-timeline li").count() >= 4
