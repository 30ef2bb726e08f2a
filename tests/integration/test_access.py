"""Who sees which case: the centre sees all; a department sees its own, and nothing else exists for it."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import AccessLog
from tests.helpers import case_number_from, complaint, dispatch, file_complaint, login, make_user


def file_one(app, **overrides) -> str:
    return case_number_from(file_complaint(app.test_client(), complaint(app, **overrides)))


def give_to(app, number: str, department_code: str) -> None:
    dispatch(app, number, department_code)


@pytest.mark.parametrize("username", ["operator", "supervisor", "dispatcher", "admin"])
def test_centre_staff_see_a_filed_complaint_in_the_list_and_its_page(app, client, username):
    number = file_one(app)
    login(client, username)
    listing = client.get("/cases/")
    assert listing.status_code == 200 and number in listing.get_data(as_text=True)
    page = client.get(f"/cases/{number}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "王小明" in html and "+86 138 1234 5678" in html  # the centre calls the person back
    assert "工地每天夜里十一点以后还在施工" in html
    assert page.headers["Cache-Control"] == "no-store"


def test_every_view_of_personal_data_is_written_to_the_access_log(app, client):
    number = file_one(app)
    login(client, "operator")
    client.get(f"/cases/{number}")
    client.get(f"/cases/{number}")
    with app.app_context():
        rows = db.session.scalars(select(AccessLog).where(AccessLog.action == "view_personal_data")).all()
        assert len(rows) == 2 and all(r.case_id is not None and r.user_id is not None for r in rows)


def test_department_staff_see_their_own_cases(app, client):
    number = file_one(app)
    give_to(app, number, "dh-cgj")
    login(client, "dh-cgj-staff")
    inbox = client.get("/dept/inbox")
    assert inbox.status_code == 200 and number in inbox.get_data(as_text=True)
    assert client.get(f"/cases/{number}").status_code == 200


def test_another_departments_case_does_not_exist_for_department_staff(app, client):
    number = file_one(app)
    give_to(app, number, "dh-cgj")
    login(client, "xs-cgj-staff")
    assert client.get(f"/cases/{number}").status_code == 404
    assert number not in client.get("/dept/inbox").get_data(as_text=True)
    assert f">{number}</a>" not in client.get(f"/dept/inbox?q={number}").get_data(as_text=True)


def test_an_undispatched_case_is_invisible_to_every_department(app, client):
    number = file_one(app)
    login(client, "cgw-staff")
    assert client.get(f"/cases/{number}").status_code == 404


def test_department_staff_may_not_open_the_centre_case_list(app, client):
    login(client, "dh-cgj-staff")
    assert client.get("/cases/").status_code == 403


def test_centre_staff_have_no_department_inbox(app, client):
    login(client, "operator")
    assert client.get("/dept/inbox").status_code == 403


@pytest.mark.parametrize("path", ["/cases/", "/dept/inbox", "/cases/12345-20260101-000001"])
def test_signed_out_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_confidential_complainant_is_masked_for_the_department(app, client):
    number = file_one(app, confidential="y")
    give_to(app, number, "dh-cgj")
    login(client, "dh-cgj-staff")
    html = client.get(f"/cases/{number}").get_data(as_text=True)
    assert "王小明" not in html and "+8613812345678" not in html
    assert "王**" in html and "+86138****5678" in html
    with app.app_context():
        assert db.session.scalar(select(AccessLog).where(AccessLog.action == "view_personal_data")) is None


def test_the_centre_still_sees_a_confidential_complainant(app, client):
    number = file_one(app, confidential="y")
    login(client, "operator")
    html = client.get(f"/cases/{number}").get_data(as_text=True)
    assert "王小明" in html and "+86 138 1234 5678" in html


def test_the_operator_finds_a_case_by_the_callers_number(app, client):
    number = file_one(app)
    login(client, "operator")
    assert number in client.get("/cases/?q=13812345678").get_data(as_text=True)
    assert number not in client.get("/cases/?q=13900000000").get_data(as_text=True)


def test_department_staff_cannot_look_up_a_caller_by_phone(app, client):
    number = file_one(app)
    give_to(app, number, "dh-cgj")
    login(client, "dh-cgj-staff")
    assert f">{number}</a>" in client.get("/dept/inbox?q=施工").get_data(as_text=True)
    assert f">{number}</a>" not in client.get("/dept/inbox?q=13812345678").get_data(as_text=True)


def test_department_staff_without_a_department_see_nothing(app, client):
    number = file_one(app)  # undispatched: its lead department is empty, as is this user's department
    make_user(app, "orphan", "long enough password", role="staff", department_id=None)
    login(client, "orphan", "long enough password")
    assert f">{number}</a>" not in client.get("/dept/inbox").get_data(as_text=True)
    assert client.get(f"/cases/{number}").status_code == 404
