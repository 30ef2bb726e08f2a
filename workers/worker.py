"""The RQ worker: every job runs inside the app's context, in this process."""
from __future__ import annotations

import logging
import time

from flask import Flask
from redis.exceptions import RedisError
from rq import SimpleWorker

from hotline.extensions import db
from hotline.queues import QUEUE_NAMES, redis_for

log = logging.getLogger("hotline.worker")


class AppWorker(SimpleWorker):
    """SimpleWorker: no fork per job, so the app, its config and its database pool are made once."""

    flask_app: Flask

    def execute_job(self, job, queue):
        with self.flask_app.app_context():
            try:
                return super().execute_job(job, queue)
            finally:
                db.session.remove()


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


def run_worker(app: Flask, burst: bool = False) -> bool:
    connection = redis_for(app.config["REDIS_URL"])
    wait_for_redis(connection, "worker")
    AppWorker.flask_app = app
    worker = AppWorker(list(QUEUE_NAMES), connection=connection)
    try:
        return worker.work(with_scheduler=True, burst=burst, logging_level="INFO")
    except RedisError as exc:  # Redis stopped while we were stopping too (Ctrl-C in `make dev`)
        log.warning("worker stopped: Redis went away (%s)", exc)
        return False
