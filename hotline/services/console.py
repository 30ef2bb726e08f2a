"""What an operator does with a call at the console (DOMAIN.md §2, intake): register it for dispatch, answer it
from the knowledge base, hand an emergency on to 110/119/120/122, or merge it into the caller's open case and
tell the caller its progress. Each registers the call as a case — every call has a number — and the last three
close it at once, through the one service that changes cases (handling.act).

A call that is closed at intake is registered without the dispatch catalogue: an automatic rule would otherwise
send a department a case that is answered, handed on or merged a moment later."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.domain import actions, knowledge
from hotline.domain.errors import Conflict, InvalidFields
from hotline.domain.kinds import Channel, Kind, Track, Urgency
from hotline.domain.lifecycle import OPEN_STATES, Action, State
from hotline.models import Case, KnowledgeArticle, Person, SmsMessage, SmsThread, User, Voicemail
from hotline.services import handling, intake, notify, sms_inbox


@dataclass(frozen=True)
class Call:
    """What the operator entered. `phone` is E.164 (or None: a withheld number)."""
    kind: Kind
    description: str
    phone: str | None = None
    name: str = ""
    category_id: int | None = None
    area_id: int | None = None
    location_text: str = ""
    urgency: Urgency = Urgency.GENERAL
    confidential: bool = False
    submission_key: str | None = None
    thread_id: int | None = None  # made from the SMS inbox
    voicemail_id: int | None = None  # made from a voice message

    @property
    def channel(self) -> Channel:
        if self.thread_id:
            return Channel.SMS
        return Channel.VOICEMAIL if self.voicemail_id else Channel.PHONE


@dataclass(frozen=True)
class Context:
    now: datetime
    timezone: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    into: Case | None = None  # the open case a merged call went into
    progress_sms: SmsMessage | None = None


class NotClosed(Exception):
    """The call was registered but the closing step was refused (the article was retired, the case to merge into
    closed meanwhile): it waits in the dispatcher's queue, and the operator is told which case it is."""

    def __init__(self, case: Case, error: Exception) -> None:
        super().__init__(case.number)
        self.case, self.error = case, error


def save(session: Session, call: Call, user: User, ctx: Context) -> Outcome:
    """Registered for dispatch: the catalogue may dispatch it at once (intake.register)."""
    case = intake.register(session, _new(call), _intake_context(session, call, ctx), user,
                           also=_attach(call, user, ctx))
    return Outcome(case)


def answer(session: Session, call: Call, user: User, ctx: Context, article_id: int, addition: str = "") -> Outcome:
    """A 咨询 answered on the spot from a knowledge-base article: the note is the article's title and what the
    operator added, and the article is recorded on the case."""
    article = session.get(KnowledgeArticle, article_id)
    # the rule the closing step applies (effects), asked before the call is registered: an article that ended
    # while the operator read it must not leave a registered case behind in the dispatch queue
    if article is None or not knowledge.valid_on(article, ctx.now.astimezone(ZoneInfo(ctx.timezone)).date()):
        raise InvalidFields("fields", {"article_id": "unknown"})
    note = f"{article.title}\n{addition.strip()}".strip()
    fields = {"note": note[:actions.NOTE_MAX], "article_id": article.id}
    actions.clean(Action.ANSWER_DIRECTLY, fields)
    call = replace(call, kind=Kind.CONSULT, category_id=call.category_id or article.category_id)
    case = _register_and_close(session, call, user, ctx, Action.ANSWER_DIRECTLY, fields)
    return Outcome(case)


def transfer(session: Session, call: Call, user: User, ctx: Context, service: str, note: str = "") -> Outcome:
    """An emergency: the caller was told to dial `service`; the call is recorded and closed as handed on."""
    fields = actions.clean(Action.TRANSFER, {"service": service, "note": note})
    case = _register_and_close(session, call, user, ctx, Action.TRANSFER, fields)
    return Outcome(case)


def merge(session: Session, call: Call, user: User, ctx: Context, into: str) -> Outcome:
    """The matter is already an open case: the call is merged into it, and the caller is sent its progress."""
    number = (into or "").strip().upper()
    target = session.scalar(select(Case).where(Case.number == number))
    if target is None:
        raise InvalidFields("fields", {"into": "unknown"})
    if target.state not in OPEN_STATES:
        raise InvalidFields("fields", {"into": "not_open"})
    fields = actions.clean(Action.MERGE, {"into": number, "note": ""})
    before = _existing(session, call)
    case = _register_and_close(session, call, user, ctx, Action.MERGE, fields)
    target = session.scalar(select(Case).where(Case.number == number))
    sms = None
    if before is None or before.state == State.REGISTERED:  # told once, however often the form is sent
        sms = notify.queue_progress(session, case, target)
        session.commit()
    return Outcome(case, into=target, progress_sms=sms)


