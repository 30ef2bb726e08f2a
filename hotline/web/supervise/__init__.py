from flask import Blueprint

bp = Blueprint("supervise", __name__, url_prefix="/supervise")

from hotline.web.supervise import assessment, routes  # noqa: E402,F401
