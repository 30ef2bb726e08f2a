"""A department replies with photos and documents from the case page; the files are listed under the
reply and downloaded only by those who may see the case. A bad file is explained, what was typed
stays, and nothing — no row, no stored file — is left behind."""
from __future__ import annotations

import pytest

from tests.integration.attachment_helpers import (
    ELEVEN_MB,
    NOT_A_PHOTO,
    attachment_rows,
    downloads_logged,
    minimal_pdf,
    multipart,
    on_disk,
    png_1x1,
    signed_case,
    upload,
    written,
)
from tests.integration.test_screens_support import action_form, hidden_value, html_of, signed_in, typed_value

REPLY = "已责令施工单位夜间停工，并现场检查。"


def post_reply(client, number: str, files: list[tuple], text: str = REPLY, resolved: str = "yes", page=None):
    """Fill the reply form as a person does: text, resolved, files; send it as the browser does."""
    page = page or html_of(client.get(f"/cases/{number}"))
    form = action_form(page, number, "reply")
    data = {"reply-csrf_token": hidden_value(form, "reply-csrf_token"),
            "reply-version": hidden_value(form, "reply-version"),
            "reply-text": text, "reply-resolved": resolved, "reply-files": files}
    return client.post(f"/cases/{number}/actions/reply", **multipart(data))


def test_a_reply_with_a_photo_and_a_pdf_is_stored_listed_and_downloaded(app, upload_dir):
    number = signed_case(app)
    staff = signed_in(app, "dh-cgj-staff")
    page = html_of(staff.get(f"/cases/{number}"))
    assert f'action="/cases/{number}/actions/reply" enctype="multipart/form-data"' in page
    before = on_disk(upload_dir)

    response = post_reply(staff, number, [upload(png_1x1(), "现场照片.png", "image/png"),
                                          upload(minimal_pdf(), "整改通知书.pdf", "application/pdf")], page=page)
    assert response.status_code == 302, html_of(response)[:1500]

    rows = attachment_rows(app, number)
    assert [(r.original_name, r.content_type, r.size) for r in rows] == [
        ("现场照片.png", "image/png", len(png_1x1())), ("整改通知书.pdf", "application/pdf", len(minimal_pdf()))]
    assert len(on_disk(upload_dir) - before) == 2
    assert all(r.original_name not in r.storage_key for r in rows)
    assert written(app, number)["state"] == "replied"

    # listed under the reply and in the history, for the department and for the centre
    for who in (staff, signed_in(app, "dispatcher")):
        shown = html_of(who.get(f"/cases/{number}"))
        for row in rows:
            assert shown.count(f'href="/cases/{number}/attachments/{row.id}"') >= 2  # the reply, the timeline
        assert "现场照片.png" in shown and "PNG" in shown and "PDF" in shown

    got = staff.get(f"/cases/{number}/attachments/{rows[0].id}", buffered=True)
    assert got.status_code == 200 and got.data == png_1x1()
    assert got.mimetype == "image/png"
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert "%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png" in got.headers["Content-Disposition"]  # 现场照片.png
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Cache-Control"] == "no-store"
    logged = downloads_logged(app, number)
    assert len(logged) == 1 and str(rows[0].id) in logged[0].detail


def test_a_reply_without_files_still_works(app):
    number = signed_case(app)
    response = post_reply(signed_in(app, "dh-cgj-staff"), number, [])
    assert response.status_code == 302
    assert written(app, number)["state"] == "replied" and attachment_rows(app, number) == []


BAD = {
    "bad_type": ([upload(NOT_A_PHOTO, "photo.jpg", "image/jpeg")], "photo.jpg"),
    "too_large": ([upload(ELEVEN_MB, "big.png", "image/png")], "big.png"),
    "too_many": ([upload(png_1x1(), f"p{i}.png", "image/png") for i in range(6)], "5"),
    "empty": ([upload(b"", "empty.png", "image/png")], "empty.png"),
}


