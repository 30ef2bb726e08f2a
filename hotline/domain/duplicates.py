"""Likely duplicates of a call, shown to the operator before it is saved (国办函〔2025〕66号: the same matter is
never handled twice in parallel — link it and tell the caller the progress of the case already open).

A case is a likely duplicate when it is still open, was received within WINDOW, and shares with the call the
caller's number, or the place and the subject (same area and category), or enough of the words. Words are
compared as character pairs (Chinese has no spaces, and callers word the same matter differently): the Dice
coefficient of the two texts' sets of character bigrams.

TEXT_THRESHOLD = 0.30, tuned on the demo complaint texts (hotline/seed/complaint_texts.py, 659 distinct
complaints): of their 216,811 pairs, 5 reach 0.30 (three of them name the same housing estate, which an
operator would want to see anyway), and retellings of the same matter by a second caller — shorter, other
words, the same place — score 0.32–0.50 (tests/unit/test_duplicates.py keeps both facts)."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

WINDOW = timedelta(days=30)
TEXT_THRESHOLD = 0.30
LIMIT = 5

PHONE, PLACE, TEXT = "phone", "place", "text"  # why a case is offered, strongest first

_NOT_A_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Call:
    """What the operator has typed so far."""
    phone: str | None = None
    category_id: int | None = None
    area_id: int | None = None
    text: str = ""


@dataclass(frozen=True)
class Candidate:
    """An open case, as much of it as the comparison needs."""
    case_id: int
    received_at: datetime
    phone: str | None = None
    category_id: int | None = None
    area_id: int | None = None
    text: str = ""
    open: bool = True


@dataclass(frozen=True)
class Match:
    case_id: int
    reasons: tuple[str, ...]
    similarity: float  # of the texts, 0..1
    received_at: datetime = field(compare=False)


def bigrams(text: str) -> frozenset[str]:
    """The character pairs of the text, never across punctuation; a one-character phrase counts as itself."""
    grams: set[str] = set()
    for part in _NOT_A_WORD.sub(" ", unicodedata.normalize("NFKC", text or "").lower()).split():
        if len(part) == 1:
            grams.add(part)
        grams.update(part[i:i + 2] for i in range(len(part) - 1))
    return frozenset(grams)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def find(call: Call, candidates: Iterable[Candidate], now: datetime, *, threshold: float = TEXT_THRESHOLD,
         limit: int = LIMIT) -> list[Match]:
    """The likely duplicates of `call`, best first: more reasons first, then the closer text, then the newer."""
    mine = bigrams(call.text)
    since = now - WINDOW
    found: dict[int, Match] = {}
    for c in candidates:
        if not c.open or c.received_at < since or c.case_id in found:
            continue
        reasons = []
        if call.phone and c.phone == call.phone:
            reasons.append(PHONE)
        if call.category_id and call.area_id and (c.category_id, c.area_id) == (call.category_id, call.area_id):
            reasons.append(PLACE)
        score = similarity(mine, bigrams(c.text)) if mine else 0.0
        if score >= threshold:
            reasons.append(TEXT)
        if reasons:
            found[c.case_id] = Match(c.case_id, tuple(reasons), round(score, 3), c.received_at)
    ranked = sorted(found.values(), key=lambda m: (-len(m.reasons), -m.similarity, -m.received_at.timestamp()))
    return ranked[:limit]
