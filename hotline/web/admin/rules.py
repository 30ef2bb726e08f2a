"""Changing the catalogue one rule at a time: create, edit, move, disable or enable, delete. Each change
is one call to services.catalogue, which writes the new catalogue version in the same transaction."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hotline.clock import now
from hotline.domain import catalogue_csv
from hotline.extensions import db
from hotline.models import RoutingRule
from hotline.services import catalogue
from hotline.web.access import roles_required, safe_next
from hotline.web.admin import bp
from hotline.web.admin.forms import PostForm, RuleForm
from hotline.web.admin.guards import EDITORS
from hotline.web.admin.messages import message
from hotline.web.admin.present import Names, kind_groups, track_choices, urgency_choices


def title(rule: RoutingRule) -> str:
    if rule.name:
        return _("rule %(n)d “%(name)s”", n=rule.position, name=rule.name)
    return _("rule %(n)d", n=rule.position)


def _rule_or_404(rule_id: int) -> RoutingRule:
    try:
        return catalogue.get(db.session, rule_id)
    except catalogue.NotFound:
        abort(404)


def _back() -> str:
    return safe_next(request.form.get("next") or request.args.get("next"), url_for("admin.catalogue"))


def _stale_message(exc: catalogue.Stale) -> str:
    if exc.by is not None:
        return _("%(name)s changed this rule while you were editing it. Your changes are still in the form: "
                 "open the rule again to see theirs, then make yours.", name=exc.by.display_name)
    return _("Someone else changed the catalogue at the same moment. Nothing was saved; send the form again.")


def _form_page(form: RuleForm, rule: RoutingRule | None, status: int = 200, names: Names | None = None,
               problem: str = ""):
    names = names or Names(db.session)
    form.fill(names.target_groups(), track_choices(_("Any track")), _("— choose —"))
    return render_template(
        "admin/rule_form.html", form=form, rule=rule, names=names, kind_groups=kind_groups(),
        urgencies=urgency_choices(), category_groups=names.category_groups(), area_groups=names.area_groups(),
        problem=problem, post=PostForm()), status


def _refused(form: RuleForm, rule: RoutingRule | None, problems: list[catalogue_csv.Problem]):
    names = Names(db.session)
    for p in problems:
        field = getattr(form, p.field, None)
        field = form.name if field is None else field
        field.errors = [*field.errors, message(p, names)]
    return _form_page(form, rule, 422, names, _("The rule was not saved. Correct the fields marked below."))


def _save(form: RuleForm, rule: RoutingRule | None):
    spec = form.spec()
    if (bad_position := form.position_problem()) is not None:
        return _refused(form, rule, [bad_position, *catalogue_csv.check(spec, catalogue.reference(db.session))])
    try:
        if rule is None:
            saved = catalogue.create(db.session, current_user, spec, lambda r: _("Added %(rule)s", rule=title(r)),
                                     at=now())
            flash(_("Added %(rule)s.", rule=title(saved)), "success")
        else:
            saved = catalogue.update(db.session, current_user, rule.id, spec,
                                     lambda r: _("Edited %(rule)s", rule=title(r)), at=now(),
                                     expected_stamp=form.stamp.data or None)
            flash(_("Saved %(rule)s.", rule=title(saved)), "success")
    except catalogue.Invalid as exc:
        return _refused(form, rule, exc.problems)
    except catalogue.Stale as exc:
        return _form_page(form, rule, 409, problem=_stale_message(exc))
    return redirect(url_for("admin.catalogue", page=_page_of(saved), _anchor=f"rule-{saved.id}"))


def _page_of(rule: RoutingRule) -> int | None:
    from hotline.web.admin.listing import PER_PAGE
    page = (rule.position - 1) // PER_PAGE + 1
    return page if page > 1 else None


@bp.route("/catalogue/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_rule():
    form = RuleForm()
    if request.method == "POST":
        return _save(form, None) if form.validate_on_submit() else _form_page(form, None, 422)
    return _form_page(form, None)


@bp.route("/catalogue/rules/<int:rule_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_rule(rule_id: int):
    rule = _rule_or_404(rule_id)
    form = RuleForm()
    if request.method == "POST":
        return _save(form, rule) if form.validate_on_submit() else _form_page(form, rule, 422)
    form.load(catalogue.spec_of(rule), catalogue.stamp(rule))
    return _form_page(form, rule)


@bp.route("/catalogue/rules/<int:rule_id>/move", methods=["POST"])
@roles_required(*EDITORS)
def move_rule(rule_id: int):
    rule = _rule_or_404(rule_id)
    if not PostForm().validate_on_submit():
        abort(400)
    direction, text = request.form.get("direction"), (request.form.get("position") or "").strip()
    if direction in ("up", "down"):
        to = rule.position + (-1 if direction == "up" else 1)
    elif text.isdigit() and int(text) >= 1:
        to = int(text)
    else:
        flash(_("Give the new position as a whole number from 1 up."), "error")
        return redirect(_back())
    try:
        catalogue.move(db.session, current_user, rule.id, to,
                       lambda r: _("Moved %(rule)s", rule=title(r)), at=now())
    except catalogue.Stale as exc:
        flash(_stale_message(exc), "error")
    return redirect(_back())


@bp.route("/catalogue/rules/<int:rule_id>/active", methods=["POST"])
@roles_required(*EDITORS)
def switch_rule(rule_id: int):
    rule = _rule_or_404(rule_id)
    if not PostForm().validate_on_submit():
        abort(400)
    active = request.form.get("active") == "on"
    try:
        catalogue.set_active(db.session, current_user, rule.id, active,
                             lambda r: (_("Enabled %(rule)s", rule=title(r)) if active
                                        else _("Disabled %(rule)s", rule=title(r))), at=now())
        flash(_("Enabled %(rule)s.", rule=title(rule)) if active else _("Disabled %(rule)s.", rule=title(rule)),
              "success")
    except catalogue.Invalid as exc:
        names = Names(db.session)
        flash(_("%(rule)s cannot be enabled: %(why)s Edit it first.", rule=title(rule),
                why=" ".join(message(p, names) for p in exc.problems)), "error")
    except catalogue.Stale as exc:
        flash(_stale_message(exc), "error")
    return redirect(_back())


@bp.route("/catalogue/rules/<int:rule_id>/delete", methods=["GET", "POST"])
@roles_required(*EDITORS)
def delete_rule(rule_id: int):
    rule = _rule_or_404(rule_id)
    form = PostForm()
    if request.method == "POST" and form.validate_on_submit():
        name = title(rule)
        try:
            catalogue.delete(db.session, current_user, rule.id, lambda r: _("Deleted %(rule)s", rule=name))
            flash(_("Deleted %(rule)s. The decisions it made are kept.", rule=name), "success")
        except catalogue.Stale as exc:
            flash(_stale_message(exc), "error")
        return redirect(_back())
    return render_template("admin/rule_delete.html", rule=rule, names=Names(db.session), post=form, next=_back())
