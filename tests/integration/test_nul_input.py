"""A NUL character in a page's path, query or form is a clear 400, on PostgreSQL too (which cannot hold one)."""
from __future__ import annotations

import pytest

from tests.helpers import hidden_value, login


@pytest.mark.parametrize("path", ["/cases/?q=a%00b", "/cases/12345-20261128-000001%00", "/open/questions?q=%00",
                                  "/admin/places?q=x%00"])
def test_a_nul_in_a_path_or_query_is_a_400_page(app, client, path):
    login(client, "admin")
    response = client.get(path)
    assert response.status_code == 400
    assert "text/html" in response.content_type


def test_a_nul_in_a_form_is_a_400_and_signs_no_one_in(app, client):
    token = hidden_value(client.get("/login").get_data(as_text=True), "csrf_token")
    response = client.post("/login", data={"csrf_token": token, "username": "admin\x00", "password": "hotline-demo"})
    assert response.status_code == 400  # not the form again with "wrong password", nor a server error
    assert client.get("/cases/").status_code == 302  # still signed out
