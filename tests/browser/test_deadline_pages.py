"""Deadlines as people see them (screenshots in screenshots/): the supervisor's board after a sweep, a
department's inbox with its yellow and red cards and the bell, the notifications, the case page's
deadlines and 督办, the calendar of 2026 and the form for 2027's notice, and the SLA policies."""
from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import expect
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import OutboxJob
from hotline.services import sweep
from tests.browser.conftest import fits_the_screen, shot, sign_in
from tests.integration.test_board import two_departments  # noqa: F401  (a fixture)
from workers import jobs


def swept(app) -> None:
    """The sweep, then the jobs it wrote (督办 of the late ones), as the worker runs them."""
    with app.app_context():
        sweep.sweep(db.session, datetime.now(UTC))
        pending = [(row.job, row.id, row.payload) for row in db.session.scalars(
            select(OutboxJob).where(OutboxJob.job.in_(["escalate_breach", "close_unrated"])))]
        for name, row_id, payload in pending:
            getattr(jobs, name)(**payload, outbox_id=row_id)
        db.session.remove()


def test_the_board_the_inbox_and_the_notifications_after_a_sweep(app, live_server, desktop, phone,
                                                                 two_departments):  # noqa: F811
    swept(app)
    page = desktop
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server}/supervise/board")
    expect(page.locator("main")).to_contain_text("东湖区城管执法局")
    shot(page, "50-supervisor-board-desktop")
    page.goto(f"{live_server}/cases/{two_departments['reply_late']}")
    expect(page.locator("main")).to_contain_text("督办")
    shot(page, "51-case-overdue-supervised-desktop")

    sign_in(phone, live_server, "dh-cgj-staff")
    phone.goto(f"{live_server}/dept/inbox?tab=overdue")
    assert fits_the_screen(phone)
    shot(phone, "52-inbox-overdue-cards-phone")
    phone.goto(f"{live_server}/notifications")
    expect(phone.locator("main")).to_contain_text(two_departments["sign_late"])
    assert fits_the_screen(phone)
    shot(phone, "53-notifications-phone")


def test_the_calendar_and_the_policies(app, live_server, desktop, phone):
    sign_in(desktop, live_server, "admin")
    desktop.goto(f"{live_server}/admin/calendar/2026")
    expect(desktop.locator("main")).to_contain_text("国庆节")
    shot(desktop, "54-calendar-2026-desktop")
    desktop.goto(f"{live_server}/admin/calendar/2027/enter")
    shot(desktop, "55-calendar-enter-2027-desktop")
    desktop.goto(f"{live_server}/admin/sla")
    shot(desktop, "56-sla-policies-desktop")
    sign_in(phone, live_server, "admin")
    for path, name in (("/admin/calendar/2026", "57-calendar-2026-phone"), ("/admin/sla", "58-sla-policies-phone")):
        phone.goto(f"{live_server}{path}")
        assert fits_the_screen(phone), path
        shot(phone, name)
