"""Issue 9's acceptance: a webhook receiver that is down for ten minutes gets every event afterwards, once, in
order per case. Real HTTP to a local port, real Redis, the outbox relay and a real RQ worker; the minutes pass
with time-machine, and each minute the clock's schedule runs the due deliveries as in production."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

import redis
import time_machine
from rq import Queue

from hotline.domain import webhooks as rules
from tests.integration.lifecycle_helpers import dept, local, new_case, step
from tests.integration.test_webhook_helpers import Receiver, closed_port, deliveries, relay_and_work, subscribe
from tests.integration.worker_helpers import burst
from workers import schedule

SECRET_CGW, SECRET_ZJW = "cgw-back-office-secret", "zjw-back-office-secret"
EVERY_MINUTE = (schedule.Entry("deliver_due_webhooks", every=timedelta(minutes=1)),)


def _clock_tick(app, moment) -> None:
    """What the clock and the workers do in a minute: the due deliveries are queued, relayed and sent."""
    connection = redis.Redis.from_url(app.config["REDIS_URL"])
    schedule.enqueue_due(connection, lambda name: Queue(name, connection=connection), moment,
                         schedule=EVERY_MINUTE)
    burst(app, connection)
    relay_and_work(app)


def _plan(app) -> dict[int, list]:
    """Minute → the steps taken then: three cases, each through intake, dispatch, sign and reply."""
    cgw, zjw = dept(app, "cgw"), dept(app, "zjw")
    return {
        0: [("new", "A"), ("new", "B"), ("new", "C")],
        1: [("A", "dispatcher", "dispatch", {"lead_department_id": cgw, "co_department_ids": [zjw]}),
            ("B", "dispatcher", "dispatch", {"lead_department_id": cgw, "co_department_ids": []})],
        2: [("A", "cgw-staff", "sign", {}), ("C", "dispatcher", "dispatch",
                                             {"lead_department_id": cgw, "co_department_ids": []})],
        3: [("A", "zjw-staff", "sign", {}), ("B", "cgw-staff", "sign", {})],
        4: [("C", "cgw-staff", "sign", {}),
            ("A", "zjw-staff", "reply", {"text": "已约谈施工单位", "resolved": "true"})],
        5: [("B", "cgw-staff", "reply", {"text": "已责令停工", "resolved": "true"})],
        6: [("A", "cgw-staff", "reply", {"text": "已责令夜间停工", "resolved": "true"})],
        7: [("C", "cgw-staff", "reply", {"text": "已现场核查", "resolved": "true"})],
        8: [("A", "dispatcher", "review-reply", {"decision": "approve"})],
        9: [("B", "dispatcher", "review-reply", {"decision": "approve"})],
    }


def test_a_receiver_down_for_ten_minutes_gets_every_event_afterwards_once_in_order(app):
    port = closed_port()
    receiver = Receiver(port=port)
    url = f"http://127.0.0.1:{port}/hooks/hotline"
    subscriptions = {subscribe(app, "cgw", url, secret=SECRET_CGW): SECRET_CGW,
                     subscribe(app, "zjw", url, secret=SECRET_ZJW): SECRET_ZJW}
    plan, numbers = _plan(app), {}
    start = local(2026, 11, 27, 10)  # a Friday morning
    with time_machine.travel(start, tick=False) as traveller:
        for minute in range(10):  # the receiver's port is closed
            moment = start + timedelta(minutes=minute)
            traveller.move_to(moment)
            for item in plan[minute]:
                if item[0] == "new":
                    numbers[item[1]] = new_case(app, at=moment)
                else:
                    label, username, action, fields = item
                    step(app, numbers[label], username, action, at=moment, **fields)
            relay_and_work(app)  # each step's deliveries are tried at once, and fail
            _clock_tick(app, moment)
        assert receiver.got == []
        down = deliveries(app)
        assert len(down) == 12 + 4 + 3 and all(d["status"] == "pending" for d in down)
        assert max(d["attempts"] for d in down) >= 4  # the first of each case was tried again and again

        receiver.up()
        try:
            minute = 10
            while any(d["status"] != "delivered" for d in deliveries(app)) and minute <= 10 + 61:
                moment = start + timedelta(minutes=minute)
                traveller.move_to(moment)
                _clock_tick(app, moment)
                minute += 1
            for extra in range(3):  # the clock goes on: nothing is sent twice
                moment = start + timedelta(minutes=minute + extra)
                traveller.move_to(moment)
                _clock_tick(app, moment)
        finally:
            receiver.down()

    written = deliveries(app)
    # within the backoff horizon (the longest wait is an hour): every delivery arrived
    assert all(d["status"] == "delivered" for d in written)
    assert minute <= 10 + 61
    got = receiver.got
    # once: by delivery id, and by (subscription, case, seq)
    ids = Counter(r.headers["x-hotline-delivery"] for r in got)
    assert set(ids) == {str(d["id"]) for d in written} and set(ids.values()) == {1}
    keys = Counter((r.body["department"], r.body["case"]["number"], r.body["event"]["seq"]) for r in got)
    assert len(keys) == len(written) and set(keys.values()) == {1}
    # in order per case, for each back office
    order: dict[tuple, list[int]] = defaultdict(list)
    for r in got:
        order[(r.body["department"], r.body["case"]["number"])].append(r.body["event"]["seq"])
    assert set(order) == {("cgw", numbers[c]) for c in "ABC"} | {("zjw", numbers["A"])}
    for seqs in order.values():
        assert seqs == sorted(seqs)
    assert order[("cgw", numbers["A"])] == [2, 3, 4, 5, 6, 7]  # dispatch, sign, sign, reply, reply, review
    assert order[("zjw", numbers["A"])] == [2, 3, 4, 5, 6, 7]
    # every one signed with its subscription's secret, and what it says is what was written
    secret_of = {str(d["id"]): subscriptions[d["subscription_id"]] for d in written}
    by_id = {str(d["id"]): d for d in written}
    for r in got:
        delivery_id = r.headers["x-hotline-delivery"]
        timestamp = int(r.headers["x-hotline-signature"].split(",")[0][2:])
        assert rules.verify(secret_of[delivery_id], r.headers["x-hotline-signature"], r.raw, timestamp)
        assert not rules.verify("another secret", r.headers["x-hotline-signature"], r.raw, timestamp)
        assert r.body == {"id": delivery_id, **by_id[delivery_id]["payload"]}
        assert r.headers["x-hotline-event"] == r.body["event"]["action"]
        assert r.headers["content-type"] == "application/json"
        assert r.headers["user-agent"] == "hotline-webhooks/1"
