"""Routes of this blueprint."""
from hotline.web.supervise import bp  # noqa: F401
