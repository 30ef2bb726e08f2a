"""Texts we send through Twilio (issue 6 §2): the worker's transport comes from the configuration; a permanent
error is recorded and not retried, a transient one is retried by RQ with backoff; Twilio's delivery reports at
/twilio/sms/status move each message forward, never back."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
import redis
from rq import Queue
from rq.job import Job
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response

from hotline.clock import now
from hotline.config import ConfigError, load
from hotline.extensions import db
from hotline.integrations.sms import DevTransport, TwilioTransport, transport_from_config
from hotline.models import OutboxJob, SmsMessage
from hotline.services import notify, outbox
from tests.integration.lifecycle_helpers import PHONE, new_case
from tests.integration.twilio_helpers import messages, signed_post, text
from tests.integration.worker_helpers import burst
from tests.unit.test_twilio_transport import Recording, created, error

SID = "AC" + "0" * 32
STALE = timedelta(minutes=5)


def queued_ack(app) -> int:
    new_case(app)  # the acknowledgement SMS is queued with the case
    with app.app_context():
        return db.session.scalar(select(SmsMessage.id).where(SmsMessage.purpose == "ack"))


def status(client, app, sid: str, state: str, error_code: str = ""):
    params = {"MessageSid": sid, "MessageStatus": state, "SmsStatus": state, "AccountSid": SID, "To": PHONE,
              "From": "+12025550100", "ApiVersion": "2010-04-01"}
    if error_code:
        params["ErrorCode"] = error_code
    return signed_post(client, app, "/twilio/sms/status", params)


def deliver(app, message_id: int, http) -> None:
    with app.app_context():
        transport = TwilioTransport(SID, "token", "+12025550100", "https://h.example.cn/twilio/sms/status", http)
        notify.deliver_sms(db.session, message_id, transport, "+12025550100", now())


def test_a_message_sent_through_twilio_then_reported_delivered(app, client):
    message_id = queued_ack(app)
    http = Recording(created("SM" + "b" * 32))
    deliver(app, message_id, http)
    [sent] = messages(app, id=message_id)
    assert (sent.status, sent.transport, sent.provider_id, sent.attempts) == ("sent", "twilio", "SM" + "b" * 32, 1)
    assert http.requests[0]["data"]["To"] == PHONE and "已受理" in http.requests[0]["data"]["Body"]

    for state in ("sent", "delivered"):
        assert status(client, app, sent.provider_id, state).status_code == 200
    [delivered] = messages(app, id=message_id)
    assert delivered.status == "delivered" and delivered.status_at is not None


def test_a_late_report_never_moves_a_message_back(app, client):
    message_id = queued_ack(app)
    deliver(app, message_id, Recording(created("SM" + "c" * 32)))
    for state in ("delivered", "sent", "queued", "sending"):  # Twilio's callbacks may arrive in any order
        status(client, app, "SM" + "c" * 32, state)
    assert messages(app, id=message_id)[0].status == "delivered"


def test_an_undelivered_report_keeps_the_error_code(app, client):
    message_id = queued_ack(app)
    deliver(app, message_id, Recording(created("SM" + "d" * 32)))
    status(client, app, "SM" + "d" * 32, "undelivered", "30006")
    status(client, app, "SM" + "d" * 32, "delivered")  # the first final word stays
    [row] = messages(app, id=message_id)
    assert (row.status, row.error) == ("undelivered", "Twilio error 30006")


def test_a_report_on_an_unknown_or_inbound_message_changes_nothing(app, client):
    text(client, app, "路灯不亮", sid="SM" + "e" * 32)
    assert status(client, app, "SM" + "f" * 32, "delivered").status_code == 200
    assert status(client, app, "SM" + "e" * 32, "failed").status_code == 200
    assert messages(app, direction="in")[0].status == "received"


def test_a_permanent_error_is_recorded_once_and_never_sent_again(app):
    message_id = queued_ack(app)
    http = Recording(error(400, 21211, "The 'To' number is not a valid phone number."))
    deliver(app, message_id, http)
    deliver(app, message_id, http)  # run again (a job pushed twice): no second request
    [row] = messages(app, id=message_id)
    assert (row.status, row.attempts, len(http.requests)) == ("failed", 1, 1)
    assert "21211" in row.error


def test_a_transient_error_is_raised_for_a_retry_and_then_sent(app):
    from hotline.integrations.sms import TransientSmsError

    message_id = queued_ack(app)
    http = Recording(error(503, 20503, "Service Unavailable"), created("SM" + "1" * 32))
    with pytest.raises(TransientSmsError):
        deliver(app, message_id, http)
    [row] = messages(app, id=message_id)
    assert (row.status, row.attempts) == ("queued", 1) and "20503" in row.error
    deliver(app, message_id, http)
    [row] = messages(app, id=message_id)
    assert (row.status, row.attempts, row.error) == ("sent", 2, "")


@pytest.fixture
def twilio_configured(app, monkeypatch):
    """The worker configured for Twilio, and Twilio's HTTP layer answering from a script (the only stand-in)."""
    for key, value in {"HOTLINE_SMS_TRANSPORT": "twilio", "HOTLINE_TWILIO_ACCOUNT_SID": SID,
                       "HOTLINE_SMS_SENDER": "+12025550100",
                       "HOTLINE_PUBLIC_URL": "https://12345.jiangchuan.gov.cn"}.items():
        monkeypatch.setitem(app.config, key, value)
    http = Recording()
    monkeypatch.setattr(TwilioHttpClient, "request", lambda self, *a, **kw: http.request(*a, **kw))
    return http


def test_the_worker_retries_a_transient_error_with_backoff_and_not_a_permanent_one(app, redis_url,
                                                                                    twilio_configured):
    http = twilio_configured
    connection = redis.Redis.from_url(redis_url)
    message_id = queued_ack(app)
    with app.app_context():
        outbox.relay(db.session, lambda name: Queue(name, connection=connection), connection, now(), STALE)

    http.answers.append(Response(500, json.dumps({"code": 20500, "message": "Internal Server Error"})))
    burst(app, connection)
    with app.app_context():
        row = db.session.scalar(select(OutboxJob))
        job = Job.fetch(outbox.rq_job_id(row.id), connection=connection)
        assert job.get_status() == "scheduled" and job.retries_left == 4  # again in 10 s, then 30 s, 2 min …
        assert row.status == "pushed" and "TransientSmsError" in row.last_error
    assert http.requests[0]["data"]["StatusCallback"] == "https://12345.jiangchuan.gov.cn/twilio/sms/status"

    ScheduledJobRegistry("sms", connection=connection).remove(job)
    Queue("sms", connection=connection).enqueue_job(job)  # its time has come
    http.answers.append(created("SM" + "2" * 32))
    burst(app, connection)
    [row] = messages(app, id=message_id)
    assert (row.status, row.provider_id, row.attempts) == ("sent", "SM" + "2" * 32, 2)


def test_the_worker_gives_up_at_once_on_a_permanent_error(app, redis_url, twilio_configured):
    connection = redis.Redis.from_url(redis_url)
    message_id = queued_ack(app)
    with app.app_context():
        outbox.relay(db.session, lambda name: Queue(name, connection=connection), connection, now(), STALE)
    twilio_configured.answers.append(error(400, 21610, "Attempt to send to unsubscribed recipient"))
    burst(app, connection)
    [row] = messages(app, id=message_id)
    assert (row.status, row.attempts) == ("failed", 1)
    with app.app_context():
        job_row = db.session.scalar(select(OutboxJob))
        assert job_row.status == "failed" and "21610" in job_row.last_error
    assert ScheduledJobRegistry("sms", connection=connection).count == 0 and len(twilio_configured.requests) == 1


def test_the_transport_comes_from_the_configuration(tmp_path):
    dev = transport_from_config(load(str(tmp_path), {}))
    assert isinstance(dev, DevTransport)
    twilio = transport_from_config(load(str(tmp_path), {
        "HOTLINE_SMS_TRANSPORT": "twilio", "HOTLINE_TWILIO_ACCOUNT_SID": SID, "HOTLINE_TWILIO_AUTH_TOKEN": "t",
        "HOTLINE_SMS_SENDER": "MG" + "1" * 32, "HOTLINE_PUBLIC_URL": "https://12345.jiangchuan.gov.cn/"}))
    assert isinstance(twilio, TwilioTransport) and twilio.sender == "MG" + "1" * 32
    assert twilio.status_callback_url == "https://12345.jiangchuan.gov.cn/twilio/sms/status"
    no_public = transport_from_config(load(str(tmp_path), {
        "HOTLINE_SMS_TRANSPORT": "twilio", "HOTLINE_TWILIO_ACCOUNT_SID": SID, "HOTLINE_TWILIO_AUTH_TOKEN": "t"}))
    assert no_public.status_callback_url is None


@pytest.mark.parametrize("environ", [
    {"HOTLINE_SMS_TRANSPORT": "twilio"},
    {"HOTLINE_SMS_TRANSPORT": "twilio", "HOTLINE_TWILIO_AUTH_TOKEN": "t"},
    {"HOTLINE_SMS_TRANSPORT": "twilio", "HOTLINE_TWILIO_ACCOUNT_SID": SID, "HOTLINE_ENV": "production",
     "HOTLINE_SECRET_KEY": "x" * 40, "HOTLINE_DATABASE_URL": "postgresql://db/h", "HOTLINE_REDIS_URL": "redis://r"},
    {"HOTLINE_SMS_TRANSPORT": "carrier-pigeon"},
    {"HOTLINE_PUBLIC_URL": "12345.jiangchuan.gov.cn"},
    {"HOTLINE_RATE_INBOUND_SMS": "lots"},
    {"HOTLINE_VOICE_HOURS": "20:00-08:00"},
])
def test_a_twilio_configuration_that_cannot_work_stops_the_start(tmp_path, environ):
    with pytest.raises(ConfigError):
        load(str(tmp_path), environ)
