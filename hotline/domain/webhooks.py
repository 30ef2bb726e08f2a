"""Outbound webhooks, the rules: who is told of a case event, what the body says, how it is signed, and when
a failed delivery is tried again. Pure: no clock, no database, no network."""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

EVENT_TYPE = "case.event"
USER_AGENT = "hotline-webhooks/1"
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=24)  # of failures: then the delivery is `failed` and waits for a person
EXCERPT_LENGTH = 500  # of the receiver's answer, kept with each attempt
SIGNATURE_TOLERANCE = timedelta(minutes=5)  # what docs/webhooks.md tells receivers to accept

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
STATUSES = (PENDING, DELIVERED, FAILED)


def recipients(*, active: Iterable[int], ended: Iterable[int], acting: int | None,
               accused: Iterable[int]) -> set[int]:
    """The departments told of an event: those holding the case after the transaction, those whose assignment
    ended in it (so a back office learns the case left it), and the one that acted. Never a unit an accusation
    is about (信访工作条例 Art. 30): it must not learn that it is accused, nor by whom, through its back office."""
    told = set(active) | set(ended)
    if acting is not None:
        told.add(acting)
    return told - set(accused)


def wants(events: list[str] | None, action: str) -> bool:
    """A subscription with no list takes every event; with a list, only those actions."""
    return not events or action in events


@dataclass(frozen=True)
class EventFacts:
    seq: int
    action: str
    at: datetime
    from_state: str | None
    to_state: str
    department: str | None  # the acting department's code


@dataclass(frozen=True)
class CaseFacts:
    number: str
    track: str
    kind: str
    state: str
    category: str | None
    area: str | None
    lead_department: str | None
    reply_due_at: datetime | None


def _when(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None  # UTC, as the REST API gives times


def payload(department: str, event: EventFacts, case: CaseFacts) -> dict:
    """Thin on purpose: codes and times, no personal data and no free text (a note may name the citizen).
    The back office reads the rest through the REST API with its own token, under its own access rules."""
    return {
        "type": EVENT_TYPE,
        "department": department,
        "event": {"seq": event.seq, "action": event.action, "at": _when(event.at), "from_state": event.from_state,
                  "to_state": event.to_state, "department": event.department},
        "case": {"number": case.number, "track": case.track, "kind": case.kind, "state": case.state,
                 "category": case.category, "area": case.area, "lead_department": case.lead_department,
                 "reply_due_at": _when(case.reply_due_at), "api_url": f"/api/v1/cases/{case.number}"},
    }


def body(delivery_id: int, frozen: dict) -> bytes:
    """The exact bytes sent (and signed): the delivery's id first, then the payload frozen with the event, so a
    retry or a replay sends the same body."""
    return json.dumps({"id": str(delivery_id), **frozen}, ensure_ascii=False, separators=(",", ":")).encode()


def signature(secret: str, timestamp: int, raw: bytes) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the time is signed too, so a captured
    request cannot be replayed later than the receiver's tolerance."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, raw: bytes, now_timestamp: int,
           tolerance: timedelta = SIGNATURE_TOLERANCE) -> bool:
    """What a receiver does (docs/webhooks.md shows the same in a few lines)."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now_timestamp - timestamp) > tolerance.total_seconds():
        return False
    expected = signature(secret, timestamp, raw).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def retry_delay(failures: int) -> timedelta:
    """After the n-th failed attempt: 30 s, 1 min, 2 min, 4 min … at most an hour."""
    if failures < 1:
        return timedelta(0)
    return min(FIRST_RETRY * 2 ** min(failures - 1, 20), LONGEST_WAIT)


def after_failure(failures: int, first_failure_at: datetime, now: datetime) -> datetime | None:
    """When to try again, or None: 24 hours of failures and the delivery gives up (a person may replay it)."""
    if now - first_failure_at >= GIVE_UP_AFTER:
        return None
    return now + retry_delay(failures)


def refused_address(ip: str, allow_loopback: bool) -> bool:
    """Addresses a receiver may never be at: this machine (unless allowed, as in development), link-local (a
    cloud's metadata service answers at 169.254.169.254), multicast, unspecified and reserved ones. Private
    networks are allowed: a department's back office is often on the government's internal network."""
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback:
        return not allow_loopback
    return address.is_link_local or address.is_multicast or address.is_unspecified or address.is_reserved


def delivered(status_code: int | None) -> bool:
    return status_code is not None and 200 <= status_code < 300


def describe_status(status_code: int | None, error: str) -> str:
    """One short line for the log: the HTTP status, or what went wrong on the way."""
    if status_code is not None:
        return f"HTTP {status_code}"
    return error or "no answer"


NAME_MAX = 64
URL_MAX = 500


def check_subscription(name: str, url: str, events: list[str], known_actions: set[str],
                       allow_http: bool) -> dict[str, str]:
    """Errors by field, as codes (the web layer words them): a name that fits, an http(s) URL to a host
    (https only unless the deployment allows plain http), with no credentials in it (the URL is shown on
    pages; the secret is what authenticates us), and events among the case actions."""
    errors: dict[str, str] = {}
    if len(name) > NAME_MAX:
        errors["name"] = "too_long"
    if not url:
        errors["url"] = "required"
    elif len(url) > URL_MAX:
        errors["url"] = "too_long"
    else:
        try:
            parts = urlsplit(url)
            host, _port = parts.hostname, parts.port  # a port out of range raises
        except ValueError:
            parts, host = None, None
        schemes = ("https", "http") if allow_http else ("https",)
        if parts is None or not host or any(c.isspace() for c in url):
            errors["url"] = "invalid"
        elif parts.scheme.lower() not in schemes:
            errors["url"] = "https_only" if parts.scheme.lower() == "http" else "scheme"
        elif parts.username or parts.password:
            errors["url"] = "credentials"
    if set(events) - known_actions:
        errors["events"] = "invalid_choice"
    return errors
