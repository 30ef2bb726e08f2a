"""SMS transports. The development transport sends nothing: the message stays in the database,
marked delivered, and the case page shows it. The Twilio transport hands each message to Twilio's REST API;
Twilio then reports its fate to /twilio/sms/status (hotline.services.sms_inbound.record_status)."""
from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse


@dataclass(frozen=True)
class SendResult:
    provider_id: str
    status: str  # "sent" (accepted by the provider) or "delivered"


class PermanentSmsError(Exception):
    """The number can never receive this message (invalid, blocked, opted out): record, do not retry."""


class TransientSmsError(Exception):
    """Worth another try later (network, provider overloaded)."""


class SmsTransport(Protocol):
    name: str

    def send(self, to: str, body: str, sender: str) -> SendResult: ...


log = logging.getLogger("hotline.sms")


class DevTransport:
    """Records instead of sending; what a developer or a trainer sees on the case page. `delay` holds each
    message that many seconds first, like a slow provider, so a test can kill a worker in mid-send."""

    name = "dev"

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    def send(self, to: str, body: str, sender: str) -> SendResult:
        if not to.startswith("+"):
            raise PermanentSmsError(f"not an E.164 number: {to}")
        if self.delay:
            log.info("dev transport: sending to %s, taking %.1f s (HOTLINE_SMS_DEV_DELAY)", to[:6], self.delay)
            time.sleep(self.delay)
        return SendResult(provider_id=f"dev-{uuid.uuid4().hex[:16]}", status="delivered")


# Twilio error codes that mean this number will never get this message: invalid, unreachable, a landline,
# not allowed in that region, opted out (STOP), blocked by the carrier. Recorded, never retried.
PERMANENT_CODES = frozenset({
    21211, 21214, 21217, 21219, 21401, 21407, 21408, 21601, 21604, 21610, 21612, 21614, 21635,
    30003, 30004, 30005, 30006, 30007, 30008,
})
# Our account or sender is wrong (bad credentials, unknown account, a From that is not ours): every message
# fails until someone fixes the configuration, after which the retries get them out.
CONFIG_CODES = frozenset({20003, 20404, 21212, 21606, 21659})
TIMEOUT_SECONDS = 15


class TwilioTransport:
    """Twilio's Programmable Messaging. `sender` is a Twilio number (E.164 or a short code) or a Messaging Service
    SID ("MG…", which picks the number itself). `http_client` replaces the HTTP layer (tests)."""

    name = "twilio"

    def __init__(self, account_sid: str, auth_token: str, sender: str, status_callback_url: str | None = None,
                 http_client: HttpClient | None = None) -> None:
        if not (account_sid and auth_token):
            raise ValueError("the Twilio transport needs an account SID and an auth token")
        self.sender = sender
        self.status_callback_url = status_callback_url
        self.client = Client(account_sid, auth_token,
                             http_client=http_client or TwilioHttpClient(timeout=TIMEOUT_SECONDS))

    def send(self, to: str, body: str, sender: str = "") -> SendResult:
        sender = sender or self.sender
        origin = {"messaging_service_sid": sender} if sender.startswith("MG") else {"from_": sender}
        if self.status_callback_url:
            origin["status_callback"] = self.status_callback_url
        try:
            message = self.client.messages.create(to=to, body=body, **origin)
        except (TwilioRestException, TwilioServiceException) as exc:
            raise classify(exc) from exc
        except (requests.RequestException, TwilioException, OSError) as exc:
            raise TransientSmsError(f"Twilio not reached: {type(exc).__name__}: {exc}") from exc
        return SendResult(provider_id=message.sid, status="sent")


def classify(exc: TwilioRestException | TwilioServiceException) -> PermanentSmsError | TransientSmsError:
    """Twilio's answer → record and give up, or try again later (RQ's backoff in outbox.JOBS)."""
    status, code = exc.status, exc.code
    text = f"Twilio {status} error {code}: {getattr(exc, 'msg', '') or getattr(exc, 'title', '')}"
    if code in PERMANENT_CODES:
        return PermanentSmsError(text)
    if code in CONFIG_CODES or status == 401:
        log.error("SMS not sent: the Twilio configuration is wrong (%s); check HOTLINE_TWILIO_ACCOUNT_SID, "
                  "HOTLINE_TWILIO_AUTH_TOKEN and HOTLINE_SMS_SENDER", text)
    elif status != 429 and code != 20429 and status < 500:
        log.warning("SMS not sent, will retry: %s", text)
    return TransientSmsError(text)


def twiml_message(body: str | None) -> str:
    """The TwiML that answers an inbound text: `body` sent back to the sender, or nothing at all."""
    response = MessagingResponse()
    if body:
        response.message(body)
    return str(response)


def transport_for(name: str, dev_delay: float = 0.0) -> SmsTransport:
    if name == "dev":
        return DevTransport(dev_delay)
    raise ValueError(f"unknown SMS transport {name!r} (the Twilio transport is built by transport_from_config)")


def transport_from_config(config: Mapping) -> SmsTransport:
    """The transport HOTLINE_SMS_TRANSPORT names. Twilio reports each message's delivery to the status callback
    under HOTLINE_PUBLIC_URL; without a public URL it cannot reach us, and the message stays "sent"."""
    if config["HOTLINE_SMS_TRANSPORT"] != "twilio":
        return transport_for(config["HOTLINE_SMS_TRANSPORT"], config.get("HOTLINE_SMS_DEV_DELAY", 0.0))
    public_url = config.get("HOTLINE_PUBLIC_URL") or ""
    return TwilioTransport(config["HOTLINE_TWILIO_ACCOUNT_SID"], config["HOTLINE_TWILIO_AUTH_TOKEN"],
                           config["HOTLINE_SMS_SENDER"],
                           status_callback_url=public_url + "/twilio/sms/status" if public_url else None)
