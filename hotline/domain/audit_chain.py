"""A case's history as a hash chain: each event's hash covers its content and the previous event's
hash, so editing, deleting or reordering an event anywhere shows at the end of the chain.

The hashed form is a contract: changing it would make every stored history look altered."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class EventRecord:
    case_number: str
    seq: int
    at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    from_state: str | None
    to_state: str
    department_id: int | None
    note: str
    data: dict | None
    prev_hash: str = ""
    hash: str = ""


def content_hash(event: EventRecord, prev_hash: str) -> str:
    body = {
        "case": event.case_number, "seq": event.seq,
        "at": event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": event.actor_id, "actor": event.actor_label, "action": event.action,
        "from": event.from_state, "to": event.to_state, "department_id": event.department_id,
        "note": event.note, "data": event.data, "prev": prev_hash,
    }
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def find_break(events: list[EventRecord], head: tuple[int, str] | None = None) -> str | None:
    """None when the chain holds; otherwise what is wrong, at which event. `head` is the length and
    last hash the case row keeps, so events cut from the end of the history show too."""
    if not events:
        return "the history is empty"  # every case starts with its registration: none means all were deleted
    if head is not None and head != (events[-1].seq, events[-1].hash):
        return f"the history ends at event {events[-1].seq}, but the case records {head[0]} events"
    prev = ""
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            return f"event {expected_seq} is missing (found {event.seq})"
        if event.prev_hash != prev:
            return f"event {event.seq} does not follow event {event.seq - 1}"
        if content_hash(event, prev) != event.hash:
            return f"event {event.seq} was altered"
        prev = event.hash
    return None
