"""POST /cases/<number>/actions/<action>: one lifecycle step from a page, through handling.act."""
from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hotline.clock import now
from hotline.domain import lifecycle
from hotline.domain.access import can_view_case
from hotline.domain.errors import Conflict, Forbidden, InvalidFields, NotFound
from hotline.domain.lifecycle import Action
from hotline.extensions import db
from hotline.services import cases, handling
from hotline.web import field_errors, labels, uploads
from hotline.web.auth.routes import home_for
from hotline.web.cases import bp, forms
from hotline.web.cases.page import conflict_message, render_case


@bp.route("/<number>/actions/<action>", methods=["POST"])
@login_required
def act(number: str, action: str):
    try:
        action = Action(action)
    except ValueError:
        abort(404)
    if action not in forms.FORMS:
        abort(404)
    form = forms.sent(action, {})
    files = uploads.incoming(form.uploads())
    try:
        case = handling.act(db.session, number, action, current_user, form.raw(), _context(),
                            expected_version=form.expected_version(), files=files)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    except InvalidFields as exc:
        refused = _refused(number, action)
        if refused is not None:
            return refused
        for name, code in exc.detail.items():
            field = getattr(form, name, None)
            if field is not None:
                field.errors = [field_errors.message(name, code, action.value)]
        if exc.files:
            form.files.errors = [field_errors.file_message(p) for p in exc.files]
        told = _("Please correct the fields marked below. Nothing has been saved yet.")
        if files:  # a browser never fills a file input again
            told += " " + _("Choose the files again before sending.")
        return render_case(number, 422, (action, form), told)
    except Conflict as exc:
        return render_case(number, 409, (action, form), conflict_message(exc))
    flash(_("%(what)s: saved.", what=labels.of(labels.ACTION, action.value)), "success")
    if not can_view_case(current_user.actor, case.scope):  # e.g. returned: no longer this department's
        return redirect(home_for(current_user))
    return redirect(url_for("cases.detail", number=case.number))


def _refused(number: str, action: Action):
    """handling.act checks the fields before the rules: an action this person may not take at all
    must still answer 403/409, not "fix the fields" for a form they were never offered."""
    case = cases.get_visible(db.session, current_user.actor, number)
    try:
        lifecycle.decide(case.view(now()), action, current_user.actor)
    except Forbidden:
        abort(403)
    except Conflict as exc:
        form = forms.sent(action, {})
        return render_case(number, 409, (action, form),
                           conflict_message(Conflict(exc.code, handling.last_change(db.session, case))))
    return None


def _context() -> handling.Context:
    cfg = current_app.config
    return handling.Context(now=now(), timezone=cfg["HOTLINE_TIMEZONE"], storage=uploads.storage())
