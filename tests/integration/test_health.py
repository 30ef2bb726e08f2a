"""/healthz tells the truth, and a Redis outage does not stop citizens from filing."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import Case, OutboxJob
from tests.helpers import case_number_from, complaint, file_complaint
from tests.servers import EmbeddedRedis


def test_healthz_is_200_when_database_and_redis_answer(client):
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200
    assert body["status"] == "ok" and body["failed"] == []
    assert body["database"]["revision"] == body["database"]["head"] == "0001"


@pytest.fixture
def stopped_redis(app):
    """Our own Redis server, started and then stopped, as an operator would see it during an outage."""
    server = EmbeddedRedis().start()
    previous = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = server.url()
    app.extensions.pop("hotline_redis", None)
    server.stop()
    yield server
    server.stop()
    app.config["REDIS_URL"] = previous
    app.extensions.pop("hotline_redis", None)


def test_healthz_is_503_and_names_redis_when_redis_is_stopped(client, stopped_redis):
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 503
    assert body["failed"] == ["redis"] and body["database"]["ok"] is True
    assert body["redis"]["error"]


def test_a_complaint_is_saved_while_redis_is_stopped_and_its_sms_waits(app, client, stopped_redis):
    response = file_complaint(client, complaint(app))
    assert response.status_code == 302
    number = case_number_from(response)
    with app.app_context():
        assert db.session.scalar(select(Case).where(Case.number == number)) is not None
        assert db.session.scalar(select(OutboxJob)).status == "pending"
