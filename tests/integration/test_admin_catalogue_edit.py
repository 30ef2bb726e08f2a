"""Creating and changing rules on the admin pages: what is refused (422, nothing written), what is kept
(positions 1..n), and that every change is a new catalogue version with a full copy of the rules."""
from __future__ import annotations

import pytest

from tests.integration import test_admin_catalogue_support as support
from tests.integration.test_admin_catalogue_support import (
    add_rules,
    csrf,
    current_snapshot,
    form_data,
    latest_version,
    rules,
    set_department_active,
    sign_in,
)

catalogue_kept, empty_catalogue = support.catalogue_kept, support.empty_catalogue  # fixtures


def test_an_admin_creates_a_rule_and_a_version_records_it(app, client, empty_catalogue):
    before = latest_version(app)[0]
    sign_in(client, "admin")
    data = form_data(client, keywords="夜间施工，打桩\n噪音", urgencies=["urgent", "general"])
    response = client.post("/admin/catalogue/new", data=data)
    assert response.status_code == 302
    [(position, rule_id, name, active)] = rules(app)
    assert (position, name, active) == (1, "施工噪声 → 区城管", True)
    version, who, note, snapshot = latest_version(app)
    assert version == before + 1 and who == "admin" and "施工噪声 → 区城管" in note
    assert snapshot == current_snapshot(app)
    assert snapshot[0] | {"id": 0} == {
        "id": 0, "position": 1, "name": "施工噪声 → 区城管", "active": True, "track": "hotline", "kinds": ["complaint"],
        "categories": ["city.noise-construction"], "areas": ["dh"], "urgencies": ["urgent", "general"],
        "keywords": ["夜间施工", "打桩", "噪音"], "lead": "district:cgj", "co": ["street_office"], "mode": "auto",
        "note": ""}
    assert "施工噪声 → 区城管" in client.get(response.headers["Location"]).get_data(as_text=True)


REFUSED = [
    ({"lead": ""}, "lead", "This is required."),
    ({"lead": "dept:no-such"}, "lead", "There is no department “no-such”."),
    ({"lead": "somewhere"}, "lead", "“somewhere” is not a target"),
    ({"lead": "district:nothing"}, "lead", "There is no department “district:nothing”."),
    ({"co": ["district:cgj"]}, "co", "The lead department cannot also be a co-handler."),
    ({"co": ["dept:no-such"]}, "co", "There is no department “no-such”."),
    ({"categories": ["city.no-such"]}, "categories", "Unknown category code “city.no-such”."),
    ({"areas": ["zz-top"]}, "areas", "Unknown area code “zz-top”."),
    ({"kinds": ["gossip"]}, "kinds", "Unknown kind of case “gossip”."),
    ({"track": "petition"}, "kinds", "“complaint” is not a kind of case on the chosen track."),
    ({"track": "mail"}, "track", "Unknown track “mail”"),
    ({"urgencies": ["someday"]}, "urgencies", "Unknown urgency “someday”."),
    ({"keywords": "噪音, 施工，噪音"}, "keywords", "The keyword “噪音” is listed twice."),
    ({"keywords": "x" * 41}, "keywords", "is too long (at most 40 characters)"),
    ({"mode": "sometimes"}, "mode", "Unknown mode “sometimes”"),
    ({"mode": ""}, "mode", "This is required."),
    ({"position": "first"}, "position", "The position must be a whole number from 1 up, not “first”."),
    ({"position": "0"}, "position", "The position must be a whole number from 1 up, not “0”."),
    ({"name": "名" * 121}, "name", "At most 120 characters."),
    ({"name": "<script>alert(1)</script>"}, "name", "Please remove the HTML tags"),
    ({"note": "<b>bold</b>"}, "note", "Please remove the HTML tags"),
]


