"""Twilio's webhooks: inbound texts, delivery reports, calls and voice mail. No cookie and no CSRF token comes
with them; each request is trusted only when its X-Twilio-Signature checks out (signature.py)."""
from flask import Blueprint

bp = Blueprint("twilio", __name__, url_prefix="/twilio")

from hotline.web.twilio import sms, voice  # noqa: E402,F401
