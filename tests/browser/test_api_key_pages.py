"""The API-key pages as an administrator sees them (screenshots in screenshots/): the list, creating a key (a
mistake kept and explained, then the key shown once with a working copy button), a key's use log, revoking it —
at desktop and phone width, in Chinese and English."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from sqlalchemy import select

from hotline.clock import now
from hotline.domain import api_keys as rules
from hotline.extensions import db
from hotline.models import ApiKey, Case
from hotline.services import api_keys
from tests.browser.conftest import fits_the_screen, shot, sign_in
from tests.integration.lifecycle_helpers import new_case


@pytest.fixture
def narrow(browser):
    """The narrowest phone the centre's administrators are expected to use."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, device_scale_factor=1, locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.fixture
def clipboard_desktop(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    yield context.new_page()
    context.close()


def some_keys_with_uses(app) -> int:
    """Three keys (one revoked) and a use log for the first, with a case it filed."""
    number = new_case(app)
    with app.app_context():
        key, _raw = api_keys.create(db.session, "市民通 app", [rules.CREATE, rules.READ], by=None, at=now(),
                                    rate_limit="60 per minute; 5000 per day", note="市大数据局 王工 0571-8888 0000")
        old, _raw = api_keys.create(db.session, "旧版微信小程序", [rules.CREATE], by=None,
                                    at=now() - timedelta(days=90))
        api_keys.create(db.session, "东湖区城管局业务系统", [rules.READ], by=None, at=now() - timedelta(days=3))
        api_keys.revoke(db.session, old.id, by=None, at=now() - timedelta(days=2))
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        plan = [("POST", "/open311/v2/requests.json", 201, case_id),
                ("GET", f"/open311/v2/requests/{number}.json", 200, case_id),
                ("POST", "/open311/v2/requests.json", 400, None), ("GET", "/open311/v2/services.xml", 200, None),
                ("POST", "/open311/v2/requests.json", 429, None), ("GET", "/open311/v2/requests.json", 200, None)]
        for n, (method, path, status, case) in enumerate(plan):
            api_keys.log_use(db.session, key, at=now() - timedelta(minutes=7 * n), method=method, path=path,
                             status=status, ip="203.0.113.7", case_id=case)
        key.last_used_at = now()
        db.session.commit()
        return key.id


def test_an_administrator_creates_a_key_sees_it_once_and_copies_it(app, live_server, clipboard_desktop):
    page = clipboard_desktop
    some_keys_with_uses(app)
    sign_in(page, live_server, "admin")
    page.click("nav.nav a[href='/admin/api-keys']")
    expect(page.locator(".integration-tabs .tab.active")).to_have_attribute("data-tab", "keys")
    expect(page.locator("main")).to_contain_text("旧版微信小程序")
    shot(page, "26-api-keys-desktop")

    page.click("a[href='/admin/api-keys/new']")
    page.fill("#name", "江川 12345 微信小程序")
    page.fill("#rate_limit", "很多")
    page.click("form.api-key-form button[type=submit]")
    expect(page.locator(".error").first).to_be_visible()
    assert page.input_value("#name") == "江川 12345 微信小程序" and page.input_value("#rate_limit") == "很多"
    shot(page, "26-api-key-new-mistakes-desktop")

    page.check("input[value='requests:create']")
    page.fill("#rate_limit", "30 per minute")
    page.click("form.api-key-form button[type=submit]")
    key = page.locator("#new-key").inner_text().strip()
    assert key.startswith(rules.PREFIX)
    page.click("button[data-copy]")
    expect(page.locator("#copy-status")).not_to_be_empty()
    assert page.evaluate("navigator.clipboard.readText()") == key
    shot(page, "27-api-key-created-desktop")

    page.click(".new-key a.btn.primary")
    expect(page.locator("h1")).to_contain_text("江川 12345 微信小程序")
    assert key not in page.content() and key[rules.SHOWN:] not in page.content()
    with pytest.raises(PlaywrightError, match="ERR_CACHE_MISS"):
        page.go_back()  # the page that showed it was not kept (Cache-Control: no-store): Back cannot show it again


def test_a_keys_use_log_and_revoking_it(app, live_server, desktop):
    key_id = some_keys_with_uses(app)
    sign_in(desktop, live_server, "admin")
    desktop.goto(f"{live_server}/admin/api-keys/{key_id}")
    expect(desktop.locator(".key-uses tbody tr")).to_have_count(6)
    shot(desktop, "27-api-key-use-log-desktop")
    desktop.click("nav.tabs a[href*='status=4xx']")
    expect(desktop.locator(".key-uses tbody tr")).to_have_count(2)
    desktop.click(f"a[href='/admin/api-keys/{key_id}/revoke']")
    expect(desktop.locator("h1")).to_contain_text("市民通 app")
    shot(desktop, "27-api-key-revoke-desktop")
    desktop.click("form button.danger-solid")
    expect(desktop.locator(".flash-info")).to_be_visible()
    with app.app_context():
        assert db.session.get(ApiKey, key_id).revoked_at is not None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pages_fit_a_phone_in_both_languages(app, live_server, narrow, lang):
    key_id = some_keys_with_uses(app)
    sign_in(narrow, live_server, "admin")
    if lang == "en":
        narrow.goto(f"{live_server}/?lang=en")
    for path, name in (("/admin/api-keys", "list"), (f"/admin/api-keys/{key_id}", "log"),
                       ("/admin/api-keys/new", "new")):
        narrow.goto(live_server + path)
        assert fits_the_screen(narrow), path
        shot(narrow, f"26-api-keys-{name}-phone-{lang}")
    narrow.goto(live_server + "/admin/api-keys/new")
    narrow.fill("#name", "Citizen app" if lang == "en" else "市民 app")
    narrow.check("input[value='requests:read']")
    narrow.locator("form.api-key-form button[type=submit]").click()
    expect(narrow.locator("#new-key")).to_have_text(re.compile("^" + rules.PREFIX))
    assert fits_the_screen(narrow)
    shot(narrow, f"27-api-key-created-phone-{lang}")
