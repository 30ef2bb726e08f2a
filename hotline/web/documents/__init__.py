"""A petition's issued documents: shown and printed for those who may see the case, drawn as PDF, and opened by
the petitioner from the link in their SMS."""
from flask import Blueprint

bp = Blueprint("documents", __name__)

from hotline.web.documents import routes  # noqa: E402,F401
