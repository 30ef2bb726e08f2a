"""Route guards: every view says who may use it."""
from __future__ import annotations

from functools import wraps

from flask import abort, request
from flask_login import current_user

from hotline.domain.roles import Role


def roles_required(*roles: Role):
    allowed = {Role(r) for r in roles}

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                from hotline.extensions import login_manager
                return login_manager.unauthorized()
            if Role(current_user.role) not in allowed:
                abort(403)
            return view(*args, **kwargs)
        return guarded
    return decorate


def client_ip() -> str:
    return request.remote_addr or ""


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site: never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback
