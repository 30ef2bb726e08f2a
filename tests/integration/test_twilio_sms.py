"""Inbound texts at /twilio/sms (issue 6 §3, §5), posted exactly as Twilio posts them: only a request Twilio
signed is read; each MessageSid is stored once; texts are threaded by sender into the operators' inbox and the
first one is answered, in TwiML and in Chinese; a blocked or flooding number gets nothing back."""
from __future__ import annotations

import pytest

from hotline.extensions import db
from hotline.services import blocklist, caller
from tests.integration.lifecycle_helpers import PHONE
from tests.integration.twilio_helpers import OTHER_PHONE, messages, reply_of, signed_post, sms_params, text, threads


def test_a_signed_text_is_threaded_and_answered_in_twiml(app, client):
    response = text(client, app, "西湖路88号工地晚上施工太吵了", sender="138 1234 5678")

    answer = reply_of(response)
    assert answer.startswith("【江川市12345】短信已收到") and "区、街道和详细地址" in answer and len(answer) <= 70
    [thread] = threads(app)
    assert (thread.phone, thread.state, thread.unread) == (PHONE, "open", 1)
    inbound, auto = messages(app)
    assert (inbound.direction, inbound.purpose, inbound.from_phone, inbound.body) == (
        "in", "inbound", PHONE, "西湖路88号工地晚上施工太吵了")
    assert inbound.thread_id == thread.id and inbound.provider_id.startswith("SM")
    assert (auto.direction, auto.purpose, auto.transport, auto.status, auto.to_phone, auto.thread_id, auto.body) == (
        "out", "auto", "twiml", "sent", PHONE, thread.id, answer)


def test_later_texts_join_the_open_thread_without_another_answer(app, client):
    text(client, app, "西湖路88号工地晚上施工")
    assert reply_of(text(client, app, "在东湖区西湖街道")) is None
    assert reply_of(text(client, app, "每天晚上十一点以后")) is None
    [thread] = threads(app)
    assert thread.unread == 3
    assert [m.thread_id for m in messages(app, direction="in")] == [thread.id] * 3
    assert len(messages(app, purpose="auto")) == 1


def test_a_finished_thread_reopens_with_the_next_text(app, client, db_session):
    text(client, app, "路灯不亮")
    [thread] = threads(app)
    row = db_session.get(type(thread), thread.id)
    row.state, row.unread = "done", 0
    db_session.commit()

    assert reply_of(text(client, app, "另一件事：小区门口井盖丢了")) is not None  # a new matter: asked where again
    [thread] = threads(app)
    assert (thread.state, thread.unread, thread.handled_at) == ("open", 1, None)


def test_the_same_message_sid_three_times_is_one_message(app, client):
    params = sms_params("小区停水三天了")
    answers = [reply_of(signed_post(client, app, "/twilio/sms", params)) for _ in range(3)]
    assert answers[0] is not None and answers[1:] == [None, None]
    assert len(messages(app, direction="in")) == 1 and threads(app)[0].unread == 1
    assert len(messages(app, purpose="auto")) == 1


@pytest.mark.parametrize("tamper", ["unsigned", "body changed", "wrong url", "other token", "garbage"])
def test_anything_twilio_did_not_sign_is_refused_and_changes_nothing(app, client, tamper):
    params = sms_params("小区停水三天了")
    if tamper == "unsigned":
        response = client.post("/twilio/sms", data=params)
    elif tamper == "body changed":
        from twilio.request_validator import RequestValidator

        signature = RequestValidator(app.config["HOTLINE_TWILIO_AUTH_TOKEN"]).compute_signature(
            "http://localhost/twilio/sms", params)
        response = signed_post(client, app, "/twilio/sms", {**params, "Body": "CX 12345-20261127-000123"},
                               signature=signature)
    elif tamper == "wrong url":
        response = signed_post(client, app, "/twilio/sms", params, url="http://localhost/twilio/sms/status")
    elif tamper == "other token":
        from twilio.request_validator import RequestValidator

        signature = RequestValidator("not-our-token").compute_signature("http://localhost/twilio/sms", params)
        response = signed_post(client, app, "/twilio/sms", params, signature=signature)
    else:
        response = signed_post(client, app, "/twilio/sms", params, signature="bm90IGEgc2lnbmF0dXJl")
    assert response.status_code == 403 and response.get_data() == b""
    assert messages(app) == [] and threads(app) == []


