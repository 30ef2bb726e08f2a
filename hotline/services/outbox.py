"""The transactional outbox (DESIGN.md rule 3).

Services add jobs in the transaction that writes their data; `relay` pushes committed jobs to Redis.
When Redis is down nothing is lost: the rows wait. When Redis restarts empty, jobs it had but never
ran are pushed again. Every job is idempotent, so a job that runs twice changes nothing the second time.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from redis.exceptions import RedisError
from rq import Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hotline.models import OutboxJob

# job name → (queue, retry policy). The function run is workers.jobs.<name>.
JOBS: dict[str, tuple[str, Retry | None]] = {
    "deliver_sms": ("sms", Retry(max=5, interval=[10, 30, 120, 600, 1800])),
    "retrain_classifier": ("default", Retry(max=2, interval=[60, 600])),
    "sweep_deadlines": ("default", None),  # the next minute's sweep is the retry
    "escalate_breach": ("default", Retry(max=5, interval=[10, 30, 120, 600, 1800])),
    "close_unrated": ("default", Retry(max=5, interval=[10, 30, 120, 600, 1800])),
    "send_digests": ("default", Retry(max=3, interval=[60, 600, 1800])),
}
BATCH = 200


def add(session: Session, job: str, **payload) -> OutboxJob:
    if job not in JOBS:
        raise ValueError(f"unknown job {job!r}")
    row = OutboxJob(job=job, payload=payload)
    session.add(row)
    return row


def rq_job_id(row_id: int) -> str:
    return f"outbox-{row_id}"


def relay(session: Session, queues, connection, now: datetime, stale_after: timedelta) -> int:
    """Push pending jobs, and re-push pushed jobs that Redis no longer knows. Returns how many were pushed."""
    due = (
        select(OutboxJob)
        .where(or_(OutboxJob.status == "pending",
                   (OutboxJob.status == "pushed") & (OutboxJob.pushed_at < now - stale_after)))
        .order_by(OutboxJob.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)  # several relays share the work on PostgreSQL
    )
    pushed = 0
    try:
        for row in session.scalars(due):
            if row.status == "pushed" and _settle_from_redis(row, connection, now):
                continue
            queue_name, retry = JOBS[row.job]
            queues(queue_name).enqueue(
                f"workers.jobs.{row.job}", kwargs={**row.payload, "outbox_id": row.id},
                job_id=rq_job_id(row.id), retry=retry, result_ttl=3600, failure_ttl=7 * 86400,
            )
            row.status, row.pushed_at, row.push_count = "pushed", now, row.push_count + 1
            pushed += 1
    except RedisError:
        session.commit()  # keep what was pushed before Redis went away; the rest waits
        raise
    session.commit()
    return pushed


def _settle_from_redis(row: OutboxJob, connection, now: datetime) -> bool:
    """True when Redis still holds the job (or its end), so it must not be pushed again."""
    try:
        status = Job.fetch(rq_job_id(row.id), connection=connection).get_status()
    except NoSuchJobError:
        return False
    if status == JobStatus.FAILED:
        row.status, row.finished_at, row.last_error = "failed", now, "failed in the worker after all retries"
    elif status == JobStatus.FINISHED:
        row.status, row.finished_at = "done", now
    else:
        row.pushed_at = now  # still queued, scheduled or running: look again later
    return True


def finish(session: Session, outbox_id: int | None, now: datetime) -> None:
    if outbox_id is None:
        return
    row = session.get(OutboxJob, outbox_id)
    if row is not None and row.status != "done":
        row.status, row.finished_at = "done", now
        session.commit()
