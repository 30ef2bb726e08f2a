"""Texts: Twilio posts each inbound text to /twilio/sms and answers the sender with our TwiML; it reports the
fate of every text we sent to /twilio/sms/status."""
from __future__ import annotations

from flask import current_app, request

from hotline.clock import now
from hotline.extensions import db
from hotline.integrations.sms import twiml_message
from hotline.services import sms_inbound
from hotline.web.twilio import bp
from hotline.web.twilio.signature import nothing, twilio_signed, twiml


@bp.post("/sms")
@twilio_signed
def inbound_sms():
    form = request.form
    text = sms_inbound.Inbound(sid=form.get("MessageSid") or form.get("SmsSid") or "", sender=form.get("From", ""),
                               to=form.get("To", ""), body=form.get("Body", ""))
    reply = sms_inbound.receive(db.session, text, now(), sms_inbound.Settings.from_config(current_app.config))
    return twiml(twiml_message(reply))


@bp.post("/sms/status")
@twilio_signed
def sms_status():
    form = request.form
    sms_inbound.record_status(db.session, form.get("MessageSid") or form.get("SmsSid") or "",
                              form.get("MessageStatus") or form.get("SmsStatus") or "", form.get("ErrorCode", ""),
                              now())
    return nothing()
