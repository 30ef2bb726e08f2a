"""Where a call goes (issue 6 §4): the operators in the voice hours, local time; voice mail after hours, when
nobody answers or when the caller presses 1; a polite goodbye when the number may not leave a message."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from hotline.domain.voice import Route, Turn, after_dial, in_hours, menu, route_call, seconds, worth_keeping

TZ = "Asia/Shanghai"
HOURS = ("08:00", "20:00")
OPERATORS = "+862912345000"


def at(hh, mm=0) -> datetime:
    return datetime(2026, 12, 2, hh, mm, tzinfo=ZoneInfo(TZ)).astimezone(UTC)


@pytest.mark.parametrize("moment, expected", [
    (at(7, 59), False), (at(8, 0), True), (at(12), True), (at(19, 59), True), (at(20, 0), False), (at(2), False),
])
def test_the_voice_hours_are_local_time(moment, expected):
    assert in_hours(moment, HOURS, TZ) is expected


def test_in_hours_a_call_rings_the_operators_whoever_calls():
    assert route_call(at(10), HOURS, TZ, OPERATORS, may_record=False) == Turn(Route.OPERATORS, "greeting")


def test_after_hours_the_caller_leaves_a_message_or_hears_goodbye():
    assert route_call(at(22), HOURS, TZ, OPERATORS, may_record=True) == Turn(Route.VOICEMAIL, "closed")
    assert route_call(at(22), HOURS, TZ, OPERATORS, may_record=False) == Turn(Route.REFUSE, "closed")


def test_without_an_operators_number_every_call_goes_to_voice_mail():
    assert route_call(at(10), HOURS, TZ, "", may_record=True) == Turn(Route.VOICEMAIL, "busy")


@pytest.mark.parametrize("status", ["no-answer", "busy", "failed", "canceled", "NO-ANSWER"])
def test_nobody_answering_offers_a_message(status):
    assert after_dial(status, may_record=True) == Turn(Route.VOICEMAIL, "busy")
    assert after_dial(status, may_record=False) == Turn(Route.REFUSE, "busy")


def test_an_answered_call_is_over():
    assert after_dial("completed", may_record=True) is None
    assert after_dial("answered", may_record=True) is None


def test_pressing_1_leaves_a_message_and_any_other_key_waits_for_an_operator():
    assert menu("1", may_record=True) == Turn(Route.VOICEMAIL, "chosen")
    assert menu("1", may_record=False) == Turn(Route.OPERATORS, "chosen")  # blocked: still reaches a person
    assert menu("2", may_record=True) == Turn(Route.OPERATORS, "chosen")


def test_an_empty_recording_is_not_kept():
    assert worth_keeping("https://api.twilio.com/rec/RE1", 12)
    assert not worth_keeping("https://api.twilio.com/rec/RE1", 0)
    assert not worth_keeping("", 12)
    assert [seconds(v) for v in ("42", " 7 ", "", None, "x", "-3")] == [42, 7, 0, 0, 0, 0]


@pytest.mark.parametrize("moment", [at(0), at(3, 30), at(12), at(23, 59)])
def test_a_centre_that_answers_around_the_clock_rings_the_operators_all_day(moment):
    assert in_hours(moment, ("00:00", "24:00"), TZ)


def test_the_voice_hours_setting_may_close_at_midnight_and_nothing_else_odd():
    from hotline.config import ConfigError, load

    assert load("/tmp", {"HOTLINE_VOICE_HOURS": "00:00-24:00"})["HOTLINE_VOICE_HOURS"] == ("00:00", "24:00")
    for wrong in ("20:00-08:00", "24:00-24:00", "8-20", "08:00"):
        with pytest.raises(ConfigError, match="HOTLINE_VOICE_HOURS"):
            load("/tmp", {"HOTLINE_VOICE_HOURS": wrong})
    with pytest.raises(ConfigError, match="HOTLINE_OFFICE_HOURS"):
        load("/tmp", {"HOTLINE_OFFICE_HOURS": "09:00-24:00"})  # working hours end within the day
