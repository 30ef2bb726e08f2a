"""The webhook pages in a browser (screenshots in screenshots/): the list, the form with its grouped events, the
secret shown once, the delivery log with attempts and replay, at phone (360 px) and desktop width, in Chinese
and English."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.extensions import db
from hotline.models import WebhookAttempt, WebhookDelivery
from hotline.services import webhook_delivery
from tests.browser.conftest import fits_the_screen, shot, sign_in
from tests.integration.lifecycle_helpers import dept, local, new_case, step
from tests.integration.test_webhook_helpers import Receiver, deliveries, subscribe


@pytest.fixture
def narrow(browser):
    context = browser.new_context(viewport={"width": 360, "height": 800}, device_scale_factor=1, locale="zh-CN")
    yield context.new_page()
    context.close()


def _history(app) -> int:
    """A back office that got one case's events, is failing on another's, and gave up on a third's."""
    receiver = Receiver(status=200).up()
    subscription = subscribe(app, "cgw", receiver.url)
    subscribe(app, "zjw", "https://zjw-oa.example.gov.cn/hooks/12345", events=["dispatch", "reply"])
    numbers = []
    for hour in (10, 11, 14):
        number = new_case(app, at=local(2026, 11, 27, hour))
        step(app, number, "dispatcher", "dispatch", local(2026, 11, 27, hour, 5),
             lead_department_id=dept(app, "cgw"), co_department_ids=[])
        numbers.append(number)
        if hour == 10:
            step(app, number, "cgw-staff", "sign", local(2026, 11, 27, hour, 30))
            with app.app_context():
                webhook_delivery.deliver(db.session, subscription, timeout=5)
            receiver.status = 500
    with app.app_context():
        webhook_delivery.deliver(db.session, subscription, timeout=5)  # 500 for the later cases' dispatches
    receiver.down()
    last = [d for d in deliveries(app, subscription) if d["payload"]["case"]["number"] == numbers[2]][0]
    with app.app_context():
        row = db.session.get(WebhookDelivery, last["id"])
        row.status, row.attempts, row.last_error = "failed", 31, "connection failed: connection refused"
        db.session.add(WebhookAttempt(delivery_id=row.id, at=local(2026, 11, 28, 14, 6), status_code=None,
                                      error="connection failed: connection refused", duration_ms=2))
        db.session.commit()
    return subscription


def test_the_webhook_pages(app, live_server, desktop, narrow):
    subscription = _history(app)
    sign_in(desktop, live_server, "admin")
    desktop.goto(f"{live_server}/admin/webhooks")
    expect(desktop.locator("main")).to_contain_text("zjw-oa.example.gov.cn")
    shot(desktop, "28-webhooks-desktop")
    desktop.goto(f"{live_server}/admin/webhooks/{subscription}")
    expect(desktop.locator("main")).to_contain_text("HTTP 500")
    desktop.locator(".delivery details").first.evaluate("d => d.open = true")
    shot(desktop, "29-webhook-log-desktop")
    desktop.goto(f"{live_server}/admin/webhooks/{subscription}?lang=en")
    expect(desktop.locator("main")).to_contain_text("Delivery log")
    shot(desktop, "29-webhook-log-desktop-en")

    sign_in(narrow, live_server, "cgw-head")
    narrow.goto(f"{live_server}/admin/webhooks")
    assert fits_the_screen(narrow)
    shot(narrow, "28-webhooks-phone")
    narrow.goto(f"{live_server}/admin/webhooks/{subscription}")
    assert fits_the_screen(narrow)
    shot(narrow, "29-webhook-log-phone")
    narrow.goto(f"{live_server}/admin/webhooks/new")
    narrow.fill("#name", "城管业务系统")
    narrow.fill("#url", "ftp://wrong")
    narrow.locator("label.chip:has(input[value=sign])").click()
    narrow.click("button[type=submit].primary")
    expect(narrow.locator("main")).to_contain_text("http://")
    assert narrow.input_value("#name") == "城管业务系统"
    assert fits_the_screen(narrow)
    shot(narrow, "30-webhook-form-refused-phone")
    narrow.fill("#url", "https://cgw-oa.example.gov.cn/hooks/12345")
    narrow.click("button[type=submit].primary")
    expect(narrow.locator("#webhook-secret")).to_contain_text("whsec_")
    assert fits_the_screen(narrow)
    shot(narrow, "30-webhook-secret-phone")
    narrow.goto(f"{live_server}/admin/webhooks/new?lang=en")
    expect(narrow.locator("main")).to_contain_text("Receiver URL")
    assert fits_the_screen(narrow)
    shot(narrow, "30-webhook-form-phone-en")
