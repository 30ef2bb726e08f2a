"""Issue 8's acceptance, through the screens: a grievance registered at the petition office's desk goes the whole
procedure of 《信访工作条例》 — forwarded, accepted, extended by the organ's head, decided, reviewed, re-reviewed
with a hearing — to a final 复核 decision, and every document it produced opens, prints as PDF and reaches the
petitioner by the link in their SMS. The same facts and reasons brought again are then refused at the desk."""
from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from hotline.extensions import limiter
from tests.browser.conftest import fits_the_screen, shot, sign_in
from tests.integration.lifecycle_helpers import dept

REQUEST = "要求补发旧城改造拆迁安置补偿款"
FACTS = "2025年东湖区旧城改造中本人房屋被征收，协议约定的安置补偿款至今仍有12万元未发放。"
REASONS = "依据征收补偿协议第五条，补偿款应于交房后三个月内付清。"
DOCUMENTS = ["acceptance", "extension", "decision", "review_decision", "re_review_decision"]


def _as(page, base: str, username: str, number: str) -> None:
    page.context.clear_cookies()
    limiter.reset()  # a dozen people sign in from one address within a minute: more than the login limit allows
    sign_in(page, base, username)
    page.goto(f"{base}/cases/{number}")


def _do(page, action: str, **fields) -> None:
    """Open the action's form, fill it (ids are <action>-<field>; a value starting with "=" is a radio to tick)
    and send it; the page comes back with the case moved."""
    page.click(f"#action-{action} > summary")
    for name, value in fields.items():
        if value.startswith("="):
            page.check(f"#action-{action} input[name$={name}][value={value[1:]}]")
        elif page.locator(f"#{action}-{name}").evaluate("e => e.tagName") == "SELECT":
            page.select_option(f"#{action}-{name}", value)
        else:
            page.fill(f"#{action}-{name}", value)
    with page.expect_navigation():
        page.click(f"#action-{action} button[type=submit]")
    expect(page.locator(".flash.success, .flash-success, [role=status]").first).to_be_visible()


def _state(page, state: str) -> None:
    expect(page.locator(f".case-head .state-{state}")).to_have_count(1)


def _fill_the_desk_form(page, base: str, channel: str, phone: str = "") -> None:
    """李建国's grievance, as the officer at the desk types it."""
    limiter.reset()  # a dozen people sign in from one address within a minute: more than the login limit allows
    sign_in(page, base, "operator")
    page.goto(f"{base}/petitions/register")
    page.locator("label.kind-option", has=page.locator("input[value=grievance]")).click()
    page.locator("label.chip", has=page.locator(f"input[name=channel][value={channel}]")).click()
    row = page.locator("[data-row]").first
    row.locator("input[name$='-name']").fill("李建国")
    row.locator("input[name$='-id_number']").fill("11010519491231002X")
    row.locator("input[name$='-phone']").fill(phone)
    row.locator("input[name$='-address']").fill("江川市东湖区解放路1号")
    page.fill("#request", REQUEST)
    page.fill("#facts", FACTS)
    page.fill("#reasons", REASONS)
    with page.expect_navigation():
        page.click("#save")


def test_a_grievance_from_the_desk_to_a_final_re_review_with_every_document(app, live_server, desktop):
    page, base = desktop, live_server
    _fill_the_desk_form(page, base, "letter", phone="13900001111")
    assert "/cases/XF-" in page.url
    number = page.url.rsplit("/", 1)[-1]
    _state(page, "registered")

    _as(page, base, "dispatcher", number)
    _do(page, "forward", organ_id=str(dept(app, "dh-gov")), forwarding="=forward", note="请依法处理")
    _state(page, "forwarded")

    _as(page, base, "dh-gov-staff", number)
    _do(page, "accept", decision="=accept")
    _state(page, "accepted")
    _do(page, "request-extension", days="30", reason="需要会同住建部门核实补偿协议")
    _as(page, base, "dh-gov-head", number)
    _do(page, "decide-extension", decision="=approve")
    _as(page, base, "dh-gov-staff", number)
    _do(page, "decide", outcome="=explain", facts="经核实，补偿款已按协议分两期支付。",
        basis="《国有土地上房屋征收与补偿条例》第二十五条", text="对补偿款支付情况予以解释说明。")
    _state(page, "decided")

    _as(page, base, "operator", number)
    _do(page, "request-review", organ_id=str(dept(app, "cgw")), note="对处理意见不服，请求复查")
    _state(page, "reviewing")
    _as(page, base, "cgw-staff", number)
    _do(page, "decide-review", outcome="=uphold", facts="原处理意见认定事实清楚。", basis="《信访工作条例》第三十五条",
        text="维持原处理意见。")
    _state(page, "reviewed")

    _as(page, base, "operator", number)
    _do(page, "request-re-review", organ_id=str(dept(app, "zjw")), note="对复查意见不服，请求复核")
    _state(page, "re_reviewing")
    _as(page, base, "zjw-staff", number)
    _do(page, "start-hearing", note="在市信访局举行听证")
    _do(page, "end-hearing", note="听证结束")
    _do(page, "decide-re-review", outcome="=uphold", facts="复查意见认定事实清楚。", basis="《信访工作条例》第三十六条",
        text="维持复查意见。")
    _state(page, "closed")
    assert fits_the_screen(page)
    shot(page, "petition-journey-final")

    # every document, as the petition office sees it, printable and as PDF
    from hotline.extensions import db
    from hotline.models import Case, PetitionDocument, SmsMessage

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        assert case.petition.final is True and case.petition.hearing_days >= 1
        documents = db.session.scalars(select(PetitionDocument).where(PetitionDocument.case_id == case.id)
                                       .order_by(PetitionDocument.id)).all()
        assert [d.kind for d in documents] == DOCUMENTS
        links = [m.body for m in db.session.scalars(select(SmsMessage).where(
            SmsMessage.case_id == case.id, SmsMessage.purpose == "petition_document").order_by(SmsMessage.id))]
        shown = [(d.id, d.number) for d in documents]
    assert len(links) == len(DOCUMENTS)  # each one sent to the petitioner's mobile
    _as(page, base, "supervisor", number)
    for document_id, title in shown:
        page.goto(f"{base}/cases/{number}/documents/{document_id}")
        expect(page.locator("body")).to_contain_text(title)
        expect(page.locator("body")).to_contain_text("李建国")
        pdf = page.request.get(f"{base}/cases/{number}/documents/{document_id}.pdf")
        assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    expect(page.locator("body")).to_contain_text("不再受理")  # the final one says the matter is closed for good
    shot(page, "petition-journey-re-review-decision")

    # the petitioner opens the last link from their SMS, signed in nowhere
    page.context.clear_cookies()
    link = re.search(r"/petition-documents/[\w-]+", links[-1]).group(0)
    page.goto(base + link)
    expect(page.locator("body")).to_contain_text(shown[-1][1])

    # the same facts and reasons again: refused at the desk, naming the petition closed after 复核 (Art. 36)
    page.context.clear_cookies()
    _fill_the_desk_form(page, base, "visit")
    expect(page.locator("body")).to_contain_text(number)
    assert "/petitions/register" in page.url
    shot(page, "petition-journey-refused")
    with app.app_context():
        assert db.session.scalar(select(Case.id).where(Case.number != number, Case.track == "petition")) is None
