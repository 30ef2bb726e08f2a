"""An officer registers a group petition at the petition office's desk — seven people came, two speak for them —
on a desk screen and on a phone: rows added in the page, the units accused shown only for an accusation, the
representatives ticked, and the registration lands on the petition's page. Screenshots in screenshots/."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import fits_the_screen, shot, sign_in

PEOPLE = [("张建华", "13900001001"), ("王秀英", "13900001002"), ("李强", "13900001003"), ("刘洋", "13900001004"),
          ("陈静", "13900001005")]
REPRESENTATIVES = (1, 3)


def _register_a_group(page, base: str, name: str) -> str:
    sign_in(page, base, "operator")
    page.goto(f"{base}/petitions/register")
    expect(page.locator("[data-row]")).to_have_count(3)
    expect(page.locator("#accused")).to_be_hidden()  # only for an accusation
    page.locator("label.kind-option", has=page.locator("input[value=accusation]")).click()
    expect(page.locator("#accused")).to_be_visible()
    page.locator("label.kind-option", has=page.locator("input[value=grievance]")).click()
    expect(page.locator("#accused")).to_be_hidden()
    page.locator("label.chip", has=page.locator("input[name=channel][value=visit]")).click()
    page.check("#oral")

    for _ in range(3):
        page.click("[data-add]")  # in the page, no round trip
    expect(page.locator("[data-row]")).to_have_count(6)
    page.locator("[data-row]").nth(2).locator("[data-remove]").click()  # one too many: the third goes
    expect(page.locator("[data-row]")).to_have_count(5)
    expect(page.locator("[data-row] .row-number").nth(2)).to_contain_text("3")  # numbered again
    rows = page.locator("[data-row]")
    for n, (who, phone) in enumerate(PEOPLE):
        row = rows.nth(n)
        row.locator("input[name$='-name']").fill(who)
        row.locator("input[name$='-phone']").fill(phone)
        if n in REPRESENTATIVES:
            row.locator("input[name$='-representative']").check()
    rows.nth(0).locator("input[name$='-address']").fill("江川市东湖区解放路1号")
    page.fill("#group_size", "7")
    page.fill("#request", "要求解决小区供暖长期不达标问题")
    page.fill("#facts", "2026年入冬以来，小区室温长期低于16度，多次向供热公司反映未果。")
    page.fill("#reasons", "依据《江川市供热条例》，室温应不低于18度。")
    assert fits_the_screen(page)
    shot(page, f"petition-register-{name}")
    with page.expect_navigation():
        page.click("#save")
    assert "/cases/XF-" in page.url
    return page.url.rsplit("/", 1)[-1]


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_group_petition_with_two_representatives(app, live_server, request, screen):
    from hotline.extensions import db
    from hotline.models import Case

    page = request.getfixturevalue(screen)
    number = _register_a_group(page, live_server, screen)
    shot(page, f"petition-registered-{screen}")
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        petitioners = case.petition.petitioners
        assert [p.name for p in petitioners] == [who for who, _ in PEOPLE]
        assert [p.name for p in petitioners if p.representative] == [PEOPLE[n][0] for n in REPRESENTATIVES]
        assert case.petition.group_size == 7 and case.petition.oral and case.channel == "visit"
        assert case.person.name == PEOPLE[REPRESENTATIVES[0]][0]  # the replies go to a representative
