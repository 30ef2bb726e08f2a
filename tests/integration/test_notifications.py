"""Notifications: the sweep's warnings and breaches reach the department's staff and head, the bell in the
header counts the unread ones (one indexed query), the list reads them in the reader's language, and each
person reads and clears only their own."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from hotline.domain.kinds import Urgency
from hotline.extensions import db
from hotline.models import Case, Notification, User
from tests.integration.lifecycle_helpers import SHANGHAI, dept, new_case, step
from tests.integration.test_screens_support import html_of, signed_in


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def warned_case(app, lead: str = "dh-cgj") -> str:
    """An urgent case dispatched 13 minutes ago: its 15-minute sign clock warned (at 75%) and the sweep ran."""
    from hotline.services import sweep

    at = datetime.now(UTC) - timedelta(minutes=13)
    number = new_case(app, at=at, urgency=Urgency.URGENT)
    step(app, number, "dispatcher", "dispatch", at=at, lead_department_id=dept(app, lead), co_department_ids=[])
    with app.app_context():
        sweep.sweep(db.session, datetime.now(UTC))
    return number


def bell(html: str) -> int:
    match = re.search(r'<a class="bell[^"]*" href="/notifications" data-unread="(\d+)"', html)
    assert match, "no bell in the header"
    return int(match.group(1))


def token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_a_warning_reaches_the_department_staff_and_head_and_rings_their_bell(app):
    number = warned_case(app)
    with app.app_context():
        told = db.session.execute(select(User.username, Notification.kind, Notification.clock).join(User)
                                  .where(Notification.clock == "sign")).all()
    assert {(u, k) for u, k, _c in told} == {("dh-cgj-staff", "warning"), ("dh-cgj-head", "warning")}
    staff = signed_in(app, "dh-cgj-staff")
    assert bell(html_of(staff.get("/dept/inbox"))) == 1
    assert bell(html_of(signed_in(app, "dh-cgj-head").get("/dept/inbox"))) == 1
    assert bell(html_of(signed_in(app, "xs-cgj-staff").get("/dept/inbox"))) == 0
    page = html_of(staff.get("/notifications?lang=en"))
    with app.app_context():
        due = db.session.scalar(select(Case.sign_due_at).where(Case.number == number))
    local_due = due.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    assert f"Case {number} is due soon: sign for it by {local_due}." in page
    assert 'class="notice notice-warning unread"' in page


def test_reading_one_opens_its_case_and_only_ones_own_can_be_read(app):
    number = warned_case(app)
    staff = signed_in(app, "dh-cgj-staff")
    page = html_of(staff.get("/notifications"))
    mine = int(re.search(r'action="/notifications/(\d+)/read"', page).group(1))
    with app.app_context():
        heads = db.session.scalar(select(Notification.id).where(Notification.user_id == user_id(app, "dh-cgj-head")))
    # someone else's: 404, and it stays unread
    assert staff.post(f"/notifications/{heads}/read", data={"csrf_token": token(page)}).status_code == 404
    other = signed_in(app, "xs-cgj-staff")
    other_page = html_of(other.get("/notifications"))
    assert number not in other_page
    assert other.post(f"/notifications/{mine}/read", data={"csrf_token": token(other_page)}).status_code == 404
    response = staff.post(f"/notifications/{mine}/read", data={"csrf_token": token(page)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{number}")
    with app.app_context():
        assert db.session.get(Notification, mine).read_at is not None
        assert db.session.get(Notification, heads).read_at is None
    assert bell(html_of(staff.get("/dept/inbox"))) == 0
    assert 'class="notice notice-warning"' in html_of(staff.get("/notifications"))  # read: no longer bold


def test_read_all_clears_only_ones_own(app):
    warned_case(app)
    warned_case(app)
    staff = signed_in(app, "dh-cgj-staff")
    page = html_of(staff.get("/notifications"))
    assert bell(page) == 2
    assert staff.post("/notifications/read-all", data={"csrf_token": token(page)}).headers["Location"] \
        .endswith("/notifications")
    assert bell(html_of(staff.get("/notifications"))) == 0
    assert bell(html_of(signed_in(app, "dh-cgj-head").get("/notifications"))) == 2
    assert staff.post("/notifications/read-all").status_code == 400  # no CSRF token


def add_notices(app, username: str, n: int) -> list[int]:
    uid = user_id(app, username)
    now = datetime.now(UTC)
    with app.app_context():
        rows = [Notification(user_id=uid, kind="warning", clock="handle", created_at=now + timedelta(seconds=i),
                             data={"number": f"12345-20261127-{i:06d}", "due": now.isoformat()}) for i in range(n)]
        db.session.add_all(rows)
        db.session.commit()
        return [r.id for r in rows]


def test_the_list_is_paged_newest_first_and_the_bell_stops_counting_at_99(app):
    add_notices(app, "dh-cgj-staff", 120)
    staff = signed_in(app, "dh-cgj-staff")
    first = html_of(staff.get("/notifications"))
    numbers = re.findall(r"Case (12345-20261127-\d+)", html_of(staff.get("/notifications?lang=en")))
    assert len(numbers) == 30 and numbers[0] == "12345-20261127-000119" and numbers[-1] == "12345-20261127-000090"
    assert 'rel="next"' in first
    last = html_of(staff.get("/notifications?page=4&lang=en"))
    assert re.findall(r"Case (12345-20261127-\d+)", last) == [f"12345-20261127-{i:06d}" for i in range(29, -1, -1)]
    assert 'rel="next"' not in last
    assert bell(first) == 100 and '<span class="bell-count">99+</span>' in first


def test_the_bell_costs_one_indexed_query(app):
    add_notices(app, "dh-cgj-staff", 40)
    staff = signed_in(app, "dh-cgj-staff")
    seen = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, *args):
        if "notification" in statement.lower():
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert staff.get("/dept/inbox").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(seen) == 1
    from hotline.services import notifications

    uid = user_id(app, "dh-cgj-staff")
    with app.app_context():
        assert notifications.unread_count(db.session, uid) == 40
        if engine.dialect.name == "sqlite":
            query = select(Notification.id).where(Notification.user_id == uid, Notification.read_at.is_(None))
            compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
            plan = " ".join(str(r) for r in db.session.execute(db.text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert "ix_notification_user_unread" in plan


def test_a_supervised_case_is_told_to_the_lead_department(app):
    from hotline.services import notifications

    number = new_case(app)
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "dh-cgj"),
         co_department_ids=[dept(app, "xs-cgj")])
    step(app, number, "supervisor", "supervise", note="请加快办理")
    lead_department = {user_id(app, "dh-cgj-staff"), user_id(app, "dh-cgj-head")}
    with app.test_request_context("/?lang=en"):
        case = db.session.scalar(select(Case).where(Case.number == number))
        assert notifications.tell_supervised(db.session, case, datetime.now(UTC)) == 2
        db.session.commit()
        rows = db.session.scalars(select(Notification).where(Notification.kind == "supervision")).all()
        assert {r.user_id for r in rows} == lead_department
        local_due = case.supervision_due_at.astimezone(SHANGHAI)
        assert notifications.text(rows[0], "Asia/Shanghai", "en") == (
            f"Case {number} has been put under supervision (督办): answer by {local_due:%Y-%m-%d %H:%M}.")


@pytest.mark.parametrize(("kind", "clock", "words"), [
    ("warning", "handle", " is due soon: reply by 2026-11-28 09:30."),
    ("warning", "return", ": the time to return it to the centre ends at 2026-11-28 09:30."),
    ("warning", "supervision", " is under supervision and due soon: answer by 2026-11-28 09:30."),
    ("breach", "sign", " is overdue: it was not signed for by 2026-11-28 09:30."),
    ("breach", "handle", " is overdue: no reply by 2026-11-28 09:30."),
    ("breach", "supervision", " is overdue under supervision: no answer by 2026-11-28 09:30."),
])
def test_every_kind_of_notice_is_put_into_words_in_the_hotline_time_zone(app, kind, clock, words):
    from hotline.services import notifications

    row = Notification(user_id=1, kind=kind, clock=clock,
                       data={"number": "12345-20261127-000123", "due": "2026-11-28T01:30:00+00:00"})
    with app.test_request_context("/?lang=en"):
        assert notifications.text(row, "Asia/Shanghai", "en") == f"Case 12345-20261127-000123{words}"
