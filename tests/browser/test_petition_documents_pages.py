"""Every petition document in a real browser, as the office reads it on a desktop and a phone, as it prints, and
as the PDF the worker draws, in the browser's own PDF viewer; and the petitioner opening the link from their SMS
on a phone (screenshots in screenshots/petition-doc-*.png)."""
from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import Case, SmsMessage
from hotline.services.petition_documents import TITLES
from tests.browser.conftest import SHOTS, fits_the_screen, shot, sign_in
from tests.integration.test_petition_documents_helpers import documents, every_document, referred

RED = "rgb(179, 18, 15)"  # the letterhead: the document's own style applies (allowed by its hash)


def _blocked_by_csp(page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    return messages


def _pdf_shot(context, url: str, name: str) -> None:
    """The PDF in chromium's viewer (PDFium), both pages at once."""
    viewer = context.new_page()
    viewer.set_viewport_size({"width": 1000, "height": 1400})
    viewer.goto(url + "#toolbar=0&navpanes=0&zoom=55")
    viewer.wait_for_timeout(2500)  # the viewer draws after the page has loaded: give it time, then look
    viewer.screenshot(path=str(SHOTS / f"{name}.png"))
    viewer.close()


def test_every_document_on_a_desktop_a_phone_in_print_and_as_pdf(app, live_server, desktop, phone):
    grievance, other = every_document(app), referred(app)
    issued = {**documents(app, grievance), **documents(app, other)}
    blocked = [_blocked_by_csp(desktop), _blocked_by_csp(phone)]  # what the CSP refused, per browser
    sign_in(desktop, live_server, "dispatcher")
    sign_in(phone, live_server, "dh-gov-staff")
    for kind, document in issued.items():
        url = f"{live_server}/cases/{other if kind == 'referral' else grievance}/documents/{document.id}"
        desktop.goto(url)
        expect(desktop.locator("h1")).to_contain_text(TITLES[kind])
        expect(desktop.locator(".doc-bar")).to_contain_text(document.number)
        assert desktop.evaluate("getComputedStyle(document.querySelector('.letterhead')).color") == RED
        shot(desktop, f"petition-doc-{kind}-desktop")

        desktop.emulate_media(media="print")  # what the printer gets: the document alone
        expect(desktop.locator(".doc-bar")).to_be_hidden()
        expect(desktop.locator("h1")).to_be_visible()
        desktop.emulate_media(media="screen")

        if kind != "referral":  # the organs see what they issued; the office's own referral stays with it
            phone.goto(url)
            expect(phone.locator("h1")).to_contain_text(TITLES[kind])
            shot(phone, f"petition-doc-{kind}-phone")
            assert fits_the_screen(phone)

        _pdf_shot(desktop.context, url + ".pdf", f"petition-doc-{kind}-pdf")
    assert blocked == [[], []]


def test_the_petitioner_opens_the_link_on_a_phone(app, live_server, browser):
    number = every_document(app)
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        body = db.session.scalar(select(SmsMessage.body).where(SmsMessage.case_id == case_id,
                                                               SmsMessage.purpose == "petition_document")
                                 .order_by(SmsMessage.id.desc()).limit(1))
    link = re.search(r"(/petition-documents/\S+)$", body).group(1)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    blocked = _blocked_by_csp(page)
    page.goto(live_server + link)
    expect(page.locator("h1")).to_contain_text("信访事项复核意见书")
    expect(page.locator(".doc-bar a", has_text="PDF")).to_have_count(1)
    expect(page.locator(".doc-bar a[href^='/cases/']")).to_have_count(0)
    shot(page, "petition-doc-link-phone")
    assert fits_the_screen(page) and blocked == []

    page.goto(live_server + "/petition-documents/" + "X" * 32)
    expect(page.locator("h1")).to_have_count(1)
    shot(page, "petition-doc-link-unknown-phone")
    assert fits_the_screen(page)
    context.close()
