"""Sending: signed, retried with backoff, given up after 24 hours, brought forward when the receiver is back,
replayed on request, and never sent by two workers at once. Real HTTP to a local receiver."""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.domain import webhooks as rules
from hotline.extensions import db
from hotline.models import User, WebhookDelivery, WebhookSubscription
from hotline.services import webhook_delivery
from tests.integration.lifecycle_helpers import dept, local, new_case, step
from tests.integration.test_webhook_helpers import Receiver, attempts, closed_port, deliveries, subscribe

START = local(2026, 11, 27, 10)


def _dispatched_and_signed(app) -> str:
    number = new_case(app, at=START)
    step(app, number, "dispatcher", "dispatch", START, lead_department_id=dept(app, "cgw"), co_department_ids=[])
    step(app, number, "cgw-staff", "sign", START)
    return number


def _deliver(app, subscription_id: int) -> int:
    with app.app_context():
        return webhook_delivery.deliver(db.session, subscription_id, timeout=5)


def test_a_delivery_is_posted_signed_and_recorded(app):
    receiver = Receiver(status=200).up()
    try:
        subscription = subscribe(app, "cgw", receiver.url, secret="the-secret")
        with time_machine.travel(START, tick=False):
            _dispatched_and_signed(app)
            assert _deliver(app, subscription) == 2
            assert _deliver(app, subscription) == 0  # nothing twice
    finally:
        receiver.down()
    [first, second] = receiver.got
    assert [r.body["event"]["action"] for r in receiver.got] == ["dispatch", "sign"]
    header = first.headers["x-hotline-signature"]
    assert header.startswith(f"t={int(START.timestamp())},v1=")
    assert rules.verify("the-secret", header, first.raw, int(START.timestamp()))
    assert not rules.verify("the-secret", header, first.raw + b" ", int(START.timestamp()))
    written = deliveries(app, subscription)
    assert [(d["status"], d["attempts"]) for d in written] == [("delivered", 1), ("delivered", 1)]
    assert attempts(app, written[0]["id"])[0]["status_code"] == 200


@pytest.mark.parametrize("status", [500, 302, 404])
def test_an_answer_other_than_2xx_is_a_failed_attempt_with_backoff(app, status):
    receiver = Receiver(status=status).up()
    try:
        subscription = subscribe(app, "cgw", receiver.url)
        with time_machine.travel(START, tick=False) as traveller:
            _dispatched_and_signed(app)
            assert _deliver(app, subscription) == 1  # the sign waits behind the dispatch
            [head, behind] = deliveries(app, subscription)
            assert (head["status"], head["attempts"], head["next_attempt_at"]) == (
                "pending", 1, START + timedelta(seconds=30))
            assert behind["attempts"] == 0
            traveller.move_to(START + timedelta(seconds=29))
            assert _deliver(app, subscription) == 0  # not due yet
            traveller.move_to(START + timedelta(seconds=30))
            assert _deliver(app, subscription) == 1
            assert deliveries(app, subscription)[0]["next_attempt_at"] == START + timedelta(seconds=90)
    finally:
        receiver.down()
    [tried] = attempts(app, head["id"])[:1]
    assert tried["status_code"] == status
    with app.app_context():
        row = db.session.get(WebhookDelivery, head["id"])
        assert row.last_status_code == status


def test_a_refused_connection_is_recorded_as_such(app):
    subscription = subscribe(app, "cgw", f"http://127.0.0.1:{closed_port()}/x")
    with time_machine.travel(START, tick=False):
        _dispatched_and_signed(app)
        _deliver(app, subscription)
    head = deliveries(app, subscription)[0]
    [tried] = attempts(app, head["id"])
    assert tried["status_code"] is None and "connection" in tried["error"]


def test_after_24_hours_of_failures_it_gives_up_and_the_case_waits_behind_it(app):
    port = closed_port()
    subscription = subscribe(app, "cgw", f"http://127.0.0.1:{port}/hooks/hotline")
    with time_machine.travel(START, tick=False) as traveller:
        _dispatched_and_signed(app)
        moment, tries = START, 0
        while deliveries(app, subscription)[0]["status"] == "pending":
            traveller.move_to(moment)
            tries += _deliver(app, subscription)
            moment = deliveries(app, subscription)[0]["next_attempt_at"]
        head, behind = deliveries(app, subscription)
        assert head["status"] == "failed" and behind["status"] == "pending"
        assert moment - START >= timedelta(hours=24) and tries == head["attempts"]
        first_tries = [a["at"] for a in attempts(app, head["id"])]
        assert first_tries[-1] - first_tries[0] >= timedelta(hours=24)
        assert first_tries[-1] - first_tries[0] < timedelta(hours=25)  # gave up at the first try past the day

        # a person replays it once the receiver is back: it goes first, then the one that waited behind it
        receiver = Receiver(port=port).up()
        try:
            with app.app_context():
                admin = db.session.scalar(select(User).where(User.username == "admin"))
                delivery = db.session.get(WebhookDelivery, head["id"])
                assert webhook_delivery.replay(db.session, admin, delivery, timeout=5) is None
            assert deliveries(app, subscription)[0]["attempts"] == 0
            assert _deliver(app, subscription) == 2
        finally:
            receiver.down()
    assert [r.body["event"]["seq"] for r in receiver.got] == [2, 3]
    assert [d["status"] for d in deliveries(app, subscription)] == ["delivered", "delivered"]


