"""Moderation (supervisors only): each closed case whose person agreed to publication is read, its question and
answer edited from the automatic redaction, then published or declined. The case's own words may hold personal
data: every page that shows them is written to the access log and never cached."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hotline.clock import now
from hotline.domain.errors import Conflict, InvalidFields, NotFound
from hotline.domain.roles import Role
from hotline.extensions import db
from hotline.models import Case, Publication
from hotline.services import publications
from hotline.web import labels
from hotline.web.access import client_ip, roles_required
from hotline.web.opengov import bp
from hotline.web.opengov.forms import ModerationForm, removed

MODERATORS = (Role.SUPERVISOR,)
DONE = {"publish": "published", "save": "awaiting", "decline": "declined", "withdraw": "declined"}


def _status_names() -> dict:
    return {"awaiting": _("Awaiting moderation"), "published": _("Published"), "declined": _("Declined")}


@bp.get("/moderation")
@roles_required(*MODERATORS)
def moderation():
    status = request.args.get("status", "awaiting")
    if status not in publications.STATUSES:
        abort(404)
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 10**6 else 1
    listing = publications.queue(db.session, status, page)
    return render_template("opengov/moderation.html", status=status, listing=listing, statuses=_status_names(),
                           counts=publications.counts(db.session), name=labels.name)


def _candidate(number: str) -> tuple[Case, Publication | None]:
    try:
        return publications.candidate(db.session, number)
    except NotFound:
        abort(404)


def _page(form: ModerationForm, case: Case, publication: Publication | None, status: int = 200, problem: str = ""):
    """The form beside the case's own words: a look at personal data, logged each time it is drawn."""
    publications.look(db.session, current_user, case, now(), client_ip())
    g.personal_data_shown = True  # Cache-Control: no-store
    draft = publications.draft(case)
    return render_template(
        "opengov/moderate.html", form=form, case=case, publication=publication, problem=problem,
        removed=removed(draft.removed), person=case.person, statuses=_status_names(),
        name=labels.name), status


@bp.route("/moderation/<number>", methods=["GET", "POST"])
@roles_required(*MODERATORS)
def moderate(number: str):
    case, publication = _candidate(number)
    form = ModerationForm()
    if request.method == "GET":
        if publication is not None and (publication.title or publication.question):
            form.load(publication.title, publication.question, publication.answer, publication.version)
        else:
            draft = publications.draft(case)
            form.load(draft.title, draft.question, draft.answer, publication.version if publication else 0)
        return _page(form, case, publication)
    if not form.validate_on_submit():
        return _page(form, case, publication, 400, _("The form had expired. Nothing was saved; send it again."))
    decision = request.form.get("decision", "")
    try:
        saved = publications.decide(db.session, current_user, case.number, decision, form.fields(), now(),
                                    form.expected_version(), client_ip())
    except InvalidFields as exc:
        form.mark(exc.detail)
        if "decision" in exc.detail:
            return _page(form, case, publication, 422, _("Choose what to do: publish, save or decline."))
        return _page(form, case, publication, 422,
                     _("Not published. Correct the fields marked below; your text is still in the form."))
    except Conflict:
        db.session.rollback()
        case, publication = _candidate(number)
        return _page(form, case, publication, 409, _(
            "Another moderator decided on this case while you were editing. Nothing was saved; your text is still "
            "in the form. Its status now: %(status)s.", status=_status_names()[_now_status(publication)]))
    flash({"publish": _("Published: %(title)s", title=saved.title),
           "save": _("Saved. It stays awaiting moderation until it is published or declined."),
           "decline": _("Declined: case %(number)s will not be published.", number=case.number),
           "withdraw": _("Withdrawn: %(title)s is no longer published.", title=saved.title)}[decision], "success")
    if decision == "save":
        return redirect(url_for("opengov.moderate", number=case.number))
    return redirect(url_for("opengov.moderation", status=DONE[decision]))


def _now_status(publication: Publication | None) -> str:
    if publication is None or publication.status == "pending":
        return "awaiting"
    return publication.status
