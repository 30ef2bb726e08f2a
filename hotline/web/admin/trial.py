""""Test this rule set": a sample case, routed by the current catalogue exactly as a new case would be,
with the rule that matched and why, and the rules that matched but could not name a department."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from hotline.domain.kinds import KINDS_BY_TRACK, Urgency
from hotline.extensions import db
from hotline.models import Area, Category, Department
from hotline.services import routing
from hotline.web import labels
from hotline.web.access import roles_required
from hotline.web.admin import bp
from hotline.web.admin.forms import TrialForm
from hotline.web.admin.guards import VIEWERS
from hotline.web.admin.present import Names, track_choices
from hotline.web.routing_text import describe


def _fill(form: TrialForm, names: Names) -> None:
    form.track.choices = track_choices(_("Any track"))[1:]
    form.kind.choices = [SelectChoice(str(k), labels.of(labels.KIND, str(k)), optgroup=labels.of(labels.TRACK, str(t)))
                         for t, kinds in KINDS_BY_TRACK.items() for k in kinds]
    form.category.choices = [SelectChoice("", _("— none —"))] + [
        SelectChoice(code, text, optgroup=top) for _code, top, subs in names.category_groups() for code, text in subs]
    form.area.choices = [SelectChoice("", _("— none —"))] + [
        SelectChoice(code, text, optgroup=district)
        for d_code, district, streets in names.area_groups()
        for code, text in [(d_code, _("%(name)s (whole district)", name=district)), *streets]]
    form.urgency.choices = [(str(u), labels.of(labels.URGENCY, str(u))) for u in Urgency]
    form.track.data = form.track.data or "hotline"
    form.kind.data = form.kind.data or "complaint"
    form.urgency.data = form.urgency.data or "general"


@bp.route("/catalogue/test")
@roles_required(*VIEWERS)
def trial():
    names = Names(db.session)
    form = TrialForm(formdata=request.args if request.args else None)
    _fill(form, names)
    result = None
    if request.args:
        category = db.session.scalar(select(Category).where(Category.code == form.category.data))
        area = db.session.scalar(select(Area).where(Area.code == form.area.data))
        decision = routing.preview(db.session, form.track.data, form.kind.data, form.urgency.data, category, area,
                                   form.text.data or "")
        cat = routing.catalogue(db.session)
        by_id = {r.id: r for r in cat.rules}
        departments = {d.code: d for d in db.session.scalars(
            select(Department).where(Department.code.in_([c for c in (decision.lead, *decision.co) if c])))}
        result = {
            "decision": decision,
            "line": describe(routing.explain_decision(db.session, decision)),
            "lead": departments.get(decision.lead),
            "co": [departments[c] for c in decision.co if c in departments],
            "skipped": [(by_id.get(rule_id), rule_id) for rule_id, _why in decision.skipped],
            "version": cat.version,
            "rules": len(cat.rules),
        }
    return render_template("admin/trial.html", form=form, result=result, names=names)
