"""A case's history as a hash chain: any edit, deletion or reordering is found, and the hashed form is
stable (stored histories must keep verifying after any release)."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from hotline.domain.audit_chain import EventRecord, content_hash, find_break

NUMBER = "12345-20261127-000001"
T0 = datetime(2026, 11, 27, 2, 0, 0, 123456, tzinfo=UTC)


def chain(*steps: tuple[str, str | None, str, str]) -> list[EventRecord]:
    """Events hashed as audit.record_event hashes them: each over its content and its predecessor's hash."""
    events, prev = [], ""
    for seq, (action, from_state, to_state, note) in enumerate(steps, start=1):
        event = EventRecord(NUMBER, seq, T0 + timedelta(minutes=seq), seq if seq > 1 else None,
                            "citizen" if seq == 1 else f"user {seq}", action, from_state, to_state,
                            None if seq == 1 else 40 + seq, note, {"seq": seq, "中文": "是"}, prev)
        event = replace(event, hash=content_hash(event, prev))
        events.append(event)
        prev = event.hash
    return events


def history() -> list[EventRecord]:
    return chain(("register", None, "registered", ""), ("dispatch", "registered", "dispatched", "请办理"),
                 ("sign", "dispatched", "in_progress", ""), ("reply", "in_progress", "replied", "已处理"),
                 ("callback", "replied", "closed", "满意"))


def renumbered(events: list[EventRecord]) -> list[EventRecord]:
    return [replace(e, seq=i) for i, e in enumerate(events, start=1)]


def test_a_good_chain_verifies():
    assert find_break(history()) is None


def test_an_empty_history_is_a_deleted_one():
    assert find_break([]) == "the history is empty"


def test_an_altered_note_is_found_at_its_event():
    events = history()
    events[1] = replace(events[1], note="请尽快办理")
    assert find_break(events) == "event 2 was altered"


def test_every_field_is_covered_by_the_hash():
    events = history()
    changes = {"at": T0, "actor_id": 99, "actor_label": "someone else", "action": "return",
               "from_state": "returned", "to_state": "closed", "department_id": 1, "data": {"seq": 3},
               "case_number": "12345-20261127-000002"}
    for name, value in changes.items():
        tampered = list(events)
        tampered[2] = replace(events[2], **{name: value})
        assert find_break(tampered) == "event 3 was altered", name


def test_a_deleted_event_is_found():
    events = history()
    del events[2]
    assert find_break(events) == "event 3 is missing (found 4)"


def test_a_deleted_first_event_is_found():
    assert find_break(history()[1:]) == "event 1 is missing (found 2)"


def test_a_deleted_event_with_the_rest_renumbered_is_found():
    events = history()
    del events[2]
    assert find_break(renumbered(events)) is not None


def test_a_reordered_pair_is_found():
    events = history()
    events[2], events[3] = events[3], events[2]
    assert find_break(events) is not None
    # and also when their sequence numbers were swapped to look in order
    assert find_break(renumbered(events)) is not None


def test_a_broken_prev_link_is_found():
    events = history()
    events[3] = replace(events[3], prev_hash="0" * 64)
    assert find_break(events) == "event 4 does not follow event 3"


def test_an_event_rehashed_after_an_edit_still_breaks_the_next_link():
    events = history()
    edited = replace(events[1], note="改过的")
    events[1] = replace(edited, hash=content_hash(edited, edited.prev_hash))
    assert find_break(events) == "event 3 does not follow event 2"


def test_the_moment_is_hashed_in_utc_whatever_zone_it_is_read_in():
    event = history()[0]
    shanghai = replace(event, at=event.at.astimezone(timezone(timedelta(hours=8))))
    assert content_hash(shanghai, "") == content_hash(event, "")


def test_the_hash_is_a_fixed_function_of_the_content():
    """The stored form: sorted keys, no spaces, UTF-8, the time in UTC with microseconds."""
    event = EventRecord(NUMBER, 1, T0, None, "citizen", "register", None, "registered", None, "", {"channel": "web"})
    canonical = ('{"action":"register","actor":"citizen","actor_id":null,"at":"2026-11-27T02:00:00.123456Z",'
                 '"case":"12345-20261127-000001","data":{"channel":"web"},"department_id":null,"from":null,'
                 '"note":"","prev":"","seq":1,"to":"registered"}')
    assert content_hash(event, "") == hashlib.sha256(canonical.encode()).hexdigest()
    assert content_hash(event, "") == "4ad2005df9cddeb1d2d940b05b365f2819db7413cf30e3759dc7be470b2dce40"
    follower = replace(event, seq=2, note="派单：城管委", prev_hash=content_hash(event, ""))
    assert content_hash(follower, follower.prev_hash) != content_hash(follower, "")
