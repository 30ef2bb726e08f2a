"""The deadline sweep (issue 5 §3): a warning once its warning moment has passed, a breach once the deadline has,
each recorded once; a late department gets a 督办 with a deadline of its own; an unanswered callback window
closes the case with no rating; a job whose clock stopped meanwhile does nothing; it runs every minute."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import redis
import time_machine
from rq import Queue
from rq.job import Job
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import Case, CaseEvent, Deadline, Notification, OutboxJob, User
from hotline.services import notifications, sweep
from tests.integration.lifecycle_helpers import TZ, dept, local, new_case, step
from workers import jobs, schedule

WEDNESDAY = local(2026, 12, 2, 10)  # an ordinary working week in the 2026 calendar
SECOND, MINUTE = timedelta(seconds=1), timedelta(minutes=1)


def dispatched(app, at=WEDNESDAY) -> str:
    number = new_case(app, at=at)
    step(app, number, "dispatcher", "dispatch", at=at, lead_department_id=dept(app, "cgw"), co_department_ids=[])
    return number


def replied_and_reviewed(app, at=WEDNESDAY) -> str:
    number = dispatched(app, at)
    step(app, number, "cgw-staff", "sign", at=at + timedelta(hours=1))
    step(app, number, "cgw-staff", "reply", at=at + timedelta(hours=2), text="已责令夜间停工", resolved=True)
    step(app, number, "dispatcher", "review-reply", at=at + timedelta(hours=3), decision="approve")
    return number


def clock(app, number: str, name: str) -> Deadline:
    """The newest row of one of the case's clocks."""
    with app.app_context():
        row = db.session.scalar(select(Deadline).join(Case, Case.id == Deadline.case_id)
                                .where(Case.number == number, Deadline.clock == name).order_by(Deadline.id.desc()))
        db.session.expunge_all()
        return row


def sweep_at(app, at: datetime) -> sweep.Tally:
    with app.app_context():
        try:
            return sweep.sweep(db.session, at)
        finally:
            db.session.remove()


def told(app, deadline_id: int) -> list[tuple[str, str]]:
    """(username, kind) of every notification about a clock."""
    with app.app_context():
        return sorted(db.session.execute(select(User.username, Notification.kind).join(
            User, User.id == Notification.user_id).where(Notification.deadline_id == deadline_id)).tuples().all())


def staff_of(app, code: str) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(User.username).where(
            User.department_id == dept(app, code), User.role.in_(["staff", "head"]), User.active)))


def supervisors(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(User.username).where(User.role == "supervisor", User.active)))


def jobs_for(app, deadline_id: int) -> list[OutboxJob]:
    with app.app_context():
        rows = [r for r in db.session.scalars(select(OutboxJob).order_by(OutboxJob.id))
                if r.payload.get("deadline_id") == deadline_id]
        db.session.expunge_all()
        return rows


def run_job(app, name: str, row: OutboxJob, at: datetime):
    """The job as a worker runs it (workers/jobs.py in the app's context), at a moment of our choosing."""
    with time_machine.travel(at, tick=False), app.app_context():
        try:
            return getattr(jobs, name)(**row.payload, outbox_id=row.id)
        finally:
            db.session.remove()


def case_of(app, number: str) -> tuple[Case, list[CaseEvent]]:
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)).all()
        db.session.expunge_all()
        return case, list(events)


def test_a_clock_warns_once_its_warning_moment_passes_and_breaches_once_its_deadline_passes(app):
    number = dispatched(app)
    handle = clock(app, number, "handle")
    assert handle.warn_at < handle.due_at and handle.next_at == handle.warn_at
    staff = staff_of(app, "cgw")
    assert staff  # the department has someone to tell

    sweep_at(app, handle.warn_at)  # a moment is kept up to and including itself
    assert clock(app, number, "handle").warned_at is None
    sweep_at(app, handle.warn_at + SECOND)
    row = clock(app, number, "handle")
    assert row.warned_at == handle.warn_at + SECOND and row.next_at == handle.due_at and row.breached_at is None
    assert told(app, handle.id) == [(u, "warning") for u in staff]
    sweep_at(app, handle.warn_at + 2 * MINUTE)
    assert clock(app, number, "handle").warned_at == handle.warn_at + SECOND
    assert told(app, handle.id) == [(u, "warning") for u in staff]

    sweep_at(app, handle.due_at)
    assert clock(app, number, "handle").breached_at is None
    tally = sweep_at(app, handle.due_at + SECOND)
    assert tally.breaches >= 1
    row = clock(app, number, "handle")
    assert row.breached_at == handle.due_at + SECOND and row.next_at is None and row.warned_at is not None
    assert told(app, handle.id) == sorted([(u, "warning") for u in staff] + [(u, "breach") for u in staff]
                                          + [(u, "breach") for u in supervisors(app)])
    assert [j.job for j in jobs_for(app, handle.id)] == ["escalate_breach"]

    assert sweep_at(app, handle.due_at + timedelta(hours=1)) == sweep.Tally(0, 0)  # nothing left to record
    assert len(told(app, handle.id)) == 2 * len(staff) + len(supervisors(app))
    assert len(jobs_for(app, handle.id)) == 1


