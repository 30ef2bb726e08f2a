"""The citizen's form: subject suggestions as a session-cookie JSON endpoint, for static/js/suggest.js."""
from __future__ import annotations

import re

from tests.helpers import complaint, file_complaint

FUMES = "楼下烧烤店的油烟太大了，每天晚上熏得窗户都不敢开"


def test_the_form_offers_a_hidden_suggestion_box_and_its_script(client):
    html = client.get("/file").get_data(as_text=True)
    assert re.search(r'<div class="suggestions" id="subject-suggestions" hidden', html)
    assert 'data-url="/file/suggest"' in html and 'src="/static/js/suggest.js"' in html
    assert "<script>" not in html  # the Content-Security-Policy allows no inline script
    with client.get("/static/js/suggest.js") as script:
        assert script.status_code == 200


def test_suggestions_need_no_sign_in_and_name_options_of_the_form(client):
    response = client.get("/file/suggest", query_string={"text": FUMES})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    suggestions = response.get_json()["suggestions"]
    assert suggestions[0]["code"] == "environment.cooking-fumes" and suggestions[0]["name"] == "餐饮油烟"
    assert suggestions[0]["parent"] == "环境保护" and 1 <= len(suggestions) <= 3
    options = set(re.findall(r'<option value="(\d+)"', client.get("/file").get_data(as_text=True)))
    assert {str(s["id"]) for s in suggestions} <= options  # the script selects them by value


def test_suggestions_speak_the_readers_language(client):
    client.get("/language/en")
    suggestions = client.get("/file/suggest", query_string={"text": FUMES}).get_json()["suggestions"]
    assert suggestions[0]["name"] == "Restaurant cooking fumes"
    assert suggestions[0]["parent"] == "Environmental protection"


def test_nonsense_gets_no_suggestion_rather_than_a_guess(client):
    for text in ("", "好", "qwertyuiop asdf", "测试测试", "1234567"):
        assert client.get("/file/suggest", query_string={"text": text}).get_json()["suggestions"] == []


def test_suggestions_are_rate_limited_like_a_public_endpoint(client):
    codes = [client.get("/file/suggest", query_string={"text": ""}).status_code for _ in range(61)]
    assert codes[:60] == [200] * 60 and codes[60] == 429


def test_the_form_still_files_without_the_script(app, client):
    response = file_complaint(client, complaint(app))
    assert response.status_code == 302 and "/filed/" in response.headers["Location"]