def test_every_twilio_endpoint_refuses_an_unsigned_request(app, client):
    paths = [r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("twilio.")]
    assert len(paths) == 7
    for path in paths:
        assert client.post(path, data={"CallSid": "CA1", "MessageSid": "SM1", "From": PHONE}).status_code == 403, path
        assert client.get(path).status_code == 405, path


def test_an_empty_auth_token_refuses_everything(app, client, monkeypatch):
    params = sms_params("小区停水三天了")
    signed = signed_post  # signed with the token the app had
    monkeypatch.setitem(app.config, "HOTLINE_TWILIO_AUTH_TOKEN", "")
    from twilio.request_validator import RequestValidator

    signature = RequestValidator("").compute_signature("http://localhost/twilio/sms", params)
    assert signed(client, app, "/twilio/sms", params, signature=signature).status_code == 403
    assert messages(app) == []


def test_behind_a_proxy_the_public_url_is_what_twilio_signed(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "HOTLINE_PUBLIC_URL", "https://12345.jiangchuan.gov.cn")
    params = sms_params("小区停水三天了")
    proxied = {"Host": "10.0.0.7:8000"}  # the proxy forwards to the app under another name
    refused = signed_post(client, app, "/twilio/sms", params, headers=proxied)  # signed over the inner URL
    assert refused.status_code == 403 and messages(app) == []

    accepted = signed_post(client, app, "/twilio/sms", params, url="https://12345.jiangchuan.gov.cn/twilio/sms",
                           headers=proxied)
    assert reply_of(accepted) is not None and len(messages(app, direction="in")) == 1


def test_a_blocked_number_is_stored_but_neither_threaded_nor_answered(app, client, db_session):
    from sqlalchemy import select

    from hotline.clock import now
    from hotline.models import User

    operator = db_session.scalar(select(User).where(User.username == "operator"))
    blocklist.block(db_session, PHONE, "每天群发广告", operator, now())

    assert reply_of(text(client, app, "低价代开发票")) is None
    [stored] = messages(app)
    assert (stored.direction, stored.status, stored.thread_id) == ("in", "blocked", None)
    assert threads(app) == []


def test_a_number_over_the_inbound_limit_is_not_stored(app, client, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "HOTLINE_RATE_INBOUND_SMS", "3 per hour;5 per day")
    for n in range(5):
        text(client, app, f"第{n}条")
    assert [m.body for m in messages(app, direction="in")] == ["第0条", "第1条", "第2条"]
    assert threads(app)[0].unread == 3
    assert "over HOTLINE_RATE_INBOUND_SMS" in caplog.text
    assert reply_of(text(client, app, "别的号码", sender=OTHER_PHONE)) is not None  # per number


def test_automatic_answers_stop_at_the_cap_however_many_commands_arrive(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "HOTLINE_RATE_SMS_REPLIES", "3 per hour;4 per day")
    monkeypatch.setitem(app.config, "HOTLINE_RATE_INBOUND_SMS", "100 per hour")
    answers = [reply_of(text(client, app, "CX 12345-20261127-000123")) for _ in range(8)]
    assert sum(a is not None for a in answers) == 3 and answers[3:] == [None] * 5
    assert len(messages(app, purpose="auto")) == 3
    assert len(messages(app, direction="in")) == 8  # every text kept; only the answers stop


def test_a_sender_that_is_not_a_phone_number_is_kept_as_given(app, client):
    assert reply_of(text(client, app, "您的验证码是 123456", sender="CMCC")) is not None
    [thread] = threads(app)
    assert thread.phone == "CMCC"


def test_the_caller_history_shows_the_thread(app, client, db_session):
    text(client, app, "路灯不亮")
    from hotline.clock import now

    history = caller.history(db_session, PHONE, now(), None)
    assert history.thread is not None and history.thread.unread == 1
    db.session.rollback()


def test_a_signed_post_without_a_message_sid_stores_nothing(app, client):
    params = {k: v for k, v in sms_params("路灯不亮").items() if k not in ("MessageSid", "SmsSid")}
    assert reply_of(signed_post(client, app, "/twilio/sms", params)) is None
    assert messages(app) == [] and threads(app) == []
