"""POST /tokens (username + password → a token, shown once), GET /tokens, DELETE /tokens/<id>."""
from __future__ import annotations

from flask import current_app, jsonify
from flask_babel import gettext as _

from hotline.clock import now
from hotline.domain.errors import InvalidFields, NotFound
from hotline.extensions import db, limiter
from hotline.models import ApiToken
from hotline.services import tokens
from hotline.services.serialize import when
from hotline.web.access import client_ip
from hotline.web.api import bp
from hotline.web.api.auth import caller, production
from hotline.web.api.body import json_body, row_id, text
from hotline.web.api.errors import problem


def token_json(token: ApiToken) -> dict:
    return {"id": token.id, "name": token.name, "created_at": when(token.created_at),
            "last_used_at": when(token.last_used_at)}


@bp.post("/tokens")
@limiter.limit(lambda: current_app.config["HOTLINE_RATE_LOGIN"])
def create_token():
    body = json_body()
    errors: dict[str, str] = {}
    username = text(body, "username", errors, required=True, limit=64)
    password = body.get("password")
    if not isinstance(password, str) or not password:
        errors["password"] = "required"
    elif len(password) > 256:
        errors["password"] = "too_long"
    name = text(body, "name", errors, required=False, limit=tokens.NAME_MAX)
    if errors:
        raise InvalidFields("fields", errors)
    user = tokens.check_credentials(db.session, username, password, production=production(), at=now(),
                                    ip=client_ip())
    if user is None:
        return problem(401, "invalid_credentials", message=_("Wrong username or password."))
    token, raw = tokens.issue(db.session, user, name, at=now(), ip=client_ip())
    response = jsonify({"token": raw, **token_json(token)})
    response.headers["Cache-Control"] = "no-store"
    return response, 201


@bp.get("/tokens")
def list_tokens():
    return jsonify({"items": [token_json(t) for t in tokens.owned(db.session, caller())]})


@bp.delete("/tokens/<int:token_id>")
def revoke_token(token_id: int):
    if not tokens.revoke(db.session, caller(), row_id(token_id, "token"), at=now(), ip=client_ip()):
        raise NotFound("token")
    return "", 204

