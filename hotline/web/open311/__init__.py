"""Open311 GeoReport v2 (../shared/reference/open311-georeport-v2.md): any 311 app or back-office system
lists our services, files a request with an API key and follows it."""
from flask import Blueprint

bp = Blueprint("open311", __name__, url_prefix="/open311")

from hotline.web.open311 import routes  # noqa: E402,F401
