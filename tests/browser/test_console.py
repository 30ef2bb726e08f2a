"""An operator takes a routine complaint call at the console with the keyboard alone: the number (the caller's
history appears), the caller's words, a suggested subject picked with Alt+1, the address and the area, Ctrl+Enter —
and the case is saved and dispatched by the catalogue. Screenshots in screenshots/ (desk width and a phone)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import fits_the_screen, shot, sign_in
from tests.helpers import complaint, file_complaint

CALLER = "139 8765 4321"
STREETLIGHT = "西湖路公交总站到湖滨桥那一段路灯全坏了，有一个多月了，晚上黑漆漆的，下班走路很不安全。"


@pytest.fixture(autouse=True)
def trained_suggester(app):
    """The first suggestion of a new install trains the model inside its transaction, and on SQLite that holds
    the write lock the console's other panels wait for: train it before the call comes in."""
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.services import suggest

    with app.app_context():
        suggest.current(db.session, now())
        db.session.commit()


def test_a_routine_complaint_call_taken_with_the_keyboard_only(app, live_server, browser):
    file_complaint(app.test_client(), complaint(app, phone=CALLER, name="张先生"))  # the caller has called before
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server, "operator")
    page.goto(f"{live_server}/console")
    keys = page.keyboard

    expect(page.locator("#phone")).to_be_focused()  # the number first
    keys.type(CALLER)
    keys.press("Enter")
    expect(page.locator("#caller-panel .caller[data-known=yes]")).to_be_visible()
    expect(page.locator("#caller-panel .caller-cases li")).to_have_count(1)
    expect(page.locator("#name")).to_be_focused()

    keys.type("张先生")
    keys.press("Tab")
    expect(page.locator("input[name=kind][value=complaint]")).to_be_focused()  # a complaint: already chosen
    keys.press("Tab")
    expect(page.locator("#description")).to_be_focused()
    keys.type(STREETLIGHT)
    first = page.locator("#console-suggest .suggestion").first
    expect(first).to_contain_text("路灯损坏")
    expect(page.locator("#console-duplicates .duplicate")).to_have_count(1)  # the caller's open case
    shot(page, "console-1-typing-desktop")

    keys.press("Alt+1")
    expect(page.locator("#location_text")).to_be_focused()
    assert page.eval_on_selector("#category_id", "s => s.selectedOptions[0].textContent") == "路灯损坏"
    expect(first).to_have_attribute("aria-pressed", "true")

    keys.type("西湖街道西湖路公交总站")  # the street named in the address chooses the area
    expect(page.locator(".area-status")).to_contain_text("东湖区 西湖街道")
    keys.press("Enter")
    expect(page.locator("#area_id")).to_be_focused()
    assert page.eval_on_selector("#area_id", "s => s.selectedOptions[0].textContent") == "西湖街道"
    shot(page, "console-2-ready-desktop")

    keys.press("Control+Enter")
    page.wait_for_url("**/console?done=*")
    result = page.locator("#console-result")
    expect(result).to_contain_text("市城市管理委员会")
    number = page.locator("#console-result .case-number").get_attribute("data-number")
    assert number.startswith("12345-")
    expect(page.locator("#phone")).to_be_focused()  # ready for the next call
    shot(page, "console-3-saved-desktop")
    context.close()

    from hotline.extensions import db
    from hotline.models import Case

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        assert (case.state, case.channel, case.category.name, case.area.name) == (
            "dispatched", "phone", "路灯损坏", "西湖街道")
        assert case.person.name == "张先生" and case.person.phone == "+8613987654321"
        assert case.lead_department.code == "cgw"


def test_the_console_on_a_phone(app, live_server, phone):
    file_complaint(app.test_client(), complaint(app, phone=CALLER))
    sign_in(phone, live_server, "dispatcher")
    phone.goto(f"{live_server}/console?phone=13987654321")
    expect(phone.locator("#caller-panel .caller")).to_be_visible()
    phone.fill("#description", "楼下烧烤店着火了，现在浓烟很大")
    expect(phone.locator("#console-emergency .emergency.strong")).to_be_visible()
    expect(phone.locator("#console-emergency")).to_contain_text("119")
    assert fits_the_screen(phone)
    shot(phone, "console-4-emergency-phone")
