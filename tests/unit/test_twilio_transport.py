"""The Twilio transport (issue 6 §2), with Twilio's own REST client and only its HTTP layer replaced: what it
sends, and how each kind of answer from Twilio is classed — a permanent error (the number will never get the
message: recorded, not retried) or a transient one (RQ tries again with backoff)."""
from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import pytest
import requests
from twilio.http import HttpClient
from twilio.http.response import Response

from hotline.integrations.sms import PermanentSmsError, TransientSmsError, TwilioTransport, twiml_message

SID, TOKEN = "AC" + "0" * 32, "secret-token"
CALLBACK = "https://hotline.example.cn/twilio/sms/status"


class Recording(HttpClient):
    """Twilio's HTTP layer, answering from a script and keeping every request it was asked to make."""

    def __init__(self, *answers):
        super().__init__(logging.getLogger("tests.twilio"), is_async=False)
        self.answers, self.requests = list(answers), []

    def request(self, method, uri, params=None, data=None, headers=None, auth=None, timeout=None,
                allow_redirects=False):
        self.requests.append({"method": method, "uri": uri, "data": data, "auth": auth, "headers": headers})
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def created(sid="SM" + "a" * 32) -> Response:
    return Response(201, json.dumps({"sid": sid, "status": "queued", "account_sid": SID, "to": "+8613812345678",
                                     "body": "…", "error_code": None}))


def error(status: int, code: int, message: str = "refused") -> Response:
    return Response(status, json.dumps({"code": code, "message": message, "status": status,
                                        "more_info": f"https://www.twilio.com/docs/errors/{code}"}))


def transport(http, sender="+12025550100", callback=CALLBACK) -> TwilioTransport:
    return TwilioTransport(SID, TOKEN, sender, status_callback_url=callback, http_client=http)


def test_a_message_is_posted_to_the_accounts_messages_with_its_callback():
    http = Recording(created("SM123"))
    result = transport(http).send("+8613812345678", "【江川市12345】您反映的事项已受理", "+12025550100")

    assert (result.provider_id, result.status) == ("SM123", "sent")
    [sent] = http.requests
    assert sent["method"] == "POST"
    assert sent["uri"] == f"https://api.twilio.com/2010-04-01/Accounts/{SID}/Messages.json"
    assert sent["auth"] == (SID, TOKEN)
    assert sent["data"] == {"To": "+8613812345678", "Body": "【江川市12345】您反映的事项已受理", "From": "+12025550100",
                            "StatusCallback": CALLBACK}
    # and it goes on the wire as Twilio expects: a form, in UTF-8
    assert "Body=%E3%80%90" in urlencode(sent["data"])


def test_a_messaging_service_sender_picks_its_own_number_and_no_callback_without_a_public_url():
    http = Recording(created())
    transport(http, callback=None).send("+8613812345678", "text", "MG" + "1" * 32)
    [sent] = http.requests
    assert sent["data"] == {"To": "+8613812345678", "Body": "text", "MessagingServiceSid": "MG" + "1" * 32}


def test_the_sender_of_the_transport_is_used_when_none_is_given():
    http = Recording(created())
    transport(http, sender="+12025550199").send("+8613812345678", "text")
    assert http.requests[0]["data"]["From"] == "+12025550199"


@pytest.mark.parametrize("code", [21211, 21214, 21408, 21610, 21612, 21614, 30003, 30004, 30005, 30006])
def test_a_number_that_can_never_receive_is_a_permanent_error(code):
    with pytest.raises(PermanentSmsError, match=str(code)):
        transport(Recording(error(400, code))).send("+8613812345678", "text")


@pytest.mark.parametrize("answer", [
    error(429, 20429, "Too Many Requests"), error(500, 20500, "Internal Server Error"),
    Response(503, "<html>Service Unavailable</html>"), error(400, 21999, "something new"),
    requests.ConnectionError("Name or service not known"), requests.Timeout("read timed out"),
])
def test_overload_outages_and_the_network_are_transient(answer):
    with pytest.raises(TransientSmsError):
        transport(Recording(answer)).send("+8613812345678", "text")


def test_wrong_credentials_are_retried_and_logged_as_a_configuration_error(caplog):
    with caplog.at_level(logging.ERROR, logger="hotline.sms"), pytest.raises(TransientSmsError, match="20003"):
        transport(Recording(error(401, 20003, "Authenticate"))).send("+8613812345678", "text")
    assert "configuration" in caplog.text and "HOTLINE_TWILIO_AUTH_TOKEN" in caplog.text
    assert TOKEN not in caplog.text


def test_the_transport_needs_its_credentials():
    with pytest.raises(ValueError):
        TwilioTransport("", TOKEN, "+12025550100")


def test_the_twiml_answer_to_a_text():
    assert twiml_message("【江川市12345】短信已收到") == (
        '<?xml version="1.0" encoding="UTF-8"?><Response><Message>【江川市12345】短信已收到</Message></Response>')
    assert twiml_message(None) == '<?xml version="1.0" encoding="UTF-8"?><Response />'
