from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from hotline.clock import now
from hotline.extensions import db, limiter
from hotline.models import User
from hotline.services import audit
from hotline.web.access import client_ip, safe_next
from hotline.web.auth import bp
from hotline.web.auth.forms import LoginForm, LogoutForm


def home_for(user: User) -> str:
    return url_for("cases.index") if user.in_centre else url_for("staff.inbox")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["HOTLINE_RATE_LOGIN"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data))
        refused_demo = user is not None and user.is_demo and current_app.config["HOTLINE_ENV"] == "production"
        if user is None or not user.active or refused_demo or not user.check_password(form.password.data):
            audit.log_access(db.session, user, "login_failed", at=now(),
                             detail=form.username.data[:64], ip=client_ip())
            db.session.commit()
            form.password.errors.append(_("Wrong username or password."))
        else:
            login_user(user)
            user.last_login_at = now()
            audit.log_access(db.session, user, "login", at=now(), ip=client_ip())
            db.session.commit()
            return redirect(safe_next(form.next.data, home_for(user)))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    if LogoutForm().validate_on_submit():
        logout_user()
        flash(_("You have signed out."), "info")
    return redirect(url_for("public.index"))
