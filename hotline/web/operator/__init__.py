"""The operators' screens: the call console, and the inbox of texts and voice mail."""
from flask import Blueprint

bp = Blueprint("operator", __name__)

from hotline.web.operator import console, inbox  # noqa: E402,F401
