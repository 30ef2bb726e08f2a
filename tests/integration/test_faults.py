"""Faults, with a real Redis and real worker processes (issue 5): Redis stopped while citizens file, a worker
killed with SIGKILL in the middle of sending, and two sweeps at once. Nothing is lost and nothing is done
twice."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from rq import Queue
from rq.job import Job
from rq.registry import StartedJobRegistry
from sqlalchemy import select

from hotline import ROOT
from hotline.clock import now
from hotline.extensions import db
from hotline.models import Case, Deadline, Notification, OutboxJob, SmsMessage, User
from hotline.services import outbox, sweep
from tests.helpers import complaint, file_complaint
from tests.integration.lifecycle_helpers import dept, new_case, step
from tests.integration.worker_helpers import burst
from tests.servers import EmbeddedRedis

WAIT = 90  # seconds a test waits for a worker before it gives up (a deadline, not a measurement)


def worker_env(app, redis_url: str, **extra: str) -> dict:
    """`python -m workers` configured only by the environment, as in production."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env.update(HOTLINE_ENV="testing", HOTLINE_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               REDIS_URL=redis_url, **extra)
    return env


def start(app, redis_url: str, log: Path, *args: str, **extra: str) -> subprocess.Popen:
    """A long-running worker or clock in a process group of its own, so a kill takes its scheduler too."""
    with log.open("w") as err:  # the child keeps its own copy of the file
        return subprocess.Popen([sys.executable, "-m", "workers", *args], env=worker_env(app, redis_url, **extra),
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)


def run(app, redis_url: str, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workers", *args], env=worker_env(app, redis_url, **extra),
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    process.wait(timeout=60)


def wait_until(condition, what: str, process: subprocess.Popen | None = None, log: Path | None = None):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            pytest.fail(f"the process stopped before {what}:\n{log.read_text() if log else ''}")
        time.sleep(0.1)
    pytest.fail(f"gave up waiting for {what}:\n{log.read_text() if log else ''}")


def relay(app, redis_url: str, at=None) -> int:
    with app.app_context():
        connection = redis.Redis.from_url(redis_url, socket_connect_timeout=0.5)
        try:
            return outbox.relay(db.session, lambda name: Queue(name, connection=connection), connection,
                                at or now(), timedelta(minutes=5))
        finally:
            db.session.remove()


def messages(app) -> list[SmsMessage]:
    with app.app_context():
        rows = db.session.scalars(select(SmsMessage).order_by(SmsMessage.id)).all()
        db.session.expunge_all()
        db.session.remove()
        return rows


def outbox_rows(app) -> list[OutboxJob]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxJob).order_by(OutboxJob.id)).all()
        db.session.expunge_all()
        db.session.remove()
        return rows


# (a) ------------------------------------------------------------------------------------------------------

@pytest.fixture
def stopped_redis():
    server = EmbeddedRedis().start()
    server.stop()  # a Redis that was there and went away; start() brings it back on the same port
    yield server
    server.stop()


@pytest.fixture
def app_on_stopped_redis(app, stopped_redis):
    """The web app as it runs while Redis is down: the session's database, this test's Redis. Every other
    setting is the session app's: the rate limiter is one object for both apps, configured by the last."""
    from hotline import create_app

    same = ("HOTLINE_ENV", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "HOTLINE_UPLOAD_DIR", "RATELIMIT_STORAGE_URI",
            "RATELIMIT_ENABLED")
    web = create_app({**{k: app.config[k] for k in same}, "REDIS_URL": stopped_redis.url(0)})
    yield web
    with web.app_context():
        db.session.remove()
        db.engine.dispose()


CITIZENS = 6


