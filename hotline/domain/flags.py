"""Electronic supervision flags (电子督办预警): patterns in a month's handling that a centre looks into, because
each can hide work that was not done — an answer given without ever reaching the person, deadlines pushed back
again and again, a matter sent back to be redone time after time, answers rushed out in the last hour before the
deadline, a department returning cases it should keep.

A flag is raised for a department when its count for the month reaches the rule's minimum and, where the rule has
one, its share of what it is counted against. hotline.services.flags counts in SQL what the predicates below say
for one case; the tests hold the two together.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

KINDS = ("no_contact", "extensions_many", "extension_repeated", "redone", "last_hour", "returns_refused")

REDO_MORE_THAN = 2  # cases redone more than twice
EXTENSION_REQUESTS_MORE_THAN = 1  # one department asking more than once for the same case
LAST_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Rule:
    min_count: int  # at least this many cases (or returns) in the month
    min_share: float | None = None  # and at least this share of what they are counted against
    strictly_more: bool = False  # "mostly": more than the share, not just as much
    min_out_of: int = 0  # and counted against at least this many (a share of two says little)


RULES: dict[str, Rule] = {
    # every answer given without contact with the person is looked at (the response rate's failures)
    "no_contact": Rule(min_count=1),
    # extension requests on at least a fifth of the cases dispatched to the department in the month
    "extensions_many": Rule(min_count=3, min_share=0.2),
    "extension_repeated": Rule(min_count=1),
    "redone": Rule(min_count=1),
    # a department answering three in ten of its cases in their last hour is working to the clock
    "last_hour": Rule(min_count=3, min_share=0.3),
    # most of the returns the centre reviewed were refused: the department sends back what is its own
    "returns_refused": Rule(min_count=1, min_share=0.5, strictly_more=True, min_out_of=3),
}


@dataclass(frozen=True)
class Tally:
    """One department's count for one rule in one month, and what it is counted against (None: nothing)."""
    department_id: int
    count: int
    out_of: int | None = None


@dataclass(frozen=True)
class Flag:
    kind: str
    department_id: int
    count: int
    out_of: int | None
    share: float | None


def share(count: int, out_of: int | None) -> float | None:
    return count / out_of if out_of else None


def raises(rule: Rule, tally: Tally) -> bool:
    if tally.count < max(rule.min_count, 1) or (tally.out_of or 0) < rule.min_out_of:
        return False
    if rule.min_share is None:
        return True
    part = share(tally.count, tally.out_of)
    if part is None:
        return False
    return part > rule.min_share if rule.strictly_more else part >= rule.min_share


def raised(kind: str, tallies: Iterable[Tally], rules: dict[str, Rule] = RULES) -> list[Flag]:
    """The departments the rule flags, the largest count first (then the largest share, then by id, so that two
    readings of the same month list them alike)."""
    rule = rules[kind]
    flags = [Flag(kind, t.department_id, t.count, t.out_of, share(t.count, t.out_of))
             for t in tallies if raises(rule, t)]
    return sorted(flags, key=lambda f: (-f.count, -(f.share or 0.0), f.department_id))


# What one case must show to be counted; the SQL in hotline.services.flags says the same.

def without_contact(contact: str | None) -> bool:
    """The department answered without phoning, visiting or texting the person."""
    return contact == "none"


def in_last_hour(replied_at: datetime, due_at: datetime | None, window: timedelta = LAST_HOUR) -> bool:
    """Answered in time, but only just: within `window` before the deadline."""
    return due_at is not None and due_at - window <= replied_at <= due_at


def redone_too_often(redo_count: int) -> bool:
    return redo_count > REDO_MORE_THAN


def requested_again(requests_by_the_department: int) -> bool:
    return requests_by_the_department > EXTENSION_REQUESTS_MORE_THAN
