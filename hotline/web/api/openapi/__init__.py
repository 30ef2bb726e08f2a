"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json and browsed at /api/docs.
Kept as data by feature (paths_*.py, schemas.py); tests/integration/test_openapi.py checks that it names every
route of the app with its methods, and nothing else, and schemathesis tests the API against it."""
from __future__ import annotations

import copy
from functools import cache

from hotline.web.api.openapi import paths_actions, paths_cases, paths_reference
from hotline.web.api.openapi.common import RESPONSES
from hotline.web.api.openapi.schemas import SCHEMAS

VERSION = "1.0.0"

INTRO = """JSON over HTTPS for call-centre software, department back offices and city dashboards.
The contract (fields are added, never renamed or removed, within v1) and examples: docs/api.md.

- Every reference is a **code** (`dh-cgj`, `city.noise-construction`), never a database id.
- Times are ISO 8601 with their offset, in UTC.
- A caller sees and does exactly what the same person sees and does on the pages. A case the caller may not see
  answers **404**, never 403, so its existence does not leak.
- Get a token with `POST /tokens` (username and password), then send `Authorization: Bearer <token>`."""

TAGS = [
    {"name": "tokens", "description": "Bearer tokens: issued once, stored hashed, revocable."},
    {"name": "reference", "description": "Subjects, places and departments, by code; subject suggestions."},
    {"name": "routing", "description": "The dispatch catalogue's decision, before a case exists."},
    {"name": "location", "description": "A point or an address → district and street."},
    {"name": "cases", "description": "Work orders (12345) and petitions (信访): register, list, read."},
    {"name": "actions", "description": "The steps of each procedure, through the one function that changes a case."},
    {"name": "meta", "description": "This description."},
]


@cache
def _document() -> dict:
    paths = {**paths_reference.PATHS, **paths_cases.PATHS, **paths_actions.PATHS}
    return {
        "openapi": "3.1.0",
        "info": {"title": "hotline REST API", "version": VERSION, "description": INTRO},
        "servers": [{"url": "/api/v1"}],
        "tags": TAGS,
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "A token from POST /tokens."}},
            "schemas": SCHEMAS,
            "responses": RESPONSES,
        },
    }


def document() -> dict:
    """A copy: the cached description is never changed by whoever reads it."""
    return copy.deepcopy(_document())
