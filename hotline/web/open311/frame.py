"""What every Open311 resource shares: its format from the URL (.xml or .json), the reader's language, the
jurisdiction_id check, the rate limit, and errors as the spec's array of {code, description} in the format asked
for — never an HTML page, whatever went wrong (an unknown format or resource answers 404 in JSON)."""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable

from flask import current_app, g, request
from flask_babel import force_locale
from werkzeug.exceptions import HTTPException

from hotline.domain.open311 import FORMATS
from hotline.web.i18n import LOCALES
from hotline.web.open311 import bp, keys
from hotline.web.open311.render import respond
from hotline.web.open311.wording import message

log = logging.getLogger(__name__)
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
BY_STATUS = {400: "bad_request", 403: "api_key_invalid", 404: "not_found", 405: "method_not_allowed",
             429: "rate_limited", 500: "server_error"}


class Refusal(Exception):
    """An answer of errors: [(status, code, field)], the highest status first (it becomes the HTTP status)."""

    def __init__(self, problems: Iterable[tuple[int, str, str]], allow: Iterable[str] = ()):
        self.problems = sorted(problems, key=lambda p: -p[0])
        self.allow = tuple(allow)
        super().__init__(self.problems)


def language() -> str:
    """?lang=en, else the Accept-Language the client prefers among ours, else Chinese."""
    chosen = request.args.get("lang")
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(LOCALES) or "zh"


def en() -> bool:
    return language() == "en"


def fmt() -> str:
    return g.get("open311_format") or ("xml" if request.path.endswith(".xml") else "json")


def errors(problems: list[tuple[int, str, str]], allow: Iterable[str] = ()):
    with force_locale(language()):
        body = [{"code": status, "description": message(code, field,
                                                        ours=current_app.config["HOTLINE_OPEN311_JURISDICTION"])}
                for status, code, field in problems]
    response = respond(fmt(), "errors", body, status=problems[0][0])
    if allow:
        response.headers["Allow"] = ", ".join(allow)
    return response


def check_jurisdiction() -> None:
    given = (request.values.get("jurisdiction_id") or "").strip()
    if given and given != current_app.config["HOTLINE_OPEN311_JURISDICTION"]:
        raise Refusal([(404, "jurisdiction_unknown", "jurisdiction_id")])


def resource(rule: str, methods: tuple[str, ...] = ("GET",)) -> Callable:
    """Registers `view(fmt, **args)` for `rule` (which ends in .<fmt>) under every method, so that a method it
    does not take gets the spec's error array (405) rather than the site's HTML page."""
    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def framed(**args):
            g.open311_format = args.pop("fmt", None)
            if g.open311_format not in FORMATS:
                g.open311_format = "json"
                raise Refusal([(404, "format_unknown", "")])
            if request.method not in methods and not (request.method == "HEAD" and "GET" in methods):
                raise Refusal([(405, "method_not_allowed", "")], allow=methods)
            refuse_nul(args)
            check_jurisdiction()
            if keys.unknown_key_named():
                raise Refusal([(403, "api_key_invalid", "api_key")])
            with force_locale(language()):
                return view(g.open311_format, **args)

        bp.add_url_rule(rule, view.__name__, keys.limited(framed), methods=ALL_METHODS)
        return view
    return decorate


def refuse_nul(path_args: dict) -> None:
    """A NUL character is in no text a person writes, and PostgreSQL refuses even to compare one: in the path the
    thing named does not exist (404); in a field or a query parameter it is bad input (400), never a server error."""
    if any("\x00" in str(value) for value in path_args.values()):
        raise Refusal([(404, "not_found", "")])
    bad = sorted({name.replace("\x00", "") or "field" for name, values in request.values.lists()
                  if "\x00" in name or any("\x00" in v for v in values)})
    if bad:
        raise Refusal([(400, "invalid_character", name) for name in bad])


@bp.errorhandler(Refusal)
def refused(exc: Refusal):
    return errors(exc.problems, exc.allow)


def http_error(exc: HTTPException):
    status = exc.code if exc.code in BY_STATUS else 400
    return errors([(status, BY_STATUS[status], "")])


# An app-wide handler for a status wins over a blueprint's generic one, so each is named here.
for _status in (400, 403, 404, 405, 413, 429):
    bp.register_error_handler(_status, http_error)
bp.register_error_handler(HTTPException, http_error)


@bp.errorhandler(Exception)
def server_error(exc: Exception):
    if isinstance(exc, HTTPException):
        return http_error(exc)
    log.exception("Open311 request failed")
    return errors([(500, "server_error", "")])


@bp.route("/", defaults={"rest": ""}, methods=ALL_METHODS)
@bp.route("/<path:rest>", methods=ALL_METHODS)
def nothing_here(rest: str):
    """Any other path under /open311: the spec's 404, not the site's page."""
    raise Refusal([(404, "not_found", "")])
