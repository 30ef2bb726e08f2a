"""What people see: a citizen on a phone files a complaint; the operator and a department look at it."""
from __future__ import annotations

from tests.browser.conftest import fits_the_screen, shot, sign_in
from tests.helpers import dispatch
from tests.integration.filing_helpers import sent_code


def fill_complaint(page, description: str, phone: str) -> None:
    page.select_option("#kind", "complaint")
    page.select_option("#category_id", label="建筑施工噪声")
    page.select_option("#area_id", label="西湖街道")
    page.fill("#location_text", "西湖路 88 号工地")
    page.fill("#description", description)
    page.fill("#name", "王小明")
    page.fill("#phone", phone)


def enter_the_code(app, page, e164: str) -> None:
    """The code texted to the phone, read from the development SMS outbox."""
    page.wait_for_url("**/file/verify/**")
    page.fill("#code", sent_code(app, e164))
    page.click(".code-form button[type=submit]")


def test_a_citizen_files_a_complaint_on_a_phone(app, live_server, phone):
    page = phone
    page.goto(f"{live_server}/")
    assert fits_the_screen(page)
    shot(page, "01-home-phone")
    page.click("a.btn.primary")
    assert fits_the_screen(page)
    shot(page, "02-file-phone")

    fill_complaint(page, "<b>工地</b>夜里施工", "138 1234")
    page.click("button[type=submit]")
    assert page.locator(".field.has-error").count() == 2  # markup in the description, a short phone number
    assert page.input_value("#location_text") == "西湖路 88 号工地"
    assert fits_the_screen(page)
    shot(page, "03-file-errors-phone")

    page.fill("#description", "工地每天夜里十一点以后还在施工，噪音很大，影响休息。")
    page.fill("#phone", "138 1234 5678")
    page.click("button[type=submit]")
    enter_the_code(app, page, "+8613812345678")
    number = page.inner_text(".case-number").strip()
    assert number.startswith("12345-")
    shot(page, "04-receipt-phone")


def test_the_operator_and_the_department_see_the_case(app, live_server, desktop, browser):
    page = desktop
    # a case, filed as a citizen would, then handed to the district's city-management bureau
    page.goto(f"{live_server}/file")
    fill_complaint(page, "工地每天夜里十一点以后还在施工，噪音很大，影响休息。", "13812345678")
    page.check("#confidential")
    page.click("button[type=submit]")
    enter_the_code(app, page, "+8613812345678")
    number = page.inner_text(".case-number").strip()
    dispatch(app, number, "dh-cgj")

    sign_in(page, live_server, "operator")
    assert page.url.endswith("/cases/")
    assert page.locator(f"text={number}").count() == 1
    shot(page, "05-cases-operator")
    page.click(f"text={number}")
    assert "王小明" in page.inner_text("main")
    shot(page, "06-case-operator")

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    clerk = context.new_page()
    sign_in(clerk, live_server, "dh-cgj-staff")
    assert clerk.url.endswith("/dept/inbox") and clerk.locator(f"text={number}").count() == 1
    assert fits_the_screen(clerk)
    shot(clerk, "07-inbox-staff-phone")
    clerk.click(f"text={number}")
    text = clerk.inner_text("main")
    assert "王小明" not in text and "王**" in text  # confidential: the department sees a masked name
    shot(clerk, "08-case-staff-phone")
    context.close()


def test_english_is_complete_on_the_citizens_pages(live_server, phone):
    page = phone
    page.goto(f"{live_server}/language/en?next=/file")
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "09-file-phone-en")
    page.click("button[type=submit]")
    assert page.locator(".field.has-error").count() >= 4
    shot(page, "10-file-errors-phone-en")
