"""Who sees and keeps which knowledge-base article, and which articles are about to end: pure rules."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from hotline.domain import knowledge as kb
from hotline.domain.access import Actor
from hotline.domain.knowledge_access import CENTRE, OPENERS, scope_of
from hotline.domain.roles import Role

WATER, SOCIAL = 7, 9
TODAY = date(2026, 5, 10)


def actor(role: Role, department_id: int | None = WATER) -> Actor:
    return Actor(user_id=1, role=role, department_id=department_id)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SUPERVISOR])
def test_the_centre_sees_and_keeps_every_article_and_chooses_the_owner(role):
    scope = scope_of(actor(role, department_id=1))
    assert scope == CENTRE and scope.chooses_owner
    assert all(scope.sees(owner) and scope.keeps(owner) for owner in (WATER, SOCIAL, None))
    assert scope.owner_for(SOCIAL) == SOCIAL and scope.owner_for(None) is None


def test_a_head_keeps_only_the_articles_of_their_department():
    scope = scope_of(actor(Role.HEAD))
    assert scope.sees(WATER) and scope.keeps(WATER)
    assert not scope.sees(SOCIAL) and not scope.keeps(SOCIAL)
    assert not scope.sees(None)  # an article of no department is the centre's


@pytest.mark.parametrize("asked", [SOCIAL, None, WATER])
def test_what_a_head_adds_is_owned_by_their_department_whatever_was_asked(asked):
    scope = scope_of(actor(Role.HEAD))
    assert not scope.chooses_owner and scope.owner_for(asked) == WATER


def test_staff_read_their_departments_articles_and_keep_none():
    scope = scope_of(actor(Role.STAFF))
    assert scope.sees(WATER) and not scope.keeps(WATER) and not scope.may_keep
    assert not scope.sees(SOCIAL)


@pytest.mark.parametrize("who", [actor(Role.OPERATOR), actor(Role.DISPATCHER), actor(Role.HEAD, None),
                                 actor(Role.STAFF, None)])
def test_others_do_not_use_the_pages(who):
    assert scope_of(who) is None


def test_the_pages_are_open_to_the_centres_keepers_and_to_departments():
    assert {Role.ADMIN, Role.SUPERVISOR, Role.HEAD, Role.STAFF} == OPENERS


def article(active=True, valid_from=None, valid_until=None):
    return SimpleNamespace(active=active, valid_from=valid_from, valid_until=valid_until)


@pytest.mark.parametrize("until, left, ending", [
    (date(2026, 5, 10), 0, True),  # the last day is today
    (date(2026, 5, 13), 3, True),
    (date(2026, 5, 17), 7, True),
    (date(2026, 5, 18), 8, False),
    (date(2026, 5, 9), None, False),  # already ended: expired, not ending
    (None, None, False),
])
def test_an_article_ending_within_7_days_is_flagged(until, left, ending):
    a = article(valid_until=until)
    assert kb.days_left(a, TODAY) == left
    assert kb.expiring(a, TODAY) is ending


def test_a_retired_article_is_not_ending():
    a = article(active=False, valid_until=date(2026, 5, 12))
    assert kb.days_left(a, TODAY) is None and not kb.expiring(a, TODAY)
