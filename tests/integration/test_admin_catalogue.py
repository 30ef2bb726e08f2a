"""The dispatch catalogue pages: who may see and change them, and what the list shows."""
from __future__ import annotations

import pytest

from tests.helpers import login
from tests.integration import test_admin_catalogue_support as support
from tests.integration.test_admin_catalogue_support import (
    add_rules,
    csrf,
    latest_version,
    sign_in,
    speak,
)

catalogue_kept, empty_catalogue = support.catalogue_kept, support.empty_catalogue  # fixtures

READ = ["/admin/", "/admin/catalogue", "/admin/catalogue/test", "/admin/catalogue/export.csv",
        "/admin/catalogue/import", "/admin/catalogue/returns", "/admin/catalogue/versions"]
EDIT_PAGES = ["/admin/catalogue/new", "/admin/catalogue/rules/{id}", "/admin/catalogue/rules/{id}/delete"]
EDIT_POSTS = ["/admin/catalogue/new", "/admin/catalogue/rules/{id}", "/admin/catalogue/rules/{id}/move",
              "/admin/catalogue/rules/{id}/active", "/admin/catalogue/rules/{id}/delete", "/admin/catalogue/import"]


@pytest.fixture
def one_rule(app, empty_catalogue):
    return add_rules(app, {"name": "施工噪声", "categories": ("city.noise-construction",), "lead": "district:cgj"})[0]


@pytest.mark.parametrize("username", ["operator", "dh-cgj-staff", "cgw-staff"])
def test_everyone_outside_the_catalogue_roles_is_refused(app, client, one_rule, username):
    login(client, username)
    for url in READ + EDIT_PAGES:
        assert client.get(url.format(id=one_rule)).status_code == 403, url
    token = csrf(client, "/")
    for url in EDIT_POSTS:
        assert client.post(url.format(id=one_rule), data={"csrf_token": token}).status_code == 403, url


def test_a_dispatcher_reads_the_catalogue_but_cannot_change_it(app, client, one_rule):
    login(client, "dispatcher")
    for url in READ:
        assert client.get(url.format(id=one_rule), follow_redirects=True).status_code == 200, url
    page = client.get("/admin/catalogue").get_data(as_text=True)
    assert "施工噪声" in page and "/admin/catalogue/new" not in page and f"/rules/{one_rule}/move" not in page
    for url in EDIT_PAGES:
        assert client.get(url.format(id=one_rule)).status_code == 403, url
    token = csrf(client)
    for url in EDIT_POSTS:
        assert client.post(url.format(id=one_rule), data={"csrf_token": token, "direction": "up"}).status_code == 403
    assert latest_version(app)[2] == "test: add 施工噪声"


@pytest.mark.parametrize("username", ["admin", "supervisor"])
def test_admins_and_supervisors_may_change_it_and_find_it_in_the_menu(app, client, one_rule, username):
    login(client, username)
    home = client.get("/cases/").get_data(as_text=True)
    assert 'href="/admin/catalogue"' in home
    for url in READ + EDIT_PAGES:
        assert client.get(url.format(id=one_rule), follow_redirects=True).status_code == 200, url
    page = client.get("/admin/catalogue").get_data(as_text=True)
    assert f"/admin/catalogue/rules/{one_rule}" in page and "/admin/catalogue/new" in page


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get("/admin/catalogue")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_menu_has_no_catalogue_link_for_operators(client):
    login(client, "operator")
    assert 'href="/admin/catalogue"' not in client.get("/cases/").get_data(as_text=True)


def test_the_list_shows_conditions_and_targets_in_names(app, client, empty_catalogue):
    add_rules(app,
              {"name": "施工噪声", "track": "hotline", "kinds": ("complaint", "report"),
               "categories": ("city.noise-construction",), "areas": ("dh", "xs-cpj"), "urgencies": ("urgent",),
               "keywords": ("夜间施工",), "lead": "district:cgj", "co": ("street_office", "dept:cgw"), "mode": "auto"},
              {"name": "城市管理兜底", "categories": ("city",), "lead": "district_gov", "active": False})
    sign_in(client, "admin", "en")
    page = client.get("/admin/catalogue").get_data(as_text=True)
    for text in ("Urban management › Construction noise", "Donghu District (whole district)",
                 "Xishan District Cuiping Subdistrict", "Complaint", "Report of wrongdoing", "Urgent", "“夜间施工”",
                 "Urban Management and Law Enforcement Bureau of the case&#39;s district",
                 "The street office of the case&#39;s street", "Municipal Commission of Urban Management",
                 "Urban management (all sub-categories)", "The government of the case&#39;s district",
                 "Dispatch at once", "Suggest to the dispatcher", "Disabled"):
        assert text in page, text
    speak(client, "zh")
    page = client.get("/admin/catalogue").get_data(as_text=True)
    assert "城市管理 › 建筑施工噪声" in page and "城管执法局" in page and "市城管委" in page


