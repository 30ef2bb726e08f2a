"""The webhook pages: who may see and do what, CSRF on every form, the secret shown only when asked (and logged),
what was typed kept on a refusal, the delivery log with its filter and replay buttons."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import AccessLog, WebhookAttempt, WebhookDelivery, WebhookSubscription
from tests.helpers import hidden_value, login
from tests.integration.lifecycle_helpers import dept, local, new_case, step
from tests.integration.test_webhook_helpers import Receiver, closed_port, deliveries, subscribe

URL = "https://backoffice.cgw.example/hooks/12345"


def _as(client, username: str):
    login(client, username)
    client.get("/?lang=en")
    return client


def _token(client, path: str = "/admin/webhooks/new") -> str:
    return hidden_value(client.get(path).get_data(as_text=True), "csrf_token")


def _create(client, **fields):
    data = {"csrf_token": _token(client), "name": "城管 case system", "url": URL, "active": "y", **fields}
    return client.post("/admin/webhooks/new", data=data)


def _subscriptions(app) -> list[WebhookSubscription]:
    with app.app_context():
        rows = db.session.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id)).all()
        db.session.expunge_all()
        return rows


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/admin/webhooks")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("username", ["operator", "dispatcher", "supervisor", "cgw-staff"])
def test_others_are_refused(client, username):
    _as(client, username)
    assert client.get("/admin/webhooks").status_code == 403
    assert client.get("/admin/webhooks/new").status_code == 403


def test_an_admin_sees_every_department_and_a_head_only_their_own(app, client):
    cgw, zjw = subscribe(app, "cgw", URL), subscribe(app, "zjw", "https://zjw.example/h")
    _as(client, "admin")
    page = client.get("/admin/webhooks").get_data(as_text=True)
    assert f'data-subscription="{cgw}"' in page and f'data-subscription="{zjw}"' in page
    client.post("/logout", data={"csrf_token": hidden_value(page, "csrf_token")})

    _as(client, "cgw-head")
    page = client.get("/admin/webhooks").get_data(as_text=True)
    assert f'data-subscription="{cgw}"' in page and f'data-subscription="{zjw}"' not in page
    assert client.get(f"/admin/webhooks/{cgw}").status_code == 200
    token = hidden_value(page, "csrf_token")
    for path in (f"/admin/webhooks/{zjw}", f"/admin/webhooks/{zjw}/edit"):
        assert client.get(path).status_code == 404
    for path in ("secret", "rotate", "delete", "replay-failed"):
        assert client.post(f"/admin/webhooks/{zjw}/{path}", data={"csrf_token": token}).status_code == 404
    assert len(_subscriptions(app)) == 2


def test_a_head_creates_one_for_their_department_and_sees_the_secret_once(app, client):
    _as(client, "cgw-head")
    response = _create(client, department_id=str(dept(app, "zjw")), events=["sign", "reply"])  # not theirs: ignored
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    [row] = _subscriptions(app)
    assert (row.department_id, row.url, sorted(row.events), row.active) == (dept(app, "cgw"), URL, ["reply", "sign"],
                                                                           True)
    assert row.secret.startswith("whsec_") and row.secret in response.get_data(as_text=True)
    log = client.get(f"/admin/webhooks/{row.id}").get_data(as_text=True)
    assert row.secret not in log and row.secret not in client.get("/admin/webhooks").get_data(as_text=True)


def test_an_admin_chooses_the_department(app, client):
    _as(client, "admin")
    assert _create(client, department_id="").status_code == 422
    assert _create(client, department_id=str(dept(app, "zjw"))).status_code == 200
    assert [r.department_id for r in _subscriptions(app)] == [dept(app, "zjw")]


@pytest.mark.parametrize("url, message", [
    ("", "Enter the URL of the receiver."),
    ("ftp://backoffice.example/x", "Only http:// and https:// URLs"),
    ("https://user:pw@backoffice.example/x", "Take the user name and password out of the URL"),
    ("not a url", "Enter a full URL"),
])
def test_a_bad_url_is_refused_and_what_was_typed_is_kept(app, client, url, message):
    _as(client, "cgw-head")
    response = _create(client, url=url, name="我的后台", events=["sign"])
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    assert "我的后台" in page and 'value="sign" checked' in page
    assert _subscriptions(app) == []


def test_plain_http_only_where_the_deployment_allows_it(app, client):
    _as(client, "cgw-head")
    app.config["HOTLINE_WEBHOOK_ALLOW_HTTP"] = False
    try:
        response = _create(client, url="http://backoffice.example/x")
        assert response.status_code == 422 and "Use https://" in response.get_data(as_text=True)
    finally:
        app.config["HOTLINE_WEBHOOK_ALLOW_HTTP"] = True
    assert _create(client, url="http://backoffice.example/x").status_code == 200


def test_unknown_events_are_refused(app, client):
    _as(client, "cgw-head")
    assert _create(client, events=["sign", "explode"]).status_code == 422
    assert _subscriptions(app) == []


def test_every_form_needs_its_csrf_token(app, client):
    cgw = subscribe(app, "cgw", URL)
    _as(client, "cgw-head")
    assert client.post("/admin/webhooks/new", data={"name": "x", "url": URL}).status_code == 400
    assert client.post(f"/admin/webhooks/{cgw}/edit", data={"name": "x", "url": URL}).status_code == 400
    for path in ("secret", "rotate", "delete", "replay-failed"):
        assert client.post(f"/admin/webhooks/{cgw}/{path}").status_code == 400
    [row] = _subscriptions(app)
    assert (row.name, row.secret) == ("cgw back office", "s3cret-test")


def test_edit_pause_show_rotate_and_delete(app, client):
    cgw = subscribe(app, "cgw", URL)
    _as(client, "cgw-head")
    token = _token(client, f"/admin/webhooks/{cgw}/edit")
    response = client.post(f"/admin/webhooks/{cgw}/edit", data={"csrf_token": token, "name": "新名字",
                                                                "url": URL + "/v2", "events": ["close"]})
    assert response.status_code == 302
    [row] = _subscriptions(app)
    assert (row.name, row.url, row.events, row.active) == ("新名字", URL + "/v2", ["close"], False)

    shown = client.post(f"/admin/webhooks/{cgw}/secret", data={"csrf_token": token})
    assert shown.headers["Cache-Control"] == "no-store" and "s3cret-test" in shown.get_data(as_text=True)
    rotated = client.post(f"/admin/webhooks/{cgw}/rotate", data={"csrf_token": token})
    [row] = _subscriptions(app)
    assert row.secret != "s3cret-test" and row.secret in rotated.get_data(as_text=True)
    with app.app_context():
        logged = db.session.scalars(select(AccessLog.action).order_by(AccessLog.id)).all()
    assert logged[-2:] == ["webhook_secret_shown", "webhook_secret_rotated"]

    assert client.post(f"/admin/webhooks/{cgw}/delete", data={"csrf_token": token}).status_code == 302
    assert _subscriptions(app) == []


def test_the_delivery_log_filters_and_replays(app, client):
    port = closed_port()
    cgw = subscribe(app, "cgw", f"http://127.0.0.1:{port}/hooks")
    number = new_case(app, at=local(2026, 11, 27, 10))
    step(app, number, "dispatcher", "dispatch", local(2026, 11, 27, 10), lead_department_id=dept(app, "cgw"),
         co_department_ids=[])
    step(app, number, "cgw-staff", "sign", local(2026, 11, 27, 11))
    [first, second] = deliveries(app, cgw)
    with app.app_context():
        db.session.get(WebhookDelivery, first["id"]).status = "failed"
        db.session.add(WebhookAttempt(delivery_id=first["id"], at=local(2026, 11, 27, 10), status_code=None,
                                      error="connection failed: connection refused"))
        db.session.commit()
    _as(client, "cgw-head")
    page = client.get(f"/admin/webhooks/{cgw}").get_data(as_text=True)
    assert f'data-delivery="{first["id"]}"' in page and f'data-delivery="{second["id"]}"' in page
    assert "connection refused" in page and number in page and "holds back the later events" in page
    failed = client.get(f"/admin/webhooks/{cgw}?status=failed").get_data(as_text=True)
    assert f'data-delivery="{first["id"]}"' in failed and f'data-delivery="{second["id"]}"' not in failed

    token = hidden_value(page, "csrf_token")
    client.post(f"/admin/webhooks/{cgw}/replay-failed", data={"csrf_token": token})
    assert [(d["status"], d["attempts"]) for d in deliveries(app, cgw)] == [("pending", 0), ("pending", 0)]

    receiver = Receiver(port=port).up()
    try:
        from hotline.services import webhook_delivery
        with app.app_context():
            assert webhook_delivery.deliver(db.session, cgw, timeout=5) == 2
        response = client.post(f"/admin/webhooks/{cgw}/deliveries/{first['id']}/replay",
                                data={"csrf_token": token}, follow_redirects=True)
    finally:
        receiver.down()
    assert "was sent again: the receiver answered HTTP 204" in response.get_data(as_text=True)
    assert [r.headers["x-hotline-delivery"] for r in receiver.got] == [str(first["id"]), str(second["id"]),
                                                                      str(first["id"])]
    assert "Replayed by" in client.get(f"/admin/webhooks/{cgw}").get_data(as_text=True)
    assert client.post(f"/admin/webhooks/{cgw}/deliveries/999999/replay",
                       data={"csrf_token": token}).status_code == 404
