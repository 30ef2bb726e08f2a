"""Texts to the hotline, as Twilio hands them over, and Twilio's reports on the texts we sent.

Each text is stored once (Twilio's MessageSid is unique), however often Twilio posts it. Two commands are
answered without an operator (hotline.domain.sms_commands): the state of one's own case, and the rating asked
for by the callback request. Everything else goes to the sender's thread in the operators' inbox. Whatever
arrives, the automatic answers to one number stay within HOTLINE_RATE_SMS_REPLIES: no text, however often sent,
makes the centre send texts without end."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from limits import parse_many
from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline.clock import local
from hotline.domain import sms_commands
from hotline.domain.errors import DomainError
from hotline.domain.lifecycle import Action, State
from hotline.domain.phone import InvalidPhone, to_e164
from hotline.domain.privacy import mask_phone
from hotline.models import Case, Person, SmsMessage, SmsThread
from hotline.services import blocklist, caller, handling, notify, system_users

log = logging.getLogger("hotline.sms")

ONE_SMS = notify.ONE_SMS
# Twilio's MessageStatus → ours. A status never moves back: a late "sent" leaves a delivered message delivered.
STATUSES = {"accepted": "queued", "scheduled": "queued", "queued": "queued", "sending": "sent", "sent": "sent",
            "delivered": "delivered", "read": "delivered", "undelivered": "undelivered", "failed": "failed",
            "canceled": "failed"}
RANK = {"queued": 0, "sent": 1, "delivered": 2, "undelivered": 2, "failed": 2}
WITH_DEADLINE = (State.DISPATCHED, State.RETURNED, State.IN_PROGRESS)


@dataclass(frozen=True)
class Inbound:
    sid: str  # MessageSid
    sender: str  # From, as Twilio gives it
    to: str  # our number
    body: str


@dataclass(frozen=True)
class Settings:
    inbound_limits: str  # HOTLINE_RATE_INBOUND_SMS
    reply_limits: str  # HOTLINE_RATE_SMS_REPLIES
    region: str = "CN"
    timezone: str = "Asia/Shanghai"

    @classmethod
    def from_config(cls, config) -> Settings:
        return cls(config["HOTLINE_RATE_INBOUND_SMS"], config["HOTLINE_RATE_SMS_REPLIES"],
                   config["HOTLINE_PHONE_REGION"], config["HOTLINE_TIMEZONE"])


def sender_phone(raw: str, region: str) -> str:
    """E.164 when it is a number; otherwise the sender as given (a short code, an alphanumeric sender)."""
    try:
        return to_e164(raw, region)
    except InvalidPhone:
        return (raw or "").strip()[:20]


def over_limit(session: Session, counted: Select, moment, limits: str, now: datetime) -> bool:
    """Whether the rows `counted` selects, dated by `moment`, already fill one of the windows of `limits`
    ("10 per hour;30 per day"). One query; the oldest window bounds the rows it reads."""
    windows = [(item.amount, now - timedelta(seconds=item.get_expiry())) for item in parse_many(limits)]
    oldest = min(since for _, since in windows)
    totals = session.execute(counted.with_only_columns(
        *(func.coalesce(func.sum(case((moment >= since, 1), else_=0)), 0) for _, since in windows))
        .where(moment >= oldest).order_by(None)).one()
    return any(total >= amount for total, (amount, _) in zip(totals, windows, strict=True))


def receive(session: Session, text: Inbound, now: datetime, settings: Settings) -> str | None:
    """Stores and handles one inbound text; returns the automatic answer, or None for no answer. Commits."""
    if not text.sid:
        return None  # not a text Twilio received (every one has its MessageSid), and nothing to keep it once by
    phone = sender_phone(text.sender, settings.region)
    if session.scalar(select(SmsMessage.id).where(SmsMessage.provider_id == text.sid)) is not None:
        return None  # Twilio posted it again: handled the first time
    if over_limit(session, select(SmsMessage.id).where(SmsMessage.from_phone == phone, SmsMessage.direction == "in"),
                  SmsMessage.created_at, settings.inbound_limits, now):
        log.warning("inbound SMS %s from %s dropped: over HOTLINE_RATE_INBOUND_SMS", text.sid, mask_phone(phone))
        return None
    message = SmsMessage(direction="in", provider_id=text.sid, from_phone=phone, to_phone=(text.to or "")[:20],
                         body=text.body, purpose="inbound", status="received", transport="twilio",
                         created_at=now, status_at=now)
    session.add(message)
    try:
        session.flush()
    except IntegrityError:  # the same MessageSid, posted at the same moment
        session.rollback()
        return None
    if blocklist.is_blocked(session, phone):
        message.status = "blocked"  # kept, but no operator's inbox and no answer
        session.commit()
        return None
    locale = _locale(session, phone)
    command = sms_commands.parse(text.body)
    reply = None
    if isinstance(command, sms_commands.Query):
        reply = _query(session, message, command, locale, settings.timezone)
    elif isinstance(command, sms_commands.Rating):
        reply = _rate(session, message, command, locale, now, settings.timezone)
    if reply is None:  # a message for the operators (a stray "1" with nothing to rate is one too)
        reply = _thread(session, message, now, locale)
    return _answer(session, phone, reply, message, now, settings.reply_limits)


def _locale(session: Session, phone: str) -> str:
    return session.scalar(select(Person.locale).where(Person.phone == phone).order_by(Person.id.desc())
                          .limit(1)) or "zh"


def _render(purpose: str, locale: str, **values) -> str:
    return notify.render(purpose, locale, city=notify.city(locale), **values)


def _query(session: Session, message: SmsMessage, command: sms_commands.Query, locale: str, tz: str) -> str:
    """Only a case registered to the sender's number is spoken of; any other number gets the words a case that
    does not exist gets."""
    if command.number is None:
        return _render("query_help", locale)
    found = session.scalar(caller.cases_of_number(session, message.from_phone).where(Case.number == command.number))
    if found is None:
        return _render("not_found", locale, number=command.number)
    message.case_id = found.id
    due = found.reply_due_at if found.state in WITH_DEADLINE and found.reply_due_at else None
    return _render("status", locale, number=found.number, state=found.state,
                   due=local(due, tz).date() if due else None)


def awaiting_rating(session: Session, phone: str, now: datetime) -> list[Case]:
    """The sender's cases whose reply the centre approved and whose callback has not happened, window open."""
    return list(session.scalars(caller.cases_of_number(session, phone).where(
        Case.state == State.REPLIED, Case.reply_reviewed.is_(True), Case.callback_satisfaction.is_(None),
        or_(Case.callback_due_at.is_(None), Case.callback_due_at >= now)).order_by(Case.received_at.desc())))


