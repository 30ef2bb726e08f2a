"""Calls at /twilio/voice (issue 6 §4, §5), signed like texts: a Chinese greeting; in the voice hours the
operators' number rings, with "press 1 to leave a message"; after hours, on 1, or when nobody answers, a voice
message is recorded, and arrives once per call as a voice-mail item with the caller's history. A blocked or
busy number still reaches an operator in hours, but leaves no voice mail."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from hotline.clock import now
from hotline.extensions import db
from hotline.models import User
from hotline.services import blocklist, caller
from tests.integration.lifecycle_helpers import PHONE, new_case
from tests.integration.twilio_helpers import OUR_NUMBER, signed_post, voicemails

OPERATORS = "+862912345000"
SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING, NIGHT = datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI), datetime(2026, 12, 2, 22, 30, tzinfo=SHANGHAI)
NEXT_MORNING = datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def operators_number(app, monkeypatch):
    monkeypatch.setitem(app.config, "HOTLINE_VOICE_OPERATORS", OPERATORS)


def call(client, app, path="/twilio/voice", sender=PHONE, call_sid="CA" + "1" * 32, **extra):
    params = {"CallSid": call_sid, "AccountSid": "AC" + "0" * 32, "From": sender, "To": OUR_NUMBER,
              "CallStatus": "in-progress", "Direction": "inbound", "ApiVersion": "2010-04-01", **extra}
    response = signed_post(client, app, path, params)
    assert response.status_code == 200 and response.mimetype == "text/xml", response.status_code
    return list(ET.fromstring(response.get_data(as_text=True)))


def tags(verbs) -> list[str]:
    return [v.tag for v in verbs]


def recorded(client, app, call_sid="CA" + "1" * 32, duration="42", sender=PHONE):
    return call(client, app, "/twilio/voice/recorded", sender=sender, call_sid=call_sid,
                RecordingUrl=f"https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE{call_sid[2:]}",
                RecordingSid="RE" + call_sid[2:], RecordingDuration=duration, Digits="#")


def block(app, phone=PHONE):
    with app.app_context():
        operator = db.session.scalar(select(User).where(User.username == "operator"))
        blocklist.block(db.session, phone, "骚扰电话", operator, now())


def test_in_the_voice_hours_the_greeting_offers_a_message_then_the_operators_ring(app, client):
    with time_machine.travel(MORNING, tick=False):
        gather, dial = call(client, app)
    say = gather.find("Say")
    assert say.get("language") == "zh-CN" and say.text.startswith("您好，这里是江川市12345政务服务便民热线")
    assert gather.get("numDigits") == "1" and gather.get("action") == "/twilio/voice/menu"
    assert dial.text == OPERATORS and dial.get("action") == "/twilio/voice/dialed"
    assert voicemails(app) == []


def test_behind_a_proxy_twilio_is_given_absolute_addresses(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "HOTLINE_PUBLIC_URL", "https://12345.jiangchuan.gov.cn")
    params = {"CallSid": "CA9", "From": PHONE, "To": OUR_NUMBER}
    with time_machine.travel(MORNING, tick=False):
        response = signed_post(client, app, "/twilio/voice", params, url="https://12345.jiangchuan.gov.cn/twilio/voice")
    gather, dial = ET.fromstring(response.get_data(as_text=True))
    assert gather.get("action") == "https://12345.jiangchuan.gov.cn/twilio/voice/menu"
    assert dial.get("action") == "https://12345.jiangchuan.gov.cn/twilio/voice/dialed"


def test_a_blocked_number_still_reaches_an_operator_in_hours(app, client):
    block(app)
    with time_machine.travel(MORNING, tick=False):
        assert tags(call(client, app)) == ["Gather", "Dial"]
        assert tags(call(client, app, "/twilio/voice/menu", Digits="1")) == ["Say", "Dial"]  # no voice mail


def test_after_hours_the_caller_leaves_a_message(app, client):
    with time_machine.travel(NIGHT, tick=False):
        say, record, bye, hangup = call(client, app)
    assert "人工服务时间为每天08:00至20:00" in say.text and "119" in say.text
    assert (record.tag, record.get("maxLength"), record.get("playBeep")) == ("Record", "120", "true")
    assert record.get("action") == "/twilio/voice/recorded" and record.get("transcribe") is None
    assert (bye.tag, hangup.tag) == ("Say", "Hangup")


def test_transcription_is_asked_for_when_configured(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "HOTLINE_VOICE_TRANSCRIBE", True)
    with time_machine.travel(NIGHT, tick=False):
        record = call(client, app)[1]
    assert record.get("transcribe") == "true" and record.get("transcribeCallback") == "/twilio/voice/transcription"


def test_without_an_operators_number_calls_go_to_voice_mail(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "HOTLINE_VOICE_OPERATORS", "")
    with time_machine.travel(MORNING, tick=False):
        say, record, *_ = call(client, app)
    assert record.tag == "Record" and "暂时无法接听" in say.text


def test_pressing_1_records_a_message_and_another_key_rings_the_operators(app, client):
    with time_machine.travel(MORNING, tick=False):
        assert tags(call(client, app, "/twilio/voice/menu", Digits="1")) == ["Say", "Record", "Say", "Hangup"]
        assert tags(call(client, app, "/twilio/voice/menu", Digits="0")) == ["Say", "Dial"]


@pytest.mark.parametrize("dial_status", ["no-answer", "busy", "failed"])
def test_when_nobody_answers_the_caller_may_leave_a_message(app, client, dial_status):
    with time_machine.travel(MORNING, tick=False):
        say, record, *_ = call(client, app, "/twilio/voice/dialed", DialCallStatus=dial_status)
    assert record.tag == "Record" and "暂时无法接听" in say.text


def test_an_answered_call_ends_when_the_operator_hangs_up(app, client):
    with time_machine.travel(MORNING, tick=False):
        assert tags(call(client, app, "/twilio/voice/dialed", DialCallStatus="completed")) == ["Hangup"]


def test_a_recorded_message_becomes_one_voice_mail_item_with_the_callers_history(app, client):
    number = new_case(app)
    with time_machine.travel(NIGHT, tick=False):
        for _ in range(3):  # Twilio retries a callback it got no answer to in time
            say, hangup = recorded(client, app, sender="138 1234 5678")
            assert "留言已收到" in say.text and hangup.tag == "Hangup"
    [item] = voicemails(app)
    assert (item.from_phone, item.duration_seconds, item.state) == (PHONE, 42, "open")
    assert item.recording_sid == "RE" + "1" * 32
    assert item.recording_url.startswith("https://api.twilio.com/") and item.received_at is not None
    with app.app_context():
        history = caller.history(db.session, PHONE, now(), None)
        assert [v.id for v in history.voicemails] == [item.id]
        assert [c.number for c in history.open_cases] == [number]
        db.session.rollback()


def test_an_empty_recording_is_not_kept(app, client):
    with time_machine.travel(NIGHT, tick=False):
        recorded(client, app, duration="0")
        call(client, app, "/twilio/voice/recorded", RecordingDuration="5")  # no recording at all
    assert voicemails(app) == []


def test_the_transcription_is_stored_with_its_message(app, client):
    with time_machine.travel(NIGHT, tick=False):
        recorded(client, app)
        assert call(client, app, "/twilio/voice/transcription", TranscriptionText="The street light is out.",
                    TranscriptionStatus="completed", RecordingSid="RE" + "1" * 32) == []
        call(client, app, "/twilio/voice/transcription", call_sid="CA" + "7" * 32, TranscriptionText="?",
             TranscriptionStatus="completed")  # of no stored message: nothing happens
    [item] = voicemails(app)
    assert (item.transcription, item.transcription_status) == ("The street light is out.", "completed")


def test_a_failed_transcription_is_marked_so(app, client):
    with time_machine.travel(NIGHT, tick=False):
        recorded(client, app)
        call(client, app, "/twilio/voice/transcription", TranscriptionText="", TranscriptionStatus="failed")
    assert voicemails(app)[0].transcription_status == "failed"


def test_a_number_over_the_voice_mail_limit_hears_goodbye(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "HOTLINE_RATE_VOICEMAIL", "2 per hour;3 per day")
    with time_machine.travel(NIGHT, tick=False):
        recorded(client, app, call_sid="CA" + "a" * 32)
        recorded(client, app, call_sid="CA" + "b" * 32)
        say, hangup = call(client, app, call_sid="CA" + "c" * 32)
        assert "无法为您录制留言" in say.text and hangup.tag == "Hangup"
        assert tags(call(client, app, sender="+8613900001111")) == ["Say", "Record", "Say", "Hangup"]
        recorded(client, app, call_sid="CA" + "e" * 32)  # a third call that was already recording
    with time_machine.travel(NEXT_MORNING, tick=False):  # the day's three are used; in the hours a person answers
        assert tags(call(client, app, call_sid="CA" + "d" * 32)) == ["Gather", "Dial"]
        assert tags(call(client, app, "/twilio/voice/dialed", DialCallStatus="no-answer")) == ["Say", "Hangup"]
    assert len(voicemails(app)) == 3


def test_a_blocked_number_cannot_leave_voice_mail_after_hours(app, client):
    block(app)
    with time_machine.travel(NIGHT, tick=False):
        assert tags(call(client, app)) == ["Say", "Hangup"]
