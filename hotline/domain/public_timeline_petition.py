"""What a petitioner sees of their own petition on the tracking page (信访工作条例 Art. 18: the way to query how a
petition is handled and its result), in the words of the procedure they are in: registered, forwarded to an
organ, accepted (or not, and the legal route), the written decision, review and re-review, concluded; and each
statutory deadline as it runs — the office's 15 days to forward (Art. 22), the acceptance notice (Art. 23), the
written decision (Arts. 32, 34), and their own 30 days to ask for review or re-review (Arts. 35, 36).

Never shown: notes, who on the staff did anything, an organ's objection and its decision (the petitioner sees
only where the petition is now), extension requests not granted, urges, recusals (Art. 28), the units an
accusation names (Art. 30), the petitions or 12345 cases it was compared with or linked to. Pure: the case's
events and facts in, entries out (the same Entry, Due and View as the 12345 timeline)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from hotline.domain.public_timeline import Due, Entry, EventRecord, View

# the steps a petitioner sees (Entry.kind)
KINDS = ("registered", "forwarded", "accepted", "not_accepted", "extended", "decided", "review_requested",
         "reviewed", "re_review_requested", "hearing_started", "hearing_ended", "re_reviewed", "concluded",
         "withdrawn")
STATUSES = ("registered", "forwarded", "accepted", "not_accepted", "decided", "reviewing", "reviewed",
            "re_reviewing", "concluded")
_STATUS = {"registered": "registered", "forwarded": "forwarded", "objected": "forwarded", "accepted": "accepted",
           "not_accepted": "not_accepted", "decided": "decided", "reviewing": "reviewing", "reviewed": "reviewed",
           "re_reviewing": "re_reviewing", "closed": "concluded"}
# the deadline running in each state, as the petitioner may know it: the organ's window to object is the
# office's business, and an objection never changes what the petitioner is owed (Art. 23: told within 15 days)
RUNNING = {"registered": "forward", "forwarded": "accept", "objected": "accept", "accepted": "decide",
           "decided": "review_window", "reviewing": "review", "reviewed": "re_review_window",
           "re_reviewing": "re_review"}
WINDOWS = frozenset({"review_window", "re_review_window"})  # the petitioner's own time: closed, not overdue


@dataclass(frozen=True)
class Facts:
    """The petition as it stands now."""
    state: str
    dues: Mapping[str, datetime | None] = field(default_factory=dict)  # clock → due (Petition.<clock>_due_at)
    in_hearing: bool = False  # the re-review clock stands still (Art. 36)


def status(facts: Facts) -> str:
    return _STATUS.get(facts.state, "registered")


def deadlines(facts: Facts, now: datetime) -> list[Due]:
    """The statutory deadline running now, if any: a window the petitioner may still use, or what an organ
    or the office owes them (overdue once it has passed)."""
    clock = RUNNING.get(facts.state)
    if clock is None or (clock == "re_review" and facts.in_hearing):
        return []
    due = facts.dues.get(clock)
    if due is None:
        return []
    if clock in WINDOWS:
        return [Due(clock, due)] if now <= due else []
    return [Due(clock, due, now > due)]


def _due(data: Mapping, clock: str) -> datetime | None:
    stamped = (data.get("deadlines") or {}).get(clock)
    value = stamped.get("due") if isinstance(stamped, Mapping) else None
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _dues(data: Mapping, *clocks: str) -> tuple[Due, ...]:
    return tuple(Due(c, at) for c in clocks if (at := _due(data, c)) is not None)


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _organ(e: EventRecord) -> tuple[int, ...]:
    return (e.department_id,) if e.department_id else ()


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def timeline(events: Iterable[EventRecord]) -> list[Entry]:
    """The steps the petitioner may see, oldest first. `detail` holds a code the page words: the channel, the
    outcome (support/explain/reject, uphold/change/revoke), the legal route, or which decision stands."""
    out: list[Entry] = []
    for e in events:
        data = e.data or {}
        action = e.action
        if action == "register":
            out.append(Entry("registered", e.at, detail=_text(data.get("channel")), dues=_dues(data, "forward")))
        elif action == "forward":
            organ = _int(data.get("organ"))
            out.append(Entry("forwarded", e.at, (organ,) if organ else (), dues=_dues(data, "accept")))
        elif action == "refer" or (action == "accept" and data.get("decision") == "refer"):
            out.append(Entry("not_accepted", e.at, _organ(e), detail=_text(data.get("legal_route"))))
        elif action == "accept":
            out.append(Entry("accepted", e.at, _organ(e), dues=_dues(data, "decide")))
        elif action == "decide-extension" and data.get("decision") == "approve":
            out.append(Entry("extended", e.at, _organ(e), dues=_dues(data, "decide")))
        elif action == "decide":
            out.append(Entry("decided", e.at, _organ(e), detail=_text(data.get("outcome")),
                             dues=_dues(data, "review_window")))
            if e.to_state == "closed":  # a suggestion or an accusation ends with its answer
                out.append(Entry("concluded", e.at))
        elif action == "request-review":
            organ = _int(data.get("organ"))
            out.append(Entry("review_requested", e.at, (organ,) if organ else (), dues=_dues(data, "review")))
        elif action == "decide-review":
            out.append(Entry("reviewed", e.at, _organ(e), detail=_text(data.get("outcome")),
                             dues=_dues(data, "re_review_window")))
        elif action == "request-re-review":
            organ = _int(data.get("organ"))
            out.append(Entry("re_review_requested", e.at, (organ,) if organ else (), dues=_dues(data, "re_review")))
        elif action == "start-hearing":
            out.append(Entry("hearing_started", e.at, _organ(e)))
        elif action == "end-hearing":
            out.append(Entry("hearing_ended", e.at, _organ(e), dues=_dues(data, "re_review"),
                             detail=str(_int(data.get("hearing_days")) or "")))
        elif action == "decide-re-review":
            out.append(Entry("re_reviewed", e.at, _organ(e), detail=_text(data.get("outcome"))))
            out.append(Entry("concluded", e.at, detail="final"))
        elif action == "close":
            out.append(Entry("concluded", e.at, detail=_text(data.get("stands"))))
        elif action == "withdraw":
            out.append(Entry("withdrawn", e.at))
    return out


def view(events: Iterable[EventRecord], facts: Facts, now: datetime) -> View:
    """A petition is neither rated nor reopened on the page: review and re-review are asked of the office."""
    return View(status(facts), timeline(events), deadlines(facts, now))
