"""Who is asking: the api_key a request names (looked up once per request), the rate limit that applies to it,
and the use log every request that names a key is written to — valid or not, whatever the answer."""
from __future__ import annotations

import logging

from flask import current_app, g, request
from flask_limiter.util import get_remote_address

from hotline.clock import now
from hotline.extensions import db, limiter
from hotline.models import ApiKey
from hotline.services import api_keys, audit
from hotline.web.access import client_ip
from hotline.web.open311 import bp

log = logging.getLogger(__name__)
RAW_MAX = 200  # longer than any key: not looked up


def raw_key() -> str:
    return (request.values.get("api_key") or "").strip()[:RAW_MAX]


def current_key() -> ApiKey | None:
    """The key in force the request names, or None (none named, unknown or revoked)."""
    if "open311_key" not in g:
        raw = raw_key()
        g.open311_key = api_keys.authenticate(db.session, raw, at=now()) if raw else None
    return g.open311_key


def _limit_key() -> str:
    key = current_key()
    return f"api-key:{key.id}" if key else f"address:{get_remote_address()}"


def _limit() -> str:
    """A key's own limit, else the setting for keys; without a key, the reads' limit per client address."""
    key = current_key()
    if key is not None:
        return key.rate_limit or current_app.config["HOTLINE_RATE_API_KEY"]
    return current_app.config["HOTLINE_RATE_OPEN311_READ"]


limited = limiter.shared_limit(_limit, scope="open311", key_func=_limit_key)


def made_or_read(case_id: int | None) -> None:
    """The case this request made or read, for the key's use log."""
    g.open311_case_id = case_id


@bp.after_request
def log_use(response):
    raw = raw_key()
    if not raw:
        return response
    try:
        key = current_key()
        if not db.session.is_active:
            db.session.rollback()
        if key is not None:
            api_keys.log_use(db.session, key, at=now(), method=request.method, path=request.path,
                             status=response.status_code, ip=client_ip(), case_id=g.get("open311_case_id"))
        else:
            # only as much of it as a key's listed prefix shows: a mistyped key may be most of a real one
            audit.log_access(db.session, None, "open311_unknown_key", at=now(), ip=client_ip(),
                             detail=f"{request.method} {request.path} {response.status_code} key {raw[:12]}")
        db.session.commit()
    except Exception:  # the answer stands; a lost log line is reported, not turned into a 500
        db.session.rollback()
        log.exception("could not log the use of an Open311 api_key")
    return response


def unknown_key_named() -> bool:
    return bool(raw_key()) and current_key() is None


def scopes() -> frozenset[str]:
    key = current_key()
    return frozenset(key.scopes or ()) if key else frozenset()


__all__ = ["current_key", "limited", "log_use", "made_or_read", "raw_key", "scopes", "unknown_key_named"]
