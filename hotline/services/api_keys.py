"""API keys for Open311 clients and integrators: a random key shown once, only its sha256 kept; every
creation, revocation and refusal written to the access log, every use to the key's own log."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.domain import api_keys as rules
from hotline.models import ApiKey, ApiKeyUse, User
from hotline.services import audit

TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often


def create(session: Session, name: str, scopes: list[str], *, by: User | None, at: datetime, rate_limit: str = "",
           note: str = "", ip: str = "") -> tuple[ApiKey, str]:
    """The new key row and the key itself, which is never stored and cannot be shown again."""
    if not rules.valid_scopes(scopes):
        raise ValueError(f"scopes must be some of {', '.join(rules.SCOPES)}")
    raw = rules.PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(name=name[:rules.NAME_MAX], prefix=raw[:rules.SHOWN], key_hash=rules.digest(raw),
                 scopes=sorted(set(scopes)), rate_limit=rate_limit, note=note[:200], created_at=at,
                 created_by_id=by.id if by else None)
    session.add(key)
    session.flush()
    audit.log_access(session, by, "api_key_created", at=at, detail=f"api key {key.id} {key.prefix}", ip=ip)
    session.commit()
    return key, raw


def authenticate(session: Session, raw: str, *, at: datetime) -> ApiKey | None:
    """The key in force that `raw` is, or None (unknown or revoked)."""
    if not raw or not raw.startswith(rules.PREFIX) or len(raw) > 100:
        return None
    key = session.scalar(select(ApiKey).where(ApiKey.key_hash == rules.digest(raw)))
    if key is None or key.revoked_at is not None:
        return None
    if key.last_used_at is None or at - key.last_used_at >= TOUCH_EVERY:
        key.last_used_at = at
    return key


def revoke(session: Session, key_id: int, *, by: User | None, at: datetime, ip: str = "") -> ApiKey | None:
    key = session.get(ApiKey, key_id)
    if key is None:
        return None
    if key.revoked_at is None:
        key.revoked_at, key.revoked_by_id = at, by.id if by else None
        audit.log_access(session, by, "api_key_revoked", at=at, detail=f"api key {key.id} {key.prefix}", ip=ip)
        session.commit()
    return key


def log_use(session: Session, key: ApiKey, *, at: datetime, method: str, path: str, status: int, ip: str = "",
            case_id: int | None = None) -> None:
    """In the caller's transaction (the request's own, or one of its own after the answer is decided)."""
    session.add(ApiKeyUse(api_key_id=key.id, at=at, method=method[:8], path=path[:200], status=status, ip=ip[:45],
                          case_id=case_id))


def in_force(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.revoked_at.is_not(None), ApiKey.created_at.desc())))
