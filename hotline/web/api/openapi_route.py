"""GET /openapi.json: the OpenAPI 3.1 description of this API, without a token (it holds no data)."""
from __future__ import annotations

from flask import jsonify

from hotline.web.api import bp


@bp.get("/openapi.json")
def openapi():
    from hotline.web.api.openapi import document  # it reads the routes' modules, which import this package

    response = jsonify(document())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
