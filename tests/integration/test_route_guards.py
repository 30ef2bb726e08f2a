"""Every route says who may use it: anything not on the public list sends a stranger to sign in."""
from __future__ import annotations

import re

PUBLIC = {"static", "public.index", "public.file_complaint", "public.filed", "public.language",
          "public.suggest_subjects", "auth.login", "system.healthz"}
PUBLIC |= {"public.track", "public.track_sign_in", "public.track_open", "public.track_code", "public.track_resend", "public.track_cases", "public.track_sign_out", "public.track_case", "public.track_rate", "public.track_reopen"}  # noqa: E501
PUBLIC |= {f"opengov.{e}" for e in ("index", "table", "detail", "table_csv", "city_csv", "detail_csv", "rankings_csv", "questions", "question")}  # noqa: E501
PUBLIC |= {"public.file_verify", "public.file_resend", "public.file_photo"}  # filing: the code page, its photos
# a petition document opened from the link in the petitioner's SMS (its token), or from the tracking page
PUBLIC |= {"documents.public", "documents.tracked", "documents.tracked_pdf"}
PUBLIC |= {f"petitions.{e}" for e in ("file_online", "file_online_verify", "file_online_resend", "file_online_filed")}  # noqa: E501  网上信访


def sample_path(rule) -> str:
    path = re.sub(r"<int:[^>]+>", "1", rule.rule)
    return re.sub(r"<[^>]+>", "12345-20260101-000001", path)


def test_every_non_public_route_requires_sign_in(app, client):
    # the API answers 401 JSON instead of a sign-in page; tests/integration/test_api_routes.py covers it
    # the API answers 401 and Twilio's webhooks 403 (signed, never signed in): their own tests check them
    # Open311 is public by its standard (a POST needs an API key: tests/integration/test_open311_*.py), and so is
    # the API's documentation
    guarded = [r for r in app.url_map.iter_rules()
               if r.endpoint not in PUBLIC and not r.endpoint.startswith(("api.", "twilio.", "open311.", "apidocs."))]
    assert guarded, "no guarded routes found"
    for rule in guarded:
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(sample_path(rule), method=method)
        if method == "POST" and response.status_code == 400:
            continue  # refused before anything else: no CSRF token
        assert response.status_code == 302 and "/login" in response.headers["Location"], rule.rule


def test_the_public_list_names_only_routes_that_exist(app):
    assert {r.endpoint for r in app.url_map.iter_rules()} >= PUBLIC
