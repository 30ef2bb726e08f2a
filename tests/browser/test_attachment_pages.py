"""A clerk replies with a photo and a PDF from a phone; a bad file is explained and the reply text stays;
the centre sees the files under the reply and downloads one (screenshots in screenshots/)."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, fits_the_screen, shot, sign_in
from tests.browser.test_lifecycle_pages import new_case
from tests.helpers import act, dispatch
from tests.integration.attachment_helpers import NOT_A_PHOTO, minimal_pdf, png_1x1

REPLY = "已联系施工单位，夜间已停止施工。现场照片和整改通知书见附件。"
NOTICE = "东湖区城市管理综合执法局关于西湖路88号工地夜间施工噪声问题的责令整改通知书（东城执改〔2026〕118号）.pdf"


def as_file(name: str, data: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


def test_a_clerk_replies_with_files_and_the_centre_downloads_one(app, live_server, phone, desktop):
    number = new_case(app)
    dispatch(app, number, "dh-cgj", "dh-xhj")
    act(app, number, "dh-cgj-staff", "sign")

    page = phone
    sign_in(page, live_server, "dh-cgj-staff")
    page.goto(f"{live_server}/cases/{number}")
    page.click("#action-reply > summary")
    page.fill("#reply-text", REPLY)
    page.check("#action-reply input[value=yes]")
    page.set_input_files("#reply-files", files=[as_file("现场照片.jpg", NOT_A_PHOTO, "image/jpeg")])
    page.locator("#action-reply").screenshot(path=str(SHOTS / "31-case-reply-form-with-a-file-phone.png"))
    page.click("#action-reply button[type=submit]")
    expect(page.locator("#reply-files-msg")).to_contain_text("现场照片.jpg")
    expect(page.locator("#reply-text")).to_have_value(REPLY)  # what was typed is kept
    page.locator("#action-reply").scroll_into_view_if_needed()
    shot(page, "32-case-reply-bad-file-phone")
    assert fits_the_screen(page)

    page.set_input_files("#reply-files", files=[as_file("现场照片.png", png_1x1(), "image/png"),
                                                as_file(NOTICE, minimal_pdf(), "application/pdf")])
    page.click("#action-reply button[type=submit]")
    expect(page.locator(".case-head .state-replied")).to_have_count(1)
    expect(page.locator("ul.files a", has_text="现场照片.png")).to_have_count(2)  # the reply, the history
    shot(page, "33-case-replied-with-files-phone")
    assert fits_the_screen(page)

    page = desktop
    sign_in(page, live_server, "dispatcher")
    page.goto(f"{live_server}/cases/{number}")
    page.click("#action-review-reply > summary")
    expect(page.locator("#action-review-reply ul.files li")).to_have_count(2)
    shot(page, "34-case-review-reply-with-files-desktop")
    with page.expect_download() as download:
        page.locator("#action-review-reply ul.files a", has_text="整改通知书").click()
    assert download.value.suggested_filename == NOTICE
    with open(download.value.path(), "rb") as f:
        assert f.read() == minimal_pdf()
