"""Messages to citizens: queued with the change that causes them, delivered by a worker."""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy.orm import Session

from hotline.domain.phone import is_mobile
from hotline.integrations.sms import PermanentSmsError, SmsTransport
from hotline.models import Case, SmsMessage
from hotline.services import outbox


def queue_acknowledgement(session: Session, case: Case) -> SmsMessage | None:
    """受理告知: the person learns the case number at once (Beijing Art. 13; Jinan Art. 19)."""
    return _queue(session, case, "ack", lambda city: gettext(
        "[%(city)s 12345] We have received your matter. Case number %(number)s. "
        "Use it to follow the progress on our website or by calling 12345.",
        city=city, number=case.number))


def queue_extension_notice(session: Session, case: Case, due: str) -> SmsMessage | None:
    """The person is told of an approved extension and its reason (DOMAIN.md §2)."""
    return _queue(session, case, "extension", lambda city: gettext(
        "[%(city)s 12345] Case %(number)s: the department needs more time. New reply deadline %(due)s. "
        "Reason: %(reason)s",
        city=city, number=case.number, due=due, reason=case.extension_reason[:200]))


def queue_reply_notice(session: Session, case: Case) -> SmsMessage | None:
    """答复: the person receives the reply the centre has reviewed, and a callback follows."""
    return _queue(session, case, "reply", lambda city: gettext(
        "[%(city)s 12345] Case %(number)s has been answered: %(reply)s We will call you to ask whether "
        "you are satisfied.", city=city, number=case.number, reply=case.reply_text[:300]))


def _queue(session: Session, case: Case, purpose: str, render) -> SmsMessage | None:
    phone = case.person.phone if case.person else None
    if not phone or not is_mobile(phone):
        return None
    locale = case.person.locale or "zh"
    city = current_app.config["HOTLINE_CITY_NAME_EN" if locale == "en" else "HOTLINE_CITY_NAME"]
    with force_locale(locale):
        body = render(city)
    message = SmsMessage(case_id=case.id, to_phone=phone, body=body, purpose=purpose)
    session.add(message)
    session.flush()
    outbox.add(session, "deliver_sms", message_id=message.id)
    return message


def deliver_sms(session: Session, message_id: int, transport: SmsTransport, sender: str, now: datetime) -> None:
    """Idempotent: a message already sent or failed for good is left as it is."""
    message = session.get(SmsMessage, message_id)
    if message is None or message.status in ("sent", "delivered", "failed"):
        return
    message.attempts += 1
    message.transport = transport.name
    try:
        result = transport.send(message.to_phone, message.body, sender)
    except PermanentSmsError as exc:
        message.status, message.error = "failed", str(exc)
        session.commit()
        return
    except Exception as exc:
        message.error = str(exc)
        session.commit()
        raise  # RQ retries it with backoff
    message.status, message.provider_id, message.sent_at, message.error = result.status, result.provider_id, now, ""
    session.commit()
