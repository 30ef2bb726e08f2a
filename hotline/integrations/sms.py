"""SMS transports. The development transport sends nothing: the message stays in the database,
marked delivered, and the case page shows it. The Twilio transport arrives with the SMS channel."""
from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from typing import Protocol


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


def transport_for(name: str, dev_delay: float = 0.0) -> SmsTransport:
    if name == "dev":
        return DevTransport(dev_delay)
    raise ValueError(f"unknown SMS transport {name!r}")
