"""A citizen on a phone describes the matter, the form suggests subjects, a tap chooses one; and the form
works just the same with JavaScript off."""
from __future__ import annotations

from tests.browser.conftest import fits_the_screen, shot
from tests.integration.filing_helpers import sent_code

FUMES = "楼下新开的烧烤店每天晚上油烟特别大，熏得我们家窗户都不敢开，衣服也没法晾"


def enter_the_code(app, page) -> None:
    page.wait_for_url("**/file/verify/**")
    page.fill("#code", sent_code(app, "+8613912345678"))
    page.click(".code-form button[type=submit]")


def fill_the_rest(page) -> None:
    page.select_option("#kind", "complaint")
    page.select_option("#area_id", label="西湖街道")
    page.fill("#location_text", "西湖路 12 号")
    page.fill("#name", "李女士")
    page.fill("#phone", "139 1234 5678")


def test_subject_suggestions_appear_while_typing_and_a_tap_chooses_one(app, live_server, phone):
    page = phone
    page.goto(f"{live_server}/file")
    assert page.locator("#subject-suggestions").is_hidden()

    page.locator("#description").press_sequentially(FUMES, delay=15)
    page.wait_for_selector("#subject-suggestions .suggestion")
    buttons = page.locator("#subject-suggestions .suggestion")
    assert 1 <= buttons.count() <= 3
    assert buttons.first.inner_text().startswith("餐饮油烟")
    assert "%" in buttons.first.inner_text()
    assert fits_the_screen(page)
    shot(page, "11-file-suggestions-phone")

    buttons.first.click()
    chosen = buttons.first.get_attribute("value")
    assert page.input_value("#category_id") == chosen
    assert buttons.first.get_attribute("aria-pressed") == "true"
    assert "餐饮油烟" in page.inner_text(".suggestions-status")
    shot(page, "12-file-suggestion-chosen-phone")

    fill_the_rest(page)
    page.click("button[type=submit]")
    enter_the_code(app, page)
    assert page.inner_text(".case-number").strip().startswith("12345-")


def test_without_javascript_the_form_shows_no_suggestions_and_still_files(app, live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/file")
    page.fill("#description", FUMES)
    assert page.locator("#subject-suggestions").is_hidden()
    page.select_option("#category_id", label="餐饮油烟")
    fill_the_rest(page)
    page.click("button[type=submit]")
    enter_the_code(app, page)
    assert page.inner_text(".case-number").strip().startswith("12345-")
    context.close()
