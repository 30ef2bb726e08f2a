"""The supervision flags' rules: when a department's month raises a flag, and what one case must show to count."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hotline.domain import flags
from hotline.domain.flags import Rule, Tally

DUE = datetime(2026, 6, 10, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("kind, tally, raised", [
    ("no_contact", Tally(1, 1, 40), True),  # a single answer without contact is looked at
    ("no_contact", Tally(1, 0, 40), False),
    ("extensions_many", Tally(1, 3, 15), True),  # 3 of 15 = 20%: at the share
    ("extensions_many", Tally(1, 3, 16), False),  # 3 of 16: under it
    ("extensions_many", Tally(1, 2, 2), False),  # every case, but too few to be a pattern
    ("extension_repeated", Tally(1, 1), True),
    ("redone", Tally(1, 1), True),
    ("redone", Tally(1, 0), False),
    ("last_hour", Tally(1, 3, 10), True),
    ("last_hour", Tally(1, 3, 11), False),
    ("last_hour", Tally(1, 3, 0), False),  # nothing to be a share of
    ("returns_refused", Tally(1, 2, 3), True),  # mostly: 2 of 3
    ("returns_refused", Tally(1, 2, 4), False),  # half is not mostly
    ("returns_refused", Tally(1, 2, 2), False),  # every one, but only two
])
def test_when_a_rule_raises_a_flag(kind, tally, raised):
    assert bool(flags.raised(kind, [tally])) is raised


def test_every_kind_has_a_rule():
    assert set(flags.KINDS) == set(flags.RULES)


def test_the_most_striking_come_first_and_the_order_never_changes():
    tallies = [Tally(7, 2, 4), Tally(3, 5, 20), Tally(5, 5, 10), Tally(4, 2, 4), Tally(9, 0, 4)]
    found = flags.raised("no_contact", tallies)
    assert [f.department_id for f in found] == [5, 3, 4, 7]
    assert found[0].share == 0.5 and found[0].count == 5 and found[0].out_of == 10
    assert flags.raised("no_contact", list(reversed(tallies))) == found


def test_a_rule_may_be_set_differently():
    strict = {**flags.RULES, "last_hour": Rule(min_count=1, min_share=0.05)}
    assert flags.raised("last_hour", [Tally(1, 1, 20)], strict)
    assert not flags.raised("last_hour", [Tally(1, 1, 20)])


@pytest.mark.parametrize("replied, counted", [
    (DUE - timedelta(minutes=59), True),
    (DUE - timedelta(hours=1), True),
    (DUE, True),
    (DUE - timedelta(minutes=61), False),
    (DUE + timedelta(minutes=1), False),  # late is late, not rushed
])
def test_an_answer_in_the_last_hour(replied, counted):
    assert flags.in_last_hour(replied, DUE) is counted


def test_an_answer_without_a_deadline_is_never_in_its_last_hour():
    assert not flags.in_last_hour(DUE, None)


@pytest.mark.parametrize("contact, counted", [("none", True), ("phone", False), ("visit", False), ("sms", False),
                                              (None, False)])
def test_an_answer_without_contact(contact, counted):
    assert flags.without_contact(contact) is counted


def test_more_than_twice_and_more_than_once():
    assert [flags.redone_too_often(n) for n in (0, 2, 3)] == [False, False, True]
    assert [flags.requested_again(n) for n in (1, 2)] == [False, True]
