"""Calls: Twilio asks /twilio/voice what to do with each call to the hotline, and posts each later step (the key
pressed, the operators' line not answering, the recording, its transcription) to the addresses we give it."""
from __future__ import annotations

from flask import Response, current_app, request

from hotline.clock import now
from hotline.domain.voice import Route, Turn
from hotline.extensions import db
from hotline.integrations import voice as twiml_voice
from hotline.services import voicemail
from hotline.web.twilio import bp
from hotline.web.twilio.signature import nothing, public_url_for, twilio_signed, twiml


def _settings() -> voicemail.Settings:
    return voicemail.Settings.from_config(current_app.config)


def _say(turn: Turn | None, settings: voicemail.Settings) -> Response:
    cfg = current_app.config
    prompts = twiml_voice.Prompts(cfg["HOTLINE_CITY_NAME"], settings.hours)
    urls = twiml_voice.Urls(menu=public_url_for("twilio.voice_menu"), dialed=public_url_for("twilio.voice_dialed"),
                            recorded=public_url_for("twilio.voice_recorded"),
                            transcription=public_url_for("twilio.voice_transcription"))
    if turn is None:
        return twiml(twiml_voice.goodbye())
    if turn.route is Route.OPERATORS:
        return twiml(twiml_voice.operators(prompts, settings.operators, urls, menu=turn.reason == "greeting"))
    if turn.route is Route.VOICEMAIL:
        return twiml(twiml_voice.record(prompts, urls, cfg["HOTLINE_VOICE_TRANSCRIBE"], turn.reason))
    return twiml(twiml_voice.refuse(prompts, turn.reason))


@bp.post("/voice")
@twilio_signed
def voice_call():
    settings = _settings()
    return _say(voicemail.route_call(db.session, request.form.get("From", ""), now(), settings), settings)


@bp.post("/voice/menu")
@twilio_signed
def voice_menu():
    settings = _settings()
    form = request.form
    return _say(voicemail.menu(db.session, form.get("From", ""), form.get("Digits", ""), now(), settings), settings)


@bp.post("/voice/dialed")
@twilio_signed
def voice_dialed():
    settings = _settings()
    form = request.form
    return _say(voicemail.after_dial(db.session, form.get("From", ""), form.get("DialCallStatus", ""), now(),
                                     settings), settings)


@bp.post("/voice/recorded")
@twilio_signed
def voice_recorded():
    form = request.form
    voicemail.record(db.session, form.get("CallSid", ""), form.get("From", ""), form.get("RecordingSid", ""),
                     form.get("RecordingUrl", ""), form.get("RecordingDuration", ""), now(), _settings())
    return twiml(twiml_voice.thanks())


@bp.post("/voice/transcription")
@twilio_signed
def voice_transcription():
    form = request.form
    voicemail.transcribed(db.session, form.get("CallSid", ""), form.get("TranscriptionText", ""),
                          form.get("TranscriptionStatus", ""))
    return nothing()
