"""A person's notifications: the list (newest first), read one (→ its case), read all. Only one's own: another
person's notification answers 404. Also what every page's header and case lists show: the bell's unread
count, and the yellow/red deadline cards."""
from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from hotline.clock import now
from hotline.extensions import db
from hotline.services import cases, notifications
from hotline.web.notifications import bp


@bp.app_template_global()
def unread_notifications() -> int:
    """For the bell (templates/notifications/_bell.html): one indexed query, only where the bell is drawn."""
    if not current_user.is_authenticated:
        return 0
    try:
        return notifications.unread_count(db.session, current_user.id)
    except SQLAlchemyError:  # the error page of a failed transaction: the bell must not fail it a second time
        db.session.rollback()
        return 0


@bp.app_template_global()
def deadline_card(case, moment) -> str | None:
    """即将超期 / 已超期 for a case, as the person looking sees it: a department its own assignment's clocks,
    the centre the case's (services.cases.case_card, the inbox tabs' conditions in Python)."""
    department_id = None
    if current_user.is_authenticated and not current_user.in_centre:
        department_id = current_user.department_id
    return cases.case_card(case, moment, department_id)


@bp.route("")
@login_required
def index():
    number = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, has_next = notifications.page(db.session, current_user.id, number)
    timezone, locale = current_app.config["HOTLINE_TIMEZONE"], str(get_locale())
    return render_template("notifications/index.html", rows=rows, has_next=has_next, page=number,
                           text=lambda n: notifications.text(n, timezone, locale),
                           unread=notifications.unread_count(db.session, current_user.id))


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all():
    notifications.mark_all_read(db.session, current_user.id, now())
    return redirect(url_for("notifications.index"))


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def read_one(notification_id: int):
    row = notifications.mark_read(db.session, current_user.id, notification_id, now())
    if row is None:
        abort(404)
    number = notifications.case_number(row)
    if number:
        return redirect(url_for("cases.detail", number=number))  # the case page decides whether it may be seen
    if row.kind == "digest" and not current_user.in_centre:
        return redirect(url_for("staff.inbox"))
    return redirect(url_for("notifications.index"))
