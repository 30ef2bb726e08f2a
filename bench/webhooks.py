"""Benchmark 10.3: webhooks — what the fan-out adds to a commit, and how fast the workers deliver.

The fan-out: `handling.act` (an urge, 催办: a centre action allowed again and again on a dispatched case, so every
round acts on the same kind of case) on 20 cases held by one department, with 0 (the baseline), 1 and 5 active
subscriptions of that department, the three in turn; the session listener writes the deliveries and an outbox job
per subscription in the act's own commit. Delivery: 1,000 deliveries over 50 cases (each case dispatched, then,
with the subscription active, urged 20 times: the fan-out writes the deliveries as it would), sent by
`webhook_delivery.deliver` — one job after another as the worker runs them, each delivery under the
subscription's lock, signed, POSTed, its attempt recorded and committed — to a thread-based HTTP receiver on
loopback, against the same receiver hit by plain `requests.post` calls with the same bodies and headers (the
baseline), and by a `requests.Session` that keeps the connection (an experiment). SQLite and PostgreSQL, each in
a database of its own. `python -m bench.webhooks` runs it alone and rewrites its part.
"""
from __future__ import annotations

import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from sqlalchemy import delete, event, func, select, update

from bench.section10 import load, p, run_alone
from bench.targets import app_on
from hotline.domain import webhooks as rules
from hotline.extensions import db
from hotline.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from hotline.services import webhook_delivery

DEPARTMENT = "cgw"
FAN_CASES, FAN_RUNS, FAN_WARMUP = 20, 60, 6
SUBSCRIPTIONS = (0, 1, 5)
SEND_CASES, PER_CASE, SEND_ROUNDS = 50, 20, 3
PART = "### 10.3 Webhooks: the fan-out in a commit, and delivery throughput"
DELIVER, PLAIN, KEPT = ("`webhook_delivery.deliver` (the worker's job)", "plain `requests.post` (baseline)",
                        "`requests.Session`, connection kept (experiment)")


@dataclass
class Target:
    label: str
    version: str
    acts: dict[int, list[float]] = field(default_factory=lambda: {n: [] for n in SUBSCRIPTIONS})
    written: dict[int, int] = field(default_factory=dict)  # subscriptions → deliveries one act wrote
    rates: dict[str, list[float]] = field(default_factory=lambda: {DELIVER: [], PLAIN: [], KEPT: []})
    posts_ms: list[float] = field(default_factory=list)  # the POST alone inside deliver (WebhookAttempt.duration_ms)
    batches: list[list[float]] = field(default_factory=list)  # per round: seconds of each job (BATCH deliveries)
    plan: list[str] = field(default_factory=list)  # next_due with the whole backlog pending
    deliveries: int = 0
    received: int = 0


@dataclass
class Result:
    targets: list[Target] = field(default_factory=list)
    load: list[float] = field(default_factory=list)


class Receiver:
    """Answers 204 to every POST, HTTP/1.1 (a client may keep the connection), counts what it got."""

    def __init__(self) -> None:
        receiver = self
        self.count = 0
        self._lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 (the name http.server calls)
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.count += 1
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/hotline"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _cases(app, n: int) -> list[str]:
    from tests.integration.lifecycle_helpers import dept, new_case, step

    held_by = dept(app, DEPARTMENT)
    numbers = []
    for _ in range(n):
        number = new_case(app)
        db.session.remove()
        step(app, number, "dispatcher", "dispatch", lead_department_id=held_by, co_department_ids=[])
        db.session.remove()
        numbers.append(number)
    return numbers


def _urge(app, number: str) -> None:
    """The helpers' request context shares the app context `app_on` keeps pushed, so its session outlives the
    call (reading the state back after the commit began a transaction): the caller ends it, untimed."""
    from tests.integration.lifecycle_helpers import step

    step(app, number, "dispatcher", "urge", note="请加快办理")


def _subscribe(app, url: str, n: int, name: str) -> list[int]:
    from tests.integration.lifecycle_helpers import dept

    with app.app_context():
        rows = [WebhookSubscription(department_id=dept(app, DEPARTMENT), name=f"{name} {i}", url=url,
                                    secret=f"bench-secret-{i}", events=[], active=False) for i in range(n)]
        db.session.add_all(rows)
        db.session.commit()
        ids = [r.id for r in rows]
        db.session.remove()
    return ids


def _activate(app, ids: list[int], on: list[int]) -> None:
    with app.app_context():
        db.session.execute(update(WebhookSubscription).where(WebhookSubscription.id.in_(ids))
                           .values(active=WebhookSubscription.id.in_(on)))
        db.session.commit()
        db.session.remove()


def _count(app) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(WebhookDelivery))
        db.session.remove()
    return n


def _fan_out(app, t: Target, url: str) -> list[int]:
    numbers = _cases(app, FAN_CASES)
    ids = _subscribe(app, url, max(SUBSCRIPTIONS), "fan-out")
    k = 0
    for i in range(FAN_WARMUP + FAN_RUNS):
        for n in SUBSCRIPTIONS if i % 2 else SUBSCRIPTIONS[::-1]:
            _activate(app, ids, ids[:n])
            before = _count(app)
            number = numbers[k % len(numbers)]
            k += 1
            started = time.perf_counter()
            _urge(app, number)
            if i >= FAN_WARMUP:
                t.acts[n].append(time.perf_counter() - started)
            db.session.remove()
            t.written[n] = _count(app) - before
    _activate(app, ids, [])
    print(f"  {t.label} fan-out: " + "; ".join(f"{n} subscriptions p50 {p(s, 50):.1f} ms"
                                               for n, s in t.acts.items()), flush=True)
    return ids


