"""The monthly rollup: every figure equals an independent count of the raw cases, on SQLite and PostgreSQL; a run
counts again exactly what may have moved; running twice changes nothing."""
from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from hotline.domain import kpis
from hotline.extensions import db
from hotline.models import Area, AssessmentPolicy, Case, MonthlyFigure, RollupState
from hotline.services import rollup
from tests.integration.lifecycle_helpers import TZ, step
from tests.integration.opengov_helpers import (
    D,
    H,
    build_history,
    dispatch,
    expected_figures,
    file_case,
    month_start,
    ref,
    rolled_up,
)


def roll(app, now, everything=False) -> int:
    with app.app_context():
        return rollup.run(db.session, now, TZ, everything=everything)


def assert_same(actual: dict, expected: dict) -> None:
    assert set(actual) == set(expected)
    for place, counts in expected.items():
        got = actual[place]
        assert got.handling_hours == pytest.approx(counts.handling_hours, abs=1e-3), place
        assert kpis.Counts(**{**got.as_dict(), "handling_hours": 0}) == \
            kpis.Counts(**{**counts.as_dict(), "handling_hours": 0}), place


def test_every_figure_matches_an_independent_count_of_the_cases(app):
    build_history(app)
    now = datetime.now(UTC)
    assert roll(app, now) == 3  # the first run counts every month, from the first case received
    actual = rolled_up(app)
    assert_same(actual, expected_figures(app, now))

    city = kpis.total(c for (m, dim, _), c in actual.items() if dim == "city")
    # the history holds every kind of outcome the figures tell apart
    assert city.received == 13  # fifteen filed, one merged into another, one terminated (left out)
    assert city.rated and city.satisfied and city.basically and city.redone and city.responded < city.replied
    assert city.overdue >= 2 and city.completed_on_time and city.sign_due > city.signed_on_time
    assert {dim for (_, dim, _) in actual} == {"city", "department", "category", "district"}


def test_running_again_changes_nothing_and_counts_only_what_may_have_moved(app):
    build_history(app)
    first = datetime.now(UTC) + H  # past the overlap: nothing the history wrote counts as changed since
    roll(app, first)
    before = rolled_up(app)
    assert roll(app, first + H) == 1  # the current month only: no case changed, no deadline passed
    assert rolled_up(app) == before
    with app.app_context():
        state = db.session.get(RollupState, rollup.STATE)
        assert state.counted_until == first + H and state.policy_version == 0


def test_a_case_changed_since_the_last_run_moves_its_months_figures(app):
    cases = build_history(app)
    first = datetime.now(UTC) + H
    roll(app, first)
    old_month = month_start(first, 2).date()
    with app.app_context():
        closed_before = db.session.scalar(select(MonthlyFigure.closed).where(
            MonthlyFigure.month == old_month, MonthlyFigure.dimension == "city"))
    # the co-handled case was rated satisfied but unresolved: the dispatcher sends it back, it is answered
    # again and closed, all after the last run
    number = cases["cohandled"]
    step(app, number, "dispatcher", "redo", at=first + 10 * 60 * timedelta(seconds=1), note="未解决")
    step(app, number, "cgw-staff", "reply", at=first + 0.5 * H, text="已协调住建委处理完毕", resolved=True,
         contact="phone")
    step(app, number, "dispatcher", "review-reply", at=first + 0.6 * H, decision="approve")
    step(app, number, "operator", "callback", at=first + 0.7 * H, satisfaction="satisfied", resolved=True)
    later = first + H
    assert roll(app, later) == 2  # that case's month and the current one
    assert_same(rolled_up(app), expected_figures(app, later))
    with app.app_context():
        assert db.session.scalar(select(MonthlyFigure.closed).where(
            MonthlyFigure.month == old_month, MonthlyFigure.dimension == "city")) == closed_before + 1


def test_a_deadline_passing_moves_a_past_months_figures_though_no_case_changed(app):
    now = datetime.now(UTC)
    received = month_start(now, 1) + 27 * D + 10 * H  # late last month
    number = file_case(app, received)
    step(app, number, "dispatcher", "dispatch", at=received + H, **dispatch(app, "cgw"))
    with app.app_context():
        due = db.session.scalar(select(Case.reply_due_at).where(Case.number == number))
    month = month_start(now, 1).date()
    roll(app, due - H, everything=True)  # the figures as they stood an hour before the deadline
    assert rolled_up(app)[(month, "city", 0)].completion_due == 0
    roll(app, due + H)  # the case has not changed since; only its deadline passed
    assert rolled_up(app)[(month, "city", 0)].completion_due == 1
    assert rolled_up(app)[(month, "city", 0)].overdue == 1


def test_a_new_assessment_policy_counts_every_month_again_under_its_exclusions(app):
    build_history(app)
    first = datetime.now(UTC) + H
    roll(app, first)
    with app.app_context():
        terminated_counted = kpis.Policy(exclude_terminated=False)
        db.session.add(AssessmentPolicy(settings=terminated_counted.to_json(), created_at=first))
        db.session.commit()
    assert roll(app, first + H) == 3
    assert_same(rolled_up(app), expected_figures(app, first + H, terminated_counted))
    with app.app_context():
        assert db.session.get(RollupState, rollup.STATE).policy_version > 0
    assert roll(app, first + 2 * H) == 1


def test_a_key_left_without_cases_in_a_month_loses_its_row(app):
    now = datetime.now(UTC)
    at = month_start(now, 2) + 5 * D
    alone = file_case(app, at, area="bt-xyj")  # the only case in 北塘区
    other = file_case(app, at + H)
    roll(app, now + H)
    old = month_start(now, 2).date()
    key = ref(app, Area, "bt")
    assert rolled_up(app)[(old, "district", key)].received == 1
    step(app, alone, "operator", "merge", at=now + 2 * H, into=other)
    roll(app, now + 3 * H)
    assert (old, "district", key) not in rolled_up(app)
    assert rolled_up(app)[(old, "city", 0)].received == 1


def test_two_runs_at_once_both_finish_and_agree(app):
    build_history(app)
    now = datetime.now(UTC)
    errors = []

    def worker():
        try:
            roll(app, now)
        except Exception as exc:  # noqa: BLE001 — the test reports it below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert_same(rolled_up(app), expected_figures(app, now))


def test_the_worker_job_and_the_command_run_it(app):
    from workers.jobs import roll_up_figures

    build_history(app)
    with app.app_context():
        assert roll_up_figures() == 3
        count = db.session.scalar(select(func.count(MonthlyFigure.id)))
    result = app.test_cli_runner().invoke(args=["hotline", "roll-up", "--all"])
    assert result.exit_code == 0 and "3 month(s)" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(MonthlyFigure.id))) == count
