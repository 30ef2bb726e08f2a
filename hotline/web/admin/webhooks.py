"""Webhook subscriptions of a department, their delivery log and the replay button. Administrators keep every
department's; a department's head keeps their own (another department's is 404); everyone else is refused."""
from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hotline.clock import now
from hotline.domain import webhooks as rules
from hotline.domain.errors import InvalidFields, NotFound
from hotline.domain.roles import Role
from hotline.extensions import db
from hotline.services import webhook_delivery, webhook_subscriptions
from hotline.web.access import client_ip, roles_required
from hotline.web.admin import bp
from hotline.web.admin.forms import PostForm
from hotline.web.admin.webhook_forms import KNOWN_ACTIONS, SubscriptionForm, event_groups, field_message

KEEPERS = (Role.ADMIN, Role.HEAD)


def _keeper():
    if not webhook_subscriptions.may_keep(current_user):
        abort(403)  # a head of no department keeps nothing
    return current_user


def _mine(subscription_id: int):
    try:
        return webhook_subscriptions.get(db.session, _keeper(), subscription_id)
    except NotFound:
        abort(404)


def _posted() -> None:
    if not PostForm().validate_on_submit():
        abort(400)


@bp.route("/webhooks", endpoint="webhooks")
@roles_required(*KEEPERS)
def webhooks_page():
    rows = webhook_subscriptions.listing(db.session, _keeper())
    return render_template("admin/webhooks.html", rows=rows, post=PostForm())


def _form_page(form: SubscriptionForm, row, status: int = 200, problem: str = ""):
    departments = webhook_subscriptions.departments_for(db.session, current_user)
    form.department_id.choices = [("", _("Choose…"))] + [(str(d.id), d.name) for d in departments]
    return render_template("admin/webhooks_form.html", form=form, row=row, groups=event_groups(),
                           problem=problem, admin=current_user.role == Role.ADMIN,
                           allow_http=current_app.config["HOTLINE_WEBHOOK_ALLOW_HTTP"]), status


def _refused(form: SubscriptionForm, row, exc: InvalidFields):
    for name, code in exc.detail.items():
        field = getattr(form, name, None) or form.url
        field.errors = [*field.errors, field_message(name, code)]
    return _form_page(form, row, 422, _("The subscription was not saved. Correct the fields marked below."))


def _expired(form, row):
    return _form_page(form, row, 400, _("The form had expired. Nothing was saved; send it again."))


def _secret_page(row, secret: str, title: str):
    response = make_response(render_template("admin/webhooks_secret.html", row=row, secret=secret, title=title))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/webhooks/new", methods=["GET", "POST"], endpoint="webhook_new")
@roles_required(*KEEPERS)
def webhook_new():
    user = _keeper()
    form = SubscriptionForm()
    if request.method == "GET":
        if user.role != Role.ADMIN:
            form.department_id.data = str(user.department_id)
        return _form_page(form, None)
    if not form.validate_on_submit():
        return _expired(form, None)
    try:
        row, secret = webhook_subscriptions.create(db.session, user, form.spec(), set(KNOWN_ACTIONS),
                                                   current_app.config["HOTLINE_WEBHOOK_ALLOW_HTTP"], now())
    except InvalidFields as exc:
        return _refused(form, None, exc)
    return _secret_page(row, secret, _("Subscription created"))


@bp.route("/webhooks/<int:subscription_id>/edit", methods=["GET", "POST"], endpoint="webhook_edit")
@roles_required(*KEEPERS)
def webhook_edit(subscription_id: int):
    row = _mine(subscription_id)
    form = SubscriptionForm()
    if request.method == "GET":
        form.load(row)
        return _form_page(form, row)
    if not form.validate_on_submit():
        return _expired(form, row)
    try:
        webhook_subscriptions.update(db.session, current_user, row, form.spec(), set(KNOWN_ACTIONS),
                                     current_app.config["HOTLINE_WEBHOOK_ALLOW_HTTP"], now())
    except InvalidFields as exc:
        db.session.rollback()
        return _refused(form, row, exc)
    flash(_("Subscription saved."), "success")
    return redirect(url_for("admin.webhook", subscription_id=row.id))


