"""The dispatch catalogue in a browser: an admin keeps it on a desktop, a supervisor looks at it on a phone."""
from __future__ import annotations

from tests.browser.conftest import fits_the_screen, shot, sign_in
from tests.helpers import case_number_from, complaint, file_complaint
from tests.integration import test_admin_catalogue_support as support
from tests.integration.test_admin_catalogue_support import (
    add_decisions,
    add_rules,
    rules,
)

catalogue_kept, empty_catalogue = support.catalogue_kept, support.empty_catalogue  # fixtures

SAMPLE_RULES = [
    {"name": "燃气泄漏（紧急）", "keywords": ("燃气", "煤气味", "漏气"), "urgencies": ("urgent",), "lead": "dept:rqjt",
     "co": ("street_office",), "mode": "auto", "note": "燃气集团 24 小时抢修"},
    {"name": "停电", "categories": ("utilities.power-outage",), "lead": "dept:gdgs", "mode": "auto"},
    {"name": "施工噪声 → 区城管", "track": "hotline", "kinds": ("complaint", "report"),
     "categories": ("city.noise-construction",), "lead": "district:cgj", "co": ("street_office",), "mode": "auto"},
    {"name": "占道经营", "categories": ("city.street-vending",), "lead": "street_office", "co": ("district:cgj",)},
    {"name": "物业服务", "categories": ("housing.property-service",), "lead": "district:zjj", "co": ("street_office",)},
    {"name": "拖欠工资", "categories": ("labour.wage-arrears",), "lead": "dept:rsj", "mode": "auto"},
    {"name": "东湖区食品安全", "categories": ("market.food-safety",), "areas": ("dh",), "lead": "dept:dh-scjgj"},
    {"name": "城市管理兜底", "categories": ("city",), "lead": "district_gov", "active": False},
]
BAD_CSV = "\n".join([
    "position,name,active,track,kinds,categories,areas,urgencies,keywords,lead,co,mode,note",
    "1,停电,yes,,,utilities.power-outage,,,,gdgs,,auto,",
    "2,坏行,yes,,,utilities.no-such,,,,nobody,,whenever,",
    "3,停水,maybe,,,utilities.water-outage,,,,zlsjt,,auto,",
]).encode("utf-8")


def test_an_admin_keeps_the_catalogue_on_a_desktop(app, live_server, desktop, empty_catalogue):
    add_rules(app, *SAMPLE_RULES)
    page = desktop
    sign_in(page, live_server, "admin")
    page.click("nav.nav a[href='/admin/catalogue']")
    assert page.locator("table.rules tbody tr").count() == len(SAMPLE_RULES)
    shot(page, "60-catalogue-list-desktop")

    page.click("a.btn.primary[href='/admin/catalogue/new']")
    page.fill("#name", "夜间施工扰民")
    page.fill("#keywords", "夜间施工，夜间施工")
    page.click("form.rule-form button[type=submit]")
    assert page.locator(".field.has-error, fieldset.has-error").count() == 2  # no lead; a keyword twice
    assert page.input_value("#name") == "夜间施工扰民"
    shot(page, "61-rule-errors-desktop")

    page.fill("#keywords", "夜间施工\n打桩")
    page.click("details.group:has(input[value='city']) > summary")
    page.check("input[name=categories][value='city.noise-construction']")
    page.click("details.group:has(input[value='dh']) > summary")
    page.check("input[name=areas][value='dh']")
    page.select_option("#lead", "district:cgj")
    page.fill("#position", "1")
    page.click("form.rule-form button[type=submit]")
    first = page.locator("table.rules tbody tr").first
    assert "夜间施工扰民" in first.inner_text()
    assert page.locator(".flash-success").count() == 1

    page.goto(f"{live_server}/admin/catalogue/test")
    page.select_option("#category", "city.noise-construction")
    page.select_option("#area", "dh-xhj")
    page.fill("#text", "工地每天夜间施工到凌晨")
    page.click("form.trial-form button[type=submit]")
    assert "夜间施工扰民" in page.inner_text(".verdict")
    shot(page, "62-catalogue-test-desktop")

    page.goto(f"{live_server}/admin/catalogue/import")
    page.set_input_files("#file", {"name": "目录.csv", "mimeType": "text/csv", "buffer": BAD_CSV})
    page.check("#confirm")
    page.click("main button[type=submit]")
    assert page.locator(".import-errors li").count() == 4  # row 3: category, lead, mode; row 4: active
    assert page.locator("table.rules").count() == 0
    shot(page, "63-catalogue-import-errors-desktop")

    page.goto(f"{live_server}/admin/catalogue/versions")
    shot(page, "64-catalogue-versions-desktop")

    ids = {name: rule_id for _position, rule_id, name, _active in rules(app)}
    number = case_number_from(file_complaint(app.test_client(), complaint(app)))
    for name, routed, returned in (("占道经营", 40, 9), ("物业服务", 25, 2), ("东湖区食品安全", 8, 3), ("停电", 60, 1)):
        add_decisions(app, number, ids[name], routed, returned)
    page.goto(f"{live_server}/admin/catalogue/returns")
    assert page.locator("table.returns tbody tr").count() == 4
    assert "东湖区食品安全" in page.locator("table.returns tbody tr").first.inner_text()  # 3 of 8
    shot(page, "69-catalogue-returns-desktop")


def test_a_supervisor_reads_and_edits_the_catalogue_on_a_phone(app, live_server, phone, empty_catalogue):
    add_rules(app, *SAMPLE_RULES)
    page = phone
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server}/admin/catalogue")
    assert fits_the_screen(page)
    shot(page, "65-catalogue-list-phone")

    page.click("table.rules tbody tr:nth-child(3) td.rule-name a")
    assert page.input_value("#name") == "施工噪声 → 区城管"
    assert fits_the_screen(page)
    shot(page, "66-rule-form-phone")

    page.click("a.btn.danger")  # the rule's delete button asks first
    assert "施工噪声 → 区城管" in page.inner_text("main") and fits_the_screen(page)
    shot(page, "70-rule-delete-phone")
    page.click("main a.btn:not(.danger)")  # keep it
    assert page.locator("table.rules tbody tr").count() == len(SAMPLE_RULES)

    page.goto(f"{live_server}/admin/catalogue/test?track=hotline&kind=complaint&category=utilities.gas-safety"
              "&area=nj-bjj&urgency=urgent&text=楼道里一股煤气味")
    assert "燃气泄漏" in page.inner_text(".verdict")
    assert fits_the_screen(page)
    shot(page, "67-catalogue-test-phone")

    page.goto(f"{live_server}/admin/catalogue/import")
    assert fits_the_screen(page)
    shot(page, "68-catalogue-import-phone")
