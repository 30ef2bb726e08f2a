"""/admin/api-keys: an administrator creates a key (shown once, only its hash kept), scopes it, limits its rate,
revokes it, and reads each key's use log; nobody else may (anonymous → sign-in, every other role → 403)."""
from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from hotline.clock import now
from hotline.domain import api_keys as rules
from hotline.extensions import db
from hotline.models import AccessLog, ApiKey
from hotline.services import api_keys
from tests.helpers import hidden_value, login

PAGES = ("/admin/api-keys", "/admin/api-keys/new", "/admin/api-keys/{id}", "/admin/api-keys/{id}/revoke")


def a_key(app, name="市民通 app", scopes=(rules.CREATE,), **kw) -> tuple[int, str]:
    with app.app_context():
        key, raw = api_keys.create(db.session, name, list(scopes), by=None, at=now(), **kw)
        return key.id, raw


def new_key_form(client, **fields):
    page = client.get("/admin/api-keys/new").get_data(as_text=True)
    data = {"csrf_token": hidden_value(page, "csrf_token"), "name": "市民通 app", "scopes": [rules.CREATE],
            "rate_limit": "", "note": ""}
    data.update(fields)
    return client.post("/admin/api-keys/new", data=data)


def shown_key(html: str) -> str:
    match = re.search(r'<code id="new-key"[^>]*>([^<]+)</code>', html)
    assert match, "the new key is not on the page"
    return unescape(match.group(1))


