"""Every API error is JSON: {"error": <code>, "message": <the reader's language>, ...details}."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from hotline.clock import local
from hotline.domain.errors import Conflict, Forbidden, InvalidFields, NotFound
from hotline.web import labels
from hotline.web.field_errors import file_message

BY_STATUS = {
    400: ("bad_request", _l("The request could not be understood. Send a JSON object.")),
    401: ("unauthorized", _l("Send a valid API token in the header: Authorization: Bearer <token>.")),
    403: ("forbidden", _l("You may not do this.")),
    404: ("not_found", _l("There is no such resource, or it is not visible to you.")),
    405: ("method_not_allowed", _l("This method is not allowed here.")),
    409: ("conflict", _l("The case is not in a state that allows this.")),
    413: ("too_large", _l("What you sent is too large.")),
    415: ("unsupported_media_type", _l("Send JSON with Content-Type: application/json.")),
    422: ("invalid_fields", _l("Some fields are missing or not valid.")),
    429: ("rate_limited", _l("Too many attempts. Please wait a moment and try again.")),
    500: ("server_error", _l("Something went wrong on our side. Your last action may not have been saved.")),
}

FORBIDDEN = {
    "role": _l("Your role may not take this action."),
    "department": _l("Only the department this case is assigned to (for some actions, its lead department) "
                     "may take this action."),
}

CONFLICT = {
    "state": _l("The case is not in a state that allows this action."),
    "stale": _l("This case was changed after you loaded it. Load it again and decide again."),
    "already_signed": _l("Your department has already signed for this case."),
    "designated": _l("This case has been dispatched three times and is designated: it may not be returned."),
    "return_window_closed": _l("The time to return this case (2 working days after dispatch) has passed."),
    "extension_used": _l("An extension has already been requested for this case; it is allowed once."),
    "no_pending_extension": _l("There is no extension request waiting for a decision."),
    "not_signed": _l("Sign for the case before replying."),
    "already_replied": _l("Your department has already replied."),
    "already_reviewed": _l("The reply has already been reviewed."),
    "reply_not_reviewed": _l("The reply has not been reviewed yet."),
    "callback_done": _l("The callback for this reply has already been made."),
    "no_callback": _l("There has been no callback yet."),
    "callback_satisfied": _l("The person was satisfied and the matter resolved: there is nothing to redo."),
    "same_matter_settled": _l("The same facts and reasons were concluded after re-review (复核) in the case "
                              "named here: they are not accepted again (Art. 36). Register it only with new facts "
                              "or reasons (new_facts)."),
}


def problem(status: int, error: str | None = None, message=None, **extra):
    code, default = BY_STATUS.get(status, ("error", BY_STATUS[400][1]))
    body = {"error": error or code, "message": str(message or default), **extra}
    return jsonify(body), status


def _conflict_sentence(code: str) -> str:
    """The API's own sentence, else the petition procedure's reason in the pages' words (web/labels.py)."""
    if code in CONFLICT:
        return str(CONFLICT[code])
    if code in labels.CONFLICT:
        return _("This cannot be done now: %(why)s.", why=labels.CONFLICT[code])
    return str(BY_STATUS[409][1])


def _last_change_sentence(change: dict) -> str:
    if not change.get("by"):
        return ""
    at = local(datetime.fromisoformat(change["at"]), current_app.config["HOTLINE_TIMEZONE"])
    return _("Last change: %(action)s by %(by)s at %(at)s.", action=change["action"], by=change["by"],
             at=at.strftime("%Y-%m-%d %H:%M"))


def register(bp: Blueprint) -> None:
    @bp.errorhandler(NotFound)
    def not_found(exc):
        return problem(404)

    @bp.errorhandler(Forbidden)
    def forbidden(exc):
        return problem(403, message=FORBIDDEN.get(exc.code), reason=exc.code)

    @bp.errorhandler(Conflict)
    def conflict(exc):
        # a step refused by the procedure says who changed the case last; a registration refused names its case
        changed = not exc.detail or "version" in exc.detail
        message = " ".join(s for s in (_conflict_sentence(exc.code),
                                       _last_change_sentence(exc.detail) if changed else "") if s)
        if not changed:
            return problem(409, message=message, reason=exc.code, **exc.detail)
        return problem(409, message=message, reason=exc.code, last_change=exc.detail or None)

    @bp.errorhandler(InvalidFields)
    def invalid(exc):
        if not exc.files:
            return problem(422, fields=exc.detail)
        message = " ".join([str(BY_STATUS[422][1]), *(file_message(p) for p in exc.files)])
        files = [{"index": p.index, "name": p.name, "error": p.code} for p in exc.files]
        return problem(422, message=message, fields=exc.detail, files=files)

    def http_error(exc: HTTPException):
        return problem(exc.code or 500)

    # An app-wide handler for a status wins over a blueprint's generic one, so each is named here.
    for status in BY_STATUS:
        bp.register_error_handler(status, http_error)
    bp.register_error_handler(HTTPException, http_error)
