"""Reading the catalogue: the rules in order (search, filters, pages), its versions, and the rules whose
cases departments send back most."""
from __future__ import annotations

from flask import render_template, request

from hotline.extensions import db
from hotline.services import catalogue, routing
from hotline.web.access import roles_required
from hotline.web.admin import bp
from hotline.web.admin.forms import PostForm
from hotline.web.admin.guards import VIEWERS
from hotline.web.admin.present import Names

PER_PAGE = 50
STATUSES = ("active", "disabled")
MODES = ("auto", "suggest")


def _page_number() -> int:
    text = request.args.get("page", "1")
    return int(text) if text.isdigit() and int(text) > 0 else 1


@bp.route("/catalogue", endpoint="catalogue")
@roles_required(*VIEWERS)
def catalogue_page():
    q = (request.args.get("q") or "").strip()[:100]
    status = request.args.get("status", "") if request.args.get("status") in STATUSES else ""
    mode = request.args.get("mode", "") if request.args.get("mode") in MODES else ""
    listing = catalogue.find(db.session, q=q, status=status, mode=mode, page=_page_number(), per_page=PER_PAGE)
    return render_template(
        "admin/catalogue.html", listing=listing, q=q, status=status, mode=mode, names=Names(db.session),
        version=routing.current_version(db.session), history=catalogue.versions(db.session, limit=5),
        post=PostForm(), filtered=bool(q or status or mode))


@bp.route("/catalogue/versions")
@roles_required(*VIEWERS)
def versions():
    page = _page_number()
    rows = catalogue.versions(db.session, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE)
    return render_template("admin/versions.html", rows=rows[:PER_PAGE], has_next=len(rows) > PER_PAGE, page=page,
                           version=routing.current_version(db.session))


@bp.route("/catalogue/returns")
@roles_required(*VIEWERS)
def returns():
    return render_template("admin/returns.html", rows=catalogue.return_rates(db.session, limit=50),
                           names=Names(db.session))
