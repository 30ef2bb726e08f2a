"""API keys for Open311 clients and integrators: a random key shown once, only its sha256 kept; every
creation, revocation and refusal written to the access log, every use to the key's own log."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from limits import parse_many
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.domain import api_keys as rules
from hotline.models import ApiKey, ApiKeyUse, Case, User
from hotline.services import audit

TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often


def create(session: Session, name: str, scopes: list[str], *, by: User | None, at: datetime, rate_limit: str = "",
           note: str = "", ip: str = "") -> tuple[ApiKey, str]:
    """The new key row and the key itself, which is never stored and cannot be shown again."""
    if not rules.valid_scopes(scopes):
        raise ValueError(f"scopes must be some of {', '.join(rules.SCOPES)}")
    name, rate_limit = " ".join((name or "").split()), check_rate_limit(rate_limit)
    if not name:
        raise ValueError("a key needs a name: the system it is given to")
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


# --- what the administrator's pages and the command line read -------------------------------------------------

RATE_MAX = 64  # ApiKey.rate_limit's column
STATUS_CLASSES = {"2xx": (200, 300), "4xx": (400, 500), "5xx": (500, 600)}


def check_rate_limit(text: str) -> str:
    """The limit tidied ("60 per minute; 1000 per day", as flask-limiter reads it), "" for none (the default
    HOTLINE_RATE_API_KEY); ValueError when flask-limiter could not read it or it would let nothing through."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    if len(text) > RATE_MAX:
        raise ValueError(f"at most {RATE_MAX} characters")
    try:
        items = parse_many(text)
    except ValueError:
        raise ValueError(f"not a rate limit: {text!r}") from None
    # limits reads "0 per minute" (nothing passes) and "10 per 0 minute" (as "per 1 minute") without complaint
    if not items or any(item.amount < 1 for item in items) or re.search(r"(?<![\d.])0+(?![\d.])", text):
        raise ValueError(f"every limit must allow at least one request in a period of at least one unit: {text!r}")
    return text


@dataclass(frozen=True)
class Page:
    rows: list
    page: int
    pages: int
    total: int


def _page(query, count_query, session: Session, page: int, per_page: int, *, scalars: bool) -> Page:
    total = session.scalar(count_query) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    query = query.limit(per_page).offset((page - 1) * per_page)
    rows = list(session.scalars(query)) if scalars else [tuple(r) for r in session.execute(query)]
    return Page(rows=rows, page=page, pages=pages, total=total)


def listing(session: Session, *, state: str = "", page: int = 1, per_page: int = 50) -> Page:
    """Keys in force first (newest first), then the revoked ones (last revoked first). `state`: "active",
    "revoked" or "" for both."""
    where = []
    if state == "active":
        where.append(ApiKey.revoked_at.is_(None))
    elif state == "revoked":
        where.append(ApiKey.revoked_at.is_not(None))
    query = select(ApiKey).where(*where).order_by(ApiKey.revoked_at.is_not(None), ApiKey.revoked_at.desc(),
                                                  ApiKey.created_at.desc(), ApiKey.id.desc())
    return _page(query, select(func.count(ApiKey.id)).where(*where), session, page, per_page, scalars=True)


def use_counts(session: Session, key_ids: list[int], *, since: datetime) -> dict[int, int]:
    """How many requests each key made since `since`."""
    if not key_ids:
        return {}
    rows = session.execute(select(ApiKeyUse.api_key_id, func.count(ApiKeyUse.id))
                           .where(ApiKeyUse.api_key_id.in_(key_ids), ApiKeyUse.at >= since)
                           .group_by(ApiKeyUse.api_key_id))
    return {key_id: count for key_id, count in rows}


def uses(session: Session, key_id: int, *, status_class: str = "", page: int = 1, per_page: int = 50) -> Page:
    """A key's use log, newest first: rows of (ApiKeyUse, case number or None). `status_class`: "2xx", "4xx",
    "5xx" or "" for every answer."""
    where = [ApiKeyUse.api_key_id == key_id]
    if status_class in STATUS_CLASSES:
        low, high = STATUS_CLASSES[status_class]
        where += [ApiKeyUse.status >= low, ApiKeyUse.status < high]
    query = (select(ApiKeyUse, Case.number).outerjoin(Case, Case.id == ApiKeyUse.case_id).where(*where)
             .order_by(ApiKeyUse.at.desc(), ApiKeyUse.id.desc()))
    return _page(query, select(func.count(ApiKeyUse.id)).where(*where), session, page, per_page, scalars=False)


def people(session: Session, keys: list[ApiKey]) -> dict[int, User]:
    """Who created and who revoked these keys, by user id."""
    ids = {i for k in keys for i in (k.created_by_id, k.revoked_by_id) if i}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


class Ambiguous(LookupError):
    def __init__(self, keys: list[ApiKey]):
        super().__init__(", ".join(f"{k.id} {k.prefix}" for k in keys))
        self.keys = keys


def find(session: Session, text: str) -> ApiKey | None:
    """The key named by its id, its whole value or the start of it (at least the shown prefix's first
    characters after h311_); None when nothing matches, Ambiguous when a prefix names several."""
    text = (text or "").strip()
    if text.isdigit():
        return session.get(ApiKey, int(text))
    if not text.startswith(rules.PREFIX) or len(text) <= len(rules.PREFIX) or len(text) > 100:
        return None
    whole = session.scalar(select(ApiKey).where(ApiKey.key_hash == rules.digest(text)))
    if whole is not None or len(text) > rules.SHOWN:
        return whole
    matches = list(session.scalars(select(ApiKey).where(ApiKey.prefix.startswith(text, autoescape=True))
                                   .order_by(ApiKey.id)))
    if len(matches) > 1:
        raise Ambiguous(matches)
    return matches[0] if matches else None
