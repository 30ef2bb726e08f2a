"""/api/docs: the OpenAPI description in Swagger UI from the vendored files, under the app's strict CSP (no script
or style blocked, nothing fetched from elsewhere), readable on a phone and a desktop, in Chinese and English."""
from __future__ import annotations

import pytest

from tests.browser.accessibility_helpers import errors_of
from tests.browser.conftest import fits_the_screen, shot, sign_in

pytestmark = pytest.mark.slow


def translated(app, text: str, lang: str) -> str:
    from flask_babel import gettext

    with app.test_request_context(f"/?lang={lang}"):
        app.preprocess_request()
        return gettext(text)


def open_docs(page, base: str, lang: str) -> list[str]:
    problems = errors_of(page)
    outside: list[str] = []
    page.on("request", lambda r: r.url.startswith(("http://", "https://")) and not r.url.startswith(base)
            and outside.append(r.url))
    page.goto(f"{base}/api/docs?lang={lang}")
    page.wait_for_selector(".opblock-tag-section", timeout=15000)
    return problems + [f"outside request: {u}" for u in outside]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_docs_page_on_a_desktop(app, live_server, desktop, lang):
    problems = open_docs(desktop, live_server, lang)
    assert desktop.inner_text("h1").startswith(translated(app, "REST API documentation", lang))
    assert desktop.get_attribute("html", "lang") == ("en" if lang == "en" else "zh-CN")
    tags = desktop.locator(".opblock-tag").all_inner_texts()
    assert any(t.startswith("cases") for t in tags) and any(t.startswith("actions") for t in tags)
    assert desktop.locator(".opblock-summary-path", has_text="/cases/{number}/actions/{action}").count() == 1
    desktop.click("#operations-cases-get_case .opblock-summary-control")  # one operation opened, its answers read
    desktop.wait_for_selector("#operations-cases-get_case .responses-table")
    codes = desktop.locator("#operations-cases-get_case .responses-table .response-col_status").all_inner_texts()
    assert {"200", "401", "404"} <= {c.split()[0] for c in codes if c.strip()}
    assert problems == []
    assert fits_the_screen(desktop)
    shot(desktop, f"31-api-docs-desktop-{lang}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_docs_page_on_a_phone(live_server, phone, lang):
    problems = open_docs(phone, live_server, lang)
    assert phone.locator(".opblock-summary-path", has_text="/tokens").count() >= 1
    assert problems == []
    assert fits_the_screen(phone)
    shot(phone, f"31-api-docs-phone-{lang}")


def test_an_administrator_reaches_it_from_the_integrations_tabs(live_server, desktop):
    sign_in(desktop, live_server, "admin")
    problems = open_docs(desktop, live_server, "en")
    assert problems == []
    assert desktop.get_attribute(".integration-tabs [aria-current=page]", "data-tab") == "docs"
    shot(desktop, "31-api-docs-admin-desktop-en")
