"""The assessment formula a supervisor sets: each save a new version, audited, in force at once; a wrong field
said next to it with everything typed kept and nothing saved; a save over someone else's newer version refused."""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from hotline.extensions import db
from hotline.models import AccessLog, AssessmentPolicy
from tests.helpers import hidden_value
from tests.integration.lifecycle_helpers import step
from tests.integration.test_assessment_support import M, cell_numbers, rated, signed
from tests.integration.test_screens_support import html_of, signed_in

URL = "/supervise/assessment/formula"


def form_of(client) -> dict:
    """The form's fields as the page fills them, as a browser would send them."""
    html = html_of(client.get(URL))
    fields = {}
    for tag in re.findall(r"<input [^>]*>", html[html.index('class="formula-form"'):]):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        if attrs.get("type") == "checkbox":
            if " checked" in tag:
                fields[attrs["name"]] = attrs.get("value", "y")
        elif "name" in attrs:
            fields[attrs["name"]] = unescape(attrs.get("value", ""))
    return fields


def versions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AssessmentPolicy))


def test_the_form_shows_the_formula_in_force_and_saves_a_new_version(app):
    client = signed_in(app, "supervisor")
    fields = form_of(client)
    assert fields["weight_resolution"] == "25" and fields["basically_weight"] == "1" and fields["min_cases"] == "10"
    assert fields["exclude_terminated"] == "y" and fields["based_on"] == "0"
    fields.update(weight_satisfaction="40", basically_weight="0.8", min_cases="3", note="按市考核办2026年第3号通知调整")
    response = client.post(URL, data=fields)
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalars(select(AssessmentPolicy)).one()
        assert row.settings["weights"]["satisfaction"] == 40 and row.settings["basically_weight"] == 0.8
        assert row.settings["min_cases"] == 3 and row.note == "按市考核办2026年第3号通知调整"
        log = db.session.scalars(select(AccessLog).where(AccessLog.action == "assessment_policy_saved")).one()
        assert log.user_id == row.created_by_id and f"v{row.id}" in log.detail and "satisfaction=40" in log.detail
    again = form_of(client)
    assert again["weight_satisfaction"] == "40" and again["based_on"] == str(row.id)
    page = html_of(client.get(URL))
    assert f'data-version="{row.id}"' in page and "按市考核办2026年第3号通知调整" in page
    # the figures use it at once: 0.8 × basically in the satisfaction rate
    assert "0.8 × " in html_of(client.get(f"/supervise/assessment?month={M}"))


@pytest.mark.parametrize("changes, field", [
    ({"weight_response": "-1"}, "weight_response"),
    ({"weight_response": "abc"}, "weight_response"),
    ({"weight_response": "101"}, "weight_response"),
    ({"basically_weight": "1.5"}, "basically_weight"),
    ({"min_cases": "2.5"}, "min_cases"),
    ({"list_size": "0"}, "list_size"),
    ({"note": ""}, "note"),
    ({"note": "理" * 501}, "note"),
])
def test_a_wrong_field_is_said_next_to_it_and_nothing_is_saved(app, changes, field):
    client = signed_in(app, "supervisor")
    fields = {**form_of(client), "note": "调整", **changes}
    response = client.post(URL, data=fields)
    assert response.status_code == 422
    html = html_of(response)
    assert re.search(rf'<p class="error" id="{field}-msg" role="alert">', html), field
    for name, value in changes.items():
        if name != "note" and value:
            assert f'value="{value}"' in html  # as typed
    assert versions(app) == 0


def test_all_weights_zero_is_refused_at_the_weights(app):
    client = signed_in(app, "supervisor")
    fields = {**form_of(client), "note": "全部清零"}
    fields.update({k: "0" for k in fields if k.startswith("weight_")})
    response = client.post(URL, data=fields)
    assert response.status_code == 422 and 'id="weights-msg"' in html_of(response) and versions(app) == 0


def test_the_formula_in_force_is_not_saved_again(app):
    client = signed_in(app, "supervisor")
    response = client.post(URL, data={**form_of(client), "note": "没有改动"})
    assert response.status_code == 422 and versions(app) == 0


def test_a_save_over_a_newer_version_is_refused_and_keeps_what_was_typed(app):
    first, second = signed_in(app, "supervisor"), signed_in(app, "supervisor")
    mine, theirs = form_of(first), form_of(second)
    assert second.post(URL, data={**theirs, "weight_response": "30", "note": "他们先改"}).status_code == 302
    response = first.post(URL, data={**mine, "weight_resolution": "35", "note": "我后改"})
    assert response.status_code == 409 and versions(app) == 1
    html = html_of(response)
    assert 'value="35"' in html and "我后改" in html
    # the form now names the version in force: sent again, it is saved over it knowingly
    again = {**mine, "weight_resolution": "35", "note": "我后改", "based_on": hidden_value(html, "based_on")}
    assert first.post(URL, data=again).status_code == 302 and versions(app) == 2


def test_a_form_without_its_token_saves_nothing(app):
    client = signed_in(app, "supervisor")
    fields = {**form_of(client), "note": "没有令牌", "weight_response": "30"}
    fields.pop("csrf_token")
    assert client.post(URL, data=fields).status_code == 400 and versions(app) == 0


def test_leaving_terminated_cases_in_changes_the_counts(app):
    rated(app, "dh-cgj", 2)
    number = signed(app, "dh-cgj", 3)
    step(app, number, "supervisor", "terminate", at=None, note="诉求人不配合，依法终止")
    client = signed_in(app, "supervisor")
    assert cell_numbers(html_of(client.get(f"/supervise/assessment?month={M}")), "dh-cgj")["received"] == 1
    fields = {**form_of(client), "note": "终止件也计入"}
    fields.pop("exclude_terminated", None)
    assert client.post(URL, data=fields).status_code == 302
    assert cell_numbers(html_of(client.get(f"/supervise/assessment?month={M}")), "dh-cgj")["received"] == 2
