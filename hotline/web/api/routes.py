"""Routes of this blueprint."""
from hotline.web.api import bp  # noqa: F401
