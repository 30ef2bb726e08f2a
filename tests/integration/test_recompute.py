"""Entering a year's notice never moves a deadline already stamped: new stamps count the new days at once,
and an open case's deadlines move only by an explicit recompute — on its page, through the API, or for many
cases at once by an outbox job acting as the administrator who asked — whose event keeps each old and new
deadline. The job runs each case once, however often it runs.

The clocks below start on Wednesday 2026-12-30: five working days run into 2027, which the package does not
cover. Weekends only: 12-31, 01-01, 01-04, 01-05, 01-06. With 2027-01-01 a holiday: due 01-07."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from tests.api_helpers import Api
from tests.helpers import hidden_value, login
from tests.integration import test_admin_calendar
from tests.integration.lifecycle_helpers import dept, end_of, local, new_case, step
from tests.integration.test_screens_support import action_form, offered

calendar_kept = test_admin_calendar.calendar_kept  # fixture: the calendar as it was, after each test

DISPATCHED_AT = local(2026, 12, 30, 10)
NOTICE = "国办发明电〔2026〕9号（测试）"


def dispatched(app, at=DISPATCHED_AT) -> str:
    number = new_case(app, local(2026, 12, 30, 9))
    step(app, number, "dispatcher", "dispatch", at=at, lead_department_id=dept(app, "dh-cgj"), co_department_ids=[])
    return number


def enter_2027(app) -> None:
    from datetime import date

    from hotline.extensions import db
    from hotline.models import User
    from hotline.services import calendars

    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        calendars.enter_year(db.session, 2027, [(date(2027, 1, d), "元旦") for d in (1, 2, 3)],
                             [(date(2027, 2, 20), "春节")], NOTICE, admin, datetime.now(UTC))


def stamped(app, number: str) -> tuple:
    from hotline.extensions import db
    from hotline.models import Case, Deadline

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        running = dict(db.session.execute(select(Deadline.clock, Deadline.due_at).where(
            Deadline.case_id == case.id, Deadline.stopped_at.is_(None))).tuples().all())
        return case.reply_due_at, case.return_until, case.deadlines_provisional, running


def events(app, number: str, action: str = "restamp") -> list:
    from hotline.extensions import db
    from hotline.models import Case, CaseEvent

    with app.app_context():
        return list(db.session.execute(select(CaseEvent.actor_label, CaseEvent.note, CaseEvent.data).join(Case)
                                       .where(Case.number == number, CaseEvent.action == action)
                                       .order_by(CaseEvent.seq)).tuples().all())


def test_a_new_notice_changes_new_stamps_at_once_and_old_ones_only_when_recomputed(app):
    before = dispatched(app)
    assert stamped(app, before)[:3] == (end_of(2027, 1, 6), end_of(2027, 1, 1), True)
    enter_2027(app)
    assert stamped(app, before)[:3] == (end_of(2027, 1, 6), end_of(2027, 1, 1), True)  # not silently moved
    after = dispatched(app)
    assert stamped(app, after)[:3] == (end_of(2027, 1, 7), end_of(2027, 1, 4), False)

    client = app.test_client()
    login(client, "admin")
    page = client.get(f"/cases/{before}").get_data(as_text=True)
    assert "restamp" in offered(page, before)
    form = action_form(page, before, "restamp")
    response = client.post(f"/cases/{before}/actions/restamp", data={
        "restamp-csrf_token": hidden_value(form, "restamp-csrf_token"),
        "restamp-version": hidden_value(form, "restamp-version"), "restamp-note": "2027 年节假日安排已录入"})
    assert response.status_code == 302
    reply_due, return_until, provisional, running = stamped(app, before)
    assert (reply_due, return_until, provisional) == (end_of(2027, 1, 7), end_of(2027, 1, 4), False)
    assert running["handle"] == end_of(2027, 1, 7) and running["return"] == end_of(2027, 1, 4)
    [(who, note, data)] = events(app, before)
    assert note == "2027 年节假日安排已录入" and data["provisional"] is False
    assert who == db_name(app, "admin")
    changes = data["changes"]
    handle = next(v for k, v in changes.items() if k.startswith("handle:"))
    assert handle == {"from": end_of(2027, 1, 6).isoformat(), "to": end_of(2027, 1, 7).isoformat()}
    assert changes["return"] == {"from": end_of(2027, 1, 1).isoformat(), "to": end_of(2027, 1, 4).isoformat()}
    assert not any(k.startswith("sign:") for k in changes)  # 12-31 either way: unchanged, not recorded
    assert stamped(app, after)[:3] == (end_of(2027, 1, 7), end_of(2027, 1, 4), False)


def db_name(app, username: str) -> str:
    from hotline.extensions import db
    from hotline.models import User

    with app.app_context():
        return db.session.scalar(select(User.display_name).where(User.username == username))


def test_the_case_page_asks_for_the_reason_and_keeps_it_when_refused(app):
    number = dispatched(app)
    client = app.test_client()
    login(client, "supervisor")
    page = client.get(f"/cases/{number}").get_data(as_text=True)
    form = action_form(page, number, "restamp")
    response = client.post(f"/cases/{number}/actions/restamp", data={
        "restamp-csrf_token": hidden_value(form, "restamp-csrf_token"),
        "restamp-version": hidden_value(form, "restamp-version"), "restamp-note": "   "})
    assert response.status_code == 422 and events(app, number) == []
    for username in ("operator", "dispatcher"):
        other = app.test_client()
        login(other, username)
        assert "restamp" not in offered(other.get(f"/cases/{number}").get_data(as_text=True), number)


def test_the_api_recomputes_for_administrators_and_supervisors_only(app):
    number = dispatched(app)
    enter_2027(app)
    assert Api.as_user(app, "admin").act(number, "restamp").get_json()["fields"] == {"note": "required"}
    assert Api.as_user(app, "operator").act(number, "restamp", note="x").status_code == 403
    assert Api.as_user(app, "dh-cgj-staff").act(number, "restamp", note="x").status_code == 403
    assert Api.as_user(app, "xs-cgj-staff").act(number, "restamp", note="x").status_code == 404
    assert events(app, number) == []
    response = Api.as_user(app, "supervisor").act(number, "restamp", note="2027 年节假日安排已录入")
    assert response.status_code == 200 and response.get_json()["deadlines_provisional"] is False
    assert "restamp" in Api.as_user(app, "admin").get(f"/cases/{number}").get_json()["allowed_actions"]
    assert len(events(app, number)) == 1


def run_job(app, job_id: int) -> dict:
    from hotline.extensions import db
    from hotline.models import OutboxJob
    from workers import jobs

    with app.app_context():
        payload = dict(db.session.get(OutboxJob, job_id).payload)
    with app.test_request_context():
        return jobs.recompute_deadlines(**payload, outbox_id=job_id)


def ask_for_bulk(client, scope: str = "provisional", year: int = 2027):
    page = client.get(f"/admin/calendar/{year}").get_data(as_text=True)
    return client.post("/admin/calendar/recompute", data={
        "csrf_token": hidden_value(page, "csrf_token"), "year": str(year), "scope": scope,
        "note": "2027 年节假日安排已录入"})


def recompute_jobs(app) -> list:
    from hotline.extensions import db
    from hotline.models import OutboxJob

    with app.app_context():
        return list(db.session.execute(select(OutboxJob.id, OutboxJob.status, OutboxJob.payload)
                                       .where(OutboxJob.job == "recompute_deadlines").order_by(OutboxJob.id))
                    .tuples().all())


def test_an_administrator_recomputes_every_provisional_case_through_a_job_that_runs_each_case_once(app):
    from hotline.services import outbox

    first, second = dispatched(app), dispatched(app)
    closed = dispatched(app)
    step(app, closed, "supervisor", "terminate", note="重复")
    enter_2027(app)
    client = app.test_client()
    login(client, "admin")
    page = client.get("/admin/calendar/2027?lang=en").get_data(as_text=True)
    assert "2 open cases have provisional deadlines." in page
    response = ask_for_bulk(client)
    assert response.status_code == 302
    [(job_id, status, payload)] = recompute_jobs(app)
    assert status == "pending" and payload["scope"] == "provisional" and "recompute_deadlines" in outbox.JOBS
    assert events(app, first) == []  # nothing before the worker runs the job
    assert run_job(app, job_id) == {"recomputed": 2, "unchanged": 0, "already": 0, "moved_on": 0}
    for number in (first, second):
        assert stamped(app, number)[:3] == (end_of(2027, 1, 7), end_of(2027, 1, 4), False)
        [(who, note, _data)] = events(app, number)
        assert (who, note) == (db_name(app, "admin"), "2027 年节假日安排已录入")  # as the admin who asked
    assert events(app, closed) == []
    assert recompute_jobs(app)[0][1] == "done"
    assert run_job(app, job_id)["recomputed"] == 0  # run again: nothing twice
    assert len(events(app, first)) == len(events(app, second)) == 1

    assert ask_for_bulk(client, scope="year").status_code == 302  # everything in 2027: already right
    year_job = recompute_jobs(app)[-1][0]
    assert run_job(app, year_job) == {"recomputed": 0, "unchanged": 2, "already": 0, "moved_on": 0}
    assert len(events(app, first)) == 1


def test_a_job_interrupted_after_some_cases_resumes_with_the_rest(app):
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import User
    from hotline.services import recompute

    numbers = [dispatched(app) for _ in range(3)]
    enter_2027(app)
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        job = recompute.request_bulk(db.session, admin, "year", "2027 年节假日安排已录入", now(), year=2027)
        job_id = job.id
    step(app, numbers[1], "supervisor", "restamp", note="先手工重算")  # as if the job's first run got this far
    assert run_job(app, job_id) == {"recomputed": 2, "unchanged": 0, "already": 1, "moved_on": 0}
    assert [len(events(app, n)) for n in numbers] == [1, 1, 1]


def test_a_bulk_recompute_needs_a_reason_and_an_administrator(app):
    client = app.test_client()
    login(client, "admin")
    page = client.get("/admin/calendar/2027").get_data(as_text=True)
    response = client.post("/admin/calendar/recompute", data={
        "csrf_token": hidden_value(page, "csrf_token"), "year": "2027", "scope": "provisional", "note": ""})
    assert response.status_code == 422 and recompute_jobs(app) == []
    supervisor = app.test_client()
    login(supervisor, "supervisor")
    token = hidden_value(supervisor.get("/admin/calendar/2027").get_data(as_text=True), "csrf_token")
    assert supervisor.post("/admin/calendar/recompute", data={"csrf_token": token, "scope": "provisional",
                                                              "note": "x"}).status_code == 403
    assert recompute_jobs(app) == []
    from hotline.extensions import db
    from hotline.models import AccessLog
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AccessLog)
                                 .where(AccessLog.action == "recompute_requested")) == 0


def test_nothing_is_done_in_the_name_of_someone_who_may_no_longer_recompute(app):
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import AccessLog, User
    from hotline.services import recompute
    from tests.helpers import make_user

    number = dispatched(app)
    enter_2027(app)
    make_user(app, "admin2", "a-long-password-2", role="admin")
    with app.app_context():
        asker = db.session.scalar(select(User).where(User.username == "admin2"))
        job_id = recompute.request_bulk(db.session, asker, "provisional", "2027 年节假日安排已录入", now()).id
        asker.active = False  # left the centre before the worker got to the job
        db.session.commit()
    assert run_job(app, job_id) == {"recomputed": 0, "unchanged": 0, "already": 0, "moved_on": 0}
    assert events(app, number) == [] and stamped(app, number)[2] is True
    with app.app_context():
        assert "refused" in db.session.scalar(select(AccessLog.detail).where(AccessLog.action == "recompute_done"))