def test_when_the_receiver_answers_again_its_backlog_goes_at_once(app):
    port = closed_port()
    subscription = subscribe(app, "cgw", f"http://127.0.0.1:{port}/hooks/hotline")
    with time_machine.travel(START, tick=False) as traveller:
        numbers = [_dispatched_and_signed(app) for _ in range(3)]
        for minutes in (0, 1, 2, 4, 8):
            traveller.move_to(START + timedelta(minutes=minutes))
            _deliver(app, subscription)
        heads = [d for d in deliveries(app, subscription) if d["attempts"]]
        assert len(heads) == 3 and all(d["next_attempt_at"] > START + timedelta(minutes=9) for d in heads)
        receiver = Receiver(port=port).up()
        try:
            # one head comes due; its success brings the rest forward, and all six go in this run
            traveller.move_to(min(d["next_attempt_at"] for d in heads))
            assert _deliver(app, subscription) == 6
        finally:
            receiver.down()
    assert {r.body["case"]["number"] for r in receiver.got} == set(numbers)
    assert all(d["status"] == "delivered" for d in deliveries(app, subscription))


def test_replaying_a_delivered_one_sends_it_again_and_logs_who_asked(app):
    receiver = Receiver(status=200).up()
    try:
        subscription = subscribe(app, "cgw", receiver.url)
        _dispatched_and_signed(app)
        _deliver(app, subscription)
        first = deliveries(app, subscription)[0]
        with app.app_context():
            head = db.session.scalar(select(User).where(User.username == "cgw-head"))
            attempt = webhook_delivery.replay(db.session, head, db.session.get(WebhookDelivery, first["id"]),
                                              timeout=5)
            assert attempt.status_code == 200
            head_id = head.id
    finally:
        receiver.down()
    assert [r.headers["x-hotline-delivery"] for r in receiver.got] == [str(first["id"]), str(first["id"] + 1),
                                                                      str(first["id"])]
    assert receiver.got[0].raw == receiver.got[2].raw  # the same body, frozen with the event
    logged = attempts(app, first["id"])
    assert [(a["status_code"], a["replay_by_id"]) for a in logged] == [(200, None), (200, head_id)]
    assert deliveries(app, subscription)[0]["status"] == "delivered"


def test_replay_all_failed(app):
    subscription = subscribe(app, "cgw", f"http://127.0.0.1:{closed_port()}/x")
    _dispatched_and_signed(app)
    _dispatched_and_signed(app)
    with app.app_context():
        for row in db.session.scalars(select(WebhookDelivery)):
            row.status, row.attempts = "failed", 9
        db.session.commit()
        sub = db.session.get(WebhookSubscription, subscription)
        assert webhook_delivery.replay_failed(db.session, sub) == 4
    assert {(d["status"], d["attempts"]) for d in deliveries(app, subscription)} == {("pending", 0)}


def test_two_workers_never_send_to_one_subscription_at_once(app):
    """While one worker holds the subscription (sending), another finds it taken and leaves it."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite lets one writer in at a time: there is no second worker to race")
    receiver = Receiver(status=200).up()
    try:
        subscription = subscribe(app, "cgw", receiver.url)
        _dispatched_and_signed(app)
        with app.app_context():
            with Session(db.engine) as holder:
                holder.scalar(select(WebhookSubscription).where(WebhookSubscription.id == subscription)
                              .with_for_update())
                assert webhook_delivery.deliver(db.session, subscription, timeout=5) == 0
                holder.rollback()
            assert webhook_delivery.deliver(db.session, subscription, timeout=5) == 2
    finally:
        receiver.down()
    assert len(receiver.got) == 2


def test_a_case_step_does_not_wait_for_a_worker_sending_to_its_department(app):
    """The step's deliveries reference the subscription a worker holds while the receiver answers: the step
    goes through (a lock_timeout turns a wait into an error, so a regression fails instead of hanging)."""
    from sqlalchemy import text

    from hotline.services import handling
    from tests.integration.lifecycle_helpers import TZ

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite has no row locks")
    outcome = []
    number = []

    def sign_while_the_worker_waits(_request):
        if outcome:
            return
        with app.test_request_context():
            db.session.execute(text("SET LOCAL lock_timeout = '5s'"))
            user = db.session.scalar(select(User).where(User.username == "cgw-staff"))
            try:
                case = handling.act(db.session, number[0], "sign", user, {}, handling.Context(now=START, timezone=TZ))
                outcome.append(case.state)
            except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
                outcome.append(repr(exc))
            finally:
                db.session.remove()

    receiver = Receiver(status=200, on_post=sign_while_the_worker_waits).up()
    try:
        subscription = subscribe(app, "cgw", receiver.url)
        number.append(new_case(app, at=START))
        step(app, number[0], "dispatcher", "dispatch", START, lead_department_id=dept(app, "cgw"),
             co_department_ids=[])
        with app.app_context():
            assert webhook_delivery.deliver(db.session, subscription, timeout=30) == 2
    finally:
        receiver.down()
    assert outcome == ["in_progress"]
    assert [(d["action"], d["status"]) for d in deliveries(app, subscription)] == [("dispatch", "delivered"),
                                                                                 ("sign", "delivered")]


def test_a_receiver_on_this_machine_is_not_contacted_where_the_deployment_refuses_it(app):
    receiver = Receiver(status=200).up()
    try:
        subscription = subscribe(app, "cgw", receiver.url)
        with time_machine.travel(START, tick=False):
            _dispatched_and_signed(app)
            with app.app_context():
                refused = webhook_delivery.sender(allow_loopback=False)
                assert webhook_delivery.deliver(db.session, subscription, 5, refused) == 1  # first of its case
    finally:
        receiver.down()
    assert receiver.got == []
    first = deliveries(app, subscription)[0]
    assert first["status"] == "pending" and first["attempts"] == 1
    assert attempts(app, first["id"])[0]["error"].startswith("address refused: 127.0.0.1 is at 127.0.0.1")
