"""Per-request behaviour shared by every page."""
import re

from flask import Flask, abort, g, request, session

from hotline.web.i18n import LOCALES


def register(app: Flask) -> None:
    @app.before_request
    def refuse_nul():
        """A NUL character is in no text a person types, and PostgreSQL refuses even to compare one: a page's path,
        query or form holding one is bad input (400), not a server error. The API and Open311 refuse it themselves,
        naming the field in their own kind of error."""
        if request.blueprint in ("api", "open311"):
            return
        if any("\x00" in str(v) for v in (request.view_args or {}).values()) or any(
                "\x00" in name or any("\x00" in v for v in values) for name, values in request.values.lists()):
            abort(400)

    @app.before_request
    def remember_language():
        lang = request.args.get("lang")
        if lang in LOCALES:
            session["lang"] = lang

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # g.media_origin: the one other place a page may play audio from (a voice message stays with Twilio)
        media = f"media-src 'self' {g.media_origin}; " if getattr(g, "media_origin", None) else ""
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            f"{media}frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
        )
        if app.config["HOTLINE_ENV"] == "production":
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if getattr(g, "personal_data_shown", False):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.template_filter("phone")
    def phone_filter(e164: str | None) -> str:
        """+8613812345678 → +86 138 1234 5678, readable on a call; masked numbers pass through."""
        from hotline.domain.phone import readable
        return readable(e164)

    @app.template_filter("document_links")
    def document_links_filter(body: str, shown: bool = False) -> str:
        """A petition document's link in a texted message is the petitioner's key to it: on a case page it is cut
        short, unless this reader may read the document and the message never left (the development transport)."""
        if shown:
            return body
        from hotline.services.petition_documents import LINK_PATH
        return re.sub(re.escape(LINK_PATH) + r"[\w-]+", LINK_PATH + "…", body)

    @app.context_processor
    def template_globals():
        from flask_babel import get_locale

        from hotline.web import labels
        from hotline.web.i18n import city_name
        return {"labels": labels, "city_name": city_name(), "locale": str(get_locale())}
