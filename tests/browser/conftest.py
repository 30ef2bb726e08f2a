"""Debian's chromium, driven by Playwright, against the app served on a loopback port.

Screenshots land in screenshots/ so a person can look at what the tests saw."""
from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from hotline import ROOT
from tests.servers import free_port

CHROMIUM = os.environ.get("HOTLINE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = ROOT / "screenshots"


@pytest.fixture(scope="session")
def live_server(app):
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("HOTLINE_REQUIRE_BROWSER"):
            pytest.fail("chromium is required (apt-get install chromium fonts-wqy-zenhei)")
        pytest.skip("chromium is not installed (apt-get install chromium fonts-wqy-zenhei)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ])
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield context.new_page()
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fits_the_screen(page) -> bool:
    """Nothing sticks out sideways: a phone user never scrolls left and right to read a page. (Measured once the
    page has loaded: right after a click on a link the old document may be gone and the new one not there yet.)"""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def sign_in(page, base: str, username: str) -> None:
    """Signs in as a demo user and waits until the page the sign-in leads to has loaded: a check that follows at
    once must not read the page before it is there (a busy machine renders slowly)."""
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", "hotline-demo")
    with page.expect_navigation():
        page.click("button[type=submit]")
