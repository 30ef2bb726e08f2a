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
    "close_petition": ("default", Retry(max=5, interval=[10, 30, 120, 600, 1800])),
    "render_document": ("default", Retry(max=5, interval=[10, 30, 120, 600, 1800])),  # a petition document's PDF
    "send_digests": ("default", Retry(max=3, interval=[60, 600, 1800])),
    "recompute_deadlines": ("default", Retry(max=3, interval=[60, 600, 1800])),  # resumes: done cases are skipped
    "roll_up_figures": ("default", None),  # the next period's run is the retry
    "purge_expired": ("default", None),
    # a subscription's due webhook deliveries; each delivery keeps its own retry schedule (domain/webhooks.py)
    "deliver_webhooks": ("webhooks", None),
    "deliver_due_webhooks": ("webhooks", None),  # every minute: the retries that came due, for every subscription
}
BATCH = 200
ERROR_LENGTH = 2000


class PermanentJobError(Exception):
    """A job that can never succeed as asked (its input is wrong for good): recorded at once, not retried."""


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
    if status == JobStatus.FAILED:  # the worker could not record it (the database was away): do it here
        row.status, row.finished_at, row.last_error = "failed", now, _last_error(rq_job_id(row.id), connection)
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


def fail(session: Session, outbox_id: int | None, reason: str, now: datetime) -> None:
    """The job will not succeed: the supervisor's board lists it with the reason, and may push it again."""
    record_failure(session, outbox_id, reason, final=True, now=now)


def record_failure(session: Session, outbox_id: int | None, reason: str, final: bool, now: datetime) -> None:
    """After each failed attempt: the reason, for whoever looks; and when no retry follows, the row fails."""
    if outbox_id is None:
        return
    row = session.get(OutboxJob, outbox_id)
    if row is None or row.status == "done":
        return
    row.last_error = reason[:ERROR_LENGTH]
    if final:
        row.status, row.finished_at = "failed", now
    session.commit()


def _last_error(job_id: str, connection) -> str:
    """The last line of the job's last exception (its type and message), as RQ kept it."""
    try:
        result = Job.fetch(job_id, connection=connection).latest_result()
    except (NoSuchJobError, RedisError):
        result = None
    lines = [line for line in ((result.exc_string or "") if result else "").splitlines() if line.strip()]
    return lines[-1][:ERROR_LENGTH] if lines else "failed in the worker after all retries"
