"""API keys for outside systems: what a key may be used for, and how a key looks."""
from __future__ import annotations

import hashlib

PREFIX = "h311_"  # tells a hotline key apart from other secrets in a config file or a leaked log
SHOWN = 12  # characters of the key kept in clear, so people can tell their keys apart

CREATE = "requests:create"  # POST /open311/v2/requests
READ = "requests:read"  # GET requests when HOTLINE_OPEN311_PUBLIC_READ is off
SCOPES = (CREATE, READ)
NAME_MAX = 64


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def valid_scopes(scopes) -> bool:
    return bool(scopes) and all(s in SCOPES for s in scopes)
