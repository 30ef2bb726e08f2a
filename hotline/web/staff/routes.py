from flask import current_app, render_template, request
from flask_login import current_user

from hotline.domain.roles import DEPARTMENT_ROLES
from hotline.extensions import db
from hotline.services import cases
from hotline.web.access import roles_required
from hotline.web.staff import bp


@bp.route("/inbox")
@roles_required(*DEPARTMENT_ROLES)
def inbox():
    flt = cases.CaseFilter(q=request.args.get("q", "")[:100], page=request.args.get("page", 1, type=int))
    rows, has_next = cases.search(db.session, current_user.actor, flt, current_app.config["HOTLINE_PHONE_REGION"])
    return render_template("staff/inbox.html", rows=rows, flt=flt, has_next=has_next,
                           department=current_user.department)
