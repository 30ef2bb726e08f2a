"""Settings, read from HOTLINE_* environment variables when the app is created (never at import)."""
from __future__ import annotations

import os
from datetime import time
from pathlib import Path

ENVIRONMENTS = ("development", "testing", "production")


class ConfigError(RuntimeError):
    """A setting is missing or wrong; raised at start, so the app never runs half-configured."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env(environ, name: str, default: str | None = None, *aliases: str) -> str | None:
    for key in (name, *aliases):
        value = environ.get(key)
        if value not in (None, ""):
            return value
    return default


def database_driver_url(url: str) -> str:
    """postgres:// and postgresql:// URLs (as platforms hand them out) use the psycopg 3 driver."""
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme):]
    return url


def load(instance_path: str, environ=None) -> dict:
    """Build the Flask config mapping from the environment.

    DATABASE_URL and REDIS_URL are also read without the prefix, as hosting platforms set them so.
    """
    env = os.environ if environ is None else environ
    hotline_env = _env(env, "HOTLINE_ENV", "development")
    if hotline_env not in ENVIRONMENTS:
        raise ConfigError(f"HOTLINE_ENV must be one of {', '.join(ENVIRONMENTS)}, not {hotline_env!r}")
    production = hotline_env == "production"

    secret = _env(env, "HOTLINE_SECRET_KEY")
    if not secret:
        if production:
            raise ConfigError(
                "HOTLINE_SECRET_KEY is required when HOTLINE_ENV=production "
                "(generate one with: python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        secret = "dev-only-not-secret"
    elif production and len(secret) < 32:
        raise ConfigError("HOTLINE_SECRET_KEY must be at least 32 characters in production")

    sqlite_default = "sqlite:///" + str(Path(instance_path) / "hotline.sqlite3")
    database_url = _env(env, "HOTLINE_DATABASE_URL", None, "DATABASE_URL")
    if not database_url:
        if production:
            raise ConfigError("HOTLINE_DATABASE_URL (or DATABASE_URL) is required when HOTLINE_ENV=production")
        database_url = sqlite_default
    database_url = database_driver_url(database_url)

    redis_url = _env(env, "HOTLINE_REDIS_URL", None, "REDIS_URL")
    if not redis_url:
        if production:
            raise ConfigError("HOTLINE_REDIS_URL (or REDIS_URL) is required when HOTLINE_ENV=production")
        redis_url = "redis://127.0.0.1:6379/0"

    sms_transport = _env(env, "HOTLINE_SMS_TRANSPORT", "dev")
    if sms_transport not in ("dev", "twilio"):
        raise ConfigError(f"HOTLINE_SMS_TRANSPORT must be 'dev' or 'twilio', not {sms_transport!r}")
    twilio_sid = _env(env, "HOTLINE_TWILIO_ACCOUNT_SID", "", "TWILIO_ACCOUNT_SID")
    # the token signs every webhook Twilio sends us; in development a fixed one lets the simulator sign too
    twilio_token = _env(env, "HOTLINE_TWILIO_AUTH_TOKEN", "", "TWILIO_AUTH_TOKEN") or (
        "" if production else "dev-twilio-auth-token")
    if sms_transport == "twilio" and not (twilio_sid and twilio_token):
        raise ConfigError("HOTLINE_SMS_TRANSPORT=twilio needs HOTLINE_TWILIO_ACCOUNT_SID and HOTLINE_TWILIO_AUTH_TOKEN")
    public_url = (_env(env, "HOTLINE_PUBLIC_URL", "") or "").rstrip("/")
    if public_url and not public_url.startswith(("https://", "http://")):
        raise ConfigError(f"HOTLINE_PUBLIC_URL must start with https://, not {public_url!r}")
    try:
        sms_dev_delay = float(_env(env, "HOTLINE_SMS_DEV_DELAY", "0"))
    except ValueError:
        raise ConfigError("HOTLINE_SMS_DEV_DELAY must be a number of seconds") from None

    return {
        "HOTLINE_ENV": hotline_env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        # Rate-limit counters live in Redis in production so every web process shares them;
        # when Redis is down the limiter falls back to memory instead of refusing citizens.
        "RATELIMIT_STORAGE_URI": _env(env, "HOTLINE_RATELIMIT_STORAGE_URI", redis_url if production else "memory://"),
        "RATELIMIT_ENABLED": _bool(_env(env, "HOTLINE_RATELIMIT_ENABLED"), True),
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        "HOTLINE_RATE_LOGIN": _env(env, "HOTLINE_RATE_LOGIN", "10 per minute;50 per hour"),
        "HOTLINE_RATE_FILE": _env(env, "HOTLINE_RATE_FILE", "10 per hour;30 per day"),
        "HOTLINE_RATE_SUGGEST": _env(env, "HOTLINE_RATE_SUGGEST", "60 per minute;600 per hour"),
        "HOTLINE_PROXY_COUNT": int(_env(env, "HOTLINE_PROXY_COUNT", "0")),
        "HOTLINE_TIMEZONE": _env(env, "HOTLINE_TIMEZONE", "Asia/Shanghai"),
        "HOTLINE_PHONE_REGION": _env(env, "HOTLINE_PHONE_REGION", "CN"),
        # the office hours that working-hour limits count in (an SLA policy in working_hours)
        "HOTLINE_OFFICE_HOURS": _office_hours(_env(env, "HOTLINE_OFFICE_HOURS", "09:00-17:30")),
        "HOTLINE_CITY_NAME": _env(env, "HOTLINE_CITY_NAME", "江川市"),
        "HOTLINE_CITY_NAME_EN": _env(env, "HOTLINE_CITY_NAME_EN", "Jiangchuan"),
        # the petition office's name on the documents it issues itself (empty: "<city>信访局")
        "HOTLINE_PETITION_OFFICE_NAME": _env(env, "HOTLINE_PETITION_OFFICE_NAME", ""),
        "HOTLINE_SMS_TRANSPORT": sms_transport,
        "HOTLINE_SMS_SENDER": _env(env, "HOTLINE_SMS_SENDER", "12345"),  # a Twilio number, or a Messaging Service SID
        "HOTLINE_TWILIO_ACCOUNT_SID": twilio_sid,
        "HOTLINE_TWILIO_AUTH_TOKEN": twilio_token,
        # the address Twilio calls us at, as the world sees it (behind a proxy the request's own URL differs):
        # webhook signatures are checked against it, and status callbacks are given under it
        "HOTLINE_PUBLIC_URL": public_url,
        # voice: calls in these hours (every day, local time) ring the operators; outside them, voice mail
        "HOTLINE_VOICE_HOURS": _office_hours(_env(env, "HOTLINE_VOICE_HOURS", "08:00-20:00"), "HOTLINE_VOICE_HOURS",
                                             midnight=True),
        "HOTLINE_VOICE_OPERATORS": _env(env, "HOTLINE_VOICE_OPERATORS", ""),  # the operators' number to dial
        "HOTLINE_VOICE_TRANSCRIBE": _bool(_env(env, "HOTLINE_VOICE_TRANSCRIBE"), False),
        # per sender number: texts taken in, automatic answers sent back, voice messages recorded
        "HOTLINE_RATE_INBOUND_SMS": _limits(env, "HOTLINE_RATE_INBOUND_SMS", "10 per hour;30 per day"),
        "HOTLINE_RATE_SMS_REPLIES": _limits(env, "HOTLINE_RATE_SMS_REPLIES", "3 per hour;10 per day"),
        "HOTLINE_RATE_VOICEMAIL": _limits(env, "HOTLINE_RATE_VOICEMAIL", "3 per hour;6 per day"),
        # one-time codes: per phone number (counted in the database), and per visitor's address (the limiter)
        "HOTLINE_RATE_CODES": _limits(env, "HOTLINE_RATE_CODES", "3 per 10 minutes;10 per day"),
        "HOTLINE_RATE_CODE_REQUESTS": _limits(env, "HOTLINE_RATE_CODE_REQUESTS", "10 per hour;30 per day"),
        "HOTLINE_RATE_OPEN": _limits(env, "HOTLINE_RATE_OPEN", "120 per minute;2000 per hour"),  # 政务公开 pages
        "HOTLINE_RATE_CODE_CHECKS": _limits(env, "HOTLINE_RATE_CODE_CHECKS", "10 per minute;50 per hour"),
        # a petition document opened from its SMS link, per visitor: a petitioner opens a few, a guesser is slowed
        "HOTLINE_RATE_DOCUMENTS": _limits(env, "HOTLINE_RATE_DOCUMENTS", "20 per minute;200 per day"),
        # Open311 GeoReport v2 (/open311/v2): per API key (a key may carry its own), and per address for reads
        # without a key; the jurisdiction_id a client may name (empty: any is accepted as ours)
        "HOTLINE_RATE_API_KEY": _limits(env, "HOTLINE_RATE_API_KEY", "120 per minute;5000 per hour"),
        "HOTLINE_RATE_OPEN311_READ": _limits(env, "HOTLINE_RATE_OPEN311_READ", "60 per minute;1000 per hour"),
        # false: reading requests needs a key with the requests:read scope (some cities publish no case feed)
        "HOTLINE_OPEN311_PUBLIC_READ": _bool(_env(env, "HOTLINE_OPEN311_PUBLIC_READ"), True),
        "HOTLINE_OPEN311_JURISDICTION": _env(env, "HOTLINE_OPEN311_JURISDICTION", "jiangchuan.12345.example"),
        # outbound webhooks: how long a receiver has to answer; production refuses plain http:// receivers
        "HOTLINE_WEBHOOK_TIMEOUT": float(_env(env, "HOTLINE_WEBHOOK_TIMEOUT", "10")),
        "HOTLINE_WEBHOOK_ALLOW_HTTP": _bool(_env(env, "HOTLINE_WEBHOOK_ALLOW_HTTP"), not production),
        # a receiver on this machine (127.0.0.1, ::1): for development; in production the app's own ports are not
        # for whoever can enter a URL. Link-local (cloud metadata) and the like are refused always.
        "HOTLINE_WEBHOOK_ALLOW_LOOPBACK": _bool(_env(env, "HOTLINE_WEBHOOK_ALLOW_LOOPBACK"), not production),
        "HOTLINE_CODE_MINUTES": int(_env(env, "HOTLINE_CODE_MINUTES", "10")),  # a code's life
        # the development transport holds each message this long, as a slow provider would (fault tests)
        "HOTLINE_SMS_DEV_DELAY": max(sms_dev_delay, 0.0),
        # a stable name per worker process (workers/recovery.py); empty: <hostname>-<n>, the first one free
        "HOTLINE_WORKER_SLOT": _env(env, "HOTLINE_WORKER_SLOT", ""),
        "HOTLINE_OUTBOX_STALE_SECONDS": int(_env(env, "HOTLINE_OUTBOX_STALE_SECONDS", "300")),
        "HOTLINE_UPLOAD_DIR": _env(env, "HOTLINE_UPLOAD_DIR", str(Path(instance_path) / "uploads")),
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": _env(env, "HOTLINE_TIMEZONE", "Asia/Shanghai"),
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,  # an operator's shift; a form left open over lunch still submits
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # a reply's attachments (hotline.domain.files: 5 × 10 MB) and its form; JSON stays under 2 MB (api/body.py)
        "MAX_CONTENT_LENGTH": (5 * 10 + 1) * 1024 * 1024,
        "TESTING": hotline_env == "testing",
    }


def _limits(env, name: str, default: str) -> str:
    """"10 per hour;30 per day", refused at start when the limits library cannot read it."""
    from limits import parse_many

    text = _env(env, name, default)
    try:
        parse_many(text)
    except ValueError:
        raise ConfigError(f"{name} must look like '10 per hour;30 per day', not {text!r}") from None
    return text


def _office_hours(text: str, name: str = "HOTLINE_OFFICE_HOURS", midnight: bool = False) -> tuple[str, str]:
    """"09:00-17:30" → ("09:00", "17:30"); refused at start when it is not two times, the first earlier. With
    `midnight`, "24:00" may close the day: a centre that answers around the clock sets 00:00-24:00."""
    try:
        opens, closes = (part.strip() for part in text.split("-"))
        if not (midnight and closes == "24:00") and time.fromisoformat(opens) >= time.fromisoformat(closes):
            raise ValueError
        time.fromisoformat(opens)
    except ValueError:
        raise ConfigError(f"{name} must look like 09:00-17:30, not {text!r}") from None
    return opens, closes