def _rate(session: Session, message: SmsMessage, command: sms_commands.Rating, locale: str, now: datetime,
          tz: str) -> str | None:
    """回访 by text, recorded as the "sms" system user's callback. None: nothing to rate (the text is threaded)."""
    awaiting = awaiting_rating(session, message.from_phone, now)
    if command.number:
        target = next((c for c in awaiting if c.number == command.number), None)
        if target is None:
            return _render("rate_not_found", locale, number=command.number)
    elif not awaiting:
        return None
    elif len(awaiting) > 1:
        return _which(locale, [c.number for c in awaiting])
    else:
        target = awaiting[0]
    message.case_id = target.id
    session.commit()  # the text is kept even if the rating is refused below (handling.act rolls back on refusal)
    note = f"短信回访：{' '.join(message.body.split())}"[:200]
    fields = {"satisfaction": command.satisfaction, "resolved": command.resolved, "note": note}
    try:
        handling.act(session, target.number, Action.CALLBACK, system_users.get(session, system_users.SMS), fields,
                     handling.Context(now=now, timezone=tz))
    except DomainError as exc:  # rated a moment ago by an operator, or the window just closed
        log.info("SMS rating of %s not recorded: %s %s", target.number, type(exc).__name__, exc.code)
        return _render("rate_not_found", locale, number=target.number)
    return _render("rated", locale, number=target.number, satisfaction=command.satisfaction)


def _which(locale: str, numbers: list[str]) -> str:
    """As many of the numbers as fit one SMS."""
    limit = ONE_SMS["en" if locale == "en" else "zh"]
    for count in range(len(numbers), 0, -1):
        body = _render("which_case", locale, numbers=numbers[:count], more=count < len(numbers))
        if len(body) <= limit:
            return body
    return body


def _thread(session: Session, message: SmsMessage, now: datetime, locale: str) -> str | None:
    """Into the sender's conversation: created or reopened (then the sender is asked where), unread + 1."""
    thread = _locked_thread(session, message.from_phone)
    opened = thread is None or thread.state != "open"
    if thread is None:
        try:
            with session.begin_nested():
                thread = SmsThread(phone=message.from_phone, state="open", unread=0, created_at=now)
                session.add(thread)
        except IntegrityError:  # the same number's first two texts at once: the other made the thread, and answers
            thread, opened = _locked_thread(session, message.from_phone), False
    thread.state, thread.handled_by_id, thread.handled_at = "open", None, None
    thread.unread += 1
    thread.last_message_at = now
    session.flush()
    message.thread_id = thread.id
    return _render("received", locale) if opened else None


def _locked_thread(session: Session, phone: str) -> SmsThread | None:
    return session.scalar(select(SmsThread).where(SmsThread.phone == phone).with_for_update()
                          .execution_options(populate_existing=True))


def _answer(session: Session, phone: str, body: str | None, message: SmsMessage, now: datetime,
            limits: str) -> str | None:
    """Records the automatic answer (it goes back in the TwiML response), unless the number had its share."""
    if body and over_limit(session, select(SmsMessage.id).where(SmsMessage.to_phone == phone,
                                                                 SmsMessage.purpose == "auto"),
                           SmsMessage.created_at, limits, now):
        log.info("no automatic answer to %s: over HOTLINE_RATE_SMS_REPLIES", mask_phone(phone))
        body = None
    if body:
        session.add(SmsMessage(direction="out", to_phone=phone, from_phone=message.to_phone, body=body,
                               purpose="auto", transport="twiml", status="sent", thread_id=message.thread_id,
                               case_id=message.case_id, created_at=now, sent_at=now, status_at=now))
    session.commit()
    return body


def record_status(session: Session, sid: str, twilio_status: str, error_code: str, now: datetime) -> bool:
    """Twilio's word on a message we sent. Unknown messages and unknown statuses change nothing. Commits."""
    status = STATUSES.get((twilio_status or "").strip().lower())
    if not sid or status is None:
        return False
    message = session.scalar(select(SmsMessage).where(SmsMessage.provider_id == sid, SmsMessage.direction == "out")
                             .with_for_update())
    if message is None or RANK[status] <= RANK.get(message.status, -1):
        session.rollback()
        return False
    message.status, message.status_at = status, now
    if error_code:
        message.error = f"Twilio error {error_code[:16]}"
    session.commit()
    return True
