"""The webhook rules without an app: recipients, payload, signature, backoff and giving up, subscription checks."""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from hotline.domain import webhooks as rules

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize("active, ended, acting, accused, told", [
    ({1, 2}, set(), None, set(), {1, 2}),
    (set(), {1}, 1, set(), {1}),            # returned: acting and leaving, told once
    ({2}, {1}, 3, set(), {1, 2, 3}),        # redispatched from 1 to 2 by the centre (3)
    ({1, 9}, set(), 9, {9}, {1}),           # the accused unit, holding or acting, is never told
    (set(), set(), None, set(), set()),
])
def test_recipients(active, ended, acting, accused, told):
    assert rules.recipients(active=active, ended=ended, acting=acting, accused=accused) == told


@pytest.mark.parametrize("events, action, wanted", [
    ([], "sign", True), (None, "sign", True), (["sign", "reply"], "sign", True), (["reply"], "sign", False)])
def test_wants(events, action, wanted):
    assert rules.wants(events, action) is wanted


def _payload():
    event = rules.EventFacts(seq=3, action="sign", at=datetime(2026, 11, 27, 11, tzinfo=timezone(timedelta(hours=8))),
                             from_state="dispatched", to_state="in_progress", department="cgw")
    case = rules.CaseFacts(number="12345-20261127-000001", track="hotline", kind="complaint", state="in_progress",
                           category="city.noise", area="dh-xhj", lead_department="cgw", reply_due_at=None)
    return rules.payload("cgw", event, case)


def test_payload_shape_with_utc_times():
    payload = _payload()
    assert payload == {
        "type": "case.event", "department": "cgw",
        "event": {"seq": 3, "action": "sign", "at": "2026-11-27T03:00:00+00:00", "from_state": "dispatched",
                  "to_state": "in_progress", "department": "cgw"},
        "case": {"number": "12345-20261127-000001", "track": "hotline", "kind": "complaint", "state": "in_progress",
                 "category": "city.noise", "area": "dh-xhj", "lead_department": "cgw", "reply_due_at": None,
                 "api_url": "/api/v1/cases/12345-20261127-000001"},
    }


def test_body_puts_the_id_first_and_is_stable():
    raw = rules.body(41, _payload())
    assert raw.startswith(b'{"id":"41","type":"case.event"')
    assert json.loads(raw)["case"]["number"] == "12345-20261127-000001"
    assert rules.body(41, _payload()) == raw


def test_signature_is_hmac_sha256_of_time_dot_body():
    raw = b'{"id":"1"}'
    expected = hmac.new(b"k", b"1700000000." + raw, hashlib.sha256).hexdigest()
    assert rules.signature("k", 1700000000, raw) == f"t=1700000000,v1={expected}"


@pytest.mark.parametrize("secret, raw, now, ok", [
    ("k", b"body", 1700000000, True),
    ("k", b"body", 1700000000 + 300, True),
    ("k", b"body", 1700000000 + 301, False),    # too old: a captured request replayed later
    ("other", b"body", 1700000000, False),
    ("k", b"body!", 1700000000, False),
])
def test_verify(secret, raw, now, ok):
    header = rules.signature("k", 1700000000, b"body")
    assert rules.verify(secret, header, raw, now) is ok


@pytest.mark.parametrize("header", ["", "v1=abc", "t=x,v1=abc", "t=1700000000"])
def test_verify_refuses_malformed_headers(header):
    assert rules.verify("k", header, b"body", 1700000000) is False


@pytest.mark.parametrize("failures, delay", [
    (1, timedelta(seconds=30)), (2, timedelta(minutes=1)), (3, timedelta(minutes=2)), (4, timedelta(minutes=4)),
    (7, timedelta(minutes=32)), (8, timedelta(hours=1)), (9, timedelta(hours=1)), (500, timedelta(hours=1)),
])
def test_backoff(failures, delay):
    assert rules.retry_delay(failures) == delay


def test_gives_up_after_24_hours_of_failures():
    assert rules.after_failure(3, T0, T0 + timedelta(minutes=5)) == T0 + timedelta(minutes=7)
    assert rules.after_failure(30, T0, T0 + timedelta(hours=23, minutes=59)) == T0 + timedelta(hours=24, minutes=59)
    assert rules.after_failure(31, T0, T0 + timedelta(hours=24)) is None


@pytest.mark.parametrize("code, ok", [(200, True), (204, True), (299, True), (300, False), (302, False),
                                      (404, False), (500, False), (None, False)])
def test_delivered(code, ok):
    assert rules.delivered(code) is ok


def test_receivers_are_never_at_link_local_multicast_or_unspecified_addresses_and_loopback_only_when_allowed():
    assert rules.refused_address("169.254.169.254", allow_loopback=True)  # a cloud's metadata service
    assert rules.refused_address("fe80::1%eth0", allow_loopback=True)
    assert rules.refused_address("224.0.0.1", allow_loopback=True)
    assert rules.refused_address("0.0.0.0", allow_loopback=True)
    assert rules.refused_address("127.0.0.1", allow_loopback=False)
    assert rules.refused_address("::ffff:127.0.0.1", allow_loopback=False)
    assert not rules.refused_address("127.0.0.1", allow_loopback=True)
    assert not rules.refused_address("10.20.30.40", allow_loopback=False)  # the government's internal network
    assert not rules.refused_address("203.0.113.7", allow_loopback=False)
