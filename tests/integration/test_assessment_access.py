"""Only supervisors assess departments: everyone else signed in is refused (403) on every page and download, and
the people on the listed cases are shown as the viewer may see them, each unmasked view written to the log."""
from __future__ import annotations

import pytest
from flask_login import login_user
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import AccessLog, Case, Department, User
from tests.helpers import hidden_value
from tests.integration.lifecycle_helpers import local
from tests.integration.test_assessment_support import M, listed_numbers, rated, received, signed
from tests.integration.test_screens_support import html_of, signed_in


def pages(app) -> list[str]:
    with app.app_context():
        department = db.session.scalar(select(Department.id).where(Department.code == "dh-cgj"))
    return [f"/supervise/assessment?month={M}", f"/supervise/assessment/cases?month={M}&measure=received",
            f"/supervise/assessment/export.csv?month={M}", f"/supervise/assessment/departments/{department}?month={M}",
            f"/supervise/assessment/departments/{department}.csv?month={M}",
            f"/supervise/assessment/flags?month={M}",
            f"/supervise/assessment/flags/no_contact/{department}?month={M}", "/supervise/assessment/formula"]


@pytest.mark.parametrize("username", ["dispatcher", "operator", "admin", "dh-cgj-staff", "dh-cgj-head"])
def test_only_supervisors_may_open_the_assessment(app, username):
    client = signed_in(app, username)
    for url in pages(app):
        assert client.get(url).status_code == 403, (username, url)
    assert client.post("/supervise/assessment/formula", data={}).status_code in (400, 403)


def test_a_supervisor_opens_every_page(app):
    client = signed_in(app, "supervisor")
    for url in pages(app):
        assert client.get(url).status_code == 200, url


def test_a_saved_formula_cannot_come_from_anyone_else(app):
    supervisor, dispatcher = signed_in(app, "supervisor"), signed_in(app, "dispatcher")
    token = hidden_value(html_of(dispatcher.get("/cases/")), "csrf_token")
    fields = {"csrf_token": token, "weight_on_time_sign": "50", "weight_on_time_completion": "20",
              "weight_response": "20", "weight_resolution": "25", "weight_satisfaction": "25", "basically_weight": "1",
              "min_cases": "1", "list_size": "5", "note": "派单员想改"}
    assert dispatcher.post("/supervise/assessment/formula", data=fields).status_code == 403
    assert "派单员想改" not in html_of(supervisor.get("/supervise/assessment/formula"))


def test_the_people_on_the_listed_cases_are_shown_to_the_centre_and_each_view_is_logged(app):
    open_case = rated(app, "dh-cgj", 2, phone="+8613900002222", name="李四")
    secret = rated(app, "dh-cgj", 3, phone="+8613900003333", name="赵五", confidential=True)
    nameless = received(app, local(2026, 6, 4, 10), anonymous=True)
    client = signed_in(app, "supervisor")
    response = client.get(f"/supervise/assessment/cases?month={M}&measure=received")
    html = html_of(response)
    assert set(listed_numbers(html)) == {open_case, secret, nameless}
    assert "赵五" in html and "+86 139 0000 3333" in html and "李四" in html  # the centre sees a confidential person
    assert response.headers["Cache-Control"] == "no-store"
    row = html[html.index(f'data-number="{nameless}"'):]
    assert "匿名" in row[:row.index("</tr>")] or "Anonymous" in row[:row.index("</tr>")]
    with app.app_context():
        logged = db.session.execute(select(Case.number, AccessLog.detail).join(Case, Case.id == AccessLog.case_id)
                                    .where(AccessLog.action == "view_personal_data")).all()
        assert sorted(n for n, _ in logged) == sorted([open_case, secret])  # the anonymous one showed nobody
        assert {d for _, d in logged} == {"assessment list"}


def test_a_confidential_person_is_masked_for_whoever_may_not_see_them(app):
    """The lists are the centre's; should a department ever be shown one, the masking rule of the case page holds."""
    from hotline.web.supervise.assessment_view import people

    secret = rated(app, "dh-cgj", 3, phone="+8613900003333", name="赵五", confidential=True)
    plain = signed(app, "dh-cgj", 4, phone="+8613900004444", name="钱六")
    with app.test_request_context():
        login_user(db.session.scalar(select(User).where(User.username == "dh-cgj-staff")))
        rows = list(db.session.scalars(select(Case).where(Case.number.in_([secret, plain]))))
        by_id = people(rows)
        shown = {c.number: by_id[c.id] for c in rows}
        assert shown[secret] == {"name": "赵*", "phone": "+86139****3333", "masked": True}
        assert shown[plain]["name"] == "钱六" and not shown[plain]["masked"]
        logged = db.session.scalars(select(AccessLog.case_id).where(AccessLog.action == "view_personal_data")).all()
        assert logged and all(db.session.get(Case, i).number == plain for i in logged)
