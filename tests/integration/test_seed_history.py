"""The demo history: months of cases lived through the real services, the same every time for a seed, written once."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select

from hotline.domain import kpis
from hotline.models import Case, CaseEvent, OutboxJob, Person, SmsMessage
from hotline.seed import history
from hotline.services import audit, measures

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
TZ = "Asia/Shanghai"
OPTIONS = history.Options(days=21, per_day=10, seed=7)


def seed(session, options=OPTIONS, now=NOW) -> history.Tally:
    return history.seed_history(session, options, now, TZ)


def snapshot(session) -> list[tuple]:
    """Each case and each step of its history (the database's own ids left out: a sequence does not start over)."""
    cases = session.execute(select(Case.number, Case.state, Case.kind, Case.category_id, Case.area_id,
                                   Case.description, Case.confidential, Case.anonymous, Case.redo_count)
                            .order_by(Case.number)).all()
    events = session.execute(select(Case.number, CaseEvent.seq, CaseEvent.action, CaseEvent.at, CaseEvent.actor_label,
                                    CaseEvent.to_state, CaseEvent.note).join(Case, Case.id == CaseEvent.case_id)
                             .order_by(Case.number, CaseEvent.seq)).all()
    return [tuple(r) for r in cases] + [tuple(r) for r in events]


def wipe(session) -> None:
    from hotline import models
    from tests.conftest import TRANSIENT_TABLES

    for name in TRANSIENT_TABLES:
        session.execute(delete(getattr(models, name)))
    session.commit()


def test_months_of_cases_are_lived_through_the_services(db_session):
    tally = seed(db_session)
    assert tally.refused == []  # every step was one the lifecycle allowed at that moment
    assert 150 <= tally.cases == db_session.scalar(select(func.count()).select_from(Case))
    assert tally.steps > 3 * tally.cases
    states = Counter(dict(db_session.execute(select(Case.state, func.count()).group_by(Case.state)).all()))
    assert states["closed"] > tally.cases / 2  # the old ones are done
    assert states["in_progress"] + states["dispatched"] + states["replied"] > 5  # the last days' are not
    assert list(audit.broken_chains(db_session)) == []  # every history is one unbroken chain
    actions = Counter(db_session.scalars(select(CaseEvent.action)))
    for action in ("register", "dispatch", "sign", "reply", "review-reply", "callback", "redo", "close", "return",
                   "review-return", "request-extension", "decide-extension", "answer-directly", "urge"):
        assert actions[action] > 0, action


def test_every_step_happened_in_the_past_in_order(db_session):
    seed(db_session)
    first = NOW - timedelta(days=OPTIONS.days + 1)
    received = db_session.scalars(select(Case.received_at)).all()
    assert min(received) >= first and max(received) <= NOW
    events = db_session.execute(select(CaseEvent.case_id, CaseEvent.seq, CaseEvent.at)
                                .order_by(CaseEvent.case_id, CaseEvent.seq)).all()
    for before, after in zip(events, events[1:], strict=False):
        if before.case_id == after.case_id:
            assert before.at <= after.at
    assert max(e.at for e in events) <= NOW


def test_the_people_and_their_choices_vary(db_session):
    seed(db_session)
    cases = db_session.scalars(select(Case)).all()
    assert any(c.confidential for c in cases) and any(c.publish_consent for c in cases)
    anonymous = [c for c in cases if c.anonymous]
    assert anonymous and all(c.person_id is None and c.kind in ("suggestion", "praise") for c in anonymous)
    assert {c.kind for c in cases} >= {"complaint", "help", "report", "consult", "suggestion", "praise"}
    assert {c.channel for c in cases} >= {"phone", "web", "sms"}
    repeat = db_session.scalar(select(func.count()).select_from(
        select(Case.person_id).where(Case.person_id.is_not(None)).group_by(Case.person_id)
        .having(func.count() > 1).subquery()))
    assert repeat > 0  # some people call again
    phones = db_session.scalars(select(Person.phone)).all()
    assert all(p.startswith("+861") and len(p) == 14 for p in phones)


def test_the_texts_it_sent_are_recorded_as_sent_when_they_were(db_session):
    seed(db_session)
    assert db_session.scalar(select(func.count()).select_from(OutboxJob).where(OutboxJob.status != "done")) == 0
    messages = db_session.scalars(select(SmsMessage)).all()
    assert messages and all(m.status == "delivered" and m.sent_at == m.created_at <= NOW for m in messages)
    ack = db_session.execute(select(SmsMessage.created_at, Case.received_at).join(Case, Case.id == SmsMessage.case_id)
                             .where(SmsMessage.purpose == "ack")).all()
    assert ack and all(sent == received for sent, received in ack)


def test_the_figures_are_counted_at_once(db_session):
    from hotline.models import MonthlyFigure

    tally = seed(db_session)
    assert tally.months == 2  # October and November
    received = db_session.scalar(select(func.sum(MonthlyFigure.received)).where(MonthlyFigure.dimension == "city"))
    counted = db_session.scalar(select(func.count()).select_from(Case).where(
        Case.track == "hotline", Case.state.not_in(["merged", "terminated"])))
    assert received == counted


def test_the_departments_do_not_all_work_alike(db_session):
    seed(db_session)
    month = NOW.date().replace(day=1)
    by_department = measures.aggregate(db_session, month, TZ, NOW, kpis.Policy(), "department")
    busy = {key: counts for key, counts in by_department.items() if counts.replied >= 3}
    assert len(busy) >= 5
    on_time = [kpis.rates(c, kpis.Policy())["on_time_completion"] for c in busy.values()]
    assert len({round(rate, 3) for rate in on_time if rate is not None}) > 1
    assert any(c.responded < c.replied for c in busy.values())  # some answered without reaching the person


def test_the_same_seed_lives_the_same_history(db_session):
    seed(db_session)
    first = snapshot(db_session)
    wipe(db_session)
    seed(db_session)
    assert snapshot(db_session) == first
    wipe(db_session)
    seed(db_session, history.Options(days=OPTIONS.days, per_day=OPTIONS.per_day, seed=8))
    assert snapshot(db_session) != first


def test_it_runs_once(db_session):
    seed(db_session, history.Options(days=3, per_day=5, seed=7))
    count = db_session.scalar(select(func.count()).select_from(Case))
    again = seed(db_session, history.Options(days=3, per_day=5, seed=9))
    assert again.already and db_session.scalar(select(func.count()).select_from(Case)) == count


def test_the_command_shows_what_it_did_and_refuses_production(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["hotline", "seed-history", "--days", "2", "--per-day", "4"])
    assert result.exit_code == 0, result.output
    assert "cases" in result.output and "handling steps" in result.output
    again = runner.invoke(args=["hotline", "seed-history", "--days", "2"])
    assert again.exit_code == 0 and "already" in again.output
    app.config["HOTLINE_ENV"] = "production"
    try:
        refused = runner.invoke(args=["hotline", "seed-history"])
    finally:
        app.config["HOTLINE_ENV"] = "testing"
    assert refused.exit_code != 0 and "production" in refused.output


@pytest.mark.parametrize("days", [0, -3])
def test_a_window_of_no_days_is_refused_by_the_command(app, days):
    result = app.test_cli_runner().invoke(args=["hotline", "seed-history", "--days", str(days)])
    assert result.exit_code != 0
