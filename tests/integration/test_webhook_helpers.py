"""A real HTTP receiver on a free local port (in a thread), and the ways to make and drive subscriptions."""
from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import redis
from rq import Queue
from sqlalchemy import select

from hotline.clock import now
from hotline.extensions import db
from hotline.models import Department, User, WebhookAttempt, WebhookDelivery, WebhookSubscription
from hotline.services import outbox
from tests.integration.worker_helpers import burst


@dataclass
class Received:
    headers: dict
    raw: bytes

    @property
    def body(self) -> dict:
        return json.loads(self.raw)


@dataclass
class Receiver:
    """Answers `status` to every POST and keeps what it got. `down()` closes the port; `up()` opens it again."""
    status: int = 204
    got: list[Received] = field(default_factory=list)
    on_post: object = None  # called with each request before the answer, in the server's thread
    port: int = 0
    _server: ThreadingHTTPServer | None = None

    def up(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the name http.server calls)
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.got.append(Received({k.lower(): v for k, v in self.headers.items()}, raw))
                if receiver.on_post is not None:
                    receiver.on_post(receiver.got[-1])
                self.send_response(receiver.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/hotline"


def closed_port() -> int:
    """A port nobody listens on (bound, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def subscribe(app, department_code: str, url: str, events: list[str] | None = None, secret: str = "s3cret-test",
              active: bool = True) -> int:
    with app.app_context():
        department = db.session.scalar(select(Department).where(Department.code == department_code))
        row = WebhookSubscription(department_id=department.id, name=f"{department_code} back office", url=url,
                                  secret=secret, events=events or [], active=active)
        db.session.add(row)
        db.session.commit()
        return row.id


def deliveries(app, subscription_id: int | None = None) -> list[dict]:
    with app.app_context():
        query = select(WebhookDelivery).order_by(WebhookDelivery.id)
        if subscription_id is not None:
            query = query.where(WebhookDelivery.subscription_id == subscription_id)
        return [{"id": d.id, "subscription_id": d.subscription_id, "case_id": d.case_id, "seq": d.seq,
                 "action": d.action, "status": d.status, "attempts": d.attempts, "payload": d.payload,
                 "next_attempt_at": d.next_attempt_at, "department": d.payload["department"]}
                for d in db.session.scalars(query)]


def attempts(app, delivery_id: int) -> list[dict]:
    with app.app_context():
        return [{"status_code": a.status_code, "error": a.error, "replay_by_id": a.replay_by_id, "at": a.at}
                for a in db.session.scalars(select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery_id)
                                            .order_by(WebhookAttempt.id))]


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def relay_and_work(app) -> int:
    """The clock's relay pushes what the outbox holds; a real RQ worker runs it all (burst)."""
    connection = redis.Redis.from_url(app.config["REDIS_URL"])
    with app.app_context():
        pushed = outbox.relay(db.session, lambda name: Queue(name, connection=connection), connection, now(),
                              timedelta(minutes=5))
        db.session.remove()
    burst(app, connection)
    return pushed
