"""One-time codes by SMS: a citizen proves a phone number is theirs before a case is filed under it, before
their cases are shown, and to open one case by its number.

A code is six digits, lives HOTLINE_CODE_MINUTES, dies at its first correct use or its MAX_ATTEMPTS-th wrong
one, and is kept only as a keyed hash. Sending a new code for the same purpose retires the earlier ones. The
answer to "send me a code" never depends on whether the number has cases: the caller shows the same page
whatever happened."""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hotline.domain.phone import is_mobile
from hotline.domain.privacy import mask_phone
from hotline.models import PhoneCode, SmsMessage
from hotline.services import notify, outbox
from hotline.services.sms_inbound import over_limit

log = logging.getLogger(__name__)

PURPOSES = ("file", "sign_in", "case")
MAX_ATTEMPTS = 5
DIGITS = 6


@dataclass(frozen=True)
class Settings:
    key: bytes  # the application's secret key: a stolen table of hashes cannot be tried against 10⁶ codes
    limits: str  # HOTLINE_RATE_CODES
    minutes: int = 10

    @classmethod
    def from_config(cls, config) -> Settings:
        return cls(str(config["SECRET_KEY"]).encode(), config["HOTLINE_RATE_CODES"], config["HOTLINE_CODE_MINUTES"])


class TooManyCodes(Exception):
    """The number has had as many codes as HOTLINE_RATE_CODES allows for now."""


class NotMobile(Exception):
    """A code can only be sent to a mobile number."""


def _hash(settings: Settings, phone: str, purpose: str, subject: str, code: str) -> str:
    message = f"{phone}\x1f{purpose}\x1f{subject}\x1f{code}".encode()
    return hmac.new(settings.key, message, hashlib.sha256).hexdigest()


def send(session: Session, phone: str, purpose: str, now: datetime, settings: Settings, *, subject: str = "",
         locale: str = "zh", city: str = "") -> None:
    """Makes a code for (phone, purpose, subject), queues its SMS and commits. `phone` is E.164."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    if not is_mobile(phone):
        raise NotMobile(phone)
    counted = select(PhoneCode.id).where(PhoneCode.phone == phone)
    if over_limit(session, counted, PhoneCode.created_at, settings.limits, now):
        log.info("no code for %s: over HOTLINE_RATE_CODES", mask_phone(phone))
        raise TooManyCodes(phone)
    session.execute(update(PhoneCode).where(
        PhoneCode.phone == phone, PhoneCode.purpose == purpose, PhoneCode.subject == subject,
        PhoneCode.used_at.is_(None)).values(used_at=now))  # the newest code is the only live one
    code = f"{secrets.randbelow(10 ** DIGITS):0{DIGITS}d}"
    session.add(PhoneCode(phone=phone, purpose=purpose, subject=subject, created_at=now,
                          code_hash=_hash(settings, phone, purpose, subject, code),
                          expires_at=now + timedelta(minutes=settings.minutes)))
    body = notify.render("code", locale, city=city or notify.city(locale), code=code, minutes=settings.minutes)
    message = SmsMessage(to_phone=phone, body=body, purpose="code")
    session.add(message)
    session.flush()
    outbox.add(session, "deliver_sms", message_id=message.id)
    session.commit()


def verify(session: Session, phone: str, purpose: str, code: str, now: datetime, settings: Settings, *,
           subject: str = "") -> bool:
    """Whether `code` is the live code for (phone, purpose, subject); a right code is used up. Commits."""
    row = session.scalar(select(PhoneCode).where(
        PhoneCode.phone == phone, PhoneCode.purpose == purpose, PhoneCode.subject == subject,
        PhoneCode.used_at.is_(None), PhoneCode.expires_at > now, PhoneCode.attempts < MAX_ATTEMPTS)
        .order_by(PhoneCode.id.desc()).limit(1).with_for_update())
    if row is None:
        session.rollback()
        return False
    code = "".join((code or "").split())
    right = hmac.compare_digest(row.code_hash, _hash(settings, phone, purpose, subject, code))
    row.attempts += 1
    if right:
        row.used_at = now
    session.commit()
    return right


def purge(session: Session, now: datetime, keep: timedelta = timedelta(days=1)) -> int:
    """Removes codes that can no longer be used, once the day-long limit window no longer counts them. Commits."""
    rows = session.execute(PhoneCode.__table__.delete().where(PhoneCode.created_at < now - keep))
    session.commit()
    return rows.rowcount or 0
