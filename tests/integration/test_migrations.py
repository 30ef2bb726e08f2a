"""One migration head; upgrade builds the schema from nothing; the models and the migrations agree."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from hotline import ROOT
from hotline.extensions import db


def test_there_is_exactly_one_migration_head():
    assert len(ScriptDirectory(str(ROOT / "migrations")).get_heads()) == 1


def test_upgrade_from_empty_reaches_head(app):
    # the session's database was created empty and upgraded by the app fixture (SQLite, or PostgreSQL in CI)
    with app.app_context(), db.engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    assert current == ScriptDirectory(str(ROOT / "migrations")).get_current_head()


def test_models_match_the_migrations(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_downgrade_and_upgrade_again(app, tmp_path):
    """The first revision can be undone, so a failed deploy can be rolled back."""
    from flask_migrate import downgrade, upgrade

    from hotline import create_app

    other = create_app({"HOTLINE_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.sqlite3",
                        "REDIS_URL": app.config["REDIS_URL"]})
    with other.app_context():
        upgrade()
        downgrade(revision="base")
        upgrade()
        with db.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        assert current == ScriptDirectory(str(ROOT / "migrations")).get_current_head()
        db.engine.dispose()