def test_a_clock_already_warned_is_not_warned_again_whatever_its_next_moment_says(app):
    """A step that recomputed next_at from a row it read before the sweep's commit must not make the sweep
    warn twice (nor fail on the once-per-person rule, and again every minute after)."""
    number = dispatched(app)
    handle = clock(app, number, "handle")
    sweep_at(app, handle.warn_at + SECOND)
    heard = told(app, handle.id)
    with app.app_context():
        db.session.get(Deadline, handle.id).next_at = handle.warn_at
        db.session.commit()
    assert sweep_at(app, handle.warn_at + MINUTE) == sweep.Tally(0, 0)
    row = clock(app, number, "handle")
    assert row.next_at == handle.due_at and row.warned_at == handle.warn_at + SECOND
    assert told(app, handle.id) == heard


def test_the_notifications_read_as_the_clock_says(app):
    number = dispatched(app)
    sign = clock(app, number, "sign")
    sweep_at(app, sign.due_at + MINUTE)
    with app.app_context():
        row = db.session.scalar(select(Notification).where(Notification.deadline_id == sign.id,
                                                           Notification.kind == "breach"))
        assert row.data["number"] == number and datetime.fromisoformat(row.data["due"]) == sign.due_at
        assert row.case_id == sign.case_id and row.clock == "sign" and row.read_at is None
        assert row.created_at == sign.due_at + MINUTE
        local_due = sign.due_at.astimezone(local(2026, 1, 1).tzinfo).strftime("%Y-%m-%d %H:%M")
        with app.test_request_context("/?lang=en"):
            assert local_due in notifications.text(row, TZ)


@pytest.mark.parametrize("late", ["sign", "handle"])
def test_a_late_department_gets_a_supervision_with_a_deadline_of_its_own(app, late):
    number = dispatched(app)
    if late == "handle":
        step(app, number, "cgw-staff", "sign", at=WEDNESDAY + timedelta(hours=1))
    row = clock(app, number, late)
    breach_at = row.due_at + MINUTE
    sweep_at(app, breach_at)
    assert ("supervisor", "breach") in told(app, row.id)  # the supervisors hear of it at once
    [job] = jobs_for(app, row.id)
    assert job.job == "escalate_breach" and job.status == "pending"

    assert run_job(app, "escalate_breach", job, breach_at + MINUTE) == "done"
    case, events = case_of(app, number)
    assert case.supervised and case.supervision_due_at > breach_at + MINUTE
    assert (events[-1].action, events[-1].actor_label) == ("supervise", "超期监控（系统）")
    assert "超期" in events[-1].note
    supervision = clock(app, number, "supervision")
    assert supervision.due_at == case.supervision_due_at and supervision.stopped_at is None
    assert supervision.started_at == breach_at + MINUTE and supervision.next_at is not None
    assert jobs_for(app, row.id)[0].status == "done"

    assert run_job(app, "escalate_breach", job, breach_at + 2 * MINUTE) == "already"  # the job ran twice
    assert len(case_of(app, number)[1]) == len(events)

    # the 督办's own deadline passes too: the department and the supervisors hear of it; no 督办 of a 督办
    sweep_at(app, supervision.due_at + MINUTE)
    assert clock(app, number, "supervision").breached_at == supervision.due_at + MINUTE
    assert ("supervisor", "breach") in told(app, supervision.id)
    assert {(u, "breach") for u in staff_of(app, "cgw")} <= set(told(app, supervision.id))
    assert jobs_for(app, supervision.id) == []


def test_an_unanswered_callback_window_closes_the_case_with_no_rating(app):
    number = replied_and_reviewed(app)
    callback = clock(app, number, "callback")
    assert callback.department_id is None  # the centre's clock
    sweep_at(app, callback.due_at + MINUTE)
    assert clock(app, number, "callback").breached_at == callback.due_at + MINUTE
    assert told(app, callback.id) == []  # the centre's own clock: it closes, nobody is told
    [job] = jobs_for(app, callback.id)
    assert job.job == "close_unrated"

    assert run_job(app, "close_unrated", job, callback.due_at + 2 * MINUTE) == "done"
    case, events = case_of(app, number)
    assert case.state == "closed" and case.closed_at == callback.due_at + 2 * MINUTE
    assert case.callback_satisfaction is None and case.callback_at is None
    assert (events[-1].action, events[-1].from_state, events[-1].to_state) == ("close-unrated", "replied", "closed")
    assert clock(app, number, "callback").stopped_at == callback.due_at + 2 * MINUTE
    assert run_job(app, "close_unrated", job, callback.due_at + 3 * MINUTE) == "stopped"
    assert len(case_of(app, number)[1]) == len(events)


