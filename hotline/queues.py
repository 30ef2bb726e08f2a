"""Redis and the RQ queues, created per app (never at import)."""
from __future__ import annotations

from flask import current_app
from redis import Redis
from rq import Queue

# listened to in this order: a citizen's SMS first; webhooks last, on their own queue, which a deployment can
# give its own worker so that a slow receiver holds up nothing else
QUEUE_NAMES = ("sms", "default", "webhooks")


def redis_for(url: str) -> Redis:
    # Short timeouts: a page that checks Redis must answer even when Redis does not.
    return Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5, health_check_interval=30)


def get_redis() -> Redis:
    ext = current_app.extensions
    if "hotline_redis" not in ext:
        ext["hotline_redis"] = redis_for(current_app.config["REDIS_URL"])
    return ext["hotline_redis"]


def get_queue(name: str) -> Queue:
    return Queue(name, connection=get_redis())
