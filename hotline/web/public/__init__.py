from flask import Blueprint

bp = Blueprint("public", __name__)

from hotline.web.public import routes, track  # noqa: E402,F401
