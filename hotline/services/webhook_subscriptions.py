"""Keeping webhook subscriptions: who may see which, create, change, reveal or rotate the secret, delete, and
read the delivery log. Administrators keep every department's; a department's head keeps their own."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from hotline.domain import webhooks as rules
from hotline.domain.errors import InvalidFields, NotFound
from hotline.domain.roles import Role
from hotline.models import Department, User, WebhookAttempt, WebhookDelivery, WebhookSubscription
from hotline.services.audit import log_access

PER_PAGE = 25
KEEPERS = frozenset({Role.ADMIN, Role.HEAD})


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _visible(user: User) -> Select:
    query = select(WebhookSubscription)
    if user.role != Role.ADMIN:  # a head: their own department's only
        query = query.where(WebhookSubscription.department_id == user.department_id)
    return query


def may_keep(user: User) -> bool:
    return user.role == Role.ADMIN or (user.role == Role.HEAD and user.department_id is not None)


def get(session: Session, user: User, subscription_id: int) -> WebhookSubscription:
    """NotFound for one of another department: a head does not learn that it exists."""
    row = session.scalar(_visible(user).where(WebhookSubscription.id == subscription_id))
    if row is None:
        raise NotFound("webhook_subscription")
    return row


@dataclass(frozen=True)
class Listed:
    subscription: WebhookSubscription
    pending: int
    failed: int
    last_delivered_at: datetime | None


def listing(session: Session, user: User) -> list[Listed]:
    rows = session.scalars(_visible(user).join(Department, Department.id == WebhookSubscription.department_id)
                           .order_by(Department.code, WebhookSubscription.id)).all()
    counts: dict[tuple[int, str], int] = {}
    last: dict[int, datetime] = {}
    if rows:
        ids = [r.id for r in rows]
        for sub_id, status, count, delivered_at in session.execute(
                select(WebhookDelivery.subscription_id, WebhookDelivery.status, func.count(),
                       func.max(WebhookDelivery.delivered_at))
                .where(WebhookDelivery.subscription_id.in_(ids))
                .group_by(WebhookDelivery.subscription_id, WebhookDelivery.status)):
            counts[(sub_id, status)] = count
            if delivered_at is not None:
                last[sub_id] = delivered_at
    return [Listed(r, counts.get((r.id, rules.PENDING), 0), counts.get((r.id, rules.FAILED), 0), last.get(r.id))
            for r in rows]


def counts(session: Session, row: WebhookSubscription) -> dict[str, int]:
    found = dict(session.execute(select(WebhookDelivery.status, func.count())
                                 .where(WebhookDelivery.subscription_id == row.id)
                                 .group_by(WebhookDelivery.status)).tuples().all())
    return {status: found.get(status, 0) for status in rules.STATUSES}


def departments_for(session: Session, user: User) -> list[Department]:
    query = select(Department).where(Department.active.is_(True)).order_by(Department.level, Department.code)
    if user.role != Role.ADMIN:
        query = query.where(Department.id == user.department_id)
    return list(session.scalars(query))


@dataclass(frozen=True)
class Spec:
    name: str
    url: str
    events: list[str]
    active: bool
    department_id: int | None


def _checked(session: Session, user: User, spec: Spec, known_actions: set[str], allow_http: bool) -> int:
    errors = rules.check_subscription(spec.name, spec.url, spec.events, known_actions, allow_http)
    department_id = spec.department_id if user.role == Role.ADMIN else user.department_id
    allowed = {d.id for d in departments_for(session, user)}
    if department_id is None:
        errors["department_id"] = "required"
    elif department_id not in allowed:
        errors["department_id"] = "invalid_choice"
    if errors:
        raise InvalidFields("fields", errors)
    return department_id


def create(session: Session, user: User, spec: Spec, known_actions: set[str], allow_http: bool,
           at: datetime) -> tuple[WebhookSubscription, str]:
    department_id = _checked(session, user, spec, known_actions, allow_http)
    secret = new_secret()
    row = WebhookSubscription(department_id=department_id, name=spec.name, url=spec.url, secret=secret,
                              events=sorted(set(spec.events)), active=spec.active, created_at=at, updated_at=at,
                              created_by_id=user.id)
    session.add(row)
    session.flush()
    log_access(session, user, "webhook_created", at=at, detail=f"subscription {row.id} → {_host(spec.url)}")
    session.commit()
    return row, secret


def update(session: Session, user: User, row: WebhookSubscription, spec: Spec, known_actions: set[str],
           allow_http: bool, at: datetime) -> WebhookSubscription:
    department_id = _checked(session, user, spec, known_actions, allow_http)
    row.department_id, row.name, row.url = department_id, spec.name, spec.url
    row.events, row.active, row.updated_at = sorted(set(spec.events)), spec.active, at
    session.commit()
    return row


def reveal(session: Session, user: User, row: WebhookSubscription, at: datetime, ip: str) -> str:
    """The secret on demand: whoever sees it could sign as us, so each showing is in the access log."""
    log_access(session, user, "webhook_secret_shown", at=at, detail=f"subscription {row.id}", ip=ip)
    session.commit()
    return row.secret


def rotate(session: Session, user: User, row: WebhookSubscription, at: datetime, ip: str) -> str:
    """A new secret at once: deliveries signed from now on use it (a retry too: it is signed as it is sent)."""
    row.secret, row.updated_at = new_secret(), at
    log_access(session, user, "webhook_secret_rotated", at=at, detail=f"subscription {row.id}", ip=ip)
    session.commit()
    return row.secret


def remove(session: Session, user: User, row: WebhookSubscription, at: datetime, ip: str) -> None:
    """With its delivery log: nothing more is sent, and nothing is kept for a receiver that is gone."""
    # first the row: the case steps writing deliveries for it finish (and their deliveries are deleted below);
    # later ones no longer see it
    session.scalar(select(WebhookSubscription.id).where(WebhookSubscription.id == row.id).with_for_update())
    ids = select(WebhookDelivery.id).where(WebhookDelivery.subscription_id == row.id)
    session.execute(delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(ids)))
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.subscription_id == row.id))
    log_access(session, user, "webhook_deleted", at=at, detail=f"subscription {row.id} → {_host(row.url)}", ip=ip)
    session.delete(row)
    session.commit()


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""


def delivery_log(session: Session, row: WebhookSubscription, status: str | None,
                 page: int) -> tuple[list[WebhookDelivery], dict[int, list[WebhookAttempt]], bool]:
    """Newest first, one page, with each delivery's attempts (oldest first)."""
    query = select(WebhookDelivery).where(WebhookDelivery.subscription_id == row.id)
    if status in rules.STATUSES:
        query = query.where(WebhookDelivery.status == status)
    found = list(session.scalars(query.order_by(WebhookDelivery.id.desc())
                                 .offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)))
    has_next = len(found) > PER_PAGE
    found = found[:PER_PAGE]
    tries: dict[int, list[WebhookAttempt]] = {d.id: [] for d in found}
    if found:
        for attempt in session.scalars(select(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(tries))
                                       .order_by(WebhookAttempt.id)):
            tries[attempt.delivery_id].append(attempt)
    return found, tries, has_next


def delivery(session: Session, row: WebhookSubscription, delivery_id: int) -> WebhookDelivery:
    found = session.scalar(select(WebhookDelivery).where(WebhookDelivery.id == delivery_id,
                                                         WebhookDelivery.subscription_id == row.id))
    if found is None:
        raise NotFound("webhook_delivery")
    return found


def people(session: Session, ids: set[int]) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).tuples().all())