@dataclass(frozen=True)
class Result:
    """What the console shows after a call: the case, and for a merged call the case it went into (what the
    operator reads out) and whether its progress was texted to the caller."""
    case: Case
    into: Case | None
    texted: bool


def result(session: Session, number: str) -> Result | None:
    case = session.scalar(select(Case).where(Case.number == (number or "").strip().upper()))
    if case is None:
        return None
    into = session.get(Case, case.merged_into_id) if case.merged_into_id else None
    texted = into is not None and session.scalar(
        select(SmsMessage.id).where(SmsMessage.case_id == case.id, SmsMessage.purpose == "progress").limit(1)
    ) is not None
    return Result(case, into, texted)


def prefill(session: Session, thread_id: int | None = None, voicemail_id: int | None = None) -> tuple[str, str]:
    """(phone, description) for a case made from an inbox item: the thread's texts from the caller, oldest
    first, or the voice message's transcription."""
    if thread_id:
        thread = session.get(SmsThread, thread_id)
        if thread is None:
            return "", ""
        texts = session.scalars(select(SmsMessage.body).where(SmsMessage.thread_id == thread.id,
                                                              SmsMessage.direction == "in")
                                .order_by(SmsMessage.created_at, SmsMessage.id))
        return thread.phone, "\n".join(t.strip() for t in texts if t and t.strip())
    if voicemail_id:
        voicemail = session.get(Voicemail, voicemail_id)
        if voicemail is None:
            return "", ""
        return voicemail.from_phone, (voicemail.transcription or "").strip()
    return "", ""


# --- registering ------------------------------------------------------------------------------------------


def _new(call: Call) -> intake.NewCase:
    return intake.NewCase(
        track=Track.HOTLINE, kind=call.kind, channel=call.channel, description=call.description,
        category_id=call.category_id, area_id=call.area_id, location_text=call.location_text,
        urgency=call.urgency, name=call.name, phone=call.phone, confidential=call.confidential,
        submission_key=call.submission_key,
    )


def _intake_context(session: Session, call: Call, ctx: Context) -> intake.Context:
    """The caller's SMS language is theirs, not the operator's: the one they chose before, else Chinese."""
    locale = "zh"
    if call.phone:
        locale = session.scalar(select(Person.locale).where(Person.phone == call.phone)
                                .order_by(Person.id.desc()).limit(1)) or "zh"
    return intake.Context(now=ctx.now, timezone=ctx.timezone, locale=locale)


def _existing(session: Session, call: Call) -> Case | None:
    if not call.submission_key:
        return None
    return session.scalar(select(Case).where(Case.submission_key == call.submission_key))


def _register_and_close(session: Session, call: Call, user: User, ctx: Context, action: Action,
                        fields: dict) -> Case:
    """Registered outside the catalogue, then closed by `action`. The same form sent twice finds its case and
    closes it at most once."""
    case = _existing(session, call) or _register_unrouted(session, call, user, ctx, action)
    if case.state == State.REGISTERED:
        try:
            case = handling.act(session, case.number, action, user, fields,
                                handling.Context(now=ctx.now, timezone=ctx.timezone))
        except (Conflict, InvalidFields) as exc:
            session.rollback()
            current = session.scalar(select(Case).where(Case.number == case.number))
            if current is None or current.state == State.REGISTERED:
                raise NotClosed(current or case, exc) from None
            case = current  # the other request of a double submission closed it
    return case


def _register_unrouted(session: Session, call: Call, user: User, ctx: Context, action: Action) -> Case:
    """Outside the catalogue; the caller is sent the case number only when the call was answered here."""
    new = replace(_new(call), route=False, acknowledge=action is Action.ANSWER_DIRECTLY)
    return intake.register(session, new, _intake_context(session, call, ctx), user, also=_attach(call, user, ctx))


def _attach(call: Call, user: User, ctx: Context):
    """The inbox item the call was made from leaves the open inbox in the transaction that registers the case."""
    def attach(session: Session, case: Case) -> None:
        if call.thread_id or call.voicemail_id:
            sms_inbox.attach_case(session, case, user, ctx.now, thread_id=call.thread_id,
                                  voicemail_id=call.voicemail_id)
    return attach
