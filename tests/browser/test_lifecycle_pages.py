"""The lifecycle screens in a real browser: a clerk on a phone signs and replies; the inbox tabs, the
dispatcher's queue and the supervisor's pages as people see them (screenshots in screenshots/)."""
from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import fits_the_screen, shot, sign_in
from tests.helpers import act, case_number_from, complaint, dispatch, file_complaint


def new_case(app, **overrides) -> str:
    return case_number_from(file_complaint(app.test_client(), complaint(app, **overrides)))


def make_overdue(app, number: str, hours: int = 30) -> None:
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import Assignment, Case

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        past = now() - timedelta(hours=hours)
        case.sign_due_at = case.reply_due_at = past
        for a in db.session.scalars(select(Assignment).where(Assignment.case_id == case.id)):
            a.sign_due_at = a.reply_due_at = past
        db.session.commit()


def test_a_clerk_signs_and_replies_on_a_phone(app, live_server, phone):
    number = new_case(app)
    dispatch(app, number, "dh-cgj", "dh-xhj")
    page = phone
    sign_in(page, live_server, "dh-cgj-staff")
    page.click("a.tab[href$='tab=pending']")
    expect(page.locator(f"text={number}")).to_have_count(1)
    shot(page, "20-inbox-pending-phone")
    assert fits_the_screen(page)

    page.click(f"text={number}")
    expect(page.locator("form.action-sign")).to_have_count(1)
    shot(page, "21-case-to-sign-phone")
    assert fits_the_screen(page)
    page.click("form.action-sign button")
    expect(page.locator(".flash-success")).to_have_count(1)
    expect(page.locator(".case-head .state-in_progress")).to_have_count(1)

    page.click("#action-reply > summary")
    page.click("#action-reply button[type=submit]")  # nothing typed: told what is missing, nothing saved
    expect(page.locator("#action-reply .has-error")).to_have_count(2)
    expect(page.locator("#action-reply[open]")).to_have_count(1)
    shot(page, "22-case-reply-errors-phone")
    assert fits_the_screen(page)

    page.fill("#reply-text", "已联系施工单位，夜间已停止施工，并安排城管队员夜间巡查。")
    page.check("#action-reply input[value=yes]")
    page.click("#action-reply button[type=submit]")
    expect(page.locator(".case-head .state-replied")).to_have_count(1)
    assert "已联系施工单位" in page.inner_text(".timeline")
    shot(page, "23-case-replied-phone")
    assert fits_the_screen(page)


def test_the_inbox_tabs_on_a_phone(app, live_server, phone):
    pending, working, late, replied = (new_case(app) for _ in range(4))
    for number in (pending, working, late, replied):
        dispatch(app, number, "dh-cgj")
    for number in (working, late, replied):
        act(app, number, "dh-cgj-staff", "sign")
    act(app, replied, "dh-cgj-staff", "reply", text="已处理完毕。", resolved=True)
    make_overdue(app, late)

    page = phone
    sign_in(page, live_server, "dh-cgj-staff")
    for tab, shown in (("pending", pending), ("in_progress", working), ("overdue", late), ("replied", replied)):
        page.goto(f"{live_server}/dept/inbox?tab={tab}")
        expect(page.locator(f"text={shown}")).to_have_count(1)
        shot(page, f"24-inbox-{tab}-phone")
        assert fits_the_screen(page), tab
    page.goto(f"{live_server}/dept/inbox?tab=overdue")
    expect(page.locator(f"tr.is-overdue:has-text('{late}') .due.overdue")).to_have_count(1)


def test_the_dispatcher_queue_and_the_case_page_with_actions(app, live_server, desktop):
    fresh, returned = new_case(app), new_case(app, description="小区门口道路井盖缺失，夜间很危险，请尽快处理。")
    dispatch(app, returned, "dh-cgj")
    act(app, returned, "dh-cgj-staff", "return", reason="井盖属自来水集团产权，请改派")
    page = desktop
    sign_in(page, live_server, "dispatcher")
    page.click("nav.nav a[href='/cases/queue']")
    expect(page.locator(f"text={fresh}")).to_have_count(1)
    expect(page.locator(f"text={returned}")).to_have_count(1)
    assert "井盖属自来水集团产权，请改派" in page.inner_text("main")
    shot(page, "25-dispatch-queue-desktop")

    page.click(f"text={fresh}")
    expect(page.locator("#action-dispatch")).to_have_count(1)
    page.click("#action-dispatch > summary")
    shot(page, "26-case-dispatch-form-desktop")
    page.select_option("#dispatch-lead_department_id", label="东湖区城市管理综合执法局")
    page.click("#action-dispatch button[type=submit]")
    expect(page.locator(".flash-success")).to_have_count(1)
    shot(page, "27-case-dispatched-desktop")


def test_the_supervisor_pages(app, live_server, desktop, browser):
    asking, to_review, to_call, late = (new_case(app) for _ in range(4))
    for number in (asking, to_review, to_call, late):
        dispatch(app, number, "dh-cgj")
        act(app, number, "dh-cgj-staff", "sign")
    act(app, asking, "dh-cgj-staff", "request-extension", days=5, reason="需要协调区住建局联合执法")
    for number in (to_review, to_call):
        act(app, number, "dh-cgj-staff", "reply", text="已责令整改。", resolved=True)
    act(app, to_call, "dispatcher", "review-reply", decision="approve")
    make_overdue(app, late, hours=60)

    page = desktop
    sign_in(page, live_server, "supervisor")
    page.click("nav.nav a[href='/supervise/']")
    for name, shown in (("extensions", asking), ("review", to_review), ("callback", to_call), ("overdue", late)):
        page.goto(f"{live_server}/supervise/{name}")
        expect(page.locator(f"text={shown}")).to_have_count(1)
        shot(page, f"28-supervise-{name}-desktop")
    page.goto(f"{live_server}/cases/{asking}")
    page.click("#action-decide-extension > summary")
    shot(page, "29-case-decide-extension-desktop")

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    small = context.new_page()
    sign_in(small, live_server, "supervisor")
    small.goto(f"{live_server}/supervise/overdue")
    shot(small, "30-supervise-overdue-phone")
    assert fits_the_screen(small)
    context.close()
