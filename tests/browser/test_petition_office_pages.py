"""The petition office's screens as people see them (screenshots in screenshots/xf-office-*): the registry, the
queues, the statutory calendar and the annual report, on a desktop and on a 390 px phone, over the demo petitions;
the "信访" group of the menu."""
from __future__ import annotations

from playwright.sync_api import expect

from hotline.clock import now
from hotline.extensions import db
from hotline.seed import petitions as demo
from tests.browser.conftest import fits_the_screen, shot, sign_in

PAGES = (("registry", "/petitions/", "table.xf-registry tbody tr"),
         ("queue-all", "/petitions/queue", "table.xf-counts tbody tr"),
         ("calendar", "/petitions/calendar", "table.xf-week"),
         ("report", "/petitions/report", "table.xf-report tbody tr"))


def _seeded(app) -> None:
    with app.app_context():
        demo.seed_petitions(db.session, now(), app.config["HOTLINE_TIMEZONE"])
        db.session.remove()


def test_the_office_screens_on_a_desktop_and_a_phone(app, live_server, desktop, phone):
    _seeded(app)
    sign_in(desktop, live_server, "supervisor")
    sign_in(phone, live_server, "supervisor")
    for name, path, shown in PAGES:
        for page, size in ((desktop, "desktop"), (phone, "phone")):
            page.goto(f"{live_server}{path}")
            expect(page.locator(shown).first).to_be_visible()
            assert fits_the_screen(page), (name, size)
            shot(page, f"xf-office-{name}-{size}")
    desktop.goto(f"{live_server}/petitions/")
    expect(desktop.locator("table.xf-registry tbody tr")).to_have_count(len(demo.PLANS))
    # a filter, as a person sets it: the major petitions only
    desktop.check("input[name=major]")
    with desktop.expect_navigation():
        desktop.click(".xf-filters button[type=submit]")
    expect(desktop.locator("table.xf-registry tbody tr")).to_have_count(1)
    # the office picks an organ from the counts
    desktop.goto(f"{live_server}/petitions/queue")
    with desktop.expect_navigation():
        desktop.locator("table.xf-counts tbody a").first.click()
    expect(desktop.locator("section.xf-step").first).to_be_visible()
    shot(desktop, "xf-office-queue-organ-desktop")


def test_a_department_sees_its_queue_and_calendar_from_the_menu(app, live_server, desktop, phone):
    _seeded(app)
    for page, size in ((desktop, "desktop"), (phone, "phone")):
        sign_in(page, live_server, "dh-gov-head")
        page.locator("details.nav-group > summary").click()
        menu = page.locator("details.nav-group .nav-menu a")
        expect(menu).to_have_count(2)  # the queue and the calendar; not the registry, not the report
        assert fits_the_screen(page)
        shot(page, f"xf-office-menu-department-{size}")
        with page.expect_navigation():
            menu.first.click()
        expect(page.locator("section.xf-step")).to_have_count(4)
        assert fits_the_screen(page)
        shot(page, f"xf-office-queue-department-{size}")
        page.goto(f"{live_server}/petitions/calendar")
        expect(page.locator("table.xf-week")).to_be_visible()
        assert fits_the_screen(page)
        shot(page, f"xf-office-calendar-department-{size}")


def test_the_office_menu_opens_on_a_phone(app, live_server, phone):
    sign_in(phone, live_server, "dispatcher")
    phone.locator("details.nav-group > summary").click()
    screens = 5 if "petitions.register" in app.view_functions else 4  # registration comes with its own screen
    expect(phone.locator("details.nav-group .nav-menu a")).to_have_count(screens)
    assert fits_the_screen(phone)
    shot(phone, "xf-office-menu-dispatcher-phone")
