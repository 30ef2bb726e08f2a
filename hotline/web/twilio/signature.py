"""Twilio signs every webhook with the account's auth token over the URL it called and the form it posted
(X-Twilio-Signature). Nothing else vouches for these requests: no cookie, no CSRF token, no sign-in."""
from __future__ import annotations

import logging
from functools import wraps

from flask import Response, current_app, request, url_for
from twilio.request_validator import RequestValidator

log = logging.getLogger("hotline.twilio")


def signed_url() -> str:
    """The URL Twilio called. Behind a proxy the request's own URL differs (host, scheme, port), so with
    HOTLINE_PUBLIC_URL set the URL is that address and the path and query as received."""
    public = current_app.config.get("HOTLINE_PUBLIC_URL") or ""
    if not public:
        return request.url
    full_path = request.full_path
    return public + (full_path[:-1] if full_path.endswith("?") else full_path)


def public_url_for(endpoint: str) -> str:
    """Where Twilio should post next: absolute under HOTLINE_PUBLIC_URL, else relative (Twilio resolves it
    against the URL it called)."""
    path = url_for(endpoint)
    public = current_app.config.get("HOTLINE_PUBLIC_URL") or ""
    return public + path[len(request.script_root):] if public else path


def twilio_signed(view):
    """403 with an empty body, before anything is read or written, unless the signature is Twilio's. An empty
    auth token refuses everything: nobody can sign with it."""
    @wraps(view)
    def checked(*args, **kwargs):
        token = current_app.config.get("HOTLINE_TWILIO_AUTH_TOKEN") or ""
        signature = request.headers.get("X-Twilio-Signature", "")
        if not (token and signature and RequestValidator(token).validate(signed_url(), request.form, signature)):
            log.warning("refused an unsigned or wrongly signed request to %s from %s", request.path,
                        request.remote_addr)
            return Response(status=403)
        return view(*args, **kwargs)
    return checked


def twiml(body: str) -> Response:
    return Response(body, status=200, mimetype="text/xml")


def nothing() -> Response:
    """200 and an empty TwiML document: Twilio's callbacks need no answer, and this one logs no warning."""
    return twiml('<?xml version="1.0" encoding="UTF-8"?><Response />')
