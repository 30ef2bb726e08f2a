from flask import Blueprint

bp = Blueprint("system", __name__)

from hotline.web.system import routes  # noqa: E402,F401
