"""/api/docs: the REST API's OpenAPI description, browsable, from vendored assets (hotline/static/vendor/swagger-ui);
this page's own script and styles are in its static folder (no inline script or style: the CSP forbids them)."""
from flask import Blueprint

bp = Blueprint("apidocs", __name__, url_prefix="/api", static_folder="static", static_url_path="/docs/static")

from hotline.web.apidocs import routes  # noqa: E402,F401
