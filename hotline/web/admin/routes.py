"""Routes of this blueprint."""
from hotline.web.admin import bp  # noqa: F401
