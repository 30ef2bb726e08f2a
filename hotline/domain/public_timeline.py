"""What a citizen sees of their own case: its steps, its deadlines, and whether they may rate it or ask for it to
be handled again (信访工作条例 Arts. 18, 21: the person may query how their matter is handled and rate the result).

Shown: received, dispatched to which department, signed for, an extension with its reason and the new deadline,
the reply once the centre has approved it, the rating, a redo, the close. Never shown: internal notes, why a
department returned the case, who on the staff did what, urges and supervision, co-handlers' own steps, a reply the
centre has not approved (it may still be sent back). Pure: the case's events and facts in, entries out."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from hotline.domain.lifecycle import Action, State


@dataclass(frozen=True)
class EventRecord:
    """One event of the case, as stored (hotline.models.CaseEvent)."""
    at: datetime
    action: str
    to_state: str
    department_id: int | None = None
    data: Mapping | None = None
    note: str = ""
    by_citizen: bool = False  # taken on the tracking page by the person themself: their own words may be shown


@dataclass(frozen=True)
class Facts:
    """The case as it stands now."""
    state: str
    reply_reviewed: bool = False
    callback_satisfaction: str | None = None
    callback_resolved: bool | None = None
    sign_due_at: datetime | None = None
    reply_due_at: datetime | None = None
    callback_due_at: datetime | None = None
    lead_signed: bool = False  # the lead department has signed for the current dispatch


@dataclass(frozen=True)
class Due:
    kind: str  # sign, reply, callback (rate by), reopen (ask for a redo by)
    at: datetime
    overdue: bool = False


@dataclass(frozen=True)
class Entry:
    kind: str  # one of KINDS
    at: datetime
    departments: tuple[int, ...] = ()  # the lead first
    text: str = ""  # the answer, an extension's reason, or the person's own comment
    dues: tuple[Due, ...] = ()  # the deadlines this step set
    satisfaction: str | None = None
    resolved: bool | None = None
    detail: str = ""  # the channel (received), the emergency number (transferred), the case merged into, the days


KINDS = ("received", "dispatched", "signed", "extension_requested", "extension_approved", "extension_denied",
         "answered", "answered_directly", "transferred", "rated", "reopened", "closed", "closed_unrated",
         "terminated", "merged")

# The status a citizen reads. A reply the centre has not approved yet is not an answer: the case is still "being
# handled" until it is (the centre may send it back).
STATUSES = ("received", "rerouting", "dispatched", "in_progress", "answered", "rated", "closed", "merged",
            "terminated")


def unhappy(satisfaction: str | None, resolved: bool | None) -> bool:
    """Jinan Art. 27: dissatisfied, or not resolved, may reopen the case."""
    return satisfaction == "dissatisfied" or resolved is False


def _due(data: Mapping, key: str) -> datetime | None:
    value = data.get(key)
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _dues(*pairs: tuple[str, datetime | None]) -> tuple[Due, ...]:
    return tuple(Due(kind, at) for kind, at in pairs if at is not None)


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def timeline(events: Iterable[EventRecord], facts: Facts) -> list[Entry]:
    """The steps the person may see, oldest first."""
    out: list[Entry] = []
    reply: EventRecord | None = None  # the lead's latest reply, shown only once the centre approves it
    answered_at: int | None = None  # where the current round's approved answer is in `out`
    for e in events:
        data = e.data or {}
        action = e.action
        if action == Action.REGISTER:
            out.append(Entry("received", e.at, detail=str(data.get("channel") or "")))
        elif action == Action.DISPATCH:
            departments = tuple(i for i in (_int(data.get("lead")), *map(_int, data.get("co") or ())) if i)
            out.append(Entry("dispatched", e.at, departments,
                             dues=_dues(("sign", _due(data, "sign_due_at")), ("reply", _due(data, "reply_due_at")))))
        elif action == Action.SIGN and data.get("lead"):
            out.append(Entry("signed", e.at, _department(e)))
        elif action == Action.REQUEST_EXTENSION:
            out.append(Entry("extension_requested", e.at, _department(e), text=e.note,
                             detail=str(_int(data.get("days")) or "")))
        elif action == Action.DECIDE_EXTENSION and data.get("decision") == "approve":
            out.append(Entry("extension_approved", e.at, dues=_dues(("reply", _due(data, "to")))))
        elif action == Action.DECIDE_EXTENSION:
            out.append(Entry("extension_denied", e.at))
        elif action == Action.REPLY and data.get("lead"):
            reply = e
        elif action == Action.REVIEW_REPLY:
            if data.get("decision") == "approve" and reply is not None:
                said = reply.data or {}
                answered_at = len(out)
                out.append(Entry("answered", e.at, _department(reply), text=str(said.get("text") or ""),
                                 resolved=said.get("resolved") if isinstance(said.get("resolved"), bool) else None))
            reply = None
        elif action == Action.CALLBACK:
            out.append(Entry("rated", e.at, satisfaction=data.get("satisfaction"),
                             resolved=data.get("resolved") if isinstance(data.get("resolved"), bool) else None,
                             text=e.note if e.by_citizen else ""))
        elif action == Action.REDO:
            answered_at = None
            out.append(Entry("reopened", e.at, text=e.note if e.by_citizen else "",
                             dues=_dues(("reply", _due(data, "reply_due_at")))))
        elif action == Action.CLOSE_UNRATED:
            out.append(Entry("closed_unrated", e.at))
        elif action == Action.TERMINATE:
            out.append(Entry("terminated", e.at))  # the reason is the centre's note: not for the public page
        elif action == Action.ANSWER_DIRECTLY:
            out.append(Entry("answered_directly", e.at, text=e.note))  # the answer the caller was given
        elif action == Action.TRANSFER:
            out.append(Entry("transferred", e.at, detail=str(data.get("service") or "")))
        elif action == Action.MERGE:
            out.append(Entry("merged", e.at, detail=str(data.get("into") or "")))
        if e.to_state == State.CLOSED and action in (Action.CALLBACK, Action.CLOSE):
            out.append(Entry("closed", e.at))
    if answered_at is not None and facts.callback_due_at is not None:
        entry = out[answered_at]
        out[answered_at] = Entry(entry.kind, entry.at, entry.departments, entry.text,
                                 (*entry.dues, Due("callback", facts.callback_due_at)), entry.satisfaction,
                                 entry.resolved, entry.detail)
    return out


def _department(e: EventRecord) -> tuple[int, ...]:
    return (e.department_id,) if e.department_id else ()


def status(facts: Facts) -> str:
    state = facts.state
    if state == State.REGISTERED:
        return "received"
    if state == State.RETURNED:
        return "rerouting"
    if state == State.REPLIED:
        if not facts.reply_reviewed:
            return "in_progress"
        return "rated" if facts.callback_satisfaction else "answered"
    return {State.DISPATCHED: "dispatched", State.IN_PROGRESS: "in_progress", State.CLOSED: "closed",
            State.MERGED: "merged", State.TERMINATED: "terminated"}.get(state, "in_progress")


def _window_open(facts: Facts, now: datetime) -> bool:
    return facts.callback_due_at is None or now <= facts.callback_due_at


def why_not_rate(facts: Facts, now: datetime) -> str | None:
    """None when the person may rate now: the approved reply is there, nobody has rated it yet, and the callback
    window is open. Otherwise why not: not_answered, already_rated, window_closed."""
    if facts.state != State.REPLIED or not facts.reply_reviewed:
        return "not_answered"
    if facts.callback_satisfaction is not None:
        return "already_rated"
    return None if _window_open(facts, now) else "window_closed"


def why_not_reopen(facts: Facts, now: datetime) -> str | None:
    """None when the person may ask for a redo now: rated dissatisfied or unresolved (on the page, by SMS or on a
    call), the centre has not acted on it yet, and the callback window is open. Otherwise why not: not_rated,
    satisfied, moved_on (handled again or closed already), window_closed."""
    if facts.state != State.REPLIED:
        return "moved_on"
    if facts.callback_satisfaction is None:
        return "not_rated"
    if not unhappy(facts.callback_satisfaction, facts.callback_resolved):
        return "satisfied"
    return None if _window_open(facts, now) else "window_closed"


def may_rate(facts: Facts, now: datetime) -> bool:
    return why_not_rate(facts, now) is None


def may_reopen(facts: Facts, now: datetime) -> bool:
    return why_not_reopen(facts, now) is None


def deadlines(facts: Facts, now: datetime) -> list[Due]:
    """The deadlines running now: to sign for the case, to answer it, to rate the answer or ask for a redo."""
    out = []
    handling = facts.state in (State.DISPATCHED, State.IN_PROGRESS) or (
        facts.state == State.REPLIED and not facts.reply_reviewed)
    if facts.state == State.DISPATCHED and not facts.lead_signed and facts.sign_due_at:
        out.append(Due("sign", facts.sign_due_at, now > facts.sign_due_at))
    if handling and facts.reply_due_at:
        out.append(Due("reply", facts.reply_due_at, now > facts.reply_due_at))
    if may_rate(facts, now) and facts.callback_due_at:
        out.append(Due("callback", facts.callback_due_at))
    if may_reopen(facts, now) and facts.callback_due_at:
        out.append(Due("reopen", facts.callback_due_at))
    return out


@dataclass(frozen=True)
class View:
    """Everything the tracking page shows of one case."""
    status: str
    entries: list[Entry] = field(default_factory=list)
    deadlines: list[Due] = field(default_factory=list)
    may_rate: bool = False
    may_reopen: bool = False


def view(events: Iterable[EventRecord], facts: Facts, now: datetime) -> View:
    return View(status(facts), timeline(events, facts), deadlines(facts, now), may_rate(facts, now),
                may_reopen(facts, now))
