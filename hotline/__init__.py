"""hotline: a city's 12345 government service hotline and petition office."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing the package must not import Flask: the domain is used without it
    from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` overrides what the environment says (tests pass HOTLINE_ENV=testing etc.)."""
    import os

    from flask import Flask

    from hotline import config as settings

    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
    )
    environ = None
    if config and "HOTLINE_ENV" in config:
        environ = {**os.environ, "HOTLINE_ENV": config["HOTLINE_ENV"]}
    app.config.update(settings.load(app.instance_path, environ))
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    register_extensions(app)
    register_blueprints(app)
    from hotline.web import errors, hooks
    errors.register(app)
    hooks.register(app)
    from hotline import cli
    cli.register(app)
    return app


def register_extensions(app: Flask) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    from hotline.extensions import babel, csrf, db, limiter, login_manager, migrate
    from hotline.web.i18n import select_locale

    if app.config["HOTLINE_PROXY_COUNT"]:
        count = app.config["HOTLINE_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            _tune_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    from flask_babel import lazy_gettext
    login_manager.login_message = lazy_gettext("Please sign in to see this page.")
    login_manager.session_protection = "strong"

    from hotline.web.auth.loader import register_loader
    register_loader(login_manager)
    from hotline.services import webhooks
    webhooks.install(db)  # every case event gets its webhook deliveries in its own transaction


def register_blueprints(app: Flask) -> None:
    from hotline.extensions import csrf
    from hotline.web.admin import bp as admin_bp
    from hotline.web.api import bp as api_bp
    from hotline.web.apidocs import bp as apidocs_bp
    from hotline.web.auth import bp as auth_bp
    from hotline.web.cases import bp as cases_bp
    from hotline.web.documents import bp as documents_bp
    from hotline.web.notifications import bp as notifications_bp
    from hotline.web.open311 import bp as open311_bp
    from hotline.web.opengov import bp as opengov_bp
    from hotline.web.operator import bp as operator_bp
    from hotline.web.petitions import bp as petitions_bp
    from hotline.web.public import bp as public_bp
    from hotline.web.settings import bp as settings_bp
    from hotline.web.staff import bp as staff_bp
    from hotline.web.supervise import bp as supervise_bp
    from hotline.web.system import bp as system_bp
    from hotline.web.twilio import bp as twilio_bp

    csrf.exempt(api_bp)  # the API authenticates every request with a bearer token, never a cookie
    csrf.exempt(twilio_bp)  # Twilio signs each request instead (X-Twilio-Signature)
    csrf.exempt(open311_bp)  # other systems post with an API key, never a cookie
    for bp in (public_bp, auth_bp, cases_bp, staff_bp, supervise_bp, settings_bp, admin_bp, api_bp,
               system_bp, notifications_bp, operator_bp, twilio_bp, opengov_bp, petitions_bp, documents_bp, open311_bp,
               apidocs_bp):
        app.register_blueprint(bp)


def _tune_sqlite(engine) -> None:
    """The web app, the worker and the relay share one SQLite file in `make dev`. Every transaction
    takes the write lock at BEGIN (IMMEDIATE), so two writers queue for it (busy_timeout) instead of
    one failing with "database is locked" when both try to upgrade a read lock."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
