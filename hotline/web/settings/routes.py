"""The user's own settings: API tokens (list, create — shown once —, revoke)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hotline.clock import now
from hotline.extensions import db
from hotline.services import tokens
from hotline.web.access import client_ip
from hotline.web.settings import bp
from hotline.web.settings.forms import NewTokenForm, RevokeTokenForm


@bp.route("/")
@login_required
def index():
    return redirect(url_for("settings.api_tokens"))


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    form, new_token, status = NewTokenForm(), None, 200
    if form.validate_on_submit():
        _token, new_token = tokens.issue(db.session, current_user, form.name.data, at=now(), ip=client_ip())
        form = NewTokenForm(formdata=None)
    elif form.is_submitted():
        status = 422
    response = render_template("settings/tokens.html", form=form, new_token=new_token,
                               rows=tokens.owned(db.session, current_user))
    headers = {"Cache-Control": "no-store"} if new_token else {}  # the token is shown once, and never cached
    return response, status, headers


@bp.route("/tokens/revoke", methods=["POST"])
@login_required
def revoke_token():
    form = RevokeTokenForm()
    if form.validate_on_submit() and form.token_id.data.isdigit() and tokens.revoke(
            db.session, current_user, int(form.token_id.data), at=now(), ip=client_ip()):
        flash(_("The token was revoked. Programs using it can no longer call the API."), "info")
    else:
        flash(_("That token could not be revoked. It may belong to someone else or no longer exist."), "error")
    return redirect(url_for("settings.api_tokens"))
