"""Routes of this blueprint."""
from hotline.web.settings import bp  # noqa: F401
