"""web → database → Redis → worker → database, with the real worker and relay, and nothing lost on the way."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import redis
from rq import Queue
from sqlalchemy import select

from hotline import ROOT
from hotline.clock import now
from hotline.extensions import db
from hotline.models import OutboxJob, SmsMessage
from hotline.services import outbox
from tests.helpers import case_number_from, complaint, file_complaint, login


def run_entry_point(app, *args: str) -> subprocess.CompletedProcess:
    """`python -m workers ...` in a process of its own, configured only by the environment, as in production."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env.update(HOTLINE_ENV="testing", HOTLINE_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               REDIS_URL=app.config["REDIS_URL"])
    return subprocess.run([sys.executable, "-m", "workers", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def relay(app, stale_after=timedelta(minutes=5), at=None) -> int:
    with app.app_context():
        connection = redis.Redis.from_url(app.config["REDIS_URL"])
        return outbox.relay(db.session, lambda name: Queue(name, connection=connection), connection,
                            at or now(), stale_after)


def sms(app) -> SmsMessage:
    with app.app_context():
        return db.session.scalar(select(SmsMessage))


def outbox_row(app) -> OutboxJob:
    with app.app_context():
        return db.session.scalar(select(OutboxJob))


def test_the_acknowledgement_sms_travels_through_redis_and_the_worker(app, client):
    number = case_number_from(file_complaint(client, complaint(app)))
    assert sms(app).status == "queued"

    clock = run_entry_point(app, "clock", "--once")
    assert clock.returncode == 0, clock.stderr
    assert outbox_row(app).status == "pushed"
    assert redis.Redis.from_url(app.config["REDIS_URL"]).llen("rq:queue:sms") == 1

    worker = run_entry_point(app, "--burst")
    assert worker.returncode == 0, worker.stderr
    message = sms(app)
    assert message.status == "delivered" and message.transport == "dev" and message.provider_id.startswith("dev-")
    assert message.sent_at is not None and message.attempts == 1
    assert outbox_row(app).status == "done"

    login(client, "operator")
    html = client.get(f"/cases/{number}").get_data(as_text=True)
    assert number in html.split("messages", 1)[1]  # the SMS, with the case number in it, on the case page


def test_a_job_lost_by_a_redis_restart_is_pushed_again_and_sent_once(app, client):
    file_complaint(client, complaint(app))
    assert relay(app) == 1
    redis.Redis.from_url(app.config["REDIS_URL"]).flushdb()  # Redis restarted empty before the worker ran

    assert relay(app) == 0  # not yet stale: it may still be in Redis for all we know
    assert relay(app, at=now() + timedelta(minutes=6)) == 1
    assert outbox_row(app).push_count == 2

    assert run_entry_point(app, "--burst").returncode == 0
    assert sms(app).status == "delivered" and sms(app).attempts == 1
    assert outbox_row(app).status == "done"


def test_a_job_still_queued_is_not_pushed_twice(app, client):
    file_complaint(client, complaint(app))
    relay(app)
    assert relay(app, at=now() + timedelta(minutes=6)) == 0
    assert redis.Redis.from_url(app.config["REDIS_URL"]).llen("rq:queue:sms") == 1


def test_delivering_the_same_message_twice_sends_it_once(app, client):
    from hotline.integrations.sms import DevTransport
    from hotline.services import notify

    file_complaint(client, complaint(app))

    class CountingTransport(DevTransport):
        sent = 0

        def send(self, to, body, sender):
            CountingTransport.sent += 1
            return super().send(to, body, sender)

    with app.app_context():
        message_id = db.session.scalar(select(SmsMessage.id))
        for _ in range(2):
            notify.deliver_sms(db.session, message_id, CountingTransport(), "12345", now())
    assert CountingTransport.sent == 1


def test_a_permanent_sms_failure_is_recorded_and_not_retried(app, client):
    from hotline.integrations.sms import PermanentSmsError
    from hotline.services import notify

    file_complaint(client, complaint(app))

    class Refusing:
        name = "refusing"

        def send(self, to, body, sender):
            raise PermanentSmsError("number blocked")

    with app.app_context():
        message_id = db.session.scalar(select(SmsMessage.id))
        notify.deliver_sms(db.session, message_id, Refusing(), "12345", now())
    assert sms(app).status == "failed" and sms(app).error == "number blocked"
