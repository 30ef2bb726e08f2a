"""Numbers the centre stops answering by text and voice mail (abuse, automated senders). A blocked number can
still call the operators: an emergency must always get through to a person."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.domain.privacy import mask_phone
from hotline.models import BlockedNumber, User
from hotline.services import audit

REASON_MAX = 200


class BlockRefused(ValueError):
    """The reason is missing or too long (the code says which: required, too_long)."""


def is_blocked(session: Session, phone: str) -> bool:
    return session.scalar(select(BlockedNumber.id).where(BlockedNumber.phone == phone,
                                                         BlockedNumber.lifted_at.is_(None))) is not None


def active(session: Session) -> list[BlockedNumber]:
    return list(session.scalars(select(BlockedNumber).where(BlockedNumber.lifted_at.is_(None))
                                .order_by(BlockedNumber.blocked_at.desc())))


def block(session: Session, phone: str, reason: str, user: User, now: datetime, ip: str = "") -> BlockedNumber:
    """Blocks `phone` (E.164) and commits; blocking a number already blocked keeps the first block."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise BlockRefused("required")
    if len(reason) > REASON_MAX:
        raise BlockRefused("too_long")
    row = session.scalar(select(BlockedNumber).where(BlockedNumber.phone == phone).with_for_update())
    if row is not None and row.active:
        return row
    if row is None:
        row = BlockedNumber(phone=phone)
        session.add(row)
    row.reason, row.blocked_by_id, row.blocked_at = reason, user.id, now
    row.lifted_at = row.lifted_by_id = None
    audit.log_access(session, user, "number_blocked", at=now, detail=f"{mask_phone(phone)}: {reason}"[:200], ip=ip)
    session.commit()
    return row


def lift(session: Session, phone: str, user: User, now: datetime, ip: str = "") -> bool:
    row = session.scalar(select(BlockedNumber).where(BlockedNumber.phone == phone,
                                                     BlockedNumber.lifted_at.is_(None)).with_for_update())
    if row is None:
        return False
    row.lifted_at, row.lifted_by_id = now, user.id
    audit.log_access(session, user, "number_unblocked", at=now, detail=mask_phone(phone), ip=ip)
    session.commit()
    return True
