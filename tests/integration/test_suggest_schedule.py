"""The nightly retraining: enqueued by the clock once per period, whatever the number of clocks; and a
retraining asked for in the API travels outbox → Redis → worker like every other job."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import redis
from rq import Queue
from rq.job import Job
from sqlalchemy import func, select

from hotline.extensions import db
from hotline.models import ClassifierModel, OutboxJob
from tests.api_helpers import Api
from tests.integration.test_worker import run_entry_point
from workers import schedule

NIGHTLY = next(entry for entry in schedule.SCHEDULE if entry.job == "retrain_classifier")
NIGHT = datetime(2026, 11, 28, 19, 0, 5, tzinfo=UTC)  # 03:00:05 in Shanghai


@pytest.fixture
def connection(redis_url):
    client = redis.Redis.from_url(redis_url)
    yield client
    client.flushdb()  # conftest's clean slate flushes only after tests that use the app


def enqueue(connection, at, seen=None):
    return schedule.enqueue_due(connection, lambda name: Queue(name, connection=connection), at, seen,
                                schedule=(NIGHTLY,))


@pytest.mark.parametrize(("at", "period"), [
    (datetime(2026, 11, 28, 18, 59, 59, tzinfo=UTC), datetime(2026, 11, 27, 19, tzinfo=UTC)),
    (datetime(2026, 11, 28, 19, 0, tzinfo=UTC), datetime(2026, 11, 28, 19, tzinfo=UTC)),
    (datetime(2026, 11, 29, 3, 30, tzinfo=UTC), datetime(2026, 11, 28, 19, tzinfo=UTC)),
])
def test_the_retraining_runs_nightly_at_three_in_the_morning_in_the_city(at, period):
    assert NIGHTLY.job == "retrain_classifier" and NIGHTLY.every == timedelta(days=1)
    assert NIGHTLY.period_start(at) == period


def test_the_schedule_enqueues_once_per_period(connection):
    seen: set[str] = set()
    assert enqueue(connection, NIGHT, seen) == ["schedule-retrain_classifier-20261128T1900"]
    assert enqueue(connection, NIGHT + timedelta(seconds=1), seen) == []  # the clock's next tick
    assert enqueue(connection, NIGHT + timedelta(hours=23)) == []  # a second clock, or one restarted
    queue = Queue("default", connection=connection)
    assert queue.job_ids == ["schedule-retrain_classifier-20261128T1900"]
    job = Job.fetch(queue.job_ids[0], connection=connection)
    assert job.func_name == "workers.jobs.retrain_classifier" and job.retries_left == 2  # the outbox's policy

    assert enqueue(connection, NIGHT + timedelta(days=1), seen) == ["schedule-retrain_classifier-20261129T1900"]
    assert len(queue.job_ids) == 2


def models(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(ClassifierModel)),
                db.session.scalar(select(func.max(ClassifierModel.version))) or 0)


@pytest.mark.slow
def test_retraining_travels_through_redis_to_the_worker_and_the_clock_adds_the_nightly_one(app, connection):
    job_id = Api.as_user(app, "admin").post("/categories/suggest/retrain").get_json()["job"]
    _, before = models(app)

    clock = run_entry_point(app, "clock", "--once")
    assert clock.returncode == 0, clock.stderr
    queued = Queue("default", connection=connection).job_ids
    assert f"outbox-{job_id}" in queued
    assert [j for j in queued if j.startswith("schedule-retrain_classifier-")]  # this night's, from the clock

    worker = run_entry_point(app, "--burst")
    assert worker.returncode == 0, worker.stderr
    with app.app_context():
        assert db.session.get(OutboxJob, job_id).status == "done"
    count, after = models(app)
    assert after == before + 2 and count >= 2  # the asked-for and the nightly retraining, each a new version
    assert Queue("default", connection=connection).job_ids == []
