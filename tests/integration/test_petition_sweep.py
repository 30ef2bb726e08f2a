"""A petition's clocks under the sweep: the organ is warned before its statutory deadline and it and the
supervisors are told of a breach; the office is warned before its own deadline to forward; a review window
that lapses closes the petition (the decision stands), once, and a request made meanwhile keeps it open."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hotline.extensions import db
from hotline.models import Case
from tests.integration.lifecycle_helpers import dept, local, step
from tests.integration.petition_helpers import new_petition
from tests.integration.test_sweep import (
    MINUTE,
    case_of,
    clock,
    jobs_for,
    run_job,
    staff_of,
    supervisors,
    sweep_at,
    told,
)

RECEIVED = local(2026, 11, 2, 9)


def forwarded(app) -> str:
    number = new_petition(app, RECEIVED)
    step(app, number, "dispatcher", "forward", RECEIVED + timedelta(hours=1), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    return number


def decided(app) -> str:
    number = forwarded(app)
    step(app, number, "dh-gov-staff", "accept", RECEIVED + timedelta(days=1), decision="accept")
    step(app, number, "dh-gov-staff", "decide", RECEIVED + timedelta(days=10), outcome="reject", facts="经查",
         basis="依据", text="不予支持")
    return number


def test_the_office_is_warned_before_its_deadline_to_forward(app):
    number = new_petition(app, RECEIVED)
    forward = clock(app, number, "forward")
    assert forward.department_id is None
    sweep_at(app, forward.warn_at + MINUTE)
    assert told(app, forward.id) == [(name, "warning") for name in supervisors(app)]
    sweep_at(app, forward.due_at + MINUTE)
    assert told(app, forward.id) == sorted([(name, "warning") for name in supervisors(app)]
                                           + [(name, "breach") for name in supervisors(app)])
    assert jobs_for(app, forward.id) == []  # nothing to run: the office must act


def test_the_organ_is_warned_and_then_told_of_a_breach_with_the_supervisors(app):
    number = forwarded(app)
    accept = clock(app, number, "accept")
    assert accept.department_id == dept(app, "dh-gov")
    sweep_at(app, accept.warn_at + MINUTE)
    organ = staff_of(app, "dh-gov")
    assert told(app, accept.id) == [(name, "warning") for name in organ]
    sweep_at(app, accept.due_at + MINUTE)
    breaches = sorted((name, kind) for name, kind in told(app, accept.id) if kind == "breach")
    assert breaches == sorted([(name, "breach") for name in organ + supervisors(app)])


def test_a_lapsed_review_window_closes_the_petition_once(app):
    number = decided(app)
    window = clock(app, number, "review_window")
    assert told(app, window.id) == [] and window.warn_at is None  # the petitioner's window warns nobody
    sweep_at(app, window.due_at + MINUTE)
    [job] = jobs_for(app, window.id)
    assert job.job == "close_petition"
    assert run_job(app, "close_petition", job, window.due_at + 2 * MINUTE) == "done"
    case, events = case_of(app, number)
    assert case.state == "closed" and (events[-1].action, events[-1].from_state) == ("close", "decided")
    assert run_job(app, "close_petition", job, window.due_at + 3 * MINUTE) == "stopped"
    assert len(case_of(app, number)[1]) == len(events)
    with app.app_context():
        assert db.session.scalar(select(Case).where(Case.number == number)).petition.final is False


def test_a_review_asked_for_before_the_job_runs_keeps_the_petition_open(app):
    number = decided(app)
    window = clock(app, number, "review_window")
    sweep_at(app, window.due_at - MINUTE)  # nothing due yet
    step(app, number, "operator", "request-review", window.due_at - 30 * MINUTE, organ_id=dept(app, "cgw"),
         note="请求复查")
    sweep_at(app, window.due_at + MINUTE)
    assert jobs_for(app, window.id) == []
    assert case_of(app, number)[0].state == "reviewing"
