"""The users the system acts as: the dispatch catalogue, the deadline sweep. They cannot sign in, and each
step they take is recorded under their name, like anyone else's."""
from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from hotline.domain.roles import Role
from hotline.models import User

ROUTING = "routing"  # the catalogue acts as a dispatcher
SWEEP = "sweep"  # the deadline sweep acts as a supervisor: 督办 on a breach, the close of a lapsed callback
SMS = "sms"  # a rating answered by text (回访 by SMS) is recorded as an operator's callback would be
# a citizen's rating on the tracking page, and the redo (重办) they ask for there: a dispatcher may take both
PORTAL = "portal"

_PROFILE = {ROUTING: (Role.DISPATCHER, "派单目录（自动派单）"), SWEEP: (Role.SUPERVISOR, "超期监控（系统）"),
            SMS: (Role.OPERATOR, "短信回访（系统）"), PORTAL: (Role.DISPATCHER, "市民网上评价")}


def get(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        role, display_name = _PROFILE[username]
        user = User(username=username, display_name=display_name, role=role, active=False,
                    password_hash=generate_password_hash(secrets.token_urlsafe(32), method="scrypt"))
        session.add(user)
        session.commit()
    return user
