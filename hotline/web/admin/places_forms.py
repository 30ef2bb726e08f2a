"""The forms of the places page and what an import's problems say in the reader's language (the codes are
those of hotline/services/geo_admin.py)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField

from hotline.services.geo_admin import Problem
from hotline.web.admin.forms import Needed
from hotline.web.fields import strip

MESSAGES = {
    "not_json": _l("The file is not JSON: %(detail)s"),
    "not_collection": _l("The file is not a GeoJSON FeatureCollection."),
    "no_features": _l("The file has no features."),
    "not_feature": _l("This is not a GeoJSON Feature."),
    "no_code": _l("properties.code is missing: it names the district or street."),
    "unknown_area": _l("No district or street has the code %(code)s."),
    "duplicate": _l("The code %(code)s appears twice in the file."),
    "bad_geometry": _l("The geometry is not a valid Polygon or MultiPolygon: %(detail)s"),
    "not_utf8": _l("The file is not UTF-8 text. Save the CSV as UTF-8."),
    "bad_header": _l("The first line must be %(columns)s (missing: %(missing)s)."),
    "csv_error": _l("The CSV cannot be read: %(detail)s"),
    "no_rows": _l("The file has no rows."),
    "code_empty": _l("The code is empty."),
    "code_bad": _l("The code may have at most %(max)d characters and no spaces."),
    "name_empty": _l("The name is empty."),
    "name_too_long": _l("The name is longer than %(max)d characters."),
    "name_no_letters": _l("The name has no letters or digits."),
    "bad_kind": _l("The kind %(kind)s is not one of: %(kinds)s."),
    "point_half": _l("Give both lat and long, or neither."),
    "point_invalid": _l("lat and long are not a valid point (lat within ±90, long within ±180)."),
    "point_outside": _l("The point (%(lat)s, %(long)s) lies outside the boundary of %(code)s (%(name)s)."),
}


def problem_text(problem: Problem) -> tuple[str, str]:
    """(where, what): "Feature 3 (dh-xhj)" or "Line 7 (dh-xhj-01)" or "", and the message."""
    params = {k: (str(v) if not isinstance(v, int | float) else v) for k, v in problem.params.items()}
    what = str(MESSAGES[problem.code]) % params if params else str(MESSAGES[problem.code])
    if problem.where == "feature":
        where = _("Feature %(n)d", n=problem.number)
    elif problem.where == "line":
        where = _("Line %(n)d", n=problem.number)
    else:
        where = ""
    return (f"{where} ({problem.ref})" if where and problem.ref else where), what


class BoundariesForm(FlaskForm):
    file = FileField(_l("GeoJSON file"), validators=[Needed()],
                     render_kw={"accept": ".geojson,.json,application/geo+json,application/json"})


class GazetteerForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[Needed()], render_kw={"accept": ".csv,text/csv"})


class TryForm(FlaskForm):
    """A location to try (sent with GET: it changes nothing, and the link can be shared)."""
    class Meta:
        csrf = False

    lat = StringField(_l("Latitude"), filters=[strip], render_kw={"inputmode": "decimal", "placeholder": "30.0012"})
    long = StringField(_l("Longitude"), filters=[strip],
                       render_kw={"inputmode": "decimal", "placeholder": "114.9876"})
    address = StringField(_l("Address"), filters=[strip],
                          render_kw={"maxlength": 200, "placeholder": _l("e.g. 西湖路36号 or 江川大学")})
    address_id = StringField(_l("Address id"), filters=[strip], render_kw={"maxlength": 32,
                                                                           "placeholder": "dh-xhj-03"})
