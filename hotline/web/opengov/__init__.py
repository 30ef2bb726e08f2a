"""政务公开: the city's figures, the red and black lists and the published questions and answers, for everyone
without signing in; and the supervisors' moderation of what is published."""
from flask import Blueprint

bp = Blueprint("opengov", __name__, url_prefix="/open")

from hotline.web.opengov import moderation, questions, routes  # noqa: E402,F401
