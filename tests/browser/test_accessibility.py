"""Every key page, as people with different needs use it: each field has a name a screen reader says, the page is
read without sideways scrolling on a 320-pixel phone and at 200% zoom, the keyboard reaches every control with a
visible focus, and nothing fails in the browser's console (issue 7 §5)."""
from __future__ import annotations

import pytest

from tests.browser.accessibility_helpers import (
    A11Y_CHECK,
    FOCUS_CHECK,
    KEY_PAGES,
    a_story,
    errors_of,
    route_exists,
)
from tests.browser.conftest import shot, sign_in


@pytest.fixture
def story(app):
    return a_story(app)


def _open(browser, live_server, width: int, scale: float, username: str | None, locale: str = "zh-CN"):
    context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=scale, locale=locale)
    page = context.new_page()
    problems = errors_of(page)
    if username:
        sign_in(page, live_server, username)
    return context, page, problems


@pytest.mark.parametrize(("name", "username", "path"), KEY_PAGES, ids=[p[0] for p in KEY_PAGES])
def test_every_field_is_named_and_the_page_fits_a_small_phone(app, browser, live_server, story, name, username, path):
    url = path.format(**story)
    if not route_exists(app, url):
        pytest.skip(f"{url} is not built yet")
    context, page, problems = _open(browser, live_server, 320, 2, username)
    try:
        response = page.goto(live_server + url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
        found = page.evaluate(A11Y_CHECK)
        assert found["unnamed"] == [], f"{url}: fields without a label: {found['unnamed']}"
        assert found["overflow"] <= 0, f"{url}: {found['overflow']} px sideways at 320 px: {found['wide']}"
        assert found["images"] == [], f"{url}: images without alt text: {found['images']}"
        assert found["lang"] in ("zh-CN", "en") and found["title"], url
        shot(page, f"a11y-{name}-320")
        assert problems == [], f"{url}: {problems}"
    finally:
        context.close()


@pytest.mark.parametrize(("name", "username", "path"), KEY_PAGES, ids=[p[0] for p in KEY_PAGES])
def test_readable_at_200_percent_zoom(app, browser, live_server, story, name, username, path):
    """A 1280-pixel screen zoomed to 200% lays the page out in 640 CSS pixels, each drawn twice as large."""
    url = path.format(**story)
    if not route_exists(app, url):
        pytest.skip(f"{url} is not built yet")
    context, page, problems = _open(browser, live_server, 640, 2, username, locale="en-GB")
    try:
        page.goto(f"{live_server}/language/en?next={url}")
        page.wait_for_load_state("networkidle")
        found = page.evaluate(A11Y_CHECK)
        assert found["overflow"] <= 0, f"{url}: {found['overflow']} px sideways at 200%: {found['wide']}"
        assert found["small_text"] == [], f"{url}: text smaller than 12 px: {found['small_text']}"
        shot(page, f"a11y-{name}-zoom200-en")
        assert problems == [], f"{url}: {problems}"
    finally:
        context.close()


@pytest.mark.parametrize(("name", "username", "path"), KEY_PAGES, ids=[p[0] for p in KEY_PAGES])
def test_the_keyboard_reaches_every_control_with_a_visible_focus(app, browser, live_server, story, name, username,
                                                                 path):
    url = path.format(**story)
    if not route_exists(app, url):
        pytest.skip(f"{url} is not built yet")
    context, page, problems = _open(browser, live_server, 1280, 1, username)
    try:
        page.goto(live_server + url)
        page.wait_for_load_state("networkidle")
        wanted = page.evaluate(FOCUS_CHECK["controls"])
        reached, unseen = set(), []
        for _ in range(800):  # until every control was reached, or the focus came round to one it had been on
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUS_CHECK["focused"])
            if focused is None:
                continue
            if focused["again"]:
                break
            reached.add(focused["key"])
            if not focused["visible"]:
                unseen.append(focused["key"])
            if reached >= set(wanted):
                break
        assert set(wanted) - reached == set(), f"{url}: the keyboard never reaches {sorted(set(wanted) - reached)}"
        assert unseen == [], f"{url}: no visible focus on {unseen}"
        assert problems == [], f"{url}: {problems}"
    finally:
        context.close()


def test_a_clerk_signs_in_and_takes_a_case_with_the_keyboard_alone(app, browser, live_server, story):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    problems = errors_of(page)
    try:
        page.goto(f"{live_server}/login")
        page.keyboard.press("Tab")  # the skip link, the brand and the nav come first; the form's first field
        for _ in range(20):
            if page.evaluate("document.activeElement.id") == "username":
                break
            page.keyboard.press("Tab")
        page.keyboard.type("dh-cgj-staff")
        page.keyboard.press("Tab")
        page.keyboard.type("hotline-demo")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("/dept/inbox")
        page.goto(f"{live_server}/cases/{story['pending']}")
        for _ in range(80):  # to the sign form's button, and press it
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.closest('form[action$=\"/actions/sign\"]') !== null && "
                             "document.activeElement.type === 'submit'"):
                break
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "办理中" in page.inner_text(".case-head")
        shot(page, "a11y-keyboard-signed")
        assert problems == []
    finally:
        context.close()
