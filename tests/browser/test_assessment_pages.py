"""The assessment as a supervisor sees it (screenshots in screenshots/): the month's table with the red and black
lists, a number opened to its cases, the supervision flags, the formula with a wrong field, a department's report
on screen and as printed — on a desktop and on a phone, where nothing may stick out sideways."""
from __future__ import annotations

from playwright.sync_api import expect

from hotline.clock import now
from hotline.extensions import db
from hotline.models import AssessmentPolicy
from tests.browser.conftest import fits_the_screen, shot, sign_in
from tests.integration.lifecycle_helpers import dept
from tests.integration.test_assessment_support import M
from tests.integration.test_flags import june  # noqa: F401  (a fixture)


def ranked_from_one_case(app) -> None:
    with app.app_context():
        db.session.add(AssessmentPolicy(settings={"min_cases": 1, "list_size": 3}, note="试行", created_at=now()))
        db.session.commit()


def test_the_assessment_on_a_desktop(app, live_server, desktop, june):  # noqa: F811
    ranked_from_one_case(app)
    page = desktop
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server}/supervise/assessment?month={M}")
    expect(page.locator("#list-red li")).to_have_count(3)
    expect(page.locator('.assessment-table tr[data-department="nj-cgj"]')).to_be_visible()
    shot(page, "assessment-80-month-desktop")

    # a rate's misses, opened: the cases behind the number, with the people (the centre sees them)
    page.locator('tr[data-department="nj-cgj"] a.missed[data-measure="completed_on_time-missed"]').click()
    expect(page.locator("table.drill-cases tbody tr")).to_have_count(1)
    expect(page.locator("table.drill-cases")).to_contain_text(june["late"])
    shot(page, "assessment-81-cases-desktop")

    page.goto(f"{live_server}/supervise/assessment/flags?month={M}")
    expect(page.locator("#flag-returns_refused")).to_contain_text(june["refused"][0])
    shot(page, "assessment-82-flags-desktop")

    page.goto(f"{live_server}/supervise/assessment/formula")
    page.fill("#weight_response", "120")
    page.fill("#note", "响应率权重提高")
    page.click(".formula-form button[type=submit]")
    expect(page.locator("#weight_response-msg")).to_be_visible()
    expect(page.locator("#weight_response")).to_have_value("120")
    shot(page, "assessment-83-formula-error-desktop")

    page.goto(f"{live_server}/supervise/assessment/departments/{dept(app, 'nj-cgj')}?month={M}")
    expect(page.locator("[data-flag=last_hour]")).to_be_visible()
    shot(page, "assessment-84-report-desktop")
    page.emulate_media(media="print")
    expect(page.locator("header.topbar")).to_be_hidden()
    expect(page.locator(".report-tools")).to_be_hidden()
    shot(page, "assessment-85-report-print")
    assert errors == []


def test_the_assessment_on_a_phone(app, live_server, phone, june):  # noqa: F811
    ranked_from_one_case(app)
    sign_in(phone, live_server, "supervisor")
    for path, name in ((f"/supervise/assessment?month={M}", "assessment-86-month-phone"),
                       (f"/supervise/assessment/flags?month={M}", "assessment-87-flags-phone"),
                       (f"/supervise/assessment/departments/{dept(app, 'nj-cgj')}?month={M}",
                        "assessment-88-report-phone"),
                       ("/supervise/assessment/formula", "assessment-89-formula-phone")):
        phone.goto(f"{live_server}{path}")
        assert fits_the_screen(phone), path
        shot(phone, name)
    phone.set_viewport_size({"width": 320, "height": 700})
    for path in (f"/supervise/assessment?month={M}", f"/supervise/assessment/cases?month={M}&measure=received"):
        phone.goto(f"{live_server}{path}")
        assert fits_the_screen(phone), path
    shot(phone, "assessment-90-cases-320")