def keys(app) -> list[ApiKey]:
    with app.app_context():
        rows = list(db.session.scalars(select(ApiKey).order_by(ApiKey.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def logged(app, action: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AccessLog.detail).where(AccessLog.action == action)))


@pytest.mark.parametrize("path", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(app, client, path):
    key_id, _raw = a_key(app)
    response = client.get(path.format(id=key_id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("username", ["operator", "dispatcher", "supervisor", "dh-cgj-staff", "dh-cgj-head"])
def test_every_role_but_the_administrator_is_refused(app, client, username):
    key_id, _raw = a_key(app)
    login(client, username)
    for path in PAGES:
        assert client.get(path.format(id=key_id)).status_code == 403, path
    page = client.get("/").get_data(as_text=True)
    token = hidden_value(page, "csrf_token")
    assert client.post("/admin/api-keys/new", data={"csrf_token": token, "name": "x", "scopes": [rules.CREATE]}
                       ).status_code == 403
    assert client.post(f"/admin/api-keys/{key_id}/revoke", data={"csrf_token": token}).status_code == 403
    assert [k.name for k in keys(app)] == ["市民通 app"] and keys(app)[0].active
    assert "/admin/api-keys" not in page  # no Integrations link for them


def test_the_administrator_sees_the_pages_and_the_integrations_link(app, client):
    key_id, _raw = a_key(app)
    login(client, "admin")
    for path in PAGES:
        assert client.get(path.format(id=key_id)).status_code == 200, path
    page = client.get("/admin/api-keys?lang=en").get_data(as_text=True)
    nav = page[page.index('<nav class="nav">'):page.index("</nav>")]
    assert 'href="/admin/api-keys" aria-current="page">Integrations<' in nav
    tabs = page[page.index('class="tabs integration-tabs"'):]
    tabs = tabs[:tabs.index("</nav>")]
    assert 'data-tab="keys"' in tabs and 'class="tab active"' in tabs
    assert missing_absent(app, tabs)
    assert client.get("/admin/api-keys/999999").status_code == 404


def missing_absent(app, tabs: str) -> bool:
    """A tab whose page does not exist (yet) is not shown."""
    wanted = {"webhooks": "admin.webhooks", "places": "admin.places", "docs": "apidocs.docs"}
    return all((f'data-tab="{tab}"' in tabs) == (endpoint in app.view_functions) for tab, endpoint in wanted.items())


def test_a_key_created_on_the_page_is_shown_once_only_its_hash_is_kept_and_it_works(app, client):
    login(client, "admin")
    response = new_key_form(client, name="东湖区城管局 back office", scopes=[rules.CREATE, rules.READ],
                            rate_limit="30 per minute; 1000 per day", note="王工 138 0000 0000")
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    raw = shown_key(response.get_data(as_text=True))
    assert raw.startswith(rules.PREFIX) and len(raw) > 40
    [key] = keys(app)
    assert (key.name, key.scopes, key.rate_limit, key.note) == (
        "东湖区城管局 back office", [rules.CREATE, rules.READ], "30 per minute; 1000 per day", "王工 138 0000 0000")
    assert key.key_hash == rules.digest(raw) and key.prefix == raw[:rules.SHOWN]
    with app.app_context():
        assert api_keys.authenticate(db.session, raw, at=now()).id == key.id
        # no column of any row holds the key itself
        stored = [str(v) for v in db.session.execute(select(ApiKey.__table__)).one()]
        assert not any(raw in value or raw[rules.SHOWN:] in value for value in stored)
    assert logged(app, "api_key_created") == [f"api key {key.id} {key.prefix}"]
    for path in ("/admin/api-keys", f"/admin/api-keys/{key.id}", f"/admin/api-keys/{key.id}/revoke",
                 "/admin/api-keys/new", "/admin/api-keys?state=active"):
        page = client.get(path).get_data(as_text=True)
        assert raw not in page and raw[rules.SHOWN:] not in page, path
        if path != "/admin/api-keys/new":
            assert key.prefix in page


@pytest.mark.parametrize("fields, message", [
    ({"name": ""}, "Name the key after the system"),
    ({"name": "<script>alert(1)</script>"}, "HTML tags"),
    ({"scopes": []}, "Tick at least one"),
    ({"scopes": ["cases:delete"]}, "Tick at least one"),
    ({"rate_limit": "lots"}, "60 per minute"),
    ({"rate_limit": "0 per minute"}, "60 per minute"),
    ({"note": "x" * 201}, "At most 200"),
])
def test_a_bad_form_says_what_is_wrong_keeps_what_was_typed_and_creates_nothing(app, client, fields, message):
    login(client, "admin")
    client.get("/?lang=en")
    typed = {"name": "市民通 app", "scopes": [rules.READ], "rate_limit": "5 per second", "note": "call 李工"}
    typed.update(fields)
    response = new_key_form(client, **typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in unescape(page)
    assert keys(app) == [] and logged(app, "api_key_created") == []
    for name in ("name", "rate_limit"):
        if typed[name] and "<" not in typed[name]:
            assert f'value="{typed[name]}"' in unescape(page), name
    if typed["note"] and len(typed["note"]) < 50:
        assert typed["note"] in page
    if typed["scopes"] == [rules.READ]:
        assert re.search(r'value="requests:read" checked', page) and not re.search(r'value="requests:create" checked',
                                                                                    page)


def test_the_forms_refuse_a_post_without_the_csrf_token(app, client):
    key_id, raw = a_key(app)
    login(client, "admin")
    assert client.post("/admin/api-keys/new", data={"name": "x", "scopes": [rules.CREATE]}).status_code == 400
    assert client.post(f"/admin/api-keys/{key_id}/revoke").status_code == 400
    assert client.post(f"/admin/api-keys/{key_id}/revoke", data={"csrf_token": "forged"}).status_code == 400
    assert [k.active for k in keys(app)] == [True]
    with app.app_context():
        assert api_keys.authenticate(db.session, raw, at=now()) is not None


def test_a_key_is_revoked_after_confirming_and_is_refused_from_then_on(app, client):
    key_id, raw = a_key(app, name="old app")
    keep_id, keep_raw = a_key(app, name="new app")
    login(client, "admin")
    client.get("/?lang=en")
    confirm = client.get(f"/admin/api-keys/{key_id}/revoke").get_data(as_text=True)
    assert "Revoke the key “old app”?" in unescape(confirm)
    assert keys(app)[0].active  # asking is not revoking
    response = client.post(f"/admin/api-keys/{key_id}/revoke", data={"csrf_token": hidden_value(confirm,
                                                                                                  "csrf_token")})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/admin/api-keys/{key_id}")
    with app.app_context():
        assert api_keys.authenticate(db.session, raw, at=now()) is None
        assert api_keys.authenticate(db.session, keep_raw, at=now()).id == keep_id
    old = keys(app)[0]
    assert old.revoked_at is not None and old.revoked_by_id is not None
    assert logged(app, "api_key_revoked") == [f"api key {key_id} {old.prefix}"]
    page = client.get(f"/admin/api-keys/{key_id}").get_data(as_text=True)
    assert "was revoked" in page and "Revoked" in page and f"/admin/api-keys/{key_id}/revoke" not in page
    again = client.get(f"/admin/api-keys/{key_id}/revoke")
    assert again.status_code == 302  # nothing to confirm any more
    listing = client.get("/admin/api-keys?state=revoked").get_data(as_text=True)
    assert "old app" in listing and "new app" not in listing
    listing = client.get("/admin/api-keys?state=active").get_data(as_text=True)
    assert "new app" in listing and "old app" not in listing
    assert logged(app, "api_key_revoked") == [f"api key {key_id} {old.prefix}"]  # once


def test_the_list_shows_each_keys_scopes_limit_maker_and_use(app, client):
    login(client, "admin")
    client.get("/?lang=en")
    made = new_key_form(client, name="back office", scopes=[rules.READ], rate_limit="10 per minute")
    assert made.status_code == 201
    key_id, _raw = a_key(app, name="citizen app")
    with app.app_context():
        key = db.session.get(ApiKey, key_id)
        for n in range(3):
            api_keys.log_use(db.session, key, at=now() - timedelta(minutes=n), method="GET",
                             path="/open311/v2/requests.json", status=200)
        api_keys.log_use(db.session, key, at=now() - timedelta(days=40), method="GET", path="/x", status=200)
        db.session.commit()
    page = unescape(client.get("/admin/api-keys").get_data(as_text=True))
    rows = {m.group(1): m.group(2) for m in re.finditer(r'<tr id="key-\d+" data-key="\d+" class="[^"]*">(.*?'
                                                        r'<strong>([^<]+)</strong>.*?)</tr>', page, re.S)} or {}
    by_name = {name: row for row, name in rows.items()}
    assert set(by_name) == {"back office", "citizen app"}
    assert "requests:read" in by_name["back office"] and "10 per minute" in by_name["back office"]
    assert "赵敏（系统管理员）" in by_name["back office"] and "赵敏" not in by_name["citizen app"]  # made by the CLI
    assert "Never" in by_name["back office"]
    assert "requests:create" in by_name["citizen app"] and "Default" in by_name["citizen app"]
    assert "3 requests in 30 days" in by_name["citizen app"]
    assert list(by_name) == ["citizen app", "back office"]  # newest first


@pytest.mark.parametrize("username", ["admin", "supervisor", "dispatcher", "operator", "dh-cgj-head", "dh-cgj-staff"])
def test_the_integration_tabs_offer_exactly_the_pages_that_exist_and_open_for_the_user(app, client, username):
    """Checked against the pages' own guards: a tab shown opens (200), a page left out refuses (403)."""
    from flask_login import login_user

    from hotline.models import User
    from hotline.web.admin.api_keys import TABS, _integration_tabs

    with app.test_request_context("/admin/api-keys"):
        login_user(db.session.scalar(select(User).where(User.username == username)))
        shown = {tab["key"]: tab["href"] for tab in _integration_tabs()}
    login(client, username)
    for key, endpoint, _prefix, _text, _roles in TABS:
        if endpoint not in app.view_functions:
            assert key not in shown
            continue
        with app.test_request_context():
            from flask import url_for
            href = url_for(endpoint)
        status = client.get(href).status_code
        assert (status == 200) == (key in shown), (key, status)
    assert "docs" not in shown or shown["docs"].startswith("/api/")
