"""The department heads' daily digest: what waits in the department's inbox, counted as the inbox counts it,
once per head and local day; its job, its place in the schedule, and the demo heads who receive it."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from hotline.domain.kinds import Urgency
from hotline.extensions import db
from hotline.models import Department, Notification, OutboxJob, User
from tests.integration.lifecycle_helpers import dept, new_case, step
from tests.integration.test_screens_lists import tab_count
from tests.integration.test_screens_support import html_of, signed_in

TZ = "Asia/Shanghai"


def dispatched(app, lead: str, minutes_ago: float, signed_after: float | None = None) -> str:
    at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    number = new_case(app, at=at, urgency=Urgency.URGENT)  # sign in 15 minutes, reply in 2 hours
    step(app, number, "dispatcher", "dispatch", at=at, lead_department_id=dept(app, lead), co_department_ids=[])
    if signed_after is not None:
        step(app, number, f"{lead}-staff", "sign", at=at + timedelta(minutes=signed_after))
    return number


def digests(app, username: str | None = None) -> list[Notification]:
    with app.app_context():
        query = select(Notification).where(Notification.kind == "digest").order_by(Notification.id)
        if username:
            query = query.join(User, User.id == Notification.user_id).where(User.username == username)
        rows = db.session.scalars(query).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def send(app, at: datetime) -> int:
    from hotline.services import digest

    with app.app_context():
        return digest.send_digests(db.session, at, TZ)


def test_each_head_is_told_what_the_inbox_shows(app):
    dispatched(app, "dh-cgj", 3)                          # to sign
    dispatched(app, "dh-cgj", 40)                         # to sign, overdue
    late = dispatched(app, "dh-cgj", 180, signed_after=5)  # reply overdue
    dispatched(app, "dh-cgj", 100, signed_after=5)        # reply due soon (warned at 90 minutes)
    step(app, late, "supervisor", "supervise", note="请加快办理")
    heads = send(app, datetime.now(UTC))
    with app.app_context():
        expected = db.session.scalar(select(func.count()).select_from(User).where(User.role == "head", User.active))
    assert heads == expected and expected > 50  # every department of the demo city has a head
    mine = digests(app, "dh-cgj-head")
    assert len(mine) == 1
    counts = mine[0].data["counts"]
    inbox = html_of(signed_in(app, "dh-cgj-staff").get("/dept/inbox"))
    assert counts == {"pending": tab_count(inbox, "pending"), "due_soon": tab_count(inbox, "due_soon"),
                      "overdue": tab_count(inbox, "overdue"), "supervised": 1}
    assert counts == {"pending": 2, "due_soon": 1, "overdue": 2, "supervised": 1}
    assert digests(app, "xs-cgj-head")[0].data["counts"] == {"pending": 0, "due_soon": 0, "overdue": 0,
                                                              "supervised": 0}
    with app.app_context():
        name_en = db.session.scalar(select(Department.name_en).where(Department.code == "dh-cgj"))
    page = html_of(signed_in(app, "dh-cgj-head").get("/notifications?lang=en"))
    assert f"Daily summary for {name_en}: 2 to sign for, 1 due soon, 2 overdue, 1 under supervision." in page
    assert 'data-kind="digest"' in page


def test_a_second_run_the_same_local_day_adds_nothing_and_the_next_day_adds_one_each(app):
    evening = datetime(2026, 11, 27, 15, 50, tzinfo=UTC)  # 23:50 in Shanghai
    first = send(app, evening - timedelta(hours=15))      # 08:50 the same local day
    assert first > 0
    assert send(app, evening) == 0
    assert send(app, evening + timedelta(minutes=5)) == 0
    assert send(app, evening + timedelta(minutes=15)) == first  # 00:05 the next day in Shanghai
    assert len(digests(app, "dh-cgj-head")) == 2
    assert [d.data["day"] for d in digests(app, "dh-cgj-head")] == ["2026-11-27", "2026-11-28"]


def test_an_inactive_head_gets_none_and_staff_never_do(app):
    with app.app_context():
        head = db.session.scalar(select(User).where(User.username == "dh-cgj-head"))
        head.active = False
        db.session.commit()
    try:
        send(app, datetime.now(UTC))
        assert digests(app, "dh-cgj-head") == [] and digests(app, "dh-cgj-staff") == []
    finally:
        with app.app_context():
            db.session.scalar(select(User).where(User.username == "dh-cgj-head")).active = True
            db.session.commit()


def test_reading_a_digest_opens_the_inbox(app):
    send(app, datetime.now(UTC))
    head = signed_in(app, "dh-cgj-head")
    page = html_of(head.get("/notifications"))
    notice = re.search(r'action="/notifications/(\d+)/read"', page).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = head.post(f"/notifications/{notice}/read", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/dept/inbox")


def test_the_job_sends_them_and_finishes_its_outbox_row(app):
    from workers import jobs

    with app.app_context():
        row = OutboxJob(job="send_digests", payload={})
        db.session.add(row)
        db.session.commit()
        row_id = row.id
        sent = jobs.send_digests(outbox_id=row_id)
        assert sent > 0 and db.session.get(OutboxJob, row_id).status == "done"
        assert jobs.send_digests() == 0  # the same day again: nothing more


def test_the_schedule_sends_them_at_half_past_eight_in_shanghai():
    from workers import schedule

    entry = next(e for e in schedule.SCHEDULE if e.job == "send_digests")
    assert entry.job_id(datetime(2026, 11, 28, 0, 45, tzinfo=UTC)) == "schedule-send_digests-20261128T0030"
    assert entry.job_id(datetime(2026, 11, 28, 0, 29, tzinfo=UTC)) == "schedule-send_digests-20261127T0030"


def test_every_department_has_a_demo_head_and_seeding_again_adds_none(app):
    from hotline.services.seed import seed_demo

    with app.app_context():
        departments = db.session.scalars(select(Department).where(Department.kind != "centre")).all()
        heads = {u.username: u for u in db.session.scalars(select(User).where(User.role == "head"))}
        for d in departments:
            head = heads[f"{d.code}-head"]
            assert head.department_id == d.id and head.display_name == f"{d.short_name}负责人" and head.is_demo
        assert "centre-head" not in heads
        assert seed_demo(db.session, production=False)["users"] == 0
    assert signed_in(app, "dh-cgj-head").get("/dept/inbox").status_code == 200
