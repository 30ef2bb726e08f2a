"""Who the visitor is, as far as the portal knows: a phone number proven with a one-time code (signed in), and
the cases opened by their number and a code. Kept in the signed session cookie, for a limited time; no account,
no password. Staff sign in elsewhere (flask-login) and are not citizens here."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import session

from hotline.clock import now

SIGNED_IN = "citizen"  # {"phone": E.164, "until": ISO moment}
OPENED = "citizen_cases"  # {number: ISO moment until which it stays open}
LASTS = timedelta(hours=2)
MAX_OPENED = 20


def sign_in(phone: str) -> None:
    session[SIGNED_IN] = {"phone": phone, "until": (now() + LASTS).isoformat()}


def sign_out() -> None:
    session.pop(SIGNED_IN, None)
    session.pop(OPENED, None)


def phone() -> str | None:
    """The verified phone number of a signed-in citizen, or None."""
    held = session.get(SIGNED_IN)
    if not held or datetime.fromisoformat(held["until"]) < now():
        return None
    return held["phone"]


def open_case(number: str) -> None:
    moment = now()
    held = {n: until for n, until in session.get(OPENED, {}).items() if datetime.fromisoformat(until) >= moment}
    held[number] = (moment + LASTS).isoformat()
    session[OPENED] = dict(sorted(held.items(), key=lambda item: item[1])[-MAX_OPENED:])


def has_opened(number: str) -> bool:
    until = session.get(OPENED, {}).get(number)
    return bool(until) and datetime.fromisoformat(until) >= now()
