"""Voice messages in the inbox, and the block list: blocking from an item or by number, lifting, all audited."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.helpers import complaint, file_complaint, hidden_value
from tests.integration.test_operator_inbox import (
    PHONE,
    access_log,
    add_thread,
    add_voicemail,
    post_form,
    row,
    signed_in,
)


def active_blocks(app) -> list[tuple[str, str]]:
    from hotline.extensions import db
    from hotline.models import BlockedNumber

    with app.app_context():
        return [(b.phone, b.reason) for b in db.session.scalars(
            select(BlockedNumber).where(BlockedNumber.lifted_at.is_(None)))]


def test_a_voice_message_shows_its_recording_and_the_caller(app):
    client = signed_in(app, "operator")
    number = file_complaint(client, complaint(app)).headers["Location"].rsplit("/", 1)[-1]
    voicemail_id = add_voicemail(app, seconds=75, transcription="我想反映一下小区停车的问题")
    response = client.get(f"/inbox/voicemail/{voicemail_id}")
    html = response.get_data(as_text=True)
    recording = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1.mp3"
    assert f'<audio class="player" controls preload="none" src="{recording}">' in html
    assert f'class="recording-link" href="{recording}"' in html
    assert "1:15" in html and "我想反映一下小区停车的问题" in html
    assert f'data-case="{number}"' in html and "+86 138 1234 5678" in html  # the caller's history
    assert f'href="/console?phone=%2B8613812345678&amp;voicemail={voicemail_id}" id="make-case"' in html
    policy = response.headers["Content-Security-Policy"]
    assert "media-src 'self' https://api.twilio.com;" in policy and "script-src 'self';" in policy
    assert response.headers["Cache-Control"] == "no-store"
    assert access_log(app, "view_caller_history")


def test_a_recording_address_that_is_not_a_web_address_is_not_played(app):
    voicemail_id = add_voicemail(app, url="javascript:alert(1)")
    response = signed_in(app, "operator").get(f"/inbox/voicemail/{voicemail_id}?lang=en")
    html = response.get_data(as_text=True)
    assert "<audio" not in html and "javascript:" not in html and "The recording is not available." in html
    assert "media-src" not in response.headers["Content-Security-Policy"]


def test_a_voice_message_is_done_with_a_note(app):
    from hotline.models import Voicemail

    voicemail_id = add_voicemail(app)
    client = signed_in(app, "supervisor")
    url = f"/inbox/voicemail/{voicemail_id}"
    too_long = post_form(client, url + "?lang=en", url + "/done", note="长" * 501)
    assert too_long.status_code == 422 and "At most 500 characters." in too_long.get_data(as_text=True)
    assert row(app, Voicemail, voicemail_id).state == "open"
    response = post_form(client, url, url + "/done", note="打回电话，已经解决")
    assert response.status_code == 302
    item = row(app, Voicemail, voicemail_id)
    assert (item.state, item.note) == ("done", "打回电话，已经解决") and item.handled_by_id is not None
    html = client.get(url).get_data(as_text=True)
    assert "打回电话，已经解决" in html and "/done" not in html  # done once: no second button


def test_blocking_from_a_thread_needs_a_reason_and_is_audited(app):
    from hotline.models import SmsThread

    thread_id = add_thread(app)
    client = signed_in(app, "operator")
    url = f"/inbox/sms/{thread_id}"
    refused = post_form(client, url + "?lang=en", url + "/block", reason="  ")
    assert refused.status_code == 422
    assert "Say why this number is blocked" in refused.get_data(as_text=True)
    assert '<details class="action action-block" id="action-block" open>' in refused.get_data(as_text=True)
    assert active_blocks(app) == [] and row(app, SmsThread, thread_id).state == "open"

    response = post_form(client, url, url + "/block", reason="每天发几十条广告")
    assert response.status_code == 302
    assert active_blocks(app) == [(PHONE, "每天发几十条广告")]
    assert row(app, SmsThread, thread_id).state == "done"  # its texts no longer reach the open inbox
    assert access_log(app, "number_blocked") == ["+86138****5678: 每天发几十条广告"]
    html = client.get(url).get_data(as_text=True)
    assert "每天发几十条广告" in html and 'id="action-block"' not in html


def test_blocking_from_a_voice_message(app):
    from hotline.models import Voicemail

    voicemail_id = add_voicemail(app, "+8613900000009")
    client = signed_in(app, "dispatcher")
    url = f"/inbox/voicemail/{voicemail_id}"
    assert post_form(client, url, url + "/block", reason="恶意骚扰电话").status_code == 302
    assert active_blocks(app) == [("+8613900000009", "恶意骚扰电话")]
    assert row(app, Voicemail, voicemail_id).state == "done"


def test_the_block_list_adds_a_number_as_typed_and_lifts_it(app):
    client = signed_in(app, "operator")
    response = post_form(client, "/inbox/blocked", "/inbox/blocked", phone="139 1234 5678", reason="自动群发短信")
    assert response.status_code == 302
    assert active_blocks(app) == [("+8613912345678", "自动群发短信")]
    html = client.get("/inbox/blocked").get_data(as_text=True)
    assert "+86 139 1234 5678" in html and "自动群发短信" in html and "话务员" in html
    assert access_log(app, "view_blocked_numbers") == ["page 1: 1 numbers"]

    again = post_form(client, "/inbox/blocked?lang=en", "/inbox/blocked", phone="+86 13912345678", reason="再来一次")
    assert again.status_code == 302
    assert "is already blocked" in client.get("/inbox/blocked").get_data(as_text=True)
    assert active_blocks(app) == [("+8613912345678", "自动群发短信")]  # the first block stays

    lifted = post_form(client, "/inbox/blocked", "/inbox/blocked/lift", phone="+8613912345678")
    assert lifted.status_code == 302 and active_blocks(app) == []
    assert access_log(app, "number_unblocked") == ["+86139****5678"]
    assert "No number is blocked." in client.get("/inbox/blocked?lang=en").get_data(as_text=True)


def test_a_wrong_entry_on_the_block_list_keeps_what_was_typed(app):
    client = signed_in(app, "operator")
    page = client.get("/inbox/blocked?lang=en").get_data(as_text=True)
    token = hidden_value(page, "csrf_token")
    response = client.post("/inbox/blocked", data={"csrf_token": token, "phone": "12ab", "reason": "广告"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Enter a valid phone number" in html
    assert 'value="12ab"' in html and 'value="广告"' in html
    response = client.post("/inbox/blocked", data={"csrf_token": token, "phone": "13912345678", "reason": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Say why this number is blocked" in html and 'value="13912345678"' in html
    assert active_blocks(app) == []


def test_lifting_a_number_that_is_not_blocked_says_so(app):
    client = signed_in(app, "operator")
    response = post_form(client, "/inbox/blocked?lang=en", "/inbox/blocked/lift", phone="+8613912345678")
    assert response.status_code == 302
    assert "is not blocked" in client.get("/inbox/blocked").get_data(as_text=True)
    assert access_log(app, "number_unblocked") == []


def test_a_post_without_its_token_changes_nothing(app):
    from hotline.extensions import db
    from hotline.models import SmsMessage

    thread_id = add_thread(app)
    client = signed_in(app, "operator")
    for path in ("/reply", "/block", "/done"):
        assert client.post(f"/inbox/sms/{thread_id}{path}", data={"body": "x", "reason": "x"}).status_code == 400
    assert client.post("/inbox/blocked", data={"phone": "13912345678", "reason": "x"}).status_code in (400, 422)
    assert active_blocks(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SmsMessage).where(SmsMessage.direction == "out")) == 0


def test_a_voice_message_row_shows_its_length_and_the_first_line_of_its_transcription(app):
    add_voicemail(app, seconds=125, transcription="第一行\n第二行")
    html = signed_in(app, "operator").get("/inbox?lang=en").get_data(as_text=True)
    assert re.search(r'class="kind-label">Voice message</span>', html)
    assert "voice message, 2:05 · 第一行" in html and "第二行" not in html


def test_a_sender_that_is_not_a_phone_number_is_shown_as_given_and_gets_no_reply_form(app):
    thread_id = add_thread(app, "ALIPAY", ("您的验证码是 123456",))
    client = signed_in(app, "operator")
    html = client.get(f"/inbox/sms/{thread_id}?lang=en").get_data(as_text=True)
    assert "Texts from ALIPAY" in html and "This number cannot receive text messages." in html
    assert 'name="body"' not in html
    refused = post_form(client, f"/inbox/sms/{thread_id}", f"/inbox/sms/{thread_id}/reply", body="收到")
    assert refused.status_code == 409 and "cannot receive text messages" in refused.get_data(as_text=True)
    assert post_form(client, f"/inbox/sms/{thread_id}", f"/inbox/sms/{thread_id}/block",
                     reason="自动发送的验证码").status_code == 302
    assert active_blocks(app) == [("ALIPAY", "自动发送的验证码")]
