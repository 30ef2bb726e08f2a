"""Calls to the hotline through Twilio: where each goes (hotline.domain.voice), and the voice messages left after
hours, which wait in the operators' inbox with the caller's history until someone turns them into a case."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline.domain import voice
from hotline.domain.privacy import mask_phone
from hotline.domain.voice import Route, Turn
from hotline.models import Voicemail
from hotline.services import blocklist
from hotline.services.sms_inbound import over_limit, sender_phone

log = logging.getLogger("hotline.voice")

TRANSCRIPTION_STATUSES = ("completed", "failed")


@dataclass(frozen=True)
class Settings:
    hours: tuple[str, str]  # HOTLINE_VOICE_HOURS, local time
    operators: str  # HOTLINE_VOICE_OPERATORS: the number that rings in those hours ("" → voice mail only)
    limits: str  # HOTLINE_RATE_VOICEMAIL
    timezone: str = "Asia/Shanghai"
    region: str = "CN"

    @classmethod
    def from_config(cls, config) -> Settings:
        return cls(tuple(config["HOTLINE_VOICE_HOURS"]), config["HOTLINE_VOICE_OPERATORS"] or "",
                   config["HOTLINE_RATE_VOICEMAIL"], config["HOTLINE_TIMEZONE"], config["HOTLINE_PHONE_REGION"])


def may_record(session: Session, phone: str, now: datetime, settings: Settings) -> bool:
    """A blocked number, or one that left HOTLINE_RATE_VOICEMAIL messages lately, leaves no more."""
    if blocklist.is_blocked(session, phone):
        return False
    if over_limit(session, select(Voicemail.id).where(Voicemail.from_phone == phone), Voicemail.received_at,
                  settings.limits, now):
        log.warning("no voice mail for %s: over HOTLINE_RATE_VOICEMAIL", mask_phone(phone))
        return False
    return True


def route_call(session: Session, raw_from: str, now: datetime, settings: Settings) -> Turn:
    if settings.operators and voice.in_hours(now, settings.hours, settings.timezone):
        return Turn(Route.OPERATORS, "greeting")  # blocked or not: an emergency must reach a person
    return voice.route_call(now, settings.hours, settings.timezone, settings.operators,
                            _may_record(session, raw_from, now, settings))


def after_dial(session: Session, raw_from: str, dial_status: str, now: datetime, settings: Settings) -> Turn | None:
    if not voice.unanswered(dial_status):
        return None
    return voice.after_dial(dial_status, _may_record(session, raw_from, now, settings))


def menu(session: Session, raw_from: str, digits: str, now: datetime, settings: Settings) -> Turn:
    return voice.menu(digits, (digits or "").strip() == "1" and _may_record(session, raw_from, now, settings))


def _may_record(session: Session, raw_from: str, now: datetime, settings: Settings) -> bool:
    return may_record(session, sender_phone(raw_from, settings.region), now, settings)


def record(session: Session, call_sid: str, raw_from: str, recording_sid: str, recording_url: str, duration: str,
           now: datetime, settings: Settings) -> Voicemail | None:
    """One voice message per call, however often Twilio posts it; an empty recording is not kept. Commits."""
    seconds = voice.seconds(duration)
    if not call_sid or not voice.worth_keeping(recording_url, seconds):
        return None
    existing = session.scalar(select(Voicemail).where(Voicemail.call_sid == call_sid))
    if existing is not None:
        return existing
    message = Voicemail(call_sid=call_sid[:64], from_phone=sender_phone(raw_from, settings.region),
                        recording_sid=(recording_sid or "")[:64], recording_url=recording_url[:500],
                        duration_seconds=min(seconds, 24 * 3600), state="open", received_at=now)
    session.add(message)
    try:
        session.commit()
    except IntegrityError:  # the same CallSid posted twice at once
        session.rollback()
        return session.scalar(select(Voicemail).where(Voicemail.call_sid == call_sid))
    return message


def transcribed(session: Session, call_sid: str, text: str, status: str) -> bool:
    """Twilio's transcription of a stored message. Commits; False when there is no such message."""
    message = session.scalar(select(Voicemail).where(Voicemail.call_sid == call_sid).with_for_update())
    if message is None:
        session.rollback()
        return False
    status = (status or "").strip().lower()
    message.transcription_status = status if status in TRANSCRIPTION_STATUSES else "failed"
    message.transcription = (text or "").strip() if message.transcription_status == "completed" else ""
    session.commit()
    return True
