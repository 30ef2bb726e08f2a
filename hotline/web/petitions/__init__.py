"""The petition office's screens: registration, the registry, each organ's queue, the statutory calendar and
the annual report (信访工作条例 Arts. 19–41)."""
from flask import Blueprint

bp = Blueprint("petitions", __name__, url_prefix="/petitions")

from hotline.web.petitions import calendar, online, queues, register, registry, report  # noqa: E402,F401
