"""A citizen files from a phone: finds the subject by searching, attaches a photo, makes a mistake and keeps
the photo, enters the code texted to them, gets the case number. At 390 and 320 pixels wide, and with the
desktop at 200% zoom, nothing sticks out sideways; no script error on any of the pages."""
from __future__ import annotations

import pytest

from tests.browser.conftest import fits_the_screen, shot
from tests.integration.filing_helpers import phone_photo, sent_code

PHONE = "+8613812345678"


def expected(message) -> bool:
    """A form sent back with its errors (422) and the favicon this site does not have are no script errors."""
    return "UNPROCESSABLE ENTITY" in message.text or message.location.get("url", "").endswith("/favicon.ico")


@pytest.fixture
def errors(phone):
    """Script errors on the page: a page that works but throws is broken."""
    found: list[str] = []
    phone.on("pageerror", lambda exc: found.append(str(exc)))
    phone.on("console", lambda m: found.append(f"{m.text} {m.location}") if m.type == "error" and not expected(m)
             else None)
    return found


def test_a_citizen_files_with_a_photo_and_the_code_on_a_phone(app, live_server, phone, errors, tmp_path):
    page = phone
    photo = tmp_path / "IMG_2041.jpg"
    photo.write_bytes(phone_photo(size=(480, 360)))
    page.goto(f"{live_server}/file")
    assert fits_the_screen(page)
    assert page.locator("#anonymous").is_hidden()  # a complaint cannot be anonymous: not offered
    shot(page, "filing-01-form-phone")

    page.select_option("#kind", "complaint")
    page.fill("#description", "工地每天夜里十一点以后还在施工，噪音很大，影响休息。")
    page.fill("#category-search", "夜间施工")  # a word citizens use, not the subject's name
    results = page.locator("#category-results .suggestion")
    results.first.wait_for()
    assert "建筑施工噪声" in results.first.inner_text()
    results.first.click()
    assert page.locator("#category_id option:checked").inner_text() == "建筑施工噪声"
    assert results.first.get_attribute("aria-pressed") == "true"
    page.select_option("#area_id", label="西湖街道")
    page.fill("#location_text", "西湖路 88 号工地")
    page.set_input_files("#photos", str(photo))
    page.locator("#photo-preview img").wait_for()
    assert "IMG_2041.jpg" in page.inner_text("#photo-preview")
    page.fill("#phone", "138 1234 5678")
    assert fits_the_screen(page)
    shot(page, "filing-02-filled-phone")

    page.click("button[type=submit]")  # the name was forgotten
    page.locator(".field.has-error").first.wait_for()
    assert page.locator(".field.has-error #name").count() == 1
    held = page.locator(".held-photos img")
    page.wait_for_function("document.querySelector('.held-photos img').complete")  # a busy machine loads it late
    assert held.count() == 1 and page.evaluate("document.querySelector('.held-photos img').naturalWidth") == 480
    assert page.input_value("#location_text") == "西湖路 88 号工地"
    assert fits_the_screen(page)
    shot(page, "filing-03-error-photo-kept-phone")

    page.fill("#name", "王小明")
    page.click("button[type=submit]")
    page.wait_for_url("**/file/verify/**")
    assert "138****5678" in page.inner_text("main")
    assert page.locator("#resend").is_disabled()  # the cool-down, counted down on the page
    assert fits_the_screen(page)
    shot(page, "filing-04-code-phone")

    page.fill("#code", "000000" if sent_code(app, PHONE) != "000000" else "111111")
    page.click(".code-form button[type=submit]")
    page.locator(".field.has-error #code").wait_for()
    page.fill("#code", sent_code(app, PHONE))
    page.click(".code-form button[type=submit]")
    number = page.inner_text(".case-number").strip()
    assert number.startswith("12345-")
    assert page.locator(".receipt a[href='/track']").count() == 1  # how to follow it
    assert fits_the_screen(page)
    shot(page, "filing-05-receipt-phone")
    assert errors == [], errors


def test_anonymous_is_offered_for_a_suggestion_and_hides_the_name(live_server, phone, errors):
    page = phone
    page.goto(f"{live_server}/file")
    page.select_option("#kind", "suggestion")
    assert page.locator("#anonymous").is_visible()
    page.check("#anonymous")
    assert page.locator("#name").is_hidden() and page.locator("#confidential").is_hidden()
    assert page.locator("#phone").is_visible()  # still proven with a code, though not kept
    shot(page, "filing-06-anonymous-suggestion-phone")
    page.select_option("#kind", "complaint")
    assert page.locator("#anonymous").is_hidden() and not page.locator("#anonymous").is_checked()
    assert page.locator("#name").is_visible()
    assert errors == [], errors


@pytest.mark.parametrize(("width", "height"), [(320, 640), (640, 450)], ids=["320px", "desktop at 200% zoom"])
def test_the_form_and_the_code_page_fit_narrow_screens(app, live_server, phone, width, height):
    page = phone
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server}/file")
    page.fill("#category-search", "噪")
    page.locator("#category-results .suggestion").first.wait_for()
    assert fits_the_screen(page)
    shot(page, f"filing-07-form-{width}")
    page.select_option("#kind", "complaint")
    page.select_option("#category_id", label="建筑施工噪声")
    page.select_option("#area_id", label="西湖街道")
    page.fill("#location_text", "西湖路 88 号工地")
    page.fill("#description", "工地每天夜里十一点以后还在施工，噪音很大，影响休息。")
    page.fill("#name", "王小明")
    page.fill("#phone", "139 1234 5678")
    page.click("button[type=submit]")
    page.wait_for_url("**/file/verify/**")
    assert fits_the_screen(page)
    shot(page, f"filing-08-code-{width}")


def test_without_javascript_the_form_still_files(app, live_server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    photo = tmp_path / "a.jpg"
    photo.write_bytes(phone_photo())
    page.goto(f"{live_server}/file")
    assert page.locator("#category-search").is_hidden()  # the plain list is the picker
    page.select_option("#kind", "complaint")
    page.select_option("#category_id", label="建筑施工噪声")
    page.select_option("#area_id", label="西湖街道")
    page.fill("#location_text", "西湖路 88 号工地")
    page.fill("#description", "工地每天夜里十一点以后还在施工，噪音很大，影响休息。")
    page.fill("#name", "王小明")
    page.fill("#phone", "137 1234 5678")
    page.set_input_files("#photos", str(photo))
    page.click("button[type=submit]")
    page.fill("#code", sent_code(app, "+8613712345678"))
    page.click(".code-form button[type=submit]")
    assert page.inner_text(".case-number").strip().startswith("12345-")
    context.close()