def test_a_department_that_signs_before_the_job_runs_is_not_supervised(app):
    number = dispatched(app)
    sign = clock(app, number, "sign")
    sweep_at(app, sign.due_at + MINUTE)
    [job] = jobs_for(app, sign.id)
    step(app, number, "cgw-staff", "sign", at=sign.due_at + 2 * MINUTE)  # late, but signed
    assert clock(app, number, "sign").stopped_at == sign.due_at + 2 * MINUTE

    assert run_job(app, "escalate_breach", job, sign.due_at + 3 * MINUTE) == "stopped"
    case, events = case_of(app, number)
    assert not case.supervised and case.supervision_due_at is None
    assert events[-1].action == "sign"
    assert clock(app, number, "supervision") is None
    assert jobs_for(app, sign.id)[0].status == "done"
    assert clock(app, number, "sign").breached_at == sign.due_at + MINUTE  # it stays on record as late


def test_a_callback_made_before_the_job_runs_keeps_its_rating(app):
    number = replied_and_reviewed(app)
    callback = clock(app, number, "callback")
    sweep_at(app, callback.due_at + MINUTE)
    [job] = jobs_for(app, callback.id)
    step(app, number, "operator", "callback", at=callback.due_at + 2 * MINUTE, satisfaction="satisfied",
         resolved="yes")

    assert run_job(app, "close_unrated", job, callback.due_at + 3 * MINUTE) == "stopped"
    case, events = case_of(app, number)
    assert case.state == "closed" and case.callback_satisfaction == "satisfied"
    assert events[-1].action == "callback"


def test_a_recompute_that_moves_only_the_warning_moves_the_watched_warning_too(app):
    from hotline.models import SlaPolicy
    from hotline.services import sla

    number = dispatched(app)
    before = clock(app, number, "handle")
    with app.app_context():
        policy = db.session.scalar(select(SlaPolicy).where(
            SlaPolicy.track == "hotline", SlaPolicy.kind == "", SlaPolicy.urgency == "", SlaPolicy.clock == "handle"))
        policy_id = policy.id
        saved = (policy.warn_percent, policy.warn_left_amount, policy.warn_left_unit, policy.updated_at)
        policy.warn_percent, policy.warn_left_amount, policy.warn_left_unit = 50, None, None  # same limit
        policy.updated_at = saved[3] + SECOND
        db.session.commit()
    try:
        step(app, number, "supervisor", "restamp", at=WEDNESDAY + timedelta(hours=1), note="预警阈值调整")
    finally:
        with app.app_context():
            policy = db.session.get(SlaPolicy, policy_id)
            policy.warn_percent, policy.warn_left_amount, policy.warn_left_unit, policy.updated_at = saved
            db.session.commit()
            sla.forget()
    after = clock(app, number, "handle")
    case, _events = case_of(app, number)
    assert after.due_at == before.due_at and after.warn_at != before.warn_at
    assert after.next_at == after.warn_at and after.id == before.id  # the same clock, watched at its new moment
    with app.app_context():
        from hotline.models import Assignment
        assert after.warn_at == db.session.scalar(select(Assignment.reply_warn_at).where(
            Assignment.id == after.assignment_id))


def test_the_due_query_is_a_range_of_the_next_at_index(app):
    """Its cost follows what is due, not what is open (bench/sweep.py measures it at 1,000,000 cases)."""
    with app.app_context():
        statement = sweep.due(WEDNESDAY, sweep.BATCH).compile(dialect=db.engine.dialect)
        params = statement.construct_params()
        connection = db.session.connection().connection
        cursor = connection.cursor()
        if db.engine.dialect.name == "sqlite":
            values = [params[name] for name in statement.positiontup]
            values = [v.astimezone(UTC).replace(tzinfo=None).isoformat(" ") if isinstance(v, datetime) else v
                      for v in values]
            cursor.execute("EXPLAIN QUERY PLAN " + str(statement), values)
        else:  # on a table this small a sequential scan is cheaper: ask whether the index can serve the query
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + str(statement), params)
        plan = " ".join(str(part) for row in cursor.fetchall() for part in row)
        db.session.rollback()
    assert "ix_deadline_next_at" in plan, plan


def test_the_sweep_runs_every_minute_from_the_schedule(app, redis_url):
    [entry] = [e for e in schedule.SCHEDULE if e.job == "sweep_deadlines"]
    assert entry.every == MINUTE
    connection = redis.Redis.from_url(redis_url)

    def queues(name):
        return Queue(name, connection=connection)

    start = datetime(2026, 12, 2, 2, 0, 5, tzinfo=UTC)
    first = schedule.enqueue_due(connection, queues, start, schedule=(entry,))
    assert first == ["schedule-sweep_deadlines-20261202T0200"]
    assert schedule.enqueue_due(connection, queues, start + timedelta(seconds=50), schedule=(entry,)) == []
    assert schedule.enqueue_due(connection, queues, start + MINUTE, schedule=(entry,)) == [
        "schedule-sweep_deadlines-20261202T0201"]
    job = Job.fetch(first[0], connection=connection)
    assert (job.func_name, job.origin) == ("workers.jobs.sweep_deadlines", "default")

    number = dispatched(app)  # what the job does when a worker runs it
    sign = clock(app, number, "sign")
    with time_machine.travel(sign.due_at + MINUTE, tick=False), app.app_context():
        result = jobs.sweep_deadlines()
        db.session.remove()
    assert result["breaches"] >= 1 and clock(app, number, "sign").breached_at == sign.due_at + MINUTE
