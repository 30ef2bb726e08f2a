"""The databases a run uses: SQLite in a temp file, and PostgreSQL in a throwaway database when one answers."""
from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from hotline.config import database_driver_url

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
ENV_PG = "HOTLINE_BENCH_DATABASE_URL"


@dataclass
class Target:
    label: str  # "SQLite" or "PostgreSQL"
    version: str


def postgres_server() -> tuple[str | None, str]:
    """The PostgreSQL server to use, or None and why not. A URL given in the environment must answer."""
    url = os.environ.get(ENV_PG)
    candidate = url or DEFAULT_PG
    try:
        engine = sa.create_engine(database_driver_url(candidate), connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except sa.exc.OperationalError as exc:
        if url:
            raise SystemExit(f"{ENV_PG}={url} does not answer: {exc}") from exc
        return None, f"no PostgreSQL answered at {DEFAULT_PG} and {ENV_PG} is not set"
    return candidate, ""


@contextmanager
def app_on(label: str, server: str | None = None) -> Iterator[tuple[object, Target]]:
    """A migrated, seeded app on a fresh database that is removed afterwards."""
    from tests.servers import ThrowawayPostgres

    if label == "SQLite":
        with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp:
            url = "sqlite:///" + str(Path(tmp) / "bench.sqlite3")
            with _app(url) as app:
                yield app, Target(label, sqlite3.sqlite_version)
        return
    database = ThrowawayPostgres(server)
    url = database.create()
    try:
        with _app(url) as app:
            yield app, Target(label, _pg_version(app))
    finally:
        database.drop()


@contextmanager
def _app(url: str) -> Iterator[object]:
    from flask_migrate import upgrade

    from hotline import create_app
    from hotline.extensions import db
    from hotline.services.seed import seed_demo

    app = create_app({
        "HOTLINE_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": database_driver_url(url),
        "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing here talks to Redis: jobs wait in the outbox
        "RATELIMIT_STORAGE_URI": "memory://",
    })
    with app.app_context():
        upgrade()
        seed_demo(db.session, production=False)
        db.session.remove()
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def _pg_version(app) -> str:
    from hotline.extensions import db

    with app.app_context():
        version = db.session.scalar(sa.text("SHOW server_version"))
        db.session.remove()
    return str(version).split(" ")[0]
