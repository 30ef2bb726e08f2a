"""The operators' side of texts and voice mail: one inbox of what arrived without an operator, the conversation
with a number, the operators' replies, and a thread or a voice message turned into a case, then done."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import phonenumbers
from sqlalchemy import Integer, String, Text, cast, func, literal, select, union_all
from sqlalchemy.orm import Session

from hotline.domain.phone import is_mobile
from hotline.models import BlockedNumber, Case, SmsMessage, SmsThread, User, Voicemail
from hotline.services import blocklist, outbox

PAGE = 25
REPLY_MAX = 134  # two SMS in Chinese (notify.TWO_SMS): an operator's answer is short, never a third part
NOTE_MAX = 500
RESENT_WITHIN = timedelta(minutes=2)  # the same text to the same thread by the same operator: a double click
CONVERSATION = 200  # the latest messages of a thread shown at once; older ones stay in the database
PREVIEW = 80
TABS = ("open", "done")


class ReplyRefused(ValueError):
    """The code says why: blocked (the number is on the block list), not_mobile (it cannot receive texts)."""


@dataclass(frozen=True)
class Item:
    """One row of the inbox: a thread of texts or a voice message."""
    kind: str  # "sms", "voicemail"
    id: int
    phone: str
    at: datetime  # the last text from the number, or when the message was left
    unread: int
    preview: str  # the first line of the last text, or of the transcription
    duration: int  # seconds of a voice message


@dataclass(frozen=True)
class Line:
    """A message of a conversation, with the name of the operator who wrote it (empty for the others)."""
    message: SmsMessage
    author: str


def items(session: Session, tab: str, page: int) -> tuple[list[Item], bool]:
    """(one page of the tab, whether there is a next page). Each branch reads its own (state, time) index and
    stops after the rows this page can need, so the cost follows the page, not the size of the inbox."""
    state = "open" if tab == "open" else "done"
    upto = page * PAGE + 1
    last_text = (select(SmsMessage.body).where(SmsMessage.thread_id == SmsThread.id, SmsMessage.direction == "in")
                 .order_by(SmsMessage.created_at.desc(), SmsMessage.id.desc()).limit(1)
                 .correlate(SmsThread).scalar_subquery())
    threads = (select(literal("sms", String).label("kind"), SmsThread.id.label("id"), SmsThread.phone.label("phone"),
                      SmsThread.last_message_at.label("at"), SmsThread.unread.label("unread"),
                      cast(func.coalesce(last_text, ""), Text).label("preview"),
                      literal(0, Integer).label("duration"))
               .where(SmsThread.state == state).order_by(SmsThread.last_message_at.desc()).limit(upto).subquery())
    voices = (select(literal("voicemail", String).label("kind"), Voicemail.id.label("id"),
                     Voicemail.from_phone.label("phone"), Voicemail.received_at.label("at"),
                     literal(0, Integer).label("unread"), cast(Voicemail.transcription, Text).label("preview"),
                     Voicemail.duration_seconds.label("duration"))
              .where(Voicemail.state == state).order_by(Voicemail.received_at.desc()).limit(upto).subquery())
    both = union_all(select(threads), select(voices)).subquery()
    rows = session.execute(select(both).order_by(both.c.at.desc(), both.c.kind, both.c.id.desc())
                           .offset((page - 1) * PAGE).limit(PAGE + 1)).all()
    found = [Item(kind=r.kind, id=r.id, phone=r.phone, at=_aware(r.at), unread=r.unread or 0,
                  preview=_first_line(r.preview), duration=r.duration or 0) for r in rows[:PAGE]]
    return found, len(rows) > PAGE


def open_count(session: Session) -> int:
    """What waits for an operator: open threads and open voice messages (the nav shows it on every page)."""
    threads = select(func.count()).select_from(SmsThread).where(SmsThread.state == "open").scalar_subquery()
    voices = select(func.count()).select_from(Voicemail).where(Voicemail.state == "open").scalar_subquery()
    return session.scalar(select(threads + voices)) or 0


def open_thread(session: Session, thread_id: int) -> SmsThread | None:
    """The thread, read from now on: an operator has it in front of them (committed with the caller's history)."""
    thread = session.get(SmsThread, thread_id)
    if thread is not None and thread.unread:
        thread.unread = 0
    return thread


def conversation(session: Session, thread: SmsThread) -> tuple[list[Line], bool]:
    """(the latest CONVERSATION messages both ways, oldest first; whether older ones were left out)."""
    rows = session.execute(
        select(SmsMessage, User.display_name).outerjoin(User, SmsMessage.sent_by_id == User.id)
        .where(SmsMessage.thread_id == thread.id)
        .order_by(SmsMessage.created_at.desc(), SmsMessage.id.desc()).limit(CONVERSATION + 1)).all()
    lines = [Line(message=m, author=name or "") for m, name in rows[:CONVERSATION]]
    return lines[::-1], len(rows) > CONVERSATION


def reply(session: Session, thread: SmsThread, body: str, user: User, now: datetime, sender: str = "") -> SmsMessage:
    """An operator's text to the number of the thread, queued for the worker in the same transaction (committed).
    A blocked number gets nothing from the centre, an operator's reply included."""
    if blocklist.is_blocked(session, thread.phone):
        raise ReplyRefused("blocked")
    if not can_receive_texts(thread.phone):
        raise ReplyRefused("not_mobile")
    again = session.scalar(select(SmsMessage).where(
        SmsMessage.thread_id == thread.id, SmsMessage.direction == "out", SmsMessage.sent_by_id == user.id,
        SmsMessage.body == body, SmsMessage.created_at >= now - RESENT_WITHIN).limit(1))
    if again is not None:
        return again  # sent twice (a double click, the page sent again): one text
    message = SmsMessage(direction="out", thread_id=thread.id, from_phone=sender, to_phone=thread.phone,
                         body=body, purpose="inbox", sent_by_id=user.id, created_at=now)
    session.add(message)
    session.flush()
    outbox.add(session, "deliver_sms", message_id=message.id)
    session.commit()
    return message


def can_receive_texts(phone: str) -> bool:
    try:
        return is_mobile(phone)
    except phonenumbers.NumberParseException:
        return False  # kept as the network gave it (a short code, a name): nothing to text back to


def done(session: Session, item: SmsThread | Voicemail, user: User, now: datetime, note: str = "") -> None:
    """Out of the open inbox (committed). A thread opens again with the number's next text."""
    _mark_done(item, user, now)
    if isinstance(item, Voicemail) and note:
        item.note = note
    session.commit()


def block(session: Session, item: SmsThread | Voicemail, reason: str, user: User, now: datetime,
          ip: str = "") -> BlockedNumber:
    """Blocks the number of `item` and takes the item out of the open inbox, in one transaction: a blocked
    number's texts no longer reach the open inbox, so its thread must not linger there either."""
    phone = item.phone if isinstance(item, SmsThread) else item.from_phone
    if item.state == "open":
        _mark_done(item, user, now)
    try:
        return blocklist.block(session, phone, reason, user, now, ip)
    except blocklist.BlockRefused:
        session.rollback()
        raise


def blocked_page(session: Session, page: int) -> tuple[list[tuple[BlockedNumber, str]], bool]:
    """(the active blocks, newest first, each with the name of who blocked it; whether there is a next page)."""
    rows = session.execute(
        select(BlockedNumber, User.display_name).outerjoin(User, BlockedNumber.blocked_by_id == User.id)
        .where(BlockedNumber.lifted_at.is_(None))
        .order_by(BlockedNumber.blocked_at.desc(), BlockedNumber.id.desc())
        .offset((page - 1) * PAGE).limit(PAGE + 1)).all()
    return [(row, name or "") for row, name in rows[:PAGE]], len(rows) > PAGE


def attach_case(session: Session, case: Case, user: User, now: datetime, *,
                thread_id: int | None = None, voicemail_id: int | None = None) -> None:
    """The thread or voice message a case was made from: it remembers the case and leaves the open inbox.
    Called in the transaction that registers the case (not committed here)."""
    item = session.get(SmsThread, thread_id) if thread_id else session.get(Voicemail, voicemail_id) \
        if voicemail_id else None
    if item is None:
        return
    item.case_id = case.id
    _mark_done(item, user, now)


def _mark_done(item: SmsThread | Voicemail, user: User, now: datetime) -> None:
    item.state, item.handled_by_id, item.handled_at = "done", user.id, now
    if isinstance(item, SmsThread):
        item.unread = 0


def _first_line(text: str | None) -> str:
    line = next((s.strip() for s in (text or "").splitlines() if s.strip()), "")
    return line if len(line) <= PREVIEW else line[:PREVIEW - 1] + "…"


def _aware(moment: datetime) -> datetime:
    """A union's column loses the model's UTC type on SQLite: put the zone back (stored values are UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
