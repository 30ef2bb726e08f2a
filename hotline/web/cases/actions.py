"""POST /cases/<number>/actions/<action>: one step of the case's procedure (a 12345 work order's or a petition's,
hotline.domain.tracks) from a page, through handling.act."""
from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hotline.clock import now
from hotline.domain import tracks
from hotline.domain.access import can_view_case
from hotline.domain.errors import Conflict, Forbidden, InvalidFields, NotFound
from hotline.domain.kinds import Track
from hotline.extensions import db
from hotline.services import cases, handling
from hotline.web import field_errors, labels, uploads
from hotline.web.auth.routes import home_for
from hotline.web.cases import bp, forms, petition_forms
from hotline.web.cases.page import conflict_message, render_case


@bp.route("/<number>/actions/<action>", methods=["POST"])
@login_required
def act(number: str, action: str):
    try:  # the procedure is the case's: a name only the other track has is no action here (404)
        track = cases.get_visible(db.session, current_user.actor, number).track
        action = tracks.of(track).action(action)
    except NotFound:
        abort(404)
    if action not in forms.table(track):
        abort(404)
    form = forms.sent(action, _no_choices(track), track)
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
        word = petition_forms.message if track == Track.PETITION else field_errors.message
        for name, code in exc.detail.items():
            field = getattr(form, name, None)
            if field is not None:
                field.errors = [word(name, code, action.value)]
        if exc.files:
            form.files.errors = [field_errors.file_message(p) for p in exc.files]
        told = _("Please correct the fields marked below. Nothing has been saved yet.")
        if files:  # a browser never fills a file input again
            told += " " + _("Choose the files again before sending.")
        return render_case(number, 422, (action, form), told)
    except Conflict as exc:
        return render_case(number, 409, (action, form), conflict_message(exc))
    flash(_("%(what)s: saved.", what=labels.of(labels.ACTION, action.value)), "success")
    if not can_view_case(current_user.actor, case.scope):  # e.g. returned, or recused: no longer theirs to see
        return redirect(home_for(current_user))
    return redirect(url_for("cases.detail", number=case.number))


def _refused(number: str, action):
    """handling.act checks the fields before the rules: an action this person may not take at all
    must still answer 403/409, not "fix the fields" for a form they were never offered."""
    case = cases.get_visible(db.session, current_user.actor, number)
    try:
        tracks.of(case.track).book.decide(case.view(now()), action, current_user.actor)
    except Forbidden:
        abort(403)
    except Conflict as exc:
        form = forms.sent(action, _no_choices(case.track), case.track)
        return render_case(number, 409, (action, form),
                           conflict_message(Conflict(exc.code, handling.last_change(db.session, case))))
    return None


def _no_choices(track: str):
    """A posted form needs no choices to act on (the domain checks the ids); the page fills them when it shows it."""
    return petition_forms.Options() if track == Track.PETITION else {}


def _context() -> handling.Context:
    cfg = current_app.config
    return handling.Context(now=now(), timezone=cfg["HOTLINE_TIMEZONE"], storage=uploads.storage())
