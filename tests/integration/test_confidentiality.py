"""A confidential complainant, and anyone who reports (举报), is never known to the departments handling the case —
on any page, export, notice or API response, not even where the person wrote their name and number into the
complaint or an operator repeated them in a note — while the centre sees them, and every look of the centre's at
them is written to the access log (GB/T 33358; Jinan Arts. 16, 32; 信访工作条例 Art. 30; 个人信息保护法 Arts. 34–36)."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from hotline.domain.access import Actor, sees_contact_unmasked
from hotline.domain.masking import hide_identity
from hotline.domain.roles import Role
from hotline.extensions import db
from hotline.models import AccessLog
from tests.api_helpers import Api
from tests.helpers import login
from tests.integration.confidentiality_helpers import (
    DIGITS,
    NAME,
    REPORTER,
    REPORTER_DIGITS,
    access_log_count,
    api_urls,
    department,
    live_through,
    page_urls,
    register,
    shows,
    step,
    unechoed,
)

DEPARTMENT_USERS = ("dh-cgj-staff", "dh-cgj-head", "dh-xhj-staff")  # the lead's staff and head, the co-handler's


@pytest.fixture
def story(app):
    return live_through(app)


def _leaks(body: str) -> list[str]:
    return shows(body, NAME, DIGITS) + shows(body, REPORTER, REPORTER_DIGITS)


@pytest.mark.parametrize("username", DEPARTMENT_USERS)
def test_no_page_shows_the_person_to_the_departments(app, story, username):
    client = app.test_client()
    login(client, username)
    opened = 0
    for url in page_urls(app, story, username):
        response = client.get(url)
        body = response.get_data(as_text=True) if response.mimetype.startswith(("text/", "application/json")) \
            else ""
        response.close()  # a download is a file left open otherwise
        assert not _leaks(unechoed(body, url)), (url, _leaks(unechoed(body, url)))
        opened += response.status_code == 200
    # the walk reached the pages that matter: the case, the report, the inbox, the notices
    for url in (f"/cases/{story.confidential}", f"/cases/{story.report}", "/dept/inbox", "/notifications"):
        assert client.get(url).status_code == 200, url
    assert opened > 5


def test_the_case_page_shows_the_department_a_masked_person_and_masked_texts(app, story):
    client = app.test_client()
    login(client, "dh-cgj-staff")
    html = client.get(f"/cases/{story.confidential}").get_data(as_text=True)
    assert "欧***" in html and "+86139****5678" in html
    assert "家门口的工地天天夜里施工" in html  # the matter itself is theirs to handle
    assert "再次来电催办" in html and "请重办" in html  # and so are the centre's notes
    assert "现场照片.png" in html  # the reply's photo is listed for them
    report = client.get(f"/cases/{story.report}").get_data(as_text=True)
    assert "司***" in report and "举报工地无证夜间施工" in report
    with app.app_context():
        assert db.session.scalar(select(AccessLog).where(AccessLog.action == "view_personal_data")) is None


@pytest.mark.parametrize("username", DEPARTMENT_USERS)
def test_no_api_response_shows_the_person_to_the_departments(app, story, username):
    api = Api.as_user(app, username)
    for url in api_urls(story):
        response = api.client.get("/api/v1" + url, headers=api.headers())
        body = response.get_data(as_text=True) if response.mimetype == "application/json" else ""
        response.close()
        assert not _leaks(unechoed(body, url)), (url, _leaks(unechoed(body, url)))
    case = api.get(f"/cases/{story.confidential}").get_json()
    assert case["person"] == {"name": "欧***", "phone": "+86139****5678", "masked": True}
    assert "欧***" in case["description"] and "139****5678" in case["description"]
    assert api.get(f"/cases/{story.report}").get_json()["person"]["masked"] is True
    notes = [e["note"] for e in api.get(f"/cases/{story.confidential}/events").get_json()["items"] if e["note"]]
    assert any("再次来电催办" in note for note in notes)


@pytest.mark.parametrize("username", ["operator", "supervisor", "dispatcher"])
def test_the_centre_sees_the_person_and_each_look_is_logged(app, story, username):
    client = app.test_client()
    login(client, username)
    for number, name, digits in ((story.confidential, NAME, DIGITS), (story.report, REPORTER, REPORTER_DIGITS)):
        before = access_log_count(app, username)
        response = client.get(f"/cases/{number}")
        html = response.get_data(as_text=True)
        assert shows(html, name, digits) == [name, digits]
        assert f"我是{NAME}" in html or number == story.report  # their own words, unmasked
        assert response.headers["Cache-Control"] == "no-store"
        assert access_log_count(app, username) == before + 1
    api = Api.as_user(app, username)
    before = access_log_count(app, username)
    body = api.get(f"/cases/{story.confidential}").get_json()
    assert body["person"] == {"name": NAME, "phone": "+8613912345678", "masked": False}
    assert access_log_count(app, username) == before + 1


@pytest.mark.parametrize("username", ["operator", "supervisor"])
def test_every_centre_page_that_shows_the_person_writes_the_access_log(app, story, username):
    """Walk every page as the centre: wherever the person's name or number comes back, that look was logged and the
    page is kept out of caches."""
    client = app.test_client()
    login(client, username)
    showing = []
    for url in page_urls(app, story, username):
        before = access_log_count(app, username)
        response = client.get(url)
        body = unechoed(response.get_data(as_text=True) if response.mimetype.startswith("text/") else "", url)
        response.close()
        if response.status_code != 200:
            continue
        if shows(body, NAME, DIGITS) or shows(body, REPORTER, REPORTER_DIGITS):
            showing.append(url)
            assert access_log_count(app, username) > before, url
            assert response.headers.get("Cache-Control") == "no-store", url
    assert f"/cases/{story.confidential}" in showing


def test_an_ordinary_complainant_is_shown_to_the_department_and_that_is_logged(app):
    """The other side of the rule: a person who asked for nothing is the department's to call back."""
    number = register(app, datetime.now(UTC), kind="complaint", name="上官婉儿", phone="+8613700001234",
                      description="楼下饭店油烟太大。")
    step(app, number, "dispatcher", "dispatch", datetime.now(UTC), lead_department_id=department(app, "dh-cgj"),
         co_department_ids=[])
    client = app.test_client()
    login(client, "dh-cgj-staff")
    before = access_log_count(app, "dh-cgj-staff")
    html = client.get(f"/cases/{number}").get_data(as_text=True)
    assert shows(html, "上官婉儿", "13700001234") == ["上官婉儿", "13700001234"]
    assert access_log_count(app, "dh-cgj-staff") == before + 1