@pytest.mark.parametrize("code", BAD)
def test_a_bad_file_is_explained_the_text_kept_and_nothing_written(app, upload_dir, code):
    number = signed_case(app)
    staff = signed_in(app, "dh-cgj-staff")
    before_rows, before_files = written(app, number), on_disk(upload_dir)
    files, named = BAD[code]
    good = [] if code == "too_many" else [upload(png_1x1(), "good.png", "image/png")]

    response = post_reply(staff, number, good + files)

    assert response.status_code == 422
    page = html_of(response)
    assert typed_value(page, "reply-text") == REPLY  # what was typed is still there
    assert 'id="reply-files-msg"' in page and named in page  # the file is named next to the field
    assert written(app, number) == before_rows  # no event, no attachment row, the case unchanged
    assert on_disk(upload_dir) == before_files  # not even the good file was kept


def test_every_bad_file_is_named_at_once(app):
    number = signed_case(app)
    response = post_reply(signed_in(app, "dh-cgj-staff"), number, [
        upload(NOT_A_PHOTO, "renamed.jpg", "image/jpeg"), upload(b"", "blank.pdf", "application/pdf")], text="")
    page = html_of(response)
    assert response.status_code == 422
    assert "renamed.jpg" in page and "blank.pdf" in page
    assert 'id="reply-text-msg"' in page  # the missing text is told in the same answer


def send_unoffered_reply(client, number: str, files: list, page_url: str = "/dept/inbox"):
    """A reply form sent by someone the page did not offer it to (with a valid CSRF token)."""
    token = hidden_value(html_of(client.get(page_url)), "csrf_token")
    return client.post(f"/cases/{number}/actions/reply", **multipart({
        "reply-csrf_token": token, "reply-text": REPLY, "reply-resolved": "yes", "reply-files": files}))


def test_a_refused_reply_with_files_stores_nothing(app, upload_dir):
    number = signed_case(app)
    before_rows, before_files = written(app, number), on_disk(upload_dir)

    # the co-handler has not signed yet: may not reply (409)
    co_handler = signed_in(app, "dh-xhj-staff")
    assert f"/cases/{number}/actions/reply" not in html_of(co_handler.get(f"/cases/{number}"))
    assert send_unoffered_reply(co_handler, number, [upload(png_1x1(), "a.png", "image/png")]).status_code == 409
    # a department that may not see the case: 404
    stranger = signed_in(app, "xs-cgj-staff")
    assert send_unoffered_reply(stranger, number, [upload(png_1x1(), "b.png", "image/png")]).status_code == 404
    assert written(app, number) == before_rows and on_disk(upload_dir) == before_files

    # the lead's form sent twice: the second finds the case moved on (409) and keeps none of its files
    staff = signed_in(app, "dh-cgj-staff")
    page = html_of(staff.get(f"/cases/{number}"))
    assert post_reply(staff, number, [upload(png_1x1(), "c.png", "image/png")], page=page).status_code == 302
    after_first = on_disk(upload_dir)
    assert post_reply(staff, number, [upload(png_1x1(), "d.png", "image/png")], page=page).status_code == 409
    assert on_disk(upload_dir) == after_first and len(after_first - before_files) == 1
    assert [r.original_name for r in attachment_rows(app, number)] == ["c.png"]


def test_only_those_who_may_see_the_case_download_its_files(app):
    number = signed_case(app)
    staff = signed_in(app, "dh-cgj-staff")
    assert post_reply(staff, number, [upload(png_1x1(), "a.png")]).status_code == 302
    (row,) = attachment_rows(app, number)
    url = f"/cases/{number}/attachments/{row.id}"

    assert signed_in(app, "dh-xhj-staff").get(url, buffered=True).status_code == 200  # the co-handler sees the case
    assert signed_in(app, "supervisor").get(url, buffered=True).status_code == 200
    assert signed_in(app, "xs-cgj-staff").get(url, buffered=True).status_code == 404  # another department
    other = signed_case(app)
    assert staff.get(f"/cases/{other}/attachments/{row.id}").status_code == 404  # not that case's file
    assert staff.get(f"/cases/{number}/attachments/{row.id + 1000}").status_code == 404
    assert staff.get(f"/cases/{number}/attachments/x{row.id}").status_code == 404
    assert len(downloads_logged(app, number)) == 2  # only what was sent is logged
