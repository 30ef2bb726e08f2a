"""What the caller hears, as the TwiML Twilio reads: Mandarin prompts, the menu, the operators' number, the
recording with its callbacks, and a goodbye that hangs up."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from hotline.integrations.voice import Prompts, Urls, goodbye, operators, record, refuse, thanks

PROMPTS = Prompts("江川市", ("08:00", "20:00"))
URLS = Urls(menu="https://h.example.cn/twilio/voice/menu", dialed="https://h.example.cn/twilio/voice/dialed",
            recorded="https://h.example.cn/twilio/voice/recorded",
            transcription="https://h.example.cn/twilio/voice/transcription")


def verbs(xml: str) -> list[ET.Element]:
    root = ET.fromstring(xml)
    assert root.tag == "Response"
    return list(root)


def test_in_hours_a_greeting_with_the_menu_then_the_operators_ring():
    gather, dial = verbs(operators(PROMPTS, "+862912345000", URLS))
    assert gather.tag == "Gather" and gather.get("numDigits") == "1" and gather.get("action") == URLS.menu
    [say] = gather
    assert say.get("language") == "zh-CN" and "江川市12345" in say.text and "按1" in say.text
    assert dial.tag == "Dial" and dial.text == "+862912345000" and dial.get("action") == URLS.dialed


def test_after_another_key_the_operators_ring_without_the_menu():
    say, dial = verbs(operators(PROMPTS, "+862912345000", URLS, menu=False))
    assert say.tag == "Say" and dial.tag == "Dial"


def test_a_voice_message_is_recorded_for_two_minutes_at_most():
    say, rec, bye, hangup = verbs(record(PROMPTS, URLS, transcribe=False))
    assert "08:00至20:00" in say.text and "119" in say.text and "提示音后留言" in say.text
    assert rec.tag == "Record" and rec.get("maxLength") == "120" and rec.get("playBeep") == "true"
    assert rec.get("action") == URLS.recorded and rec.get("transcribe") is None
    assert (bye.tag, hangup.tag) == ("Say", "Hangup")


def test_transcription_is_asked_for_when_configured():
    rec = verbs(record(PROMPTS, URLS, transcribe=True, reason="chosen"))[1]
    assert rec.get("transcribe") == "true" and rec.get("transcribeCallback") == URLS.transcription


def test_the_reasons_the_caller_hears():
    assert "暂时无法接听" in verbs(record(PROMPTS, URLS, False, "busy"))[0].text
    assert verbs(record(PROMPTS, URLS, False, "chosen"))[0].text.startswith("请在提示音后留言")


def test_refusal_thanks_and_goodbye_hang_up():
    for xml in (refuse(PROMPTS), refuse(PROMPTS, "busy"), thanks()):
        say, hangup = verbs(xml)
        assert say.get("language") == "zh-CN" and hangup.tag == "Hangup"
    assert "无法为您录制留言" in verbs(refuse(PROMPTS))[0].text
    assert [v.tag for v in verbs(goodbye())] == ["Hangup"]
