"""/settings/tokens: a signed-in user creates a token (shown once), sees when it was used, revokes it."""
from __future__ import annotations

import re

from sqlalchemy import select

from hotline.extensions import db
from hotline.models import ApiToken
from tests.api_helpers import Api, token_for
from tests.helpers import hidden_value, login


def create(client, name: str):
    page = client.get("/settings/tokens").get_data(as_text=True)
    return client.post("/settings/tokens", data={"csrf_token": hidden_value(page, "csrf_token"), "name": name})


def shown_token(html: str) -> str:
    match = re.search(r'<code class="token" id="new-token">([^<]+)</code>', html)
    assert match, "the new token is not on the page"
    return match.group(1)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/settings/tokens")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_token_created_on_the_page_is_shown_once_and_works(app, client):
    login(client, "dispatcher")
    response = create(client, "dispatch robot")
    html = response.get_data(as_text=True)
    token = shown_token(html)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "dispatch robot" in html
    assert Api(app.test_client(), token).get("/cases").status_code == 200
    assert token not in client.get("/settings/tokens").get_data(as_text=True)


def test_the_list_shows_only_my_tokens_with_their_name_and_when_they_were_created_and_used(app, client):
    token_for(app, "supervisor")
    login(client, "dispatcher")
    token = shown_token(create(client, "dispatch robot").get_data(as_text=True))
    html = client.get("/settings/tokens").get_data(as_text=True)
    assert html.count('name="token_id"') == 1 and "dispatch robot" in html
    assert len(re.findall(r">\d{4}-\d\d-\d\d \d\d:\d\d</td>", html)) == 1  # created, never used
    Api(app.test_client(), token).get("/categories")
    html = client.get("/settings/tokens").get_data(as_text=True)
    assert len(re.findall(r">\d{4}-\d\d-\d\d \d\d:\d\d</td>", html)) == 2  # and now used


def test_a_token_needs_a_name_and_a_failed_form_keeps_nothing(app, client):
    login(client, "dispatcher")
    response = create(client, "")
    assert response.status_code == 422 and 'id="new-token"' not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None


def test_creating_without_the_csrf_token_is_refused(app, client):
    login(client, "dispatcher")
    assert client.post("/settings/tokens", data={"name": "x"}).status_code == 400


def test_a_token_is_revoked_from_the_page(app, client):
    login(client, "dispatcher")
    token = shown_token(create(client, "dispatch robot").get_data(as_text=True))
    page = client.get("/settings/tokens").get_data(as_text=True)
    response = client.post("/settings/tokens/revoke", data={"csrf_token": hidden_value(page, "csrf_token"),
                                                           "token_id": hidden_value(page, "token_id")},
                           follow_redirects=True)
    assert response.status_code == 200 and 'name="token_id"' not in response.get_data(as_text=True)
    assert Api(app.test_client(), token).get("/cases").status_code == 401


def test_nobody_revokes_another_persons_token_from_the_page(app, client):
    other = Api.as_user(app, "supervisor")
    token_id = other.get("/tokens").get_json()["items"][0]["id"]
    login(client, "dispatcher")
    page = client.get("/settings/tokens").get_data(as_text=True)
    client.post("/settings/tokens/revoke", data={"csrf_token": hidden_value(page, "csrf_token"),
                                                 "token_id": str(token_id)})
    assert other.get("/tokens").status_code == 200