@pytest.mark.parametrize(("overrides", "field", "says"), REFUSED)
def test_a_bad_rule_is_refused_next_to_its_field_and_nothing_is_written(app, client, empty_catalogue, overrides,
                                                                        field, says):
    before = latest_version(app)[0]
    sign_in(client, "admin")
    data = form_data(client, **{"name": "夜间施工规则", "keywords": "工地"} | overrides)
    response = client.post("/admin/catalogue/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert says in page
    block = page.split(f'id="{field}-msg"', 1)
    assert len(block) == 2 and says in block[1].split("</p>", 1)[0], f"the message is not next to {field}"
    assert rules(app) == [] and latest_version(app)[0] == before
    if "name" not in overrides:
        assert 'value="夜间施工规则"' in page  # what was typed is kept
    if "categories" not in overrides:
        assert 'value="city.noise-construction" checked' in page


def test_a_rule_sent_to_a_department_that_no_longer_takes_cases_is_refused(app, client, empty_catalogue):
    sign_in(client, "admin")
    set_department_active(app, "dh-cgj", False)
    try:
        response = client.post("/admin/catalogue/new", data=form_data(client, lead="dept:dh-cgj", co=[]))
        assert response.status_code == 422
        assert "no longer takes cases: choose another department" in response.get_data(as_text=True)
        assert rules(app) == []
        # a place holder that only that department could fill is refused too ("district:cgj" still exists
        # in the other districts, so it stays allowed)
        response = client.post("/admin/catalogue/new", data=form_data(client, co=["dept:dh-cgj"]))
        assert response.status_code == 422 and rules(app) == []
    finally:
        set_department_active(app, "dh-cgj", True)


def test_a_disabled_rule_whose_department_stopped_taking_cases_cannot_be_enabled(app, client, empty_catalogue):
    [rule_id] = add_rules(app, {"name": "东湖城管", "lead": "dept:dh-cgj", "active": False})
    before = latest_version(app)[0]
    sign_in(client, "admin")
    set_department_active(app, "dh-cgj", False)
    try:
        response = client.post(f"/admin/catalogue/rules/{rule_id}/active",
                               data={"csrf_token": csrf(client), "active": "on"}, follow_redirects=True)
        page = response.get_data(as_text=True)
        assert "cannot be enabled" in page and rules(app)[0][3] is False and latest_version(app)[0] == before
    finally:
        set_department_active(app, "dh-cgj", True)


def test_editing_keeps_what_was_typed_and_versions_the_change(app, client, empty_catalogue):
    a, b, c = add_rules(app, *({"name": n, "lead": "district_gov"} for n in "甲乙丙"))
    sign_in(client, "supervisor")
    url = f"/admin/catalogue/rules/{c}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="丙"' in page and 'value="3"' in page
    response = client.post(url, data=form_data(client, url, name="丙（改）", position="1", lead="dept:cgw", co=[]))
    assert response.status_code == 302
    assert rules(app) == [(1, c, "丙（改）", True), (2, a, "甲", True), (3, b, "乙", True)]
    version, who, note, snapshot = latest_version(app)
    assert who == "supervisor" and "丙（改）" in note and snapshot == current_snapshot(app)
    assert snapshot[0]["lead"] == "dept:cgw"


def test_an_edit_over_someone_elses_change_is_refused(app, client, empty_catalogue):
    [rule_id] = add_rules(app, {"name": "甲", "lead": "district_gov"})
    sign_in(client, "admin")
    url = f"/admin/catalogue/rules/{rule_id}"
    stale = form_data(client, url, name="我的改动")
    add_time = form_data(client, url, name="别人的改动")
    assert client.post(url, data=add_time).status_code == 302
    response = client.post(url, data=stale)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "changed this rule while you were editing it" in page and 'value="我的改动"' in page
    assert rules(app)[0][2] == "别人的改动"


def _move(client, rule_id, **data):
    return client.post(f"/admin/catalogue/rules/{rule_id}/move", data={"csrf_token": csrf(client), **data})


def test_moving_rules_keeps_positions_dense_and_each_move_is_a_version(app, client, empty_catalogue):
    a, b, c, d = add_rules(app, *({"name": n, "lead": "district_gov"} for n in "甲乙丙丁"))
    sign_in(client, "admin")
    before = latest_version(app)[0]
    assert _move(client, c, direction="up").status_code == 302
    assert [r[1] for r in rules(app)] == [a, c, b, d]
    _move(client, a, direction="down")
    assert [r[1] for r in rules(app)] == [c, a, b, d]
    _move(client, c, direction="up")  # already first: nothing changes, no version
    _move(client, d, direction="down")
    assert [r[1] for r in rules(app)] == [c, a, b, d] and latest_version(app)[0] == before + 2
    _move(client, d, position="1")
    assert [r[1] for r in rules(app)] == [d, c, a, b]
    _move(client, d, position="99")  # past the end: last
    assert rules(app) == [(1, c, "丙", True), (2, a, "甲", True), (3, b, "乙", True), (4, d, "丁", True)]
    version, who, note, snapshot = latest_version(app)
    assert version == before + 4 and who == "admin" and "丁" in note and snapshot == current_snapshot(app)
    page = _move(client, d, position="zero")
    assert page.status_code == 302 and [r[1] for r in rules(app)] == [c, a, b, d]


def test_disable_enable_and_delete_keep_positions_dense_and_version_each_change(app, client, empty_catalogue):
    from hotline.extensions import db
    from hotline.services import routing

    a, b, c = add_rules(app, {"name": "甲", "lead": "district_gov", "categories": ("city",)},
                        {"name": "乙", "lead": "dept:cgw"}, {"name": "丙", "lead": "dept:zjw"})
    sign_in(client, "admin")
    before = latest_version(app)[0]
    client.post(f"/admin/catalogue/rules/{a}/active", data={"csrf_token": csrf(client), "active": "off"})
    assert rules(app)[0] == (1, a, "甲", False)
    version, _who, note, snapshot = latest_version(app)
    assert version == before + 1 and "甲" in note and snapshot[0]["active"] is False
    with app.app_context():
        assert [r.id for r in routing.catalogue(db.session).rules] == [b, c]  # a disabled rule routes nothing
    client.post(f"/admin/catalogue/rules/{a}/active", data={"csrf_token": csrf(client), "active": "on"})
    assert rules(app)[0][3] is True and latest_version(app)[0] == before + 2

    confirm = client.get(f"/admin/catalogue/rules/{b}/delete")
    assert confirm.status_code == 200 and "Delete rule 2?" in confirm.get_data(as_text=True)
    assert len(rules(app)) == 3  # asking is not deleting
    token = csrf(client, f"/admin/catalogue/rules/{b}/delete")
    response = client.post(f"/admin/catalogue/rules/{b}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    assert rules(app) == [(1, a, "甲", True), (2, c, "丙", True)]
    version, who, note, snapshot = latest_version(app)
    assert version == before + 3 and who == "admin" and "乙" in note and snapshot == current_snapshot(app)
    assert client.get(f"/admin/catalogue/rules/{b}").status_code == 404


def test_a_change_without_the_form_token_is_refused(app, client, empty_catalogue):
    [rule_id] = add_rules(app, {"name": "甲", "lead": "district_gov"})
    sign_in(client, "admin")
    assert client.post(f"/admin/catalogue/rules/{rule_id}/move", data={"direction": "down"}).status_code == 400
    data = form_data(client)
    data.pop("csrf_token")
    assert client.post("/admin/catalogue/new", data=data).status_code == 400
    assert len(rules(app)) == 1
