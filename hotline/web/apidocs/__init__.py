"""/api/docs: the REST API's OpenAPI description, browsable, from vendored assets."""
from flask import Blueprint

bp = Blueprint("apidocs", __name__, url_prefix="/api")

from hotline.web.apidocs import routes  # noqa: E402,F401