@pytest.mark.slow
def test_cases_filed_while_redis_is_down_are_saved_and_acknowledged_once_when_it_returns(
        app, app_on_stopped_redis, stopped_redis, tmp_path):
    web, url = app_on_stopped_redis, stopped_redis.url(0)
    log = tmp_path / "worker.log"
    worker = start(app, url, log, HOTLINE_WORKER_SLOT="fault-a")  # waits for Redis, as after a reboot
    try:
        client = web.test_client()
        numbers = []
        for i in range(CITIZENS):
            response = file_complaint(client, complaint(app, phone=f"138 0000 {1000 + i}"))
            assert response.status_code == 302, response.get_data(as_text=True)[:500]
            numbers.append(response.headers["Location"].rsplit("/", 1)[-1])

        with app.app_context():
            saved = db.session.scalars(select(Case.number).order_by(Case.id)).all()
        assert saved == numbers  # every case saved, each with its number
        assert [m.status for m in messages(app)] == ["queued"] * CITIZENS
        with pytest.raises(redis.ConnectionError):
            relay(app, url)  # the relay finds Redis down: the jobs wait in the outbox
        clock = run(app, url, "clock", "--once")
        assert clock.returncode == 0 and "Redis unavailable" in clock.stderr, clock.stderr
        assert {row.status for row in outbox_rows(app)} == {"pending"}

        stopped_redis.start()  # Redis is back, empty
        assert relay(app, url) == CITIZENS
        wait_until(lambda: all(m.status == "delivered" for m in messages(app)), "every SMS delivered", worker, log)
        wait_until(lambda: all(r.status == "done" for r in outbox_rows(app)), "every job marked done", worker, log)
    finally:
        stop(worker)

    assert relay(app, url, at=now() + timedelta(minutes=10)) == 0  # done rows are never pushed again
    assert run(app, url, "--burst", HOTLINE_WORKER_SLOT="fault-a").returncode == 0
    sent = messages(app)
    with app.app_context():
        case_ids = dict(db.session.execute(select(Case.id, Case.number)).all())
    per_case = Counter(case_ids[m.case_id] for m in sent)
    assert per_case == {number: 1 for number in numbers}  # one acknowledgement per case
    assert all(m.purpose == "ack" and m.status == "delivered" and m.attempts == 1 for m in sent)
    assert len({m.provider_id for m in sent}) == CITIZENS and all(m.provider_id.startswith("dev-") for m in sent)
    assert [r.push_count for r in outbox_rows(app)] == [1] * CITIZENS


# (b) ------------------------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("replacement_slot", ["fault-b", "fault-b-other"], ids=["same slot", "another slot"])
def test_a_worker_killed_in_mid_send_is_replaced_and_the_sms_goes_out_once(app, client, redis_url, tmp_path,
                                                                          replacement_slot):
    file_complaint(client, complaint(app))
    assert relay(app, redis_url) == 1
    row = outbox_rows(app)[0]
    job_id = outbox.rq_job_id(row.id)
    connection = redis.Redis.from_url(redis_url)

    log = tmp_path / "killed.log"
    worker = start(app, redis_url, log, HOTLINE_WORKER_SLOT="fault-b", HOTLINE_SMS_DEV_DELAY="120")
    try:
        # the transport has been handed the message (it says so in the log) and RQ counts the job as running
        wait_until(lambda: "dev transport: sending" in log.read_text(), "the send to begin", worker, log)
        assert Job.fetch(job_id, connection=connection).get_status() == "started"
    finally:
        stop(worker, signal.SIGKILL)

    message = messages(app)[0]
    assert (message.status, message.attempts, message.provider_id) == ("queued", 0, None)  # nothing committed
    started = StartedJobRegistry("sms", connection=connection)
    assert job_id in started.get_job_ids(cleanup=False)  # RQ would only notice after the job's timeout

    # the same slot (restarted by its supervisor), or another one (the dead worker is not coming back)
    replacement = run(app, redis_url, "--burst", HOTLINE_WORKER_SLOT=replacement_slot)
    assert replacement.returncode == 0, replacement.stderr
    assert f"job {job_id} (queue sms) was interrupted (1 time(s)): requeued" in replacement.stderr

    message = messages(app)[0]
    assert (message.status, message.attempts) == ("delivered", 1)
    assert message.provider_id.startswith("dev-") and message.sent_at is not None
    assert outbox_rows(app)[0].status == "done"
    assert started.get_job_ids(cleanup=False) == []
    assert Job.fetch(job_id, connection=connection).get_status() == "finished"


@pytest.mark.slow
def test_a_restarted_worker_finds_nothing_to_recover_after_a_clean_stop(app, client, redis_url):
    file_complaint(client, complaint(app))
    relay(app, redis_url)
    first = run(app, redis_url, "--burst", HOTLINE_WORKER_SLOT="fault-clean")
    again = run(app, redis_url, "--burst", HOTLINE_WORKER_SLOT="fault-clean")
    assert first.returncode == again.returncode == 0
    assert "interrupted" not in first.stderr + again.stderr
    assert messages(app)[0].attempts == 1


# (c) ------------------------------------------------------------------------------------------------------

CASES, CLOCKS_PER_CASE, BATCH = 4, 30, 7
CLOCK_CYCLE = ("sign", "handle", "return", "supervision", "callback")


