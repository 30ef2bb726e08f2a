"""The SLA policies: the limit of each clock per track × kind × urgency, and when to warn.

Administrators change them (they keep the system's settings; the calendar is theirs too); supervisors read
them, to know the limits their board counts against. Everyone else is refused (403). A change applies to
deadlines stamped after it: stamped deadlines stay, and change only through a recompute."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hotline.clock import now
from hotline.domain.errors import Conflict, InvalidFields, NotFound
from hotline.domain.roles import Role
from hotline.extensions import db
from hotline.models import SlaPolicy
from hotline.services import sla_admin
from hotline.web.access import roles_required
from hotline.web.admin import bp
from hotline.web.admin.deadline_forms import CLOCK, UNIT, PolicyForm, amount, field_message
from hotline.web.admin.forms import PostForm

KEEPERS = (Role.ADMIN,)
READERS = (Role.ADMIN, Role.SUPERVISOR)


def _policy_or_404(policy_id: int) -> SlaPolicy:
    try:
        return sla_admin.get(db.session, policy_id)
    except NotFound:
        abort(404)


@bp.route("/sla", endpoint="sla")
@roles_required(*READERS)
def sla_page():
    groups: dict[str, list] = {}
    for row, who in sla_admin.listing(db.session):
        groups.setdefault(row.track, []).append((row, who))
    return render_template("admin/sla.html", groups=groups, clocks=CLOCK, amount=amount,
                           keeper=current_user.role in KEEPERS, is_default=sla_admin.is_default,
                           history=sla_admin.history(db.session))


def _form_page(form: PolicyForm, row: SlaPolicy | None, status: int = 200, problem: str = ""):
    form.fill()
    return render_template("admin/sla_form.html", form=form, row=row, problem=problem, units=UNIT, clocks=CLOCK,
                           default=row is not None and sla_admin.is_default(row), post=PostForm()), status


def _refused(form: PolicyForm, row: SlaPolicy | None, exc: InvalidFields):
    for name, code in exc.detail.items():
        field = getattr(form, name, None) or form.clock
        field.errors = [*field.errors, field_message(name, code)]
    return _form_page(form, row, 422, _("The policy was not saved. Correct the fields marked below."))


def _saved(row: SlaPolicy, verb: str):
    flash(verb + " " + _("Deadlines already stamped on cases are unchanged; cases dispatched from now on get the "
                         "new limit."), "success")
    return redirect(url_for("admin.sla", _anchor=f"policy-{row.id}"))


@bp.route("/sla/new", methods=["GET", "POST"], endpoint="sla_new")
@roles_required(*KEEPERS)
def sla_new():
    form = PolicyForm()
    if request.method == "GET":
        form.track.data, form.unit.data, form.warn_percent.data = "hotline", "working_days", "75"
        return _form_page(form, None)
    if not form.validate_on_submit():
        return _form_page(form, None, 400, _("The form had expired. Nothing was saved; send it again."))
    try:
        row = sla_admin.create(db.session, current_user, form.raw(), now())
    except InvalidFields as exc:
        return _refused(form, None, exc)
    return _saved(row, _("Policy added."))


@bp.route("/sla/<int:policy_id>", methods=["GET", "POST"], endpoint="sla_edit")
@roles_required(*KEEPERS)
def sla_edit(policy_id: int):
    row = _policy_or_404(policy_id)
    form = PolicyForm()
    if request.method == "GET":
        form.load(sla_admin.spec_of(row), sla_admin.stamp(row))
        return _form_page(form, row)
    if not form.validate_on_submit():
        return _form_page(form, row, 400, _("The form had expired. Nothing was saved; send it again."))
    try:
        row = sla_admin.update(db.session, current_user, row.id, form.raw(), now(),
                               expected_stamp=form.stamp.data or None)
    except InvalidFields as exc:
        return _refused(form, row, exc)
    except Conflict as exc:
        by = exc.detail.get("by") or _("someone else")
        return _form_page(form, row, 409, _("%(name)s changed this policy while you were editing it. Your changes "
                                             "are still in the form: open the policy again to see theirs.", name=by))
    return _saved(row, _("Policy saved."))


@bp.route("/sla/<int:policy_id>/delete", methods=["POST"], endpoint="sla_delete")
@roles_required(*KEEPERS)
def sla_delete(policy_id: int):
    row = _policy_or_404(policy_id)
    if not PostForm().validate_on_submit():
        abort(400)
    try:
        sla_admin.delete(db.session, current_user, row.id, now())
    except Conflict:
        flash(_("The policy for the whole track cannot be deleted: every case falls back to it."), "error")
        return redirect(url_for("admin.sla_edit", policy_id=policy_id))
    flash(_("Policy deleted. Deadlines already stamped with it are unchanged."), "success")
    return redirect(url_for("admin.sla"))
