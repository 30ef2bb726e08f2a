import pytest

from hotline.config import ConfigError, load


def test_development_needs_nothing(tmp_path):
    cfg = load(str(tmp_path), {})
    assert cfg["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/hotline.sqlite3"
    assert cfg["SESSION_COOKIE_SECURE"] is False


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="HOTLINE_SECRET_KEY is required"):
        load(str(tmp_path), {"HOTLINE_ENV": "production", "DATABASE_URL": "postgresql://x/y",
                             "REDIS_URL": "redis://r"})


def test_production_refuses_a_short_secret(tmp_path):
    with pytest.raises(ConfigError, match="at least 32"):
        load(str(tmp_path), {"HOTLINE_ENV": "production", "HOTLINE_SECRET_KEY": "short"})


def test_production_needs_its_database_and_redis(tmp_path):
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load(str(tmp_path), {"HOTLINE_ENV": "production", "HOTLINE_SECRET_KEY": "k" * 40})


def test_production_cookies_are_secure_and_rate_limits_shared_in_redis(tmp_path):
    cfg = load(str(tmp_path), {"HOTLINE_ENV": "production", "HOTLINE_SECRET_KEY": "k" * 40,
                               "DATABASE_URL": "postgres://u@db/hotline", "REDIS_URL": "redis://cache:6379/1"})
    assert cfg["SESSION_COOKIE_SECURE"] and cfg["REMEMBER_COOKIE_SECURE"] and cfg["SESSION_COOKIE_HTTPONLY"]
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/hotline"
    assert cfg["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/1"


def test_an_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="HOTLINE_ENV"):
        load(str(tmp_path), {"HOTLINE_ENV": "staging"})


def test_the_app_does_not_start_in_production_without_a_secret(monkeypatch):
    from hotline import create_app

    monkeypatch.delenv("HOTLINE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app({"HOTLINE_ENV": "production"})


def test_attached_files_go_under_the_instance_folder_unless_told_otherwise(tmp_path):
    assert load(str(tmp_path), {})["HOTLINE_UPLOAD_DIR"] == str(tmp_path / "uploads")
    told = load(str(tmp_path), {"HOTLINE_UPLOAD_DIR": "/srv/hotline/files"})
    assert told["HOTLINE_UPLOAD_DIR"] == "/srv/hotline/files"
    assert load(str(tmp_path), {})["MAX_CONTENT_LENGTH"] >= 5 * 10 * 1024 * 1024  # a reply's five largest files