def _due_clocks(app, at) -> dict[int, str]:
    """CASES dispatched cases, each with CLOCKS_PER_CASE more clocks that have all come due by `at`:
    the even ones past their warning, the odd ones past their deadline. Returns deadline id → what is due."""
    departments = [dept(app, "cgw"), dept(app, "zjw")]
    numbers = [new_case(app, at=at) for _ in range(CASES)]
    for i, number in enumerate(numbers):  # their own clocks (sign, handle, return) come due days later
        step(app, number, "dispatcher", "dispatch", at=at,
             lead_department_id=departments[i % 2], co_department_ids=[])
    expected = {}
    with app.app_context():
        cases = db.session.execute(select(Case.id, Case.lead_department_id).where(Case.number.in_(numbers))).all()
        for case_id, department_id in cases:
            for k in range(CLOCKS_PER_CASE):
                clock = CLOCK_CYCLE[k % len(CLOCK_CYCLE)]
                breach = k % 2 == 1
                due = at - timedelta(minutes=k + 1) if breach else at + timedelta(hours=k + 1)
                warn = due - timedelta(hours=k + 2)
                row = Deadline(case_id=case_id, department_id=None if clock == "callback" else department_id,
                               clock=clock, started_at=at - timedelta(days=3), due_at=due, warn_at=warn,
                               next_at=warn)
                db.session.add(row)
                db.session.flush()
                expected[row.id] = "breach" if breach else "warning"
        db.session.commit()
    return expected


def test_two_sweeps_at_once_record_each_warning_and_breach_once(app):
    at = now()
    expected = _due_clocks(app, at)
    tallies, errors = [], []
    barrier = threading.Barrier(2)

    def one_sweep():
        with app.app_context():
            try:
                barrier.wait()
                tallies.append(sweep.sweep(db.session, at, batch=BATCH))
            except Exception as exc:  # noqa: BLE001 (reported below, with the other thread's result)
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=one_sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert not errors, errors
    assert len(tallies) == 2

    warnings = sum(1 for kind in expected.values() if kind == "warning")
    breaches = len(expected) - warnings
    assert sum(t.warnings for t in tallies) == warnings and sum(t.breaches for t in tallies) == breaches

    with app.app_context():
        again = sweep.sweep(db.session, at, batch=BATCH)
        assert (again.warnings, again.breaches) == (0, 0)  # a third look finds nothing left to record
        rows = {r.id: r for r in db.session.scalars(select(Deadline).where(Deadline.id.in_(expected)))}
        for deadline_id, kind in expected.items():
            row = rows[deadline_id]
            if kind == "warning":
                assert row.warned_at == at and row.breached_at is None and row.next_at == row.due_at
            else:
                assert row.breached_at == at and row.next_at is None

        told = Counter(db.session.execute(
            select(Notification.user_id, Notification.deadline_id, Notification.kind)).all())
        staff: dict[int, set[int]] = {}
        for user_id, department_id in db.session.execute(select(User.id, User.department_id).where(
                User.role.in_(["staff", "head"]), User.active)):
            staff.setdefault(department_id, set()).add(user_id)
        supervisors = set(db.session.scalars(select(User.id).where(User.role == "supervisor", User.active)))
        want = Counter()
        for deadline_id, kind in expected.items():
            row = rows[deadline_id]
            users = set()
            if kind == "warning" and row.clock in ("sign", "handle", "return", "supervision"):
                users = staff.get(row.department_id, set())
            if kind == "breach" and row.clock in ("sign", "handle", "supervision"):
                users = staff.get(row.department_id, set()) | supervisors
            want.update((user_id, deadline_id, kind) for user_id in users)
        assert want and told == want  # the department and the supervisors hear of each once, nobody twice

        jobs = Counter((r.job, r.payload["deadline_id"]) for r in db.session.scalars(select(OutboxJob))
                       if "deadline_id" in r.payload)  # (the rest are the citizens' acknowledgements)
        for deadline_id, kind in expected.items():
            job = sweep.BREACH_JOBS.get(rows[deadline_id].clock) if kind == "breach" else None
            assert jobs.pop((job, deadline_id), 0) == (1 if job else 0)
        assert not jobs, jobs  # and no job for anything else


# failures for good -------------------------------------------------------------------------------------------

def always_fails(outbox_id: int | None = None) -> None:
    raise RuntimeError("the exports disk is full")


def refuses_for_good(outbox_id: int | None = None) -> None:
    raise outbox.PermanentJobError("the export asks for a year that has no cases")


