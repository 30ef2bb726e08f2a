"""The assessment formula: weights, how much "basically satisfied" counts, whether terminated cases count, who
is ranked and how long the lists are. Each save is a new version (audited), in force at once; the published
figures are counted again under it by the rollup."""
from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from hotline.clock import now
from hotline.domain import kpis
from hotline.domain.errors import Conflict, InvalidFields
from hotline.extensions import db
from hotline.services import assessment as service
from hotline.web.access import client_ip, roles_required
from hotline.web.supervise import assessment_labels as words
from hotline.web.supervise import bp
from hotline.web.supervise.assessment import ASSESSORS
from hotline.web.supervise.assessment_forms import PolicyForm, message
from hotline.web.supervise.assessment_view import this_month


def _page(form: PolicyForm, status: int = 200, problem: str = ""):
    current = service.in_force(db.session)
    return render_template("supervise/assessment_formula.html", form=form, current=current, problem=problem,
                           history=service.history(db.session), words=words, rates=kpis.RATES,
                           describe=lambda settings: kpis.Policy.from_json(settings), now_month=this_month()), status


@bp.route("/assessment/formula", methods=["GET", "POST"])
@roles_required(*ASSESSORS)
def assessment_formula():
    form = PolicyForm()
    if request.method == "GET":
        current = service.in_force(db.session)
        form.load(current.policy, current.version)
        return _page(form)
    if not form.validate_on_submit():
        return _page(form, 400, _("The form had expired. Nothing was saved; send it again."))
    try:
        row = service.save_policy(db.session, current_user, form.raw(), now(), client_ip(),
                                  based_on=form.based_on_version())
    except InvalidFields as exc:
        for name, code in exc.detail.items():
            field = getattr(form, name, None)
            if field is not None:
                field.errors = [*field.errors, message(name, code)]
        form.form_errors = [message(name, code) for name, code in exc.detail.items() if not hasattr(form, name)]
        return _page(form, 422, _("The formula was not saved. Correct the fields marked below."))
    except Conflict as exc:
        if exc.code == "unchanged":
            return _page(form, 422, _("This is the formula already in force: nothing was saved."))
        form.based_on.data = str(service.in_force(db.session).version)
        detail = exc.detail or {}
        when = format_datetime(datetime.fromisoformat(detail["at"]), "yyyy-MM-dd HH:mm") if detail.get("at") else ""
        return _page(form, 409, _("%(name)s saved another version of the formula at %(time)s, while you were "
                                  "editing. Nothing was saved; your values are still in the form: compare them "
                                  "with the version now in force and save again.",
                                  name=detail.get("by") or _("someone else"), time=when))
    flash(_("Version %(n)d of the formula is in force. The published figures are counted again under it within "
            "minutes.", n=row.id), "success")
    return redirect(url_for("supervise.assessment_formula"))
