"""Who may open which of the petition office's screens, and what each sees there: the office everything it may,
a department its own organ's, an accused unit nothing of the accusation, a recused person nothing of the case."""
from __future__ import annotations

import re

import pytest
import time_machine
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import Case, User
from tests.helpers import DEMO_PASSWORD, make_user
from tests.integration.lifecycle_helpers import dept, step
from tests.integration.test_petition_office_support import (
    ACCUSER,
    ACCUSER_ID,
    NOW,
    Browsers,
    build_office,
    numbers,
)

PAGES = ("/petitions/", "/petitions/registry.csv", "/petitions/queue", "/petitions/calendar", "/petitions/report",
         "/petitions/report.csv")
ALLOWED = {
    "operator": {"/petitions/", "/petitions/registry.csv", "/petitions/queue", "/petitions/calendar"},
    "dispatcher": set(PAGES), "supervisor": set(PAGES),
    "admin": {"/petitions/", "/petitions/registry.csv", "/petitions/queue", "/petitions/calendar"},
    "dh-gov-staff": {"/petitions/queue", "/petitions/calendar"},
    "dh-gov-head": {"/petitions/queue", "/petitions/calendar"},
}


@pytest.mark.parametrize("username", sorted(ALLOWED))
def test_each_page_opens_for_the_roles_it_is_for_and_refuses_the_others(app, username):
    see = Browsers(app)
    for url in PAGES:
        status, _ = see(username, url)
        assert status == (200 if url in ALLOWED[username] else 403), (username, url, status)


def test_no_page_opens_without_signing_in(client):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_the_menu_offers_each_role_its_screens(app):
    see = Browsers(app)
    expected = {"operator": {"registry", "queue", "calendar"},
                "supervisor": {"registry", "queue", "calendar", "report"}, "dh-gov-staff": {"queue", "calendar"}}
    for username, screens in expected.items():
        _, html = see(username, "/petitions/calendar")
        offered = {name for name in ("registry", "queue", "calendar", "report")
                   if f'href="/petitions/{"" if name == "registry" else name}"' in html}
        assert offered == screens, username
        assert 'class="nav-group' in html


@time_machine.travel(NOW, tick=False)
def test_a_department_sees_its_own_organs_petitions_only(app):
    see = Browsers(app)
    office = build_office(app)
    _, gov = see("dh-gov-staff", "/petitions/queue")
    assert {office.grievance, office.accusation, office.reviewing} <= numbers(gov)
    assert not {office.extension, office.hearing, office.unforwarded} & numbers(gov)
    _, zjj = see("dh-zjj-staff", "/petitions/queue")
    assert office.extension in numbers(zjj)
    # it decided the one under review and keeps sight of it, but the review is another organ's step
    assert office.reviewing not in numbers(zjj)
    _, calendar = see("dh-gov-staff", "/petitions/calendar")
    assert numbers(calendar) <= {office.grievance, office.accusation, office.reviewing}
    # ?organ= is the office's choice: a department always gets its own queue
    _, other = see("dh-gov-staff", f"/petitions/queue?organ={dept(app, 'dh-zjj')}")
    assert office.extension not in numbers(other)


@time_machine.travel(NOW, tick=False)
def test_the_accused_unit_gets_no_trace_of_the_accusation(app):
    see = Browsers(app)
    office = build_office(app)
    for username in ("dh-cgj-staff", "dh-cgj-head"):
        for url in ("/petitions/queue", "/petitions/calendar", "/petitions/calendar?week=2026-W48",
                    "/petitions/calendar?week=2026-W50"):
            status, html = see(username, url)
            assert status == 200
            assert office.accusation not in html and ACCUSER not in html and "好处费" not in html, (username, url)
        for url in ("/petitions/", "/petitions/?q=" + ACCUSER_ID, "/petitions/registry.csv", "/petitions/report",
                    "/petitions/report.csv"):
            status, html = see(username, url)
            assert status == 403 and office.accusation not in html, (username, url)
    # the organ handling it sees the accusation, but not who made it
    _, handler = see("dh-gov-staff", "/petitions/queue")
    assert office.accusation in handler and ACCUSER not in handler and ACCUSER_ID not in handler


@time_machine.travel(NOW, tick=False)
def test_a_recused_person_sees_nothing_of_the_case_anywhere(app):
    see = Browsers(app)
    office = build_office(app)
    make_user(app, "supervisor2", DEMO_PASSWORD, role="supervisor")
    with app.app_context():
        ids = {u.username: u.id for u in db.session.scalars(
            select(User).where(User.username.in_(["supervisor", "dh-gov-staff"])))}
    step(app, office.grievance, "supervisor2", "record-conflict", NOW, user_id=ids["supervisor"], reason="亲属关系")
    step(app, office.grievance, "supervisor2", "record-conflict", NOW, user_id=ids["dh-gov-staff"], reason="同学关系")
    for url in ("/petitions/", "/petitions/?q=孙申诉", f"/petitions/?q={office.grievance}", "/petitions/registry.csv",
                "/petitions/queue", f"/petitions/queue?organ={dept(app, 'dh-gov')}", "/petitions/calendar",
                "/petitions/calendar?week=2026-W51", "/petitions/report.csv"):
        status, html = see("supervisor", url)
        if url.startswith("/petitions/?"):  # the registry's rows, not the query it shows back
            html = "".join(re.findall(r"<tbody>.*?</tbody>", html, re.S))
        assert status == 200 and office.grievance not in html and "孙申诉" not in html, url
    for url in ("/petitions/queue", "/petitions/calendar", "/petitions/calendar?week=2026-W51"):
        _, html = see("dh-gov-staff", url)
        assert office.grievance not in html, url
    # everyone else still sees it
    _, head = see("dh-gov-head", "/petitions/queue")
    assert office.grievance in head
    _, other = see("supervisor2", "/petitions/")
    assert office.grievance in other and "孙申诉" in other


@time_machine.travel(NOW, tick=False)
def test_a_recused_supervisor_counts_the_case_nowhere_in_the_report(app):
    see = Browsers(app)
    office = build_office(app)
    make_user(app, "supervisor2", DEMO_PASSWORD, role="supervisor")
    _, before = see("supervisor", "/petitions/report.csv")
    with app.app_context():
        me = db.session.scalar(select(User.id).where(User.username == "supervisor"))
        assert db.session.scalar(select(Case.id).where(Case.number == office.grievance))
    step(app, office.grievance, "supervisor2", "record-conflict", NOW, user_id=me, reason="亲属关系")
    _, after = see("supervisor", "/petitions/report.csv")
    _, other = see("supervisor2", "/petitions/report.csv")
    assert other == before != after
