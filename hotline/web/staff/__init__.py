from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/dept")

from hotline.web.staff import routes  # noqa: E402,F401