def _listed(client, **params) -> list[str]:
    import re
    page = client.get("/admin/catalogue", query_string=params).get_data(as_text=True)
    return re.findall(r'<td data-label="[^"]*" class="rule-name">\s*<a href="[^"]*">([^<]*)</a>', page)


def test_search_and_filters(app, client, empty_catalogue):
    add_rules(app,
              {"name": "施工噪声", "categories": ("city.noise-construction",), "areas": ("dh",), "lead": "district:cgj",
               "mode": "auto"},
              {"name": "燃气泄漏", "keywords": ("燃气", "煤气味"), "lead": "dept:rqjt", "mode": "auto"},
              {"name": "西山占道", "categories": ("city.street-vending",), "areas": ("xs-cpj",),
               "lead": "street_office"},
              {"name": "停用的", "lead": "dept:zjw", "active": False})
    sign_in(client, "admin", "zh")
    assert _listed(client) == ["施工噪声", "燃气泄漏", "西山占道", "停用的"]
    assert _listed(client, q="噪声") == ["施工噪声"]            # the rule's name, and the category's
    assert _listed(client, q="建筑施工") == ["施工噪声"]          # a category by name
    assert _listed(client, q="东湖区") == ["施工噪声"]            # an area by name
    assert _listed(client, q="翠屏") == ["西山占道"]              # a street by name
    assert _listed(client, q="燃气集团") == ["燃气泄漏"]          # a department by name
    assert _listed(client, q="zjw") == ["停用的"]                 # ... or by code
    assert _listed(client, q="煤气") == ["燃气泄漏"]              # a keyword
    assert _listed(client, q="street_office") == ["西山占道"]     # a place holder
    assert _listed(client, status="disabled") == ["停用的"]
    assert _listed(client, status="active", mode="suggest") == ["西山占道"]
    assert _listed(client, mode="auto") == ["施工噪声", "燃气泄漏"]
    assert _listed(client, q="nothing-like-this") == []
    speak(client, "en")
    assert "No rule matches" in client.get("/admin/catalogue?q=nothing-like-this").get_data(as_text=True)


def test_two_thousand_rules_are_listed_a_page_at_a_time(app, client, empty_catalogue):
    from hotline.extensions import db
    from hotline.models import RoutingRule
    from hotline.services import routing

    with app.app_context():
        db.session.add_all(RoutingRule(position=n, name=f"规则{n:04d}", lead="district_gov", keywords=[f"词{n}"])
                           for n in range(1, 2001))
        routing.save_version(db.session, None, "test: 2000 rules")
        db.session.commit()
    sign_in(client, "admin", "en")
    first = client.get("/admin/catalogue").get_data(as_text=True)
    assert "规则0001" in first and "规则0050" in first and "规则0051" not in first and "Page 1 of 40" in first
    last = client.get("/admin/catalogue?page=40").get_data(as_text=True)
    assert "规则2000" in last and "规则1950" not in last
    assert _listed(client, q="词1999") == ["规则1999"]


def test_the_list_shows_the_version_and_its_recent_history(app, client, empty_catalogue):
    add_rules(app, {"name": "甲", "lead": "district_gov"}, username="supervisor")
    version = latest_version(app)[0]
    sign_in(client, "admin", "en")
    page = client.get("/admin/catalogue").get_data(as_text=True)
    assert f"version {version} · rules: 1" in page
    assert "test: add 甲" in page and "孙浩（值班长）" in page
    history = client.get("/admin/catalogue/versions").get_data(as_text=True)
    assert f"v{version}" in history and "test: add 甲" in history and "test: empty catalogue" in history
