"""Migration 0002 chains the histories written before the chain existed: a case whose events were written
the 0001 way verifies after the upgrade (to the head: the application's models are the head's), keeps
verifying as new events are appended, still catches an edit,
and the upgrade can be rolled back. On a fresh SQLite file, and on PostgreSQL when HOTLINE_TEST_DATABASE_URL
is set."""
from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text

from hotline import ROOT
from hotline.extensions import db
from hotline.models import Case, CaseEvent
from hotline.services.audit import broken_chains, record_event
from tests.servers import ThrowawayPostgres

HEAD = ScriptDirectory(str(ROOT / "migrations")).get_current_head()
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not os.environ.get("HOTLINE_TEST_DATABASE_URL"), reason="HOTLINE_TEST_DATABASE_URL is not set"))]

# Two cases as the 0001 release wrote them: times in UTC (naive on SQLite), JSON data, Chinese notes.
CASES = [
    {"id": 1, "number": "12345-20261127-000001", "received": "2026-11-27 02:00:00.123456"},
    {"id": 2, "number": "12345-20261127-000002", "received": "2026-11-27 03:30:00"},
]
EVENTS = [
    (1, 1, "2026-11-27 02:00:00.123456", "citizen", "register", None, "registered", "", '{"channel": "web"}'),
    (1, 2, "2026-11-27 02:10:00.5", "周婷（派单员）", "note", "registered", "registered", "来电补充：夜间施工", None),
    (1, 3, "2026-11-27 02:20:00", "系统", "note", "registered", "registered", "", '{"说明": ["一", 2, true]}'),
    (2, 1, "2026-11-27 03:30:00", "citizen", "register", None, "registered", "", '{"channel": "phone"}'),
]


@pytest.fixture(params=BACKENDS)
def fresh_app(request, tmp_path, redis_url):
    from hotline import create_app
    from hotline.config import database_driver_url

    server = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/migrate.sqlite3"
    else:
        server = ThrowawayPostgres(os.environ["HOTLINE_TEST_DATABASE_URL"])
        url = server.create()
    app = create_app({"HOTLINE_ENV": "testing", "SECRET_KEY": "x", "REDIS_URL": redis_url,
                      "SQLALCHEMY_DATABASE_URI": database_driver_url(url), "RATELIMIT_STORAGE_URI": "memory://"})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if server:
        server.drop()


def stamp(value: str, dialect: str) -> str:
    return value if dialect == "sqlite" else value + "+00"


def write_the_0001_way(dialect: str) -> None:
    for case in CASES:
        db.session.execute(text(
            "INSERT INTO cases (id, number, track, kind, channel, urgency, state, location_text, description, "
            "confidential, received_at, version, created_at, updated_at) VALUES (:id, :number, 'hotline', "
            "'complaint', 'phone', 'general', 'registered', '', '夜间施工', false, :at, 1, :at, :at)"),
            {"id": case["id"], "number": case["number"], "at": stamp(case["received"], dialect)})
    json = "CAST(:data AS JSON)" if dialect == "postgresql" else ":data"
    for case_id, seq, at, label, action, from_state, to_state, note, data in EVENTS:
        db.session.execute(text(
            "INSERT INTO case_event (case_id, seq, at, actor_id, actor_label, action, from_state, to_state, note, "
            f"data) VALUES (:case_id, :seq, :at, NULL, :label, :action, :from_state, :to_state, :note, {json})"),
            {"case_id": case_id, "seq": seq, "at": stamp(at, dialect), "label": label, "action": action,
             "from_state": from_state, "to_state": to_state, "note": note, "data": data})
    db.session.commit()


def revision() -> str:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_histories_written_before_the_chain_verify_after_the_upgrade(fresh_app):
    from flask_migrate import downgrade, upgrade

    with fresh_app.app_context():
        dialect = db.engine.dialect.name
        upgrade(revision="0001")
        write_the_0001_way(dialect)
        upgrade(revision="head")
        assert revision() == HEAD
        db.session.remove()

        assert list(broken_chains(db.session)) == []
        events = db.session.scalars(select(CaseEvent).order_by(CaseEvent.case_id, CaseEvent.seq)).all()
        assert all(len(e.hash) == 64 for e in events)
        assert [e.prev_hash for e in events[:3]] == ["", events[0].hash, events[1].hash]
        assert events[3].prev_hash == ""  # each case's chain starts afresh
        assert events[1].at == datetime(2026, 11, 27, 2, 10, 0, 500000, tzinfo=UTC)

        # the application appends to a migrated chain, and it still verifies
        case = db.session.scalar(select(Case).where(Case.number == CASES[0]["number"]))
        record_event(db.session, case, action="note", at=datetime.now(UTC), to_state="registered",
                     from_state="registered", note="迁移后的新记录")
        db.session.commit()
        result = fresh_app.test_cli_runner().invoke(args=["hotline", "verify-audit"])
        assert result.exit_code == 0, result.output

        # and an edit of a migrated event is caught
        db.session.execute(text("UPDATE case_event SET note = '改' WHERE case_id = 1 AND seq = 2"))
        db.session.commit()
        assert [number for number, _ in broken_chains(db.session)] == [CASES[0]["number"]]
        db.session.execute(text("UPDATE case_event SET note = '来电补充：夜间施工' WHERE case_id = 1 AND seq = 2"))
        db.session.commit()
        db.session.remove()

        downgrade(revision="0001")
        assert revision() == "0001"
        columns = {c["name"] for c in inspect(db.engine).get_columns("case_event")}
        assert "hash" not in columns and "prev_hash" not in columns
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM case_event")).scalar() == len(EVENTS) + 1
            assert conn.execute(text("SELECT count(*) FROM cases")).scalar() == len(CASES)

        upgrade(revision="head")  # and forward again: the chains are rebuilt as they stand
        assert revision() == HEAD and list(broken_chains(db.session)) == []
        db.session.remove()
