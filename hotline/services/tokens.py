"""API tokens: a random bearer token shown once; only its sha256 is kept, so a copy of the database
cannot be used to call the API. Every issue, refusal and revocation is written to the access log."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from hotline.models import ApiToken, User
from hotline.services import audit

NAME_MAX = 64
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often: no write per request


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def may_use(user: User | None, *, production: bool) -> bool:
    """The same people who may sign in: active, and no demo users in production."""
    return user is not None and user.active and not (user.is_demo and production)


def check_credentials(session: Session, username: str, password: str, *, production: bool, at: datetime,
                      ip: str = "") -> User | None:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(_unusable_hash(), password)  # as slow as a wrong password: no probing for names
    if not may_use(user, production=production) or not user.check_password(password):
        audit.log_access(session, user, "token_refused", at=at, detail=username[:64], ip=ip)
        session.commit()
        return None
    return user


def issue(session: Session, user: User, name: str, *, at: datetime, ip: str = "") -> tuple[ApiToken, str]:
    """The new token row and the token itself, which is never stored and cannot be shown again."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name[:NAME_MAX], token_hash=digest(raw), created_at=at)
    session.add(token)
    session.flush()
    audit.log_access(session, user, "token_issued", at=at, detail=f"token {token.id}", ip=ip)
    session.commit()
    return token, raw


def authenticate(session: Session, raw: str, *, production: bool, at: datetime) -> User | None:
    """The user a bearer token stands for, or None when it is unknown, revoked or its user may not sign in."""
    if not raw:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(raw), ApiToken.revoked_at.is_(None)))
    if token is None or not may_use(token.user, production=production):
        return None
    if token.last_used_at is None or at - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = at
        session.commit()
    return token.user


def owned(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens still in force, newest first."""
    return list(session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def revoke(session: Session, user: User, token_id: int, *, at: datetime, ip: str = "") -> bool:
    """False when the token is not this user's: another person's token does not exist for them."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return False
    if token.revoked_at is None:
        token.revoked_at = at
        audit.log_access(session, user, "token_revoked", at=at, detail=f"token {token.id}", ip=ip)
        session.commit()
    return True


@cache
def _unusable_hash() -> str:
    return generate_password_hash(secrets.token_hex(16), method="scrypt")
