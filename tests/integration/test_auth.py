"""Signing in and out: hashed passwords, CSRF, rate limits, no demo users in production."""
from __future__ import annotations

from sqlalchemy import select

from hotline.extensions import db
from hotline.models import AccessLog, User
from tests.helpers import hidden_value, login, logout, make_user


def test_centre_staff_land_on_the_case_list_and_department_staff_on_their_inbox(client):
    assert login(client, "operator").headers["Location"] == "/cases/"
    logout(client)
    assert login(client, "cgw-staff").headers["Location"] == "/dept/inbox"


def test_passwords_are_stored_as_scrypt_hashes(app):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "operator"))
        assert user.password_hash.startswith("scrypt:") and "hotline-demo" not in user.password_hash


def test_a_wrong_password_is_refused_and_logged(app, client):
    response = login(client, "operator", "wrong-password")
    assert response.status_code == 200
    assert "Wrong username or password" in response.get_data(as_text=True) or "用户名或密码" in response.get_data(
        as_text=True)
    assert client.get("/cases/").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(AccessLog).where(AccessLog.action == "login_failed")).detail == "operator"


def test_sign_in_without_the_csrf_token_is_refused(client):
    client.get("/login")
    response = client.post("/login", data={"username": "operator", "password": "hotline-demo"})
    assert response.status_code == 400
    assert client.get("/cases/").status_code == 302


def test_sign_in_attempts_are_rate_limited(app, client):
    codes = [login(client, "operator", f"guess-{i}").status_code for i in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429


def test_sign_out_needs_a_post_with_the_token(client):
    login(client, "operator")
    assert client.get("/logout").status_code == 405
    logout(client)
    assert client.get("/cases/").status_code == 302


def test_after_sign_in_only_a_local_next_is_followed(client):
    page = client.get("/login?next=//evil.example/").get_data(as_text=True)
    response = client.post("/login", data={"csrf_token": hidden_value(page, "csrf_token"), "username": "operator",
                                           "password": "hotline-demo", "next": "//evil.example/"})
    assert response.headers["Location"] == "/cases/"


def test_demo_users_are_refused_in_production(app, client):
    app.config["HOTLINE_ENV"] = "production"
    try:
        response = login(client, "operator")
    finally:
        app.config["HOTLINE_ENV"] = "testing"
    assert response.status_code == 200
    assert client.get("/cases/").status_code == 302


def test_a_disabled_user_cannot_sign_in(app, client):
    make_user(app, "former", "long enough password", role="operator", active=False)
    login(client, "former", "long enough password")
    assert client.get("/cases/").status_code == 302


def test_a_stranger_sent_to_sign_in_is_told_why_in_their_language(client):
    assert "请先登录再查看此页面。" in client.get("/cases/", follow_redirects=True).get_data(as_text=True)
    client.get("/?lang=en")
    assert "Please sign in to see this page." in client.get("/cases/", follow_redirects=True).get_data(as_text=True)
