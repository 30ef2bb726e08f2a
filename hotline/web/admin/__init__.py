from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from hotline.web.admin import knowledge, routes  # noqa: E402,F401
