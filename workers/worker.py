"""The RQ worker: every job runs inside the app's context, in this process.

Two additions to RQ's own bookkeeping. The job being run is recorded under the worker's slot
(workers/recovery.py), so a worker that takes the slot over after a kill runs it again at once. And a job
that fails for good — its retries spent, or a PermanentJobError — marks its outbox row `failed` with the
reason as it fails, so the supervisor's board shows it without waiting for the relay to notice.
"""
from __future__ import annotations

import logging
import time
from contextlib import nullcontext

from flask import Flask, has_app_context
from redis.exceptions import RedisError
from rq import SimpleWorker

from hotline.clock import now
from hotline.extensions import db
from hotline.queues import QUEUE_NAMES, redis_for
from hotline.services import outbox
from workers import recovery

log = logging.getLogger("hotline.worker")


class AppWorker(SimpleWorker):
    """SimpleWorker: no fork per job, so the app, its config and its database pool are made once."""

    flask_app: Flask
    slot: recovery.Slot | None = None

    def execute_job(self, job, queue):
        if self.slot is not None:
            self.slot.running(job.id, queue.name)  # before RQ marks it started: no moment unrecorded
        try:
            with self.flask_app.app_context():
                try:
                    return super().execute_job(job, queue)
                finally:
                    db.session.remove()
        finally:
            if self.slot is not None:
                try:
                    self.slot.idle()
                except RedisError as exc:  # the next worker in this slot finds the job settled and moves on
                    log.warning("could not clear the running job of slot %s (%s)", self.slot.name, exc)

    def record_failure(self, job, exc_type, exc_value, _tb) -> bool:
        """RQ's exception handler, called after every failed attempt (and for a job abandoned by a dead
        worker, from its registry cleanup): before RQ decides whether to retry, so a permanent error
        can still stop the retries."""
        if isinstance(exc_value, outbox.PermanentJobError):
            job.retries_left = 0
        final = not job.should_retry
        try:
            outbox_id = (job.kwargs or {}).get("outbox_id")
        except Exception:  # noqa: BLE001 (a job that cannot be read has no row to mark)
            return True
        if outbox_id is not None:
            reason = f"{exc_type.__name__}: {exc_value}" if str(exc_value) else exc_type.__name__
            self._record(outbox_id, reason, final)
        return True

    def give_up(self, found: recovery.Recovered, reason: str) -> None:
        outbox_id = found.kwargs.get("outbox_id")
        if outbox_id is not None:
            self._record(outbox_id, reason, final=True)

    def _record(self, outbox_id: int, reason: str, final: bool) -> None:
        try:
            with nullcontext() if has_app_context() else self.flask_app.app_context():
                db.session.rollback()  # the failed job's transaction, if it left one open
                outbox.record_failure(db.session, outbox_id, reason, final, now())
        except Exception:  # the relay marks it failed from Redis later; the worker must go on
            log.exception("could not record the failure of outbox job %s", outbox_id)


def wait_for_redis(connection, label: str) -> None:
    delay = 0.2
    while True:
        try:
            connection.ping()
            return
        except RedisError as exc:
            log.warning("%s: Redis not reachable (%s); retrying in %.1fs", label, exc, delay)
            time.sleep(delay)
            delay = min(delay * 2, 5)


def run_worker(app: Flask, burst: bool = False, queues: tuple[str, ...] | None = None) -> bool:
    connection = redis_for(app.config["REDIS_URL"])
    wait_for_redis(connection, "worker")
    AppWorker.flask_app = app
    worker = AppWorker(list(queues or QUEUE_NAMES), connection=connection)
    worker.push_exc_handler(worker.record_failure)
    slot = recovery.claim(connection, app.config["HOTLINE_WORKER_SLOT"], worker.name)
    worker.slot = slot
    log.info("worker %s holds slot %s", worker.name, slot.name)
    for found in recovery.recover(slot, worker.give_up):
        log.warning("job %s (queue %s) was interrupted (%d time(s)): %s", found.job_id, found.queue,
                    found.interruptions, found.outcome)
    slot.keep()
    try:
        return worker.work(with_scheduler=True, burst=burst, logging_level="INFO")
    except RedisError as exc:  # Redis stopped while we were stopping too (Ctrl-C in `make dev`)
        log.warning("worker stopped: Redis went away (%s)", exc)
        return False
    finally:
        slot.release()