def _reset(app, subscription_id: int) -> list[tuple[bytes, dict]]:
    """Every delivery of the subscription pending and due again, its attempts gone; answers the bodies and
    headers the baseline sends."""
    with app.app_context():
        ids = select(WebhookDelivery.id).where(WebhookDelivery.subscription_id == subscription_id)
        db.session.execute(delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(ids)))
        db.session.execute(update(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id).values(
            status=rules.PENDING, attempts=0, delivered_at=None, last_status_code=None, last_error="",
            next_attempt_at=datetime.now(UTC) - timedelta(seconds=1)))
        db.session.commit()
        subscription = db.session.get(WebhookSubscription, subscription_id)
        at = datetime.now(UTC)
        sent = []
        for d in db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
                                    .order_by(WebhookDelivery.id)):
            raw = rules.body(d.id, d.payload)
            sent.append((raw, webhook_delivery.headers_for(subscription, d, raw, at)))
        db.session.remove()
    return sent


def _throughput(app, t: Target, receiver: Receiver) -> None:
    numbers = _cases(app, SEND_CASES)  # dispatched before the subscription: only the urges are told
    (subscription_id,) = _subscribe(app, receiver.url, 1, "throughput")
    _activate(app, [subscription_id], [subscription_id])
    for number in numbers:
        for _ in range(PER_CASE):
            _urge(app, number)
            db.session.remove()
    timeout = app.config["HOTLINE_WEBHOOK_TIMEOUT"]
    for i in range(SEND_ROUNDS):
        for variant in (DELIVER, PLAIN, KEPT) if i % 2 else (KEPT, PLAIN, DELIVER):
            sent = _reset(app, subscription_id)
            t.deliveries = len(sent)
            before = receiver.count
            with app.app_context():
                started = time.perf_counter()
                if variant == DELIVER:
                    jobs = []
                    while True:
                        job_started = time.perf_counter()
                        if webhook_delivery.deliver(db.session, subscription_id, timeout) == 0:
                            break
                        jobs.append(time.perf_counter() - job_started)
                    t.batches.append(jobs)
                elif variant == PLAIN:
                    for raw, headers in sent:
                        requests.post(receiver.url, data=raw, headers=headers, timeout=timeout, allow_redirects=False)
                else:
                    with requests.Session() as session:
                        for raw, headers in sent:
                            session.post(receiver.url, data=raw, headers=headers, timeout=timeout,
                                         allow_redirects=False)
                wall = time.perf_counter() - started
                if variant == DELIVER:
                    delivered = db.session.scalar(select(func.count()).select_from(WebhookDelivery).where(
                        WebhookDelivery.subscription_id == subscription_id, WebhookDelivery.status == rules.DELIVERED))
                    if delivered != len(sent):
                        sys.exit(f"bench/webhooks.py: {delivered} of {len(sent)} delivered")
                    t.posts_ms = list(db.session.scalars(select(WebhookAttempt.duration_ms).join(WebhookDelivery).where(
                        WebhookDelivery.subscription_id == subscription_id)))
                db.session.remove()
            if receiver.count - before != len(sent):
                sys.exit(f"bench/webhooks.py: the receiver got {receiver.count - before} of {len(sent)}")
            t.rates[variant].append(len(sent) / wall)
    _reset(app, subscription_id)
    t.plan = _plan(app, subscription_id)
    print(f"  {t.label} delivery: " + "; ".join(f"{v.split(' ')[0]} {statistics.median(r):.0f}/s"
                                                for v, r in t.rates.items()), flush=True)


def _plan(app, subscription_id: int) -> list[str]:
    """How `next_due` finds the next delivery with the whole backlog pending (the first pick of a job)."""
    seen: list[tuple[str, object]] = []

    def listen(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            webhook_delivery.next_due(db.session, subscription_id, datetime.now(UTC))
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        statement, parameters = seen[-1]
        cursor = db.session.connection().connection.cursor()
        cursor.execute(("EXPLAIN QUERY PLAN " if sqlite else
                        "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) ") + statement, parameters)
        lines = [" ".join(str(x) for x in row[-1:]) if sqlite else row[0] for row in cursor.fetchall()]
        db.session.rollback()
        db.session.remove()
    return lines


def bench(server: str | None) -> Result:
    r = Result(load=[load()])
    receiver = Receiver()
    try:
        for label, url in [("SQLite", None)] + ([("PostgreSQL", server)] if server else []):
            with app_on(label, url) as (app, target):
                t = Target(label, target.version)
                _fan_out(app, t, receiver.url)
                _throughput(app, t, receiver)
                r.targets.append(t)
    finally:
        receiver.close()
    r.load.append(load())
    return r


def main() -> int:
    from bench.webhooks_report import section

    return run_alone(bench, section)


if __name__ == "__main__":
    sys.exit(main())
