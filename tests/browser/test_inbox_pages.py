"""The inbox of texts and voice mail in a real browser: an operator answers a text on a desktop, and the list, a
voice message and the block list on a phone (screenshots in screenshots/inbox-*.png)."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import fits_the_screen, shot, sign_in
from tests.helpers import complaint, file_complaint
from tests.integration.test_operator_inbox import add_thread, add_voicemail


def some_items(app) -> tuple[int, int]:
    file_complaint(app.test_client(), complaint(app))  # the texter has called before: the history shows it
    thread_id = add_thread(app, texts=("你好，我们小区门口的路灯坏了一个多星期了，晚上很黑。",
                                       "在东湖区西湖路 88 号附近"), minutes_ago=3)
    add_thread(app, "+8613900000002", ("广告：优惠大酬宾，回复TD退订",), minutes_ago=40, unread=0)
    voicemail_id = add_voicemail(app, "+8613900000003", minutes_ago=12, seconds=42,
                                 transcription="我想反映一下我们楼下的餐馆油烟很大，晚上十点以后还在营业。")
    return thread_id, voicemail_id


def test_an_operator_answers_a_text(app, live_server, desktop):
    thread_id, _voicemail_id = some_items(app)
    page = desktop
    sign_in(page, live_server, "operator")
    expect(page.locator(".nav-inbox .bell-count")).to_have_text("3")
    page.click(".nav-inbox")
    expect(page.locator(".inbox-item")).to_have_count(3)
    expect(page.locator(".inbox-item").first).to_have_attribute("data-id", str(thread_id))
    shot(page, "inbox-list-desktop")

    page.click(f".inbox-item[data-id='{thread_id}'] a")
    expect(page.locator(".bubble.in")).to_have_count(2)
    expect(page.locator(".caller .caller-cases li")).to_have_count(1)
    expect(page.locator(".nav-inbox .bell-count")).to_have_text("3")  # read, but still open until done
    page.fill("#body", "您好，已收到。请问是哪个小区？我们会转交城管部门处理。")
    page.click(".reply-form button[type=submit]")
    expect(page.locator(".flash-success")).to_have_count(1)
    expect(page.locator(".bubble.out")).to_have_count(1)
    expect(page.locator(".bubble.out .sms-status")).to_have_text("待发送")
    shot(page, "inbox-thread-desktop")
    assert fits_the_screen(page)

    expect(page.locator("#make-case")).to_have_attribute("href", f"/console?phone=%2B8613812345678&thread={thread_id}")
    page.click(".action-done button")
    expect(page.locator(".inbox-item")).to_have_count(2)
    expect(page.locator(".nav-inbox .bell-count")).to_have_text("2")


def test_the_inbox_on_a_phone(app, live_server, phone):
    thread_id, voicemail_id = some_items(app)
    page = phone
    sign_in(page, live_server, "operator")
    page.goto(f"{live_server}/inbox")
    expect(page.locator(".inbox-item")).to_have_count(3)
    shot(page, "inbox-list-phone")
    assert fits_the_screen(page)

    page.goto(f"{live_server}/inbox/sms/{thread_id}")
    expect(page.locator(".bubble.in")).to_have_count(2)
    shot(page, "inbox-thread-phone")
    assert fits_the_screen(page)

    page.goto(f"{live_server}/inbox/voicemail/{voicemail_id}")
    expect(page.locator("audio.player")).to_have_count(1)
    expect(page.locator(".transcription")).to_contain_text("油烟")
    shot(page, "inbox-voicemail-phone")
    assert fits_the_screen(page)

    page.click("#action-block > summary")
    page.click("#action-block button[type=submit]")  # no reason: told so, nothing blocked
    expect(page.locator("#action-block[open] .has-error")).to_have_count(1)
    page.fill("#reason", "反复留言骚扰")
    page.click("#action-block button[type=submit]")
    expect(page.locator(".flash-success")).to_have_count(1)
    expect(page.locator(".inbox-item")).to_have_count(2)

    page.goto(f"{live_server}/inbox/blocked")
    page.fill("#phone", "139 1234 56")
    page.fill("#reason", "群发广告")
    page.click(".block-form button[type=submit]")
    expect(page.locator(".block-form .has-error")).to_have_count(1)
    expect(page.locator("#phone")).to_have_value("139 1234 56")
    expect(page.locator("#reason")).to_have_value("群发广告")
    page.fill("#phone", "139 1234 5678")
    page.click(".block-form button[type=submit]")
    expect(page.locator("table.blocked-numbers tbody tr")).to_have_count(2)
    shot(page, "inbox-blocked-phone")
    assert fits_the_screen(page)


def test_the_voice_message_and_block_list_on_a_desktop(app, live_server, desktop):
    _thread_id, voicemail_id = some_items(app)
    page = desktop
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server}/inbox/voicemail/{voicemail_id}")
    expect(page.locator(".recording-link")).to_have_count(1)
    shot(page, "inbox-voicemail-desktop")
    assert fits_the_screen(page)
    page.goto(f"{live_server}/inbox/blocked")
    page.fill("#phone", "13912345678")
    page.fill("#reason", "每天几十条自动短信")
    page.click(".block-form button[type=submit]")
    expect(page.locator("table.blocked-numbers tbody tr")).to_have_count(1)
    shot(page, "inbox-blocked-desktop")
    page.click("table.blocked-numbers button[type=submit]")
    expect(page.locator("table.blocked-numbers")).to_have_count(0)
