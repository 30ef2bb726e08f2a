"""Twilio retries a webhook it got no answer to in time, sometimes while the first attempt is still running, and a
person's first texts can arrive together: whatever the timing, one message per MessageSid, one thread per
number, one voice mail per call, and one automatic answer for a new thread."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from tests.integration.lifecycle_helpers import PHONE
from tests.integration.twilio_helpers import messages, reply_of, signed_post, sms_params, threads, voicemails

AT_ONCE = 6


def all_at_once(app, path: str, params_for) -> list:
    start = Barrier(AT_ONCE)

    def post(i: int):
        client = app.test_client()
        params = params_for(i)
        start.wait()
        return signed_post(client, app, path, params)

    with ThreadPoolExecutor(AT_ONCE) as pool:
        return list(pool.map(post, range(AT_ONCE)))


def test_one_message_sid_posted_many_times_at_once_is_one_message(app):
    params = sms_params("小区停水三天了")
    answers = [reply_of(r) for r in all_at_once(app, "/twilio/sms", lambda i: params)]
    assert sum(a is not None for a in answers) == 1
    assert len(messages(app, direction="in")) == 1 and len(messages(app, purpose="auto")) == 1
    assert [t.unread for t in threads(app)] == [1]


def test_first_texts_of_one_number_at_once_make_one_thread_and_one_answer(app):
    answers = [reply_of(r) for r in all_at_once(app, "/twilio/sms", lambda i: sms_params(f"第{i}条", PHONE))]
    assert sum(a is not None for a in answers) == 1
    [thread] = threads(app)
    assert thread.unread == AT_ONCE
    assert {m.thread_id for m in messages(app, direction="in")} == {thread.id}


def test_one_recording_posted_many_times_at_once_is_one_voice_mail(app):
    params = {"CallSid": "CA" + "5" * 32, "From": PHONE, "To": "+12025550100", "RecordingSid": "RE" + "5" * 32,
              "RecordingUrl": "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE5",
              "RecordingDuration": "17"}
    responses = all_at_once(app, "/twilio/voice/recorded", lambda i: params)
    assert {r.status_code for r in responses} == {200}
    assert len(voicemails(app)) == 1
