"""Is the database there, is Redis there, and which migration is the database at."""
from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text

from hotline.extensions import db
from hotline.queues import get_redis


def check() -> dict:
    report: dict = {"database": {"ok": False}, "redis": {"ok": False}}
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            revision = MigrationContext.configure(conn).get_current_revision()
        head = ScriptDirectory(current_app.extensions["migrate"].directory).get_current_head()
        report["database"] = {"ok": True, "revision": revision, "head": head, "up_to_date": revision == head}
    except Exception as exc:  # any failure is the answer, not an error
        report["database"]["error"] = type(exc).__name__
    try:
        get_redis().ping()
        report["redis"] = {"ok": True}
    except Exception as exc:
        report["redis"]["error"] = type(exc).__name__
    failed = [name for name in ("database", "redis") if not report[name]["ok"]]
    report["status"] = "ok" if not failed else "unavailable"
    report["failed"] = failed
    return report
