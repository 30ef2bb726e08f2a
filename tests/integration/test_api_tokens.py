"""API tokens: issued for a username and password, shown once, stored as a hash, listed and revoked."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import AccessLog, ApiToken
from tests.api_helpers import Api, request_token, token_for
from tests.helpers import make_user


def test_a_token_is_issued_for_the_right_password_and_opens_the_api(app, client):
    response = request_token(client, "operator", name="call-centre system")
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) >= {"token", "id", "name"} and body["name"] == "call-centre system"
    assert len(body["token"]) >= 40 and response.headers["Cache-Control"] == "no-store"
    assert Api(client, body["token"]).get("/categories").status_code == 200
    with app.app_context():
        stored = db.session.get(ApiToken, body["id"])
        assert stored.token_hash == hashlib.sha256(body["token"].encode()).hexdigest()
        assert body["token"] not in (stored.token_hash, stored.name)
        assert db.session.scalar(select(AccessLog.action).where(AccessLog.action == "token_issued"))


@pytest.mark.parametrize("username, password", [("operator", "wrong-password"), ("nobody", "hotline-demo")])
def test_wrong_credentials_get_401_json_and_are_logged(app, client, username, password):
    response = request_token(client, username, password)
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_credentials" and response.get_json()["message"]
    with app.app_context():
        assert db.session.scalar(select(AccessLog.detail).where(AccessLog.action == "token_refused")) == username


def test_missing_credentials_are_named(client):
    response = client.post("/api/v1/tokens", json={"username": "operator"})
    assert response.status_code == 422
    assert response.get_json()["fields"] == {"password": "required"}


def test_a_body_that_is_not_a_json_object_is_a_400(client):
    response = client.post("/api/v1/tokens", data="username=operator", content_type="text/plain")
    assert response.status_code == 400 and response.get_json()["error"] == "bad_request"


def test_a_disabled_user_gets_no_token(app, client):
    make_user(app, "former", "long enough password", role="operator", active=False)
    assert request_token(client, "former", "long enough password").status_code == 401


def test_demo_users_get_no_token_in_production_and_their_tokens_stop_working(app, client):
    token = token_for(app, "operator")
    app.config["HOTLINE_ENV"] = "production"
    try:
        refused = request_token(client, "operator")
        used = Api(client, token).get("/categories")
    finally:
        app.config["HOTLINE_ENV"] = "testing"
    assert refused.status_code == 401 and used.status_code == 401


def test_token_requests_are_rate_limited_like_the_sign_in(client):
    codes = [request_token(client, "operator", f"guess-{i}").status_code for i in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429
    assert request_token(client, "operator").get_json()["error"] == "rate_limited"


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer not-a-token", "Basic b3BlcmF0b3I6aG90bGluZS1kZW1v"])
def test_without_a_valid_token_the_api_answers_401(client, header):
    response = client.get("/api/v1/cases", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_browser_session_does_not_open_the_api(client):
    from tests.helpers import login
    login(client, "operator")
    assert client.get("/api/v1/cases").status_code == 401


def test_the_token_of_a_disabled_user_stops_working(app, client):
    from hotline.models import User
    make_user(app, "leaver", "long enough password", role="operator")
    api = Api.as_user(app, "leaver")
    assert api.get("/cases").status_code == 200
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "leaver")).active = False
        db.session.commit()
    assert api.get("/cases").status_code == 401


def test_each_user_lists_only_their_own_tokens(app, client):
    mine = Api(client, request_token(client, "operator", name="mine").get_json()["token"])
    request_token(client, "dispatcher", name="theirs")
    names = [t["name"] for t in mine.get("/tokens").get_json()["items"]]
    assert names == ["mine"]
    assert "token" not in mine.get("/tokens").get_json()["items"][0]


def test_a_revoked_token_stops_working_and_leaves_the_list(app, client):
    api = Api.as_user(app, "operator")
    other = Api(client, token_for(app, "operator"))
    token_id = other.get("/tokens").get_json()["items"][0]["id"]
    assert other.delete(f"/tokens/{token_id}").status_code == 204
    assert other.get("/tokens").status_code == 401
    assert token_id not in [t["id"] for t in api.get("/tokens").get_json()["items"]]
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is not None


def test_nobody_revokes_another_persons_token(app):
    owner = Api.as_user(app, "operator")
    token_id = owner.get("/tokens").get_json()["items"][0]["id"]
    stranger = Api.as_user(app, "supervisor")
    assert stranger.delete(f"/tokens/{token_id}").status_code == 404
    assert owner.get("/tokens").status_code == 200


def test_last_used_is_written_at_most_once_a_minute(app):
    api = Api.as_user(app, "operator")

    def last_used():
        with app.app_context():
            return db.session.scalar(select(ApiToken.last_used_at))

    with time_machine.travel("2026-12-01 09:00:00 +0000", tick=False):
        api.get("/categories")
        first = last_used()
        with time_machine.travel(first + timedelta(seconds=30), tick=False):
            api.get("/categories")
            assert last_used() == first
        with time_machine.travel(first + timedelta(seconds=61), tick=False):
            api.get("/categories")
            assert last_used() == first + timedelta(seconds=61)
