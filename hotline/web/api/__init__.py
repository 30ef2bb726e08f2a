"""REST API v1: JSON over bearer tokens. The contract is docs/api.md."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from hotline.web.api import routes  # noqa: E402,F401