def _outbox_row_pushed(app) -> int:
    with app.app_context():
        row = OutboxJob(job="send_digests", payload={}, status="pushed", pushed_at=now(), push_count=1)
        db.session.add(row)
        db.session.commit()
        return row.id


def test_each_failed_attempt_is_recorded_and_the_last_one_fails_the_row_at_once(app, redis_url):
    from rq import Retry
    from rq.registry import ScheduledJobRegistry

    connection = redis.Redis.from_url(redis_url)
    queue = Queue("default", connection=connection)
    row_id = _outbox_row_pushed(app)
    job = queue.enqueue(always_fails, kwargs={"outbox_id": row_id}, job_id=outbox.rq_job_id(row_id),
                        retry=Retry(max=1, interval=[600]))

    burst(app, connection)  # the first attempt fails; a retry is scheduled in ten minutes
    [row] = outbox_rows(app)
    assert (row.status, row.last_error) == ("pushed", "RuntimeError: the exports disk is full")
    assert job.get_status(refresh=True) == "scheduled"

    job = Job.fetch(job.id, connection=connection)  # one retry left no more
    ScheduledJobRegistry("default", connection=connection).remove(job)
    queue.enqueue_job(job)  # the ten minutes are up
    burst(app, connection)
    [row] = outbox_rows(app)
    assert (row.status, row.last_error) == ("failed", "RuntimeError: the exports disk is full")
    assert row.finished_at is not None and job.get_status(refresh=True) == "failed"


def test_a_permanent_error_fails_the_row_without_retries(app, redis_url):
    from rq import Retry

    connection = redis.Redis.from_url(redis_url)
    row_id = _outbox_row_pushed(app)
    job = Queue("default", connection=connection).enqueue(
        refuses_for_good, kwargs={"outbox_id": row_id}, job_id=outbox.rq_job_id(row_id),
        retry=Retry(max=5, interval=[10, 30]))
    burst(app, connection)
    [row] = outbox_rows(app)
    assert row.status == "failed"
    assert row.last_error == "PermanentJobError: the export asks for a year that has no cases"
    assert job.get_status(refresh=True) == "failed"  # not scheduled again


def test_an_sms_refused_for_good_fails_its_job_with_the_reason(app, client):
    from workers import jobs

    file_complaint(client, complaint(app))
    relay_row = outbox_rows(app)[0]
    with app.app_context():
        message = db.session.scalar(select(SmsMessage))
        message.to_phone = message.to_phone.lstrip("+")  # what the provider answers "invalid number" to
        db.session.commit()
        jobs.deliver_sms(message.id, outbox_id=relay_row.id)
        db.session.remove()
    message = messages(app)[0]
    assert message.status == "failed" and "not an E.164 number" in message.error
    [row] = outbox_rows(app)
    assert row.status == "failed" and row.last_error == f"SMS {message.id} not sent: {message.error}"


@pytest.mark.slow
def test_a_job_that_keeps_killing_its_worker_is_failed_not_run_again(app, client, redis_url, tmp_path):
    from workers.recovery import MAX_INTERRUPTIONS

    file_complaint(client, complaint(app))
    relay(app, redis_url)
    job_id = outbox.rq_job_id(outbox_rows(app)[0].id)
    connection = redis.Redis.from_url(redis_url)
    job = Job.fetch(job_id, connection=connection)
    job.meta["interruptions"] = MAX_INTERRUPTIONS  # killed that many times already
    job.save_meta()

    log = tmp_path / "killed.log"
    worker = start(app, redis_url, log, HOTLINE_WORKER_SLOT="fault-poison", HOTLINE_SMS_DEV_DELAY="120")
    try:
        wait_until(lambda: "dev transport: sending" in log.read_text(), "the send to begin", worker, log)
    finally:
        stop(worker, signal.SIGKILL)

    replacement = run(app, redis_url, "--burst", HOTLINE_WORKER_SLOT="fault-poison")
    assert replacement.returncode == 0, replacement.stderr
    assert "given_up" in replacement.stderr
    [row] = outbox_rows(app)
    assert row.status == "failed"
    assert row.last_error == f"stopped: the worker running it was killed {MAX_INTERRUPTIONS + 1} times"
    assert Job.fetch(job_id, connection=connection).get_status() == "failed"
    assert StartedJobRegistry("sms", connection=connection).get_job_ids(cleanup=False) == []
    assert messages(app)[0].status == "queued"  # never sent; the supervisor's board offers to try again
