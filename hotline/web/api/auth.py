"""Bearer tokens: every API request but the one that issues a token names its user in
`Authorization: Bearer <token>`. The session cookie is never looked at, which is why the API needs no
CSRF token."""
from __future__ import annotations

from flask import Blueprint, current_app, g, request

from hotline.clock import now
from hotline.domain.errors import Forbidden
from hotline.domain.roles import Role
from hotline.extensions import db
from hotline.models import User
from hotline.services import tokens
from hotline.web.api.errors import problem

OPEN_ENDPOINTS = {"api.create_token", "api.openapi"}  # the description holds no data


def bearer() -> str:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""


def production() -> bool:
    return current_app.config["HOTLINE_ENV"] == "production"


def caller() -> User:
    return g.api_user


def require_role(*roles: Role) -> None:
    if Role(caller().role) not in roles:
        raise Forbidden("role")


def register(bp: Blueprint) -> None:
    @bp.before_request
    def authenticate():
        if request.endpoint in OPEN_ENDPOINTS:
            return None
        user = tokens.authenticate(db.session, bearer(), production=production(), at=now())
        if user is None:
            response, status = problem(401)
            response.headers["WWW-Authenticate"] = 'Bearer realm="hotline"'
            return response, status
        g.api_user = user
        return None
