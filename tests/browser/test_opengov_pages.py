"""The open-government pages as people see them (screenshots in screenshots/): the figures, trends and lists on a
phone (390 and 320 wide) and a desktop, the tables, and a supervisor publishing a question and answer that then
appears in the public list."""
from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import expect

from hotline.extensions import db
from hotline.services import rollup
from tests.browser.conftest import fits_the_screen, shot, sign_in
from tests.integration.opengov_helpers import build_history


def rolled(app) -> dict[str, str]:
    cases = build_history(app)
    with app.app_context():
        rollup.run(db.session, datetime.now(UTC), "Asia/Shanghai")
        db.session.remove()
    return cases


def watch(page) -> list[str]:
    errors: list[str] = []
    # the browser's own request for /favicon.ico is not the page's doing
    page.on("console", lambda m: errors.append(m.text) if m.type == "error"
            and not m.location.get("url", "").endswith("/favicon.ico") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_the_figures_on_a_phone_and_a_desktop(app, live_server, phone, desktop):
    rolled(app)
    errors = watch(phone)
    phone.goto(f"{live_server}/open/")
    expect(phone.locator("h1")).to_be_visible()
    expect(phone.locator("svg.chart")).to_have_count(2)
    assert fits_the_screen(phone)
    shot(phone, "open-index-phone")
    phone.goto(f"{live_server}/open/figures/department")
    expect(phone.locator("table.og-table tbody tr").first).to_be_visible()
    assert fits_the_screen(phone)
    shot(phone, "open-departments-phone")
    phone.locator("table.og-table tbody th a").first.click()
    expect(phone.locator("svg.chart")).to_have_count(2)
    assert fits_the_screen(phone)
    shot(phone, "open-department-detail-phone")

    phone.set_viewport_size({"width": 320, "height": 720})
    for path in ("/open/", "/open/figures/district", "/open/questions"):
        phone.goto(f"{live_server}{path}")
        assert fits_the_screen(phone), path
    shot(phone, "open-questions-320")
    phone.goto(f"{live_server}/open/")
    shot(phone, "open-index-320")
    assert errors == []

    desktop.goto(f"{live_server}/open/")
    desktop.locator("details.og-data summary").click()
    expect(desktop.locator("details.og-data table")).to_be_visible()
    shot(desktop, "open-index-desktop")
    desktop.goto(f"{live_server}/open/figures/category")
    shot(desktop, "open-categories-desktop")


def test_a_supervisor_publishes_a_question_and_everyone_finds_it(app, live_server, desktop, phone):
    cases = rolled(app)
    sign_in(desktop, live_server, "supervisor")
    desktop.goto(f"{live_server}/open/moderation")
    desktop.get_by_role("link", name=cases["last-happy"]).click()
    question = desktop.locator("#question")
    expect(question).not_to_contain_text("13987654321")
    expect(question).not_to_contain_text("李秀英")
    shot(desktop, "open-moderate-desktop")
    desktop.fill("#title", "楼下夜市噪音扰民")
    desktop.get_by_role("button", name="Publish").or_(desktop.get_by_role("button", name="发布")).first.click()
    expect(desktop.locator(".flash-success")).to_be_visible()

    errors = watch(phone)
    phone.goto(f"{live_server}/open/questions")
    phone.fill("#og-q", "夜市")
    phone.locator("form.og-search button[type=submit]").click()
    expect(phone.locator(".og-qa h2 a")).to_have_text("楼下夜市噪音扰民")
    assert fits_the_screen(phone)
    shot(phone, "open-questions-search-phone")
    phone.locator(".og-qa h2 a").click()
    expect(phone.locator("article.og-answer")).not_to_contain_text("13987654321")
    assert fits_the_screen(phone)
    shot(phone, "open-question-phone")
    assert errors == []
