"""Routing as people see it (screenshots in screenshots/): a case the catalogue dispatched at once, a
suggestion waiting in the dispatcher's form, and the dispatch queue naming the rule behind a returned case."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import fits_the_screen, shot, sign_in
from tests.helpers import act, department_id
from tests.integration.test_routing_flow import STREET_VENDING, registered


def test_an_automatically_dispatched_case_says_which_rule_sent_it(app, live_server, desktop):
    number = registered(app, "city.street-vending", description=STREET_VENDING)
    page = desktop
    sign_in(page, live_server, "dispatcher")
    page.goto(f"{live_server}/cases/{number}")
    card = page.locator("#routing")
    expect(card).to_contain_text("占道经营")
    expect(card).to_contain_text("立即派单")
    expect(page.locator(".timeline .ev-dispatch")).to_contain_text("派单目录")
    expect(page.locator(".timeline .ev-dispatch")).to_contain_text("目录第 1 版")
    shot(page, "40-case-auto-dispatched-desktop")
    page.goto(f"{live_server}/language/en")
    page.goto(f"{live_server}/cases/{number}")
    expect(card).to_contain_text("dispatched at once")
    expect(page.locator(".timeline .ev-dispatch")).to_contain_text("Catalogue version 1".replace("C", "c"))
    shot(page, "40-case-auto-dispatched-desktop-en")


def test_a_suggestion_fills_the_dispatch_form_and_is_sent_as_it_is(app, live_server, desktop):
    number = registered(app, "city.noise-construction")
    page = desktop
    sign_in(page, live_server, "dispatcher")
    page.goto(f"{live_server}/cases/{number}")
    page.click("#action-dispatch > summary")
    lead = page.locator("#dispatch-lead_department_id")
    expect(lead).to_have_value(str(department_id(app, "dh-cgj")))
    expect(page.locator("#action-dispatch .context")).to_contain_text("已按派单目录的建议预填")
    chosen = page.eval_on_selector("#dispatch-co_department_ids", "s => [...s.selectedOptions].map(o => o.text)")
    assert chosen == ["东湖区住房和城乡建设局"]
    shot(page, "41-case-suggested-dispatch-form-desktop")
    page.click("#action-dispatch button[type=submit]")
    expect(page.locator(".flash-success")).to_have_count(1)
    expect(page.locator(".case-head .state-dispatched")).to_have_count(1)


def test_the_dispatch_queue_names_the_rule_behind_a_returned_case(app, live_server, desktop, phone):
    suggested = registered(app, "housing.house-leak", description="楼上卫生间漏水，我家天花板一直渗水发霉。")
    returned = registered(app, "city.street-vending", description=STREET_VENDING)
    act(app, returned, "dh-cgj-staff", "return", reason="该路段为市管道路，请改派市城管委")
    for page, name in ((desktop, "42-dispatch-queue-routing-desktop"), (phone, "43-dispatch-queue-routing-phone")):
        sign_in(page, live_server, "dispatcher")
        page.goto(f"{live_server}/cases/queue")
        row = page.locator(f"tr:has-text('{returned}')")
        expect(row).to_contain_text("占道经营")
        expect(row.locator(".rule-sent")).to_contain_text("派来")
        expect(page.locator(f"tr:has-text('{suggested}') .rule-suggested")).to_contain_text("西湖街道")
        shot(page, name)
        assert fits_the_screen(page)
    phone.goto(f"{live_server}/cases/{returned}")
    expect(phone.locator("#routing")).to_contain_text("请检查该规则")
    shot(phone, "44-case-returned-by-rule-phone")
    assert fits_the_screen(phone)
