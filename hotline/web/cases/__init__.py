from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")

from hotline.web.cases import actions, files, routes  # noqa: E402,F401
