"""POST /api/v1/cases/<number>/actions/reply as multipart/form-data: the fields and `files`; the case
lists its attachments; GET …/attachments/<id> sends one to those who may see the case."""
from __future__ import annotations

import pytest

from tests.api_helpers import Api
from tests.helpers import act, dispatch
from tests.integration.attachment_helpers import (
    ELEVEN_MB,
    NOT_A_PHOTO,
    downloads_logged,
    minimal_pdf,
    multipart,
    on_disk,
    png_1x1,
    upload,
    written,
)


def case_to_reply(app) -> tuple[str, Api]:
    staff = Api.as_user(app, "dh-cgj-staff")
    number = Api.as_user(app, "operator").file()
    dispatch(app, number, "dh-cgj", "dh-xhj")
    act(app, number, "dh-cgj-staff", "sign")
    return number, staff


def send_reply(api: Api, number: str, files: list, **fields):
    body = {"text": "已现场核查并责令整改。", "resolved": "true", **fields, "files": files}
    return api.client.post(f"/api/v1/cases/{number}/actions/reply", headers=api.headers(), **multipart(body))


def test_a_reply_with_files_over_the_api(app, upload_dir):
    number, staff = case_to_reply(app)
    before = on_disk(upload_dir)
    response = send_reply(staff, number, [upload(png_1x1(), "photo.png", "image/png"),
                                          upload(minimal_pdf(), "notice.pdf", "application/pdf")], version="3")
    assert response.status_code == 200, response.get_json()
    case = response.get_json()
    assert case["state"] == "replied" and case["reply"]["text"] == "已现场核查并责令整改。"
    files = case["attachments"]
    assert [(f["name"], f["type"], f["size"]) for f in files] == [
        ("photo.png", "image/png", len(png_1x1())), ("notice.pdf", "application/pdf", len(minimal_pdf()))]
    assert files[0]["url"] == f"/api/v1/cases/{number}/attachments/{files[0]['id']}"
    assert len(on_disk(upload_dir) - before) == 2

    # the reply's event names the files and their sha256: the hash chain covers them
    reply = staff.get(f"/cases/{number}/events").get_json()["items"][-1]
    assert reply["action"] == "reply" and files[0]["event"] == reply["seq"]
    assert [(f["name"], f["sha256"]) for f in reply["data"]["attachments"]] == [
        (f["name"], f["sha256"]) for f in files]

    got = staff.client.get(files[1]["url"], headers=staff.headers(), buffered=True)
    assert got.status_code == 200 and got.data == minimal_pdf()
    assert got.mimetype == "application/pdf"
    assert got.headers["Content-Disposition"] == "attachment; filename=notice.pdf"
    assert got.headers["X-Content-Type-Options"] == "nosniff" and got.headers["Cache-Control"] == "no-store"
    assert [log.detail.split()[0] for log in downloads_logged(app, number)] == ["api"]


def test_json_without_files_still_replies(app):
    number, staff = case_to_reply(app)
    response = staff.act(number, "reply", text="已处理。", resolved=False)
    assert response.status_code == 200 and response.get_json()["attachments"] == []


BAD = {
    "bad_type": [upload(NOT_A_PHOTO, "photo.jpg", "image/jpeg")],
    "too_large": [upload(ELEVEN_MB, "big.png", "image/png")],
    "too_many": [upload(png_1x1(), f"p{i}.png", "image/png") for i in range(6)],
    "empty": [upload(b"", "empty.png", "image/png")],
}


@pytest.mark.parametrize("code", BAD)
def test_a_bad_file_is_422_and_nothing_is_written(app, upload_dir, code):
    number, staff = case_to_reply(app)
    before_rows, before_files = written(app, number), on_disk(upload_dir)
    good = [] if code == "too_many" else [upload(png_1x1(), "good.png", "image/png")]
    response = send_reply(staff, number, good + BAD[code])
    body = response.get_json()
    assert response.status_code == 422, body
    assert body["error"] == "invalid_fields" and body["fields"] == {"files": code}
    if code != "too_many":
        assert body["files"] == [{"index": 1, "name": BAD[code][0].filename, "error": code}]
        assert BAD[code][0].filename in body["message"]
    assert written(app, number) == before_rows and on_disk(upload_dir) == before_files


def test_a_refused_reply_with_files_stores_nothing(app, upload_dir):
    number, staff = case_to_reply(app)
    before_rows, before_files = written(app, number), on_disk(upload_dir)
    co_handler = Api.as_user(app, "dh-xhj-staff")  # has not signed
    response = send_reply(co_handler, number, [upload(png_1x1(), "a.png", "image/png")])
    assert response.status_code == 409 and response.get_json()["reason"] == "not_signed"
    stranger = Api.as_user(app, "xs-cgj-staff")
    assert send_reply(stranger, number, [upload(png_1x1(), "b.png", "image/png")]).status_code == 404
    stale = send_reply(staff, number, [upload(png_1x1(), "c.png", "image/png")], version="1")
    assert stale.status_code == 409 and stale.get_json()["reason"] == "stale"
    assert written(app, number) == before_rows and on_disk(upload_dir) == before_files


def test_multipart_is_for_a_reply_and_its_files_only(app):
    number, staff = case_to_reply(app)
    wrong_name = staff.client.post(f"/api/v1/cases/{number}/actions/reply", headers=staff.headers(), **multipart(
        {"text": "已处理。", "resolved": "true", "file": [upload(png_1x1(), "a.png", "image/png")]}))
    assert wrong_name.status_code == 422 and wrong_name.get_json()["fields"] == {"file": "not_accepted"}
    other_action = staff.client.post(f"/api/v1/cases/{number}/actions/return", headers=staff.headers(),
                                     **multipart({"reason": "不属于本单位"}))
    assert other_action.status_code == 400
    bad_version = send_reply(staff, number, [], version="three")
    assert bad_version.status_code == 422 and bad_version.get_json()["fields"] == {"version": "not_a_number"}
    assert written(app, number)["state"] == "in_progress"


def test_another_department_gets_404_for_the_file(app):
    number, staff = case_to_reply(app)
    file_id = send_reply(staff, number, [upload(png_1x1(), "a.png", "image/png")]).get_json()["attachments"][0]["id"]
    url = f"/cases/{number}/attachments/{file_id}"
    for username, status in (("xs-cgj-staff", 404), ("cgw-staff", 404), ("dh-xhj-staff", 200), ("operator", 200)):
        api = Api.as_user(app, username)
        response = api.client.get("/api/v1" + url, headers=api.headers(), buffered=True)
        assert response.status_code == status, username
        if status == 404:
            assert response.get_json()["error"] == "not_found" and number not in response.get_data(as_text=True)
    assert len(downloads_logged(app, number)) == 2
    assert staff.client.get("/api/v1" + url).status_code == 401  # no token
    assert staff.client.get(f"/api/v1/cases/{number}/attachments/{file_id + 99}",
                            headers=staff.headers()).status_code == 404


def test_a_json_body_over_2_mb_is_still_413(app):
    number, staff = case_to_reply(app)
    response = staff.act(number, "reply", text="x" * (2 * 1024 * 1024), resolved=True)
    assert response.status_code == 413 and response.get_json()["error"] == "too_large"