@pytest.mark.parametrize(("role", "confidential", "kind", "unmasked"), [
    (Role.STAFF, False, "complaint", True),
    (Role.STAFF, True, "complaint", False),
    (Role.HEAD, False, "report", False),
    (Role.STAFF, False, "accusation", False),
    (Role.OPERATOR, True, "report", True),
    (Role.SUPERVISOR, True, "complaint", True),
])
def test_who_sees_the_person_unmasked(role, confidential, kind, unmasked):
    actor = Actor(user_id=1, role=role, department_id=7)
    assert sees_contact_unmasked(actor, confidential, kind) is unmasked


@pytest.mark.parametrize(("text", "expected"), [
    ("请打我电话 139 1234 5678", "请打我电话 +86139****5678"),
    ("电话：139-1234-5678。", "电话：+86139****5678。"),
    ("+86 13912345678 或 +8613912345678", "+86139****5678 或 +86139****5678"),
    ("编号 2139123456789 不是电话", "编号 2139123456789 不是电话"),
    ("我是欧阳晓明，住在这里", "我是欧***，住在这里"),
    ("", ""),
])
def test_the_persons_name_and_number_are_masked_inside_a_text(text, expected):
    assert hide_identity(text, NAME, "+8613912345678") == expected


def test_a_one_character_name_is_not_hunted_in_texts():
    assert hide_identity("王府井大街", "王", None) == "王府井大街"


def test_the_department_is_never_given_the_persons_phone_to_search_by(app, story):
    client = app.test_client()
    login(client, "dh-cgj-staff")
    assert story.confidential not in client.get(f"/dept/inbox?q={DIGITS}").get_data(as_text=True)
    assert story.confidential not in client.get(f"/dept/inbox?q={NAME}").get_data(as_text=True)
