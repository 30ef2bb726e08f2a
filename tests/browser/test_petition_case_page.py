"""A petition walked through its case page in a real browser, from forwarding to the written decision: the petition
office forwards it, the organ accepts it, asks for more time, its head approves, and the organ issues the decision —
at desktop width and on a 390 px phone (screenshots in screenshots/, looked at)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.clock import now
from tests.browser.conftest import fits_the_screen, shot, sign_in
from tests.integration.lifecycle_helpers import dept
from tests.integration.petition_helpers import new_petition, petitioner


def _as(page, base: str, username: str, number: str) -> None:
    page.context.clear_cookies()  # the next person, in the same browser
    sign_in(page, base, username)
    page.goto(f"{base}/cases/{number}")


def _send(page, action: str) -> None:
    with page.expect_navigation():
        page.click(f"#action-{action} button[type=submit]")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_petition_from_forwarding_to_the_written_decision(app, live_server, request, size):
    page = request.getfixturevalue(size)
    people = (petitioner(representative=True), petitioner(name="王秀英", phone="+8613900002222", id_number=""))
    number = new_petition(app, now(), people=people, group_size=2, oral=True)
    organ = str(dept(app, "dh-gov"))

    _as(page, live_server, "dispatcher", number)
    expect(page.locator(".case-head .state-registered")).to_have_count(1)
    assert fits_the_screen(page)
    shot(page, f"petition-01-registered-{size}")
    page.click("#action-forward > summary")
    _send(page, "forward")  # nothing chosen: told what is missing, in words, nothing saved
    expect(page.locator("#action-forward .has-error")).to_have_count(2)
    assert fits_the_screen(page)
    shot(page, f"petition-02-forward-errors-{size}")
    page.select_option("#forward-organ_id", organ)
    page.check("#action-forward input[value=assign]")
    page.fill("#forward-note", "请东湖区政府核实补偿款发放情况")
    _send(page, "forward")
    expect(page.locator(".case-head .state-forwarded")).to_have_count(1)
    expect(page.locator(".clock-forward[data-status=met]")).to_have_count(1)

    _as(page, live_server, "dh-gov-staff", number)
    page.click("#action-accept > summary")
    page.check("#action-accept input[value=accept]")
    _send(page, "accept")
    expect(page.locator(".case-head .state-accepted")).to_have_count(1)
    expect(page.locator(".petition-documents .document-acceptance")).to_have_count(1)
    page.click("#action-request-extension > summary")
    page.fill("#request-extension-days", "20")
    page.fill("#request-extension-reason", "需要会同住建部门核实补偿协议")
    _send(page, "request-extension")

    _as(page, live_server, "dh-gov-head", number)
    page.click("#action-decide-extension > summary")
    assert "需要会同住建部门核实补偿协议" in page.inner_text("#action-decide-extension .context")
    page.check("#action-decide-extension input[value=approve]")
    _send(page, "decide-extension")
    expect(page.locator(".clock-decide")).to_contain_text("20")

    page.click("#action-decide > summary")
    assert page.input_value("#decide-next_authority") == "江川市人民政府"  # dh-gov has no organ above it
    page.check("#action-decide input[value=explain]")
    page.fill("#decide-facts", "经核实，补偿款已按协议分两期支付，第二期于2026年10月到账。")
    page.fill("#decide-basis", "《国有土地上房屋征收与补偿条例》第二十五条")
    page.fill("#decide-text", "对补偿款支付情况予以解释说明；如对本意见不服，可自收到之日起30日内请求复查。")
    assert fits_the_screen(page)
    shot(page, f"petition-03-decide-form-{size}")
    _send(page, "decide")
    expect(page.locator(".case-head .state-decided")).to_have_count(1)
    expect(page.locator(".petition-documents tbody tr")).to_have_count(3)  # acceptance, extension, decision
    expect(page.locator(".clock-review_window[data-status=open]")).to_have_count(1)
    timeline = page.inner_text(".timeline")
    assert "东湖区人民政府" in timeline and "解释说明" in timeline and "信处字" in timeline and "{" not in timeline
    assert fits_the_screen(page)
    shot(page, f"petition-04-decided-{size}")
