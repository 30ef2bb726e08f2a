"""/healthz tells the truth, and a Redis outage does not stop citizens from filing."""
from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import select

from hotline import ROOT
from hotline.extensions import db
from hotline.models import Case, OutboxJob
from tests.helpers import case_number_from, complaint, file_complaint
from tests.servers import EmbeddedRedis


def test_healthz_is_200_when_database_and_redis_answer(client):
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200
    assert body["status"] == "ok" and body["failed"] == []
    assert body["database"]["revision"] == body["database"]["head"]
    assert body["database"]["up_to_date"] is True


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


SCRIPT = """
import sys
from hotline import create_app
from tests.helpers import complaint, file_complaint
app = create_app({"HOTLINE_ENV": "testing", "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": sys.argv[1],
                  "REDIS_URL": sys.argv[2], "RATELIMIT_STORAGE_URI": sys.argv[2]})
print(file_complaint(app.test_client(), complaint(app)).status_code)
"""


def test_rate_limits_kept_in_a_stopped_redis_do_not_stop_citizens(app):
    """Production keeps rate-limit counters in Redis; when it is down the limiter falls back to memory.
    In a process of its own, because the limiter is one object per process."""
    server = EmbeddedRedis().start()
    server.stop()
    result = subprocess.run([sys.executable, "-c", SCRIPT, app.config["SQLALCHEMY_DATABASE_URI"], server.url()],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1:] == ["302"], result.stderr[-2000:]
