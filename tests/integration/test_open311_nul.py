"""A NUL character in any field is refused as bad input (PostgreSQL cannot store one), never a server error."""
from __future__ import annotations

import pytest

from tests.integration.test_open311_support import make_key, post, read


@pytest.mark.parametrize("field", ["description", "address_string", "first_name", "phone", "email", "device_id",
                                   "attribute[kind]", "service_code", "lat"])
def test_a_nul_in_a_posted_field_is_a_400(app, client, field):
    key = make_key(app)
    response = post(client, key, **{field: "abc\x00def"})
    assert response.status_code == 400, response.get_data(as_text=True)
    assert read(response)[0]["code"] in (400, "400")


@pytest.mark.parametrize("query", ["service_request_id=a%00b", "service_code=city%00x", "status=open%00",
                                   "start_date=2026-11-01T00:00:00Z%00"])
def test_a_nul_in_a_query_is_a_400(client, query):
    response = client.get(f"/open311/v2/requests.json?{query}")
    assert response.status_code == 400, response.get_data(as_text=True)


def test_a_nul_in_a_path_is_a_404(client):
    assert client.get("/open311/v2/requests/12345%00.json").status_code == 404
    assert client.get("/open311/v2/tokens/abc%00.json").status_code == 404
    assert client.get("/open311/v2/services/city%00.json").status_code == 404
