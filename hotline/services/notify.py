"""Messages to citizens: queued with the change that causes them, delivered by a worker.

Each message is a template in templates/sms/ (Chinese, and English for people who chose it), written to fit
one SMS: 70 characters in Chinese (UCS-2), the case number taking 21 of them. Only an extension's reason can
make a message longer; it is then cut so that the message fits two. A merged caller's progress names a department
(at most 9 characters in the demo city, and then fits one)."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy.orm import Session

from hotline.domain.phone import is_mobile
from hotline.integrations.sms import PermanentSmsError, SmsTransport
from hotline.models import Case, SmsMessage
from hotline.services import outbox

ONE_SMS = {"zh": 70, "en": 160}  # characters in one SMS: UCS-2 for Chinese, GSM-7 for English
TWO_SMS = {"zh": 134, "en": 306}  # two concatenated parts lose a few characters each to the header


def render(purpose: str, locale: str, **values) -> str:
    """The message `purpose` in `locale` ("en", or Chinese for anything else). Rendered from the Jinja
    environment directly: a worker has no request, and an SMS needs none of the page's context."""
    template = current_app.jinja_env.get_template(f"sms/{purpose}.txt")
    return template.render(locale="en" if locale == "en" else "zh", **values).strip()


def city(locale: str) -> str:
    return current_app.config["HOTLINE_CITY_NAME_EN" if locale == "en" else "HOTLINE_CITY_NAME"]


def queue_acknowledgement(session: Session, case: Case) -> SmsMessage | None:
    """受理告知: the person learns the case number at once (Beijing Art. 13; Jinan Art. 19)."""
    return _queue(session, case, "ack", lambda locale: render("ack", locale, city=city(locale), number=case.number))


def queue_petition_registered(session: Session, case: Case) -> SmsMessage | None:
    """登记: a petitioner learns the number, and that acceptance is told in writing within 15 days (Arts. 22–23).
    Registering a petition is not accepting it, so the 12345 acknowledgement ("已受理") would mislead."""
    return _queue(session, case, "petition_registered",
                  lambda locale: render("petition_registered", locale, city=city(locale), number=case.number))


def queue_extension_notice(session: Session, case: Case, due: str) -> SmsMessage | None:
    """The person is told of an approved extension and its reason (DOMAIN.md §2). `due` is the new deadline
    in local time, "YYYY-MM-DD HH:MM"; the message gives its day."""
    day = datetime.strptime(due, "%Y-%m-%d %H:%M").date()
    return _queue(session, case, "extension",
                  lambda locale: extension_text(locale, case.number, day, case.extension_reason or ""))


def extension_text(locale: str, number: str, due: date, reason: str) -> str:
    """The reason on one line, without its own full stop (the message has one); a long reason is cut (with "…")
    so that the message still fits two SMS."""
    reason = " ".join(reason.split()).rstrip("。.！!；;，, ")

    def text(why: str) -> str:
        return render("extension", locale, city=city(locale), number=number, due=due, reason=why)

    body = text(reason)
    over = len(body) - TWO_SMS["en" if locale == "en" else "zh"]
    if over > 0:
        body = text(reason[:max(len(reason) - over - 1, 0)].rstrip() + "…")
    return body


def queue_reply_notice(session: Session, case: Case) -> SmsMessage | None:
    """答复, once the centre approved it: the person is told the reply is there, and asked to rate the handling
    (the callback request), in two messages of one SMS each."""
    message = _queue(session, case, "reply", lambda locale: render("reply", locale, city=city(locale),
                                                                   number=case.number))
    queue_callback_request(session, case)
    return message


def queue_callback_request(session: Session, case: Case) -> SmsMessage | None:
    """回访: the person rates the handling by answering 1, 2 or 3 (satisfied, basically, dissatisfied)."""
    return _queue(session, case, "callback", lambda locale: render("callback", locale, city=city(locale),
                                                                   number=case.number))


def _queue(session: Session, case: Case, purpose: str, body) -> SmsMessage | None:
    phone = case.person.phone if case.person else None
    if not phone or not is_mobile(phone):
        return None
    message = SmsMessage(case_id=case.id, to_phone=phone, body=body(case.person.locale or "zh"), purpose=purpose)
    session.add(message)
    session.flush()
    outbox.add(session, "deliver_sms", message_id=message.id)
    return message


def deliver_sms(session: Session, message_id: int, transport: SmsTransport, sender: str, now: datetime) -> None:
    """Idempotent: a message already sent or failed for good is left as it is."""
    message = session.get(SmsMessage, message_id)
    if message is None or message.status in ("sent", "delivered", "undelivered", "failed"):
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


def queue_progress(session: Session, case: Case, into: Case) -> SmsMessage | None:
    """A call merged into the open case `into`: its caller (the person of `case`) learns that case's number, where
    it stands, who handles it and by when it is answered (DOMAIN.md §2: duplicate → merge, tell progress)."""
    tz = current_app.config["HOTLINE_TIMEZONE"]
    due = into.reply_due_at.astimezone(ZoneInfo(tz)).date() if into.reply_due_at else None
    department = into.lead_department

    def body(locale: str) -> str:
        name = (department.name_en if locale == "en" and department.name_en else department.short_name) \
            if department else ""
        return render("progress", locale, city=city(locale), number=into.number, state=into.state,
                      department=name, due=due)

    return _queue(session, case, "progress", body)
