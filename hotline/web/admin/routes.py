"""The administration pages: today, the dispatch catalogue (派单目录). Admins and supervisors keep it;
dispatchers read it and try sample cases against it; everyone else is refused (403)."""
from flask import redirect, url_for
from flask_login import current_user

from hotline.web.access import roles_required
from hotline.web.admin import (  # noqa: F401  (each module adds its routes to bp)
    api_keys,
    bp,
    calendar,
    listing,
    places,
    rules,
    sla,
    transfer,
    trial,
    webhooks,
)
from hotline.web.admin.guards import EDITORS, VIEWERS
from hotline.web.admin.present import MODE, MODE_SHORT


@bp.context_processor
def catalogue_globals():
    return {"can_edit": current_user.is_authenticated and current_user.role in EDITORS, "mode_names": MODE,
            "mode_short": MODE_SHORT}


@bp.route("/")
@roles_required(*VIEWERS)
def index():
    return redirect(url_for("admin.catalogue"))
