"""GET /api/docs: the OpenAPI description of /api/v1 in Swagger UI. Public, as the description is: it holds no
data, and an integrator reads it before having an account."""
from __future__ import annotations

from flask import render_template, url_for

from hotline.web.apidocs import bp


@bp.get("/docs")
def docs():
    return render_template("apidocs/docs.html", spec_url=url_for("api.openapi"))
