"""What an operator typed into the search box: a case number, a caller's phone, or words.

A number or a phone is matched exactly, on an index; only words are searched as text, so a call
taker looking up a caller does not wait for a scan of every case."""
from __future__ import annotations

import re
from dataclasses import dataclass

from hotline.domain.case_number import looks_like_number
from hotline.domain.phone import InvalidPhone, to_e164

_PHONE_CHARS = re.compile(r"^[+\d][\d\s()-]{5,}$")


@dataclass(frozen=True)
class Query:
    kind: str  # "number", "phone", "text" or "empty"
    value: str


def classify(text: str, region: str = "CN") -> Query:
    text = (text or "").strip()
    if not text:
        return Query("empty", "")
    if looks_like_number(text):
        return Query("number", text.upper())
    if _PHONE_CHARS.match(text):
        try:
            return Query("phone", to_e164(text, region))
        except InvalidPhone:
            pass
    return Query("text", text)
