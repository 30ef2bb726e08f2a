"""Fixtures: a real database (SQLite, or PostgreSQL when HOTLINE_TEST_DATABASE_URL is set) and a real Redis
(the one REDIS_URL names, on a database number of the tests' own, or an embedded server)."""
from __future__ import annotations

import os

import pytest
import redis
from sqlalchemy import delete, func, select, text

from tests.servers import EmbeddedRedis, ThrowawayPostgres, with_redis_db

TEST_REDIS_DB = int(os.environ.get("HOTLINE_TEST_REDIS_DB", "13"))


@pytest.fixture(scope="session")
def redis_url():
    external = os.environ.get("HOTLINE_TEST_REDIS_URL") or os.environ.get("REDIS_URL")
    if external:
        url = with_redis_db(external, TEST_REDIS_DB)
        client = redis.Redis.from_url(url)
        client.flushdb()
        yield url
        client.flushdb()
        return
    server = EmbeddedRedis().start()
    yield server.url(TEST_REDIS_DB)
    server.stop()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    server = os.environ.get("HOTLINE_TEST_DATABASE_URL")
    if not server:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "hotline-test.sqlite3")
        return
    database = ThrowawayPostgres(server)
    yield database.create()
    database.drop()


@pytest.fixture(scope="session")
def upload_dir(tmp_path_factory):
    """Where this test session's attached files are stored (HOTLINE_UPLOAD_DIR)."""
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture(scope="session")
def app(database_url, redis_url, upload_dir):
    from flask_migrate import upgrade

    from hotline import create_app
    from hotline.config import database_driver_url
    from hotline.extensions import db
    from hotline.services.seed import seed_demo

    app = create_app({
        "HOTLINE_ENV": "testing",
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_driver_url(database_url),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": "memory://",
        "HOTLINE_UPLOAD_DIR": str(upload_dir),
    })
    with app.app_context():
        upgrade()
        seed_demo(db.session, production=False)
        app.config["TEST_CATALOGUE_STAMP"] = _catalogue_stamp(db.session)
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _catalogue_stamp(session) -> tuple:
    """What changes when a test touches the dispatch catalogue: cheap to read after every test."""
    from hotline.models import RoutingCatalogueVersion, RoutingRule

    rules = session.execute(select(func.count(), func.max(RoutingRule.id), func.max(RoutingRule.updated_at))).one()
    return (session.scalar(select(func.max(RoutingCatalogueVersion.version))), *rules)


def _reseed_catalogue(session) -> None:
    """Back to the demo catalogue, version 1, and no compiled copy of another one left in the process."""
    from hotline.models import RoutingCatalogueVersion, RoutingRule
    from hotline.services import routing
    from hotline.services.seed import seed_catalogue

    session.execute(delete(RoutingRule))
    session.execute(delete(RoutingCatalogueVersion))
    seed_catalogue(session)
    session.commit()
    routing.forget()


TRANSIENT_TABLES = ("WebhookAttempt", "WebhookDelivery", "WebhookSubscription", "ApiKeyUse", "ApiKey", "PublicText",
                    "Notification",
                    "Deadline", "Attachment", "AccessLog", "ApiToken", "SmsMessage", "SmsThread",
                    "Voicemail", "BlockedNumber", "OutboxJob", "PhoneCode", "FilingDraft", "MonthlyFigure",
                    "RollupState", "AssessmentPolicy", "Publication", "PetitionDocument", "Recusal", "Petitioner",
                    "AccusedDepartment", "Petition", "CaseEvent", "Assignment", "RoutingDecision", "Case", "Person",
                    "CaseNumberCounter")


@pytest.fixture(autouse=True)
def clean_slate(request, redis_url):
    """Each test starts with the demo city and its dispatch catalogue and nothing else: no cases, no jobs, no
    rate-limit counts, no routing decisions, no rules a test added."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    from hotline import models
    from hotline.extensions import db, limiter

    with app.app_context():
        db.session.rollback()
        for name in TRANSIENT_TABLES:
            # issued documents refuse DELETE on PostgreSQL (migration 0009's trigger); the tests' superuser skips it
            immutable = name == "PetitionDocument" and db.engine.dialect.name == "postgresql"
            if immutable:
                db.session.execute(text("SET LOCAL session_replication_role = replica"))
            db.session.execute(delete(getattr(models, name)))
            if immutable:
                db.session.execute(text("SET LOCAL session_replication_role = DEFAULT"))
        if _catalogue_stamp(db.session) != app.config["TEST_CATALOGUE_STAMP"]:
            _reseed_catalogue(db.session)  # before the users: a rule or version may name one
            app.config["TEST_CATALOGUE_STAMP"] = _catalogue_stamp(db.session)
        db.session.execute(delete(models.User).where(models.User.is_demo.is_(False)))
        db.session.commit()
        limiter.reset()
    redis.Redis.from_url(redis_url).flushdb()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db_session(app):
    from hotline.extensions import db

    with app.app_context():
        yield db.session
