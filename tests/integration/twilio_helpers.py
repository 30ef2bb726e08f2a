"""Posting to the Twilio webhooks exactly as Twilio does: a form, signed with the account's auth token over the
URL Twilio called (twilio.request_validator.RequestValidator), and reading back what was stored."""
from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from twilio.request_validator import RequestValidator

from hotline.extensions import db
from hotline.models import SmsMessage, SmsThread, Voicemail
from tests.integration.lifecycle_helpers import PHONE, dept, new_case, step

OUR_NUMBER = "+12025550100"
OTHER_PHONE = "+8613900001111"
_sids = itertools.count(1)


def signed_post(client, app, path: str, params: dict, url: str | None = None, headers: dict | None = None,
                signature: str | None = None):
    """`url` is the address Twilio called (it differs from the test client's behind a proxy)."""
    url = url or "http://localhost" + path
    token = app.config["HOTLINE_TWILIO_AUTH_TOKEN"]
    if signature is None:
        signature = RequestValidator(token).compute_signature(url, params)
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature, **(headers or {})})


def sms_params(body: str, sender: str = PHONE, sid: str | None = None) -> dict:
    """What Twilio posts for an inbound text (the fields that matter, and a few that do not)."""
    return {"MessageSid": sid or f"SM{next(_sids):032x}", "SmsSid": "", "AccountSid": "AC" + "0" * 32,
            "From": sender, "To": OUR_NUMBER, "Body": body, "NumMedia": "0", "NumSegments": "1",
            "FromCountry": "CN", "ToCountry": "US", "ApiVersion": "2010-04-01"}


def text(client, app, body: str, sender: str = PHONE, sid: str | None = None):
    return signed_post(client, app, "/twilio/sms", sms_params(body, sender, sid))


def reply_of(response) -> str | None:
    """The text of the TwiML answer, or None when it answers nothing."""
    assert response.status_code == 200 and response.mimetype == "text/xml", response.status_code
    root = ET.fromstring(response.get_data(as_text=True))
    assert root.tag == "Response"
    messages = root.findall("Message")
    assert len(messages) <= 1
    return messages[0].text if messages else None


def messages(app, **where) -> list[SmsMessage]:
    with app.app_context():
        query = select(SmsMessage).filter_by(**where).order_by(SmsMessage.id)
        rows = db.session.scalars(query).all()
        db.session.expunge_all()
        return rows


def threads(app) -> list[SmsThread]:
    with app.app_context():
        rows = db.session.scalars(select(SmsThread).order_by(SmsThread.id)).all()
        db.session.expunge_all()
        return rows


def voicemails(app) -> list[Voicemail]:
    with app.app_context():
        rows = db.session.scalars(select(Voicemail).order_by(Voicemail.id)).all()
        db.session.expunge_all()
        return rows


def replied_and_reviewed(app, phone: str = PHONE, hours_ago: int = 4) -> str:
    """A case of `phone` whose reply the centre approved a moment ago: awaiting the callback (回访)."""
    start = datetime.now(UTC) - timedelta(hours=hours_ago)
    number = new_case(app, at=start, phone=phone)
    step(app, number, "dispatcher", "dispatch", at=start + timedelta(minutes=5), lead_department_id=dept(app, "cgw"),
         co_department_ids=[])
    step(app, number, "cgw-staff", "sign", at=start + timedelta(minutes=10))
    step(app, number, "cgw-staff", "reply", at=start + timedelta(minutes=20), text="已责令夜间停工", resolved=True)
    step(app, number, "dispatcher", "review-reply", at=start + timedelta(minutes=30), decision="approve")
    return number
