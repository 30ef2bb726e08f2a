"""Places (/admin/places): the district and street boundaries as a map, the gazetteer (地名地址库), the two
imports, and "try a location". Administrators and supervisors import; dispatchers look and try; everyone else
is refused (403)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from hotline.clock import now
from hotline.extensions import db
from hotline.models import Area
from hotline.services import geo_admin, locate
from hotline.web.access import client_ip, roles_required
from hotline.web.admin import bp
from hotline.web.admin.guards import EDITORS, VIEWERS
from hotline.web.admin.places_forms import BoundariesForm, GazetteerForm, TryForm, problem_text
from hotline.web.admin.places_map import draw

PER_PAGE = 50
MAX_BYTES = 20 * 1024 * 1024  # a big city's boundaries; the app's MAX_CONTENT_LENGTH is higher
UPLOAD_SLACK = 64 * 1024
HOW_LABELS = {"address_id": _l("the gazetteer entry's id"), "point": _l("the point, in the boundaries"),
              "gazetteer": _l("the address, in the gazetteer"), "area_name": _l("a district or street name in "
                                                                               "the address"),
              "none": _l("nothing matched")}
KIND_LABELS = {"address": _l("Address"), "estate": _l("Estate"), "road": _l("Road"), "landmark": _l("Landmark")}


def _page_number() -> int:
    text = request.args.get("page", "1")
    return int(text) if text.isdigit() and int(text) > 0 else 1


def _tried(form: TryForm) -> dict | None:
    """What the location in the form resolves to, or the reason it does not; None when nothing was asked."""
    lat_text, long_text = form.lat.data or "", form.long.data or ""
    address, address_id = (form.address.data or "")[:200], (form.address_id.data or "")[:32]
    if not (lat_text or long_text or address or address_id):
        return None
    lat = long = None
    if lat_text or long_text:
        try:
            lat, long = float(lat_text), float(long_text)
        except ValueError:
            form.long.errors = [_("Enter both latitude and longitude as decimal degrees, e.g. 30.0012 and "
                                  "114.9876.")]
            return {"error": True}
    try:
        found = locate.resolve(db.session, lat=lat, long=long, address=address or None, address_id=address_id or None)
    except locate.UnknownAddressId:
        form.address_id.errors = [_("No active gazetteer entry has this id.")]
        return {"error": True}
    except locate.InvalidPoint:
        form.long.errors = [_("This is not a point on Earth: latitude goes from -90 to 90, longitude from -180 "
                              "to 180.")]
        return {"error": True}
    except locate.OutsideJurisdiction:
        return {"outside": True, "lat": lat, "long": long}
    area = db.session.get(Area, found.area_id) if found.area_id else None
    return {"found": found, "area": area}


def _page(boundaries_form=None, gazetteer_form=None, problems=(), failed: str = "", filename: str = "",
          status: int = 200):
    form = TryForm(request.args)
    tried = _tried(form)
    marked = {tried["area"].id} if tried and tried.get("area") else set()
    found = tried.get("found") if tried else None
    point = (found.latitude, found.longitude) if found and found.latitude is not None else None
    if tried and tried.get("outside"):
        point = (tried["lat"], tried["long"])
    q = (request.args.get("q") or "").strip()[:100]
    area_code = (request.args.get("area") or "").strip()[:32]
    listing = geo_admin.find_entries(db.session, q=q, area_code=area_code, page=_page_number(), per_page=PER_PAGE)
    areas = list(db.session.scalars(select(Area).order_by(Area.level, Area.code)))
    return render_template(
        "admin/places.html", map=draw(geo_admin.outlines_with_areas(db.session), marked, point),
        counts=geo_admin.counts(db.session), form=form, tried=tried, listing=listing, q=q, area_code=area_code,
        areas={a.id: a for a in areas}, districts=[a for a in areas if a.level == 1],
        can_import=current_user.role in EDITORS, kind_labels=KIND_LABELS, how_labels=HOW_LABELS,
        boundaries_form=boundaries_form or BoundariesForm(), gazetteer_form=gazetteer_form or GazetteerForm(),
        problems=[problem_text(p) for p in problems], failed=failed, filename=filename,
        max_mb=MAX_BYTES // (1024 * 1024)), status


@bp.route("/places", endpoint="places")
@roles_required(*VIEWERS)
def places_page():
    return _page()


def _upload(form, what: str):
    """(file name, bytes) of the upload, or an error page."""
    if current_user.role not in EDITORS:
        abort(403)
    too_large = _("The file is larger than %(mb)d MB.", mb=MAX_BYTES // (1024 * 1024))
    if (request.content_length or 0) > MAX_BYTES + UPLOAD_SLACK:
        form.file.errors = [too_large]
        return None, _page(**{f"{what}_form": form}, failed=what, status=413)
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        if upload is None or not upload.filename:
            form.file.errors = [*form.file.errors, _("Choose the file to import.")]
        return None, _page(**{f"{what}_form": form}, failed=what, status=422)
    data = upload.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        form.file.errors = [too_large]
        return None, _page(**{f"{what}_form": form}, failed=what, status=413)
    return (upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:100], data), None


@bp.post("/places/boundaries", endpoint="places_boundaries")
@roles_required(*EDITORS)
def import_boundaries():
    form = BoundariesForm()
    upload, refused = _upload(form, "boundaries")
    if refused:
        return refused
    filename, data = upload
    try:
        done = geo_admin.import_boundaries(db.session, geo_admin.read_boundaries(data), source=filename)
    except geo_admin.ImportRefused as exc:
        db.session.rollback()
        return _page(boundaries_form=form, problems=exc.problems, failed="boundaries", filename=filename, status=422)
    geo_admin.record_import(db.session, current_user, "boundaries", filename, done, now(), client_ip())
    db.session.commit()
    flash(_("Imported the boundaries of %(file)s: %(new)d new, %(changed)d changed, %(same)d unchanged.",
            file=filename, new=done.created, changed=done.updated, same=done.unchanged), "success")
    return redirect(url_for("admin.places"))


@bp.post("/places/gazetteer", endpoint="places_gazetteer")
@roles_required(*EDITORS)
def import_gazetteer():
    form = GazetteerForm()
    upload, refused = _upload(form, "gazetteer")
    if refused:
        return refused
    filename, data = upload
    try:
        done = geo_admin.import_gazetteer(db.session, geo_admin.read_gazetteer(data))
    except geo_admin.ImportRefused as exc:
        db.session.rollback()
        return _page(gazetteer_form=form, problems=exc.problems, failed="gazetteer", filename=filename, status=422)
    geo_admin.record_import(db.session, current_user, "gazetteer", filename, done, now(), client_ip())
    db.session.commit()
    flash(_("Imported the gazetteer of %(file)s: %(new)d new, %(changed)d changed, %(same)d unchanged.",
            file=filename, new=done.created, changed=done.updated, same=done.unchanged), "success")
    return redirect(url_for("admin.places"))
