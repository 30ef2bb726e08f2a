"""The whole catalogue as a CSV file: download it (UTF-8 with a BOM, so Excel shows the Chinese), and
replace it with an uploaded one — all rows or none, every bad row named with its number and reason."""
from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hotline.clock import local, now
from hotline.domain.catalogue_csv import MAX_BYTES, Problem, RowError
from hotline.extensions import db
from hotline.services import catalogue, routing
from hotline.web.access import roles_required
from hotline.web.admin import bp
from hotline.web.admin.forms import ImportForm
from hotline.web.admin.guards import EDITORS, VIEWERS
from hotline.web.admin.messages import message
from hotline.web.admin.present import Names

UPLOAD_SLACK = 64 * 1024  # the multipart envelope around the file


@bp.route("/catalogue/export.csv")
@roles_required(*VIEWERS)
def export_csv():
    version = routing.current_version(db.session)
    day = local(now(), current_app.config["HOTLINE_TIMEZONE"]).strftime("%Y%m%d")
    body = "\ufeff" + catalogue.export_csv(db.session)
    return Response(body.encode("utf-8"), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="catalogue-v{version}-{day}.csv"',
        "Cache-Control": "no-store"})


def _page(form: ImportForm, status: int = 200, errors: list[RowError] | None = None, filename: str = ""):
    names = Names(db.session)
    rows = [(e.row, e.problem.field, message(e.problem, names)) for e in errors or ()]
    return render_template("admin/transfer.html", form=form, errors=rows, filename=filename,
                           rule_count=len(catalogue.ordered(db.session)), max_mb=MAX_BYTES // (1024 * 1024),
                           version=routing.current_version(db.session)), status


@bp.route("/catalogue/import", methods=["GET", "POST"])
@roles_required(*VIEWERS)
def import_csv():
    form = ImportForm()
    if request.method == "GET":
        return _page(form)
    if current_user.role not in EDITORS:
        abort(403)
    if (request.content_length or 0) > MAX_BYTES + UPLOAD_SLACK:
        too_large = RowError(0, Problem("", "too_large", str(MAX_BYTES // (1024 * 1024))))
        return _page(form, 413, [too_large])
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        if upload is None or not upload.filename:
            form.file.errors = [*form.file.errors, _("Choose the CSV file to import.")]
        return _page(form, 422)
    filename = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:100]
    data = upload.stream.read(MAX_BYTES + 1)
    try:
        result = catalogue.import_csv(
            db.session, current_user, data, note=lambda n: _("Imported from %(file)s, %(n)d rules", file=filename, n=n),
            at=now())
    except catalogue.ImportRefused as exc:
        status = 413 if [e.problem.code for e in exc.errors] == ["too_large"] else 422
        return _page(form, status, exc.errors, filename)
    except catalogue.Stale:
        flash(_("Someone else changed the catalogue at the same moment. Nothing was imported; try again."), "error")
        return _page(form, 409, filename=filename)
    flash(_("Imported %(n)d rules from %(file)s (%(added)d new, %(removed)d removed): this is version %(v)d.",
            n=result.rules, file=filename, added=result.added, removed=result.removed, v=result.version), "success")
    return redirect(url_for("admin.catalogue"))