@bp.route("/webhooks/<int:subscription_id>", endpoint="webhook")
@roles_required(*KEEPERS)
def webhook_log(subscription_id: int):
    row = _mine(subscription_id)
    status = request.args.get("status") or None
    if status not in (None, *rules.STATUSES):
        status = None
    page = request.args.get("page", 1, type=int) or 1
    found, tries, has_next = webhook_subscriptions.delivery_log(db.session, row, status, max(page, 1))
    who = webhook_subscriptions.people(db.session, {a.replay_by_id for ts in tries.values() for a in ts})
    return render_template("admin/webhooks_log.html", row=row, deliveries=found, tries=tries, has_next=has_next,
                           page=max(page, 1), status=status, who=who, statuses=rules.STATUSES,
                           counts=webhook_subscriptions.counts(db.session, row), post=PostForm(),
                           delivery_status={"pending": _("Waiting to be sent"), "delivered": _("Delivered"),
                                            "failed": _("Failed")})


@bp.route("/webhooks/<int:subscription_id>/secret", methods=["POST"], endpoint="webhook_secret")
@roles_required(*KEEPERS)
def webhook_secret(subscription_id: int):
    row = _mine(subscription_id)
    _posted()
    secret = webhook_subscriptions.reveal(db.session, current_user, row, now(), client_ip())
    return _secret_page(row, secret, _("Signing secret"))


@bp.route("/webhooks/<int:subscription_id>/rotate", methods=["POST"], endpoint="webhook_rotate")
@roles_required(*KEEPERS)
def webhook_rotate(subscription_id: int):
    row = _mine(subscription_id)
    _posted()
    secret = webhook_subscriptions.rotate(db.session, current_user, row, now(), client_ip())
    return _secret_page(row, secret, _("New signing secret"))


@bp.route("/webhooks/<int:subscription_id>/delete", methods=["POST"], endpoint="webhook_delete")
@roles_required(*KEEPERS)
def webhook_delete(subscription_id: int):
    row = _mine(subscription_id)
    _posted()
    webhook_subscriptions.remove(db.session, current_user, row, now(), client_ip())
    flash(_("Subscription deleted, with its delivery log. Nothing more is sent to that URL."), "success")
    return redirect(url_for("admin.webhooks"))


@bp.route("/webhooks/<int:subscription_id>/replay-failed", methods=["POST"], endpoint="webhook_replay_failed")
@roles_required(*KEEPERS)
def webhook_replay_failed(subscription_id: int):
    row = _mine(subscription_id)
    _posted()
    count = webhook_delivery.replay_failed(db.session, row)
    flash(_("%(n)d failed deliveries are back in line; the workers send them in order.", n=count)
          if count else _("There were no failed deliveries."), "success")
    return redirect(url_for("admin.webhook", subscription_id=subscription_id))


@bp.route("/webhooks/<int:subscription_id>/deliveries/<int:delivery_id>/replay", methods=["POST"],
          endpoint="webhook_replay")
@roles_required(*KEEPERS)
def webhook_replay(subscription_id: int, delivery_id: int):
    row = _mine(subscription_id)
    _posted()
    try:
        delivery = webhook_subscriptions.delivery(db.session, row, delivery_id)
    except NotFound:
        abort(404)
    cfg = current_app.config
    attempt = webhook_delivery.replay(db.session, current_user, delivery, cfg["HOTLINE_WEBHOOK_TIMEOUT"],
                                      webhook_delivery.sender(cfg["HOTLINE_WEBHOOK_ALLOW_LOOPBACK"]))
    if attempt is None:
        flash(_("Delivery %(id)d is back in line; the workers send it in order.", id=delivery_id), "success")
    elif rules.delivered(attempt.status_code):
        flash(_("Delivery %(id)d was sent again: the receiver answered %(status)s.", id=delivery_id,
                status=rules.describe_status(attempt.status_code, attempt.error)), "success")
    else:
        flash(_("Delivery %(id)d was sent again but not received: %(status)s.", id=delivery_id,
                status=rules.describe_status(attempt.status_code, attempt.error)), "error")
    return redirect(url_for("admin.webhook", subscription_id=subscription_id, _anchor=f"delivery-{delivery_id}"))
