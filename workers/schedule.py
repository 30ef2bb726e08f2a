"""Periodic work, one source of truth: what runs, how often, and at which moment of its period.

The clock process calls `enqueue_due` every tick. Each entry is enqueued once per period under a job id
named after the period (`schedule-retrain_classifier-20261128T1900`), claimed first with a Redis key that
outlives the period, so several clocks, or a clock restarted mid-period, never enqueue it twice. Queue
and retry policy are the outbox's (services/outbox.JOBS), like every other job.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rq import Queue

from hotline.services import outbox

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Entry:
    job: str  # workers.jobs.<job>, a name in outbox.JOBS
    every: timedelta
    at: timedelta = timedelta(0)  # the offset of each period from midnight UTC

    def period_start(self, now: datetime) -> datetime:
        periods = (now - EPOCH - self.at) // self.every
        return EPOCH + self.at + periods * self.every

    def job_id(self, now: datetime) -> str:
        return f"schedule-{self.job}-{self.period_start(now):%Y%m%dT%H%M}"  # RQ allows [A-Za-z0-9_-]


SCHEDULE: tuple[Entry, ...] = (
    # every minute: warnings and breaches of every clock that came due (hotline.services.sweep)
    Entry("sweep_deadlines", every=timedelta(minutes=1)),
    # every night at 03:00 Asia/Shanghai (19:00 UTC), when the centre is quiet: the day's closed cases
    # teach the category suggester
    Entry("retrain_classifier", every=timedelta(days=1), at=timedelta(hours=19)),
    # every morning at 08:30 Asia/Shanghai (00:30 UTC), as the departments start work: each head's digest
    Entry("send_digests", every=timedelta(days=1), at=timedelta(minutes=30)),
    # every ten minutes: the published figures and the assessment count the cases changed since (services.rollup)
    Entry("roll_up_figures", every=timedelta(minutes=10)),
    # every hour: unverified filings, their photos and spent one-time codes are removed
    Entry("purge_expired", every=timedelta(hours=1), at=timedelta(minutes=5)),
    # every minute: webhook deliveries whose next try has come (a receiver that was down gets its backlog)
    Entry("deliver_due_webhooks", every=timedelta(minutes=1)),
)


def enqueue_due(connection, queues: Callable[[str], Queue], now: datetime, seen: set[str] | None = None,
                schedule: tuple[Entry, ...] = SCHEDULE) -> list[str]:
    """Enqueue each entry whose current period has not had its job yet; returns the job ids enqueued.
    `seen` remembers, within one clock process, the periods already handled, to spare Redis the question."""
    seen = set() if seen is None else seen
    enqueued = []
    for entry in schedule:
        job_id = entry.job_id(now)
        if job_id in seen:
            continue
        claim_for = int((entry.every * 2).total_seconds())
        if connection.set(f"hotline:{job_id}", now.isoformat(), nx=True, ex=claim_for):
            queue_name, retry = outbox.JOBS[entry.job]
            queues(queue_name).enqueue(f"workers.jobs.{entry.job}", job_id=job_id, retry=retry,
                                       result_ttl=86400, failure_ttl=7 * 86400)
            enqueued.append(job_id)
        seen.add(job_id)
    return enqueued
