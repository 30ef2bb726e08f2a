"""Trying the catalogue on a sample case, and finding the rules whose cases are sent back most."""
from __future__ import annotations

import re

from tests.helpers import case_number_from, complaint, file_complaint, logout
from tests.integration import test_admin_catalogue_support as support
from tests.integration.test_admin_catalogue_support import (
    add_decisions,
    add_rules,
    sign_in,
)

catalogue_kept, empty_catalogue = support.catalogue_kept, support.empty_catalogue  # fixtures

SAMPLE = {"track": "hotline", "kind": "complaint", "category": "city.noise-construction", "area": "dh",
          "urgency": "general", "text": "工地夜里还在施工"}


def test_the_test_form_shows_the_matching_rule_why_and_the_rules_that_could_not_resolve(app, client,
                                                                                      empty_catalogue):
    skipped, matched = add_rules(
        app,
        {"name": "街道兜底", "categories": ("city",), "lead": "street_office", "mode": "auto"},
        {"name": "施工噪声", "categories": ("city.noise-construction",), "areas": ("dh",), "lead": "district:cgj",
         "co": ("street_office", "dept:cgw"), "mode": "auto"})
    sign_in(client, "dispatcher", "en")
    page = client.get("/admin/catalogue/test", query_string=SAMPLE).get_data(as_text=True)
    verdict = re.search(r'<p class="verdict">(.*?)</p>', page, re.S).group(1)
    assert "Rule 2 “施工噪声”" in verdict and "Urban management › Construction noise" in verdict
    assert "Donghu District Urban Management and Law Enforcement Bureau" in verdict
    assert "dispatched at once" in verdict
    assert "Municipal Commission of Urban Management" in page  # the co-handler that resolved
    skipped_part = page.split("could not name a department", 1)[1]
    assert "街道兜底" in skipped_part and "The street office of the case&#39;s street" in skipped_part
    # the same case in a street: the first rule now resolves and wins
    page = client.get("/admin/catalogue/test", query_string=SAMPLE | {"area": "dh-xhj"}).get_data(as_text=True)
    assert "Rule 1 “街道兜底”" in page and "Xihu Subdistrict Office" in page
    assert "could not name a department" not in page


def test_the_test_form_says_when_no_rule_matches_and_matches_keywords(app, client, empty_catalogue):
    add_rules(app, {"name": "燃气", "keywords": ("燃气", "煤气味"), "lead": "dept:rqjt", "mode": "auto"})
    sign_in(client, "admin", "en")
    page = client.get("/admin/catalogue/test", query_string=SAMPLE | {"category": "labour.wage-arrears"})
    assert "No rule matched: this case would wait in the dispatch queue" in page.get_data(as_text=True)
    page = client.get("/admin/catalogue/test", query_string=SAMPLE | {"text": "楼道里一股煤气味"}).get_data(
        as_text=True)
    assert "“煤气味” in the description" in page and "Jiangchuan Gas Group" in page
    blank = client.get("/admin/catalogue/test").get_data(as_text=True)
    assert "Route this case" in blank and "verdict" not in blank


def test_the_rules_sent_back_most_come_first(app, client, empty_catalogue):
    number = case_number_from(file_complaint(client, complaint(app)))  # routed by no rule: the catalogue is empty
    a, b, c = add_rules(app, {"name": "甲规则", "lead": "dept:cgw"}, {"name": "乙规则", "lead": "dept:zjw"},
                        {"name": "丙规则", "lead": "dept:jtw"})
    add_decisions(app, number, a, routed=4, returned=1)
    add_decisions(app, number, b, routed=2, returned=2)
    add_decisions(app, number, c, routed=10, returned=0)
    add_decisions(app, number, 9999, routed=5, returned=2)  # a rule deleted since
    sign_in(client, "supervisor", "en")
    page = client.get("/admin/catalogue/returns").get_data(as_text=True)
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    assert len(rows) == 3
    assert "乙规则" in rows[0] and ">2<" in rows[0] and "100%" in rows[0]
    assert "deleted rule (id 9999)" in rows[1] and "40%" in rows[1]
    assert "甲规则" in rows[2] and ">4<" in rows[2] and ">1<" in rows[2] and "25%" in rows[2]
    assert f'href="/admin/catalogue/rules/{b}"' in rows[0] and f'href="/admin/catalogue/rules/{a}"' in rows[2]
    assert "丙规则" not in page  # never sent back
    logout(client)
    sign_in(client, "dispatcher", "en")
    page = client.get("/admin/catalogue/returns").get_data(as_text=True)
    assert "乙规则" in page and "/admin/catalogue/rules/" not in page  # a dispatcher cannot edit rules


def test_no_returns_yet(app, client, empty_catalogue):
    sign_in(client, "admin", "en")
    assert "No case routed by a rule has been returned yet." in client.get("/admin/catalogue/returns").get_data(
        as_text=True)
