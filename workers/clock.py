"""The clock process: pushes committed outbox jobs to Redis, every second, whatever Redis did meanwhile,
and enqueues the periodic work of workers/schedule.py once per period."""
from __future__ import annotations

import logging
import signal
import time
from datetime import timedelta

from flask import Flask
from redis.exceptions import RedisError
from rq import Queue

from hotline.clock import now
from hotline.extensions import db
from hotline.queues import redis_for
from hotline.services import outbox
from workers import schedule

log = logging.getLogger("hotline.clock")
INTERVAL = 1.0


def relay_once(app: Flask, connection) -> int:
    with app.app_context():
        try:
            return outbox.relay(
                db.session, lambda name: Queue(name, connection=connection), connection, now(),
                timedelta(seconds=app.config["HOTLINE_OUTBOX_STALE_SECONDS"]),
            )
        finally:
            db.session.remove()


def schedule_once(connection, seen: set[str]) -> list[str]:
    return schedule.enqueue_due(connection, lambda name: Queue(name, connection=connection), now(), seen)


def run_clock(app: Flask, once: bool = False) -> None:
    connection = redis_for(app.config["REDIS_URL"])
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    redis_down = False
    seen: set[str] = set()
    while not stopping:
        try:
            pushed = relay_once(app, connection)
            for job_id in schedule_once(connection, seen):
                log.info("enqueued %s", job_id)
            if redis_down:
                log.info("Redis is back; relaying again")
                redis_down = False
            if pushed:
                log.info("pushed %d job(s) to Redis", pushed)
        except RedisError as exc:
            if not redis_down:
                log.warning("Redis unavailable (%s); jobs wait in the outbox", exc)
            redis_down = True
        except Exception:
            log.exception("outbox relay failed; trying again")
        if once:
            return
        time.sleep(INTERVAL)
