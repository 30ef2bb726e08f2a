"""The rates, the composite score and the red and black lists, from counts alone."""
from __future__ import annotations

from datetime import date

import pytest

from hotline.domain import kpis
from hotline.domain.kpis import Counts, Policy


def test_rates_are_fractions_of_their_own_denominators():
    c = Counts(received=10, sign_due=8, signed_on_time=6, completion_due=5, completed_on_time=4, replied=5,
               responded=3, rated=4, satisfied=2, basically=1, resolved=3)
    r = kpis.rates(c, Policy())
    assert r == {"on_time_sign": 0.75, "on_time_completion": 0.8, "response": 0.6, "resolution": 0.75,
                 "satisfaction": 0.75}
    assert kpis.rates(c, Policy(basically_weight=0.5))["satisfaction"] == pytest.approx(2.5 / 4)


def test_nothing_counted_is_no_rate_rather_than_zero():
    assert set(kpis.rates(Counts(received=3), Policy()).values()) == {None}
    assert kpis.score(Counts(received=3), Policy()) is None
    assert kpis.average_handling_hours(Counts()) is None


def test_overdue_is_what_was_due_and_not_answered_in_time():
    assert Counts(completion_due=7, completed_on_time=5).overdue == 2


def test_the_score_weighs_only_the_rates_that_could_be_measured():
    c = Counts(received=5, replied=4, responded=4, rated=0)  # response 100 %; nothing rated yet
    policy = Policy(weights={"on_time_sign": 0, "on_time_completion": 0, "response": 1, "resolution": 1,
                             "satisfaction": 1})
    assert kpis.score(c, policy) == pytest.approx(100.0)


def test_counts_add_up():
    assert kpis.total([Counts(received=1, handling_hours=2.5), Counts(received=2, handling_hours=1.0)]) == \
        Counts(received=3, handling_hours=3.5)


def _dept(score_pct: int, received: int = 20) -> Counts:
    return Counts(received=received, replied=100, responded=score_pct)


RESPONSE_ONLY = Policy(weights={"response": 1.0, "on_time_sign": 0, "on_time_completion": 0, "resolution": 0,
                                "satisfaction": 0}, list_size=2, min_cases=10)


def test_red_and_black_lists_rank_the_best_and_the_worst():
    figures = {1: _dept(90), 2: _dept(50), 3: _dept(70), 4: _dept(95), 5: _dept(60)}
    red, black = kpis.red_and_black(figures, RESPONSE_ONLY)
    assert [r.key for r in red] == [4, 1]
    assert [r.key for r in black] == [2, 5]


def test_a_department_with_too_few_cases_is_not_ranked_and_none_is_on_both_lists():
    figures = {1: _dept(90), 2: _dept(10, received=3), 3: _dept(40)}
    red, black = kpis.red_and_black(figures, RESPONSE_ONLY)
    assert [r.key for r in red] == [1, 3]
    assert black == []


def test_ties_are_broken_by_cases_received_then_by_key():
    figures = {7: _dept(80, received=20), 3: _dept(80, received=20), 5: _dept(80, received=40)}
    red, _ = kpis.red_and_black(figures, RESPONSE_ONLY)
    assert [r.key for r in red] == [5, 3]


@pytest.mark.parametrize("bad", [
    {"weights": {"speed": 1.0}}, {"weights": {"response": -1.0}}, {"basically_weight": 1.5},
    {"list_size": 0}, {"min_cases": -1},
])
def test_a_policy_that_makes_no_sense_is_refused(bad):
    with pytest.raises(ValueError):
        Policy.from_json(bad)


def test_a_policy_survives_its_json_and_fills_what_an_older_version_lacked():
    policy = Policy(basically_weight=0.8, exclude_terminated=False, min_cases=3, list_size=4)
    assert Policy.from_json(policy.to_json()) == policy
    assert Policy.from_json({"weights": {"response": 50.0}}).weights["satisfaction"] == 25.0
    assert Policy.from_json(None) == Policy()


def test_months_run_across_the_new_year():
    assert kpis.months(date(2026, 11, 15), date(2027, 2, 1)) == [
        date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]
