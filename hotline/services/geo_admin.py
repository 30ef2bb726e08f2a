"""Loading places: area boundaries from a GeoJSON FeatureCollection and gazetteer entries from a CSV.

Both imports are all-or-nothing: every feature or row is checked first, and one bad one refuses the whole file
with a message per problem (feature/row number, what is wrong), so a half-loaded map never routes cases.
Rows are matched by code: a file adds what is new and updates what it names; what it does not name stays."""
from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.domain import geo
from hotline.models import Area, AreaBoundary, GazetteerEntry
from hotline.services import locate

KINDS = ("address", "estate", "road", "landmark")
GAZETTEER_COLUMNS = ("code", "name", "kind", "area_code", "lat", "long")
CODE_MAX, NAME_MAX, SOURCE_MAX = 32, 200, 200
ERRORS_SHOWN = 50  # a file with thousands of bad rows: the first ones say enough
POINT_SLACK = 0.0005  # degrees (≈ 50 m): a gazetteer point drawn on the line between two streets still counts


# What each problem says, in English for the command line; the admin page says it in the reader's language
# (hotline/web/admin/places_forms.py has the same codes).
ENGLISH = {
    "not_json": "not JSON: {detail}",
    "not_collection": 'not a GeoJSON FeatureCollection (expected {{"type": "FeatureCollection", "features": [...]}})',
    "no_features": "the file has no features",
    "not_feature": "not a GeoJSON Feature",
    "no_code": "properties.code is missing",
    "unknown_area": "no area has the code {code!r}",
    "duplicate": "the code {code!r} appears twice",
    "bad_geometry": "the geometry is not a valid polygon: {detail}",
    "not_utf8": "the file is not UTF-8 text (save the CSV as UTF-8)",
    "bad_header": "the header must be {columns} (missing: {missing})",
    "csv_error": "the CSV cannot be read: {detail}",
    "no_rows": "the file has no rows",
    "code_empty": "code is empty",
    "code_bad": "code must be at most {max} characters without spaces",
    "name_empty": "name is empty",
    "name_too_long": "name is longer than {max} characters",
    "name_no_letters": "name has no letters or digits",
    "bad_kind": "kind {kind!r} is not one of {kinds}",
    "point_half": "give both lat and long, or neither",
    "point_invalid": "lat/long are not a valid point (lat within ±90, long within ±180)",
    "point_outside": "the point ({lat}, {long}) lies outside the boundary of {code} ({name})",
}


@dataclass(frozen=True)
class Problem:
    code: str                     # a key of ENGLISH
    where: str = ""               # "feature", "line" or "" (the whole file)
    number: int = 0               # the feature's position (from 1) or the CSV line (the header is line 1)
    ref: str = ""                 # the feature's or row's code, when it has one
    params: dict = field(default_factory=dict)

    def english(self) -> str:
        place = f"{self.where} {self.number}" + (f" ({self.ref})" if self.ref else "") + ": " if self.where else ""
        return place + ENGLISH[self.code].format(**self.params)


class ImportRefused(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.english() for p in problems[:3]))
        self.problems = problems[:ERRORS_SHOWN]
        self.total = len(problems)


@dataclass
class Imported:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    codes: list[str] = field(default_factory=list)


def _areas(session: Session) -> dict[str, Area]:
    return {a.code: a for a in session.scalars(select(Area))}


# --- boundaries ------------------------------------------------------------------------------------------------

def read_boundaries(raw: bytes | str) -> dict:
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportRefused([Problem("not_json", params={"detail": str(exc)})]) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        raise ImportRefused([Problem("not_collection")])
    return data


def import_boundaries(session: Session, data: dict, source: str = "", only_missing: bool = False) -> Imported:
    """Each feature's `properties.code` names an area; its geometry (Polygon or MultiPolygon, [long, lat])
    becomes that area's boundary. The caller commits. `only_missing` leaves areas that have one alone (seeding)."""
    areas = _areas(session)
    problems: list[Problem] = []
    shapes: dict[str, tuple[dict, geo.Box]] = {}
    for number, feature in enumerate(data.get("features", []), start=1):
        code = ((feature or {}).get("properties") or {}).get("code") if isinstance(feature, dict) else None
        ref = code.strip()[:CODE_MAX] if isinstance(code, str) else ""

        def found(what: str, **params) -> None:
            problems.append(Problem(what, "feature", number, ref, params))  # noqa: B023  (used at once)

        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            found("not_feature")
            continue
        if not ref:
            found("no_code")
            continue
        code = code.strip()
        if code not in areas:
            found("unknown_area", code=code)
        elif code in shapes:
            found("duplicate", code=code)
        try:
            outline = geo.outline_of(feature.get("geometry"))
        except geo.BadGeometry as exc:
            found("bad_geometry", detail=str(exc))
            continue
        shapes[code] = (feature["geometry"], geo.box_of(outline))
    if not shapes and not problems:
        problems.append(Problem("no_features"))
    if problems:
        raise ImportRefused(problems)
    existing = {b.area_id: b for b in session.scalars(select(AreaBoundary))}
    result = Imported()
    for code, (geometry, box) in shapes.items():
        area = areas[code]
        row = existing.get(area.id)
        if row is not None and only_missing:
            result.unchanged += 1
            continue
        values = {"geometry": geometry, "min_lat": box.min_lat, "min_long": box.min_long, "max_lat": box.max_lat,
                  "max_long": box.max_long, "source": source[:SOURCE_MAX]}
        if row is None:
            session.add(AreaBoundary(area_id=area.id, **values))
            result.created += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            result.updated += 1
        else:
            result.unchanged += 1
        result.codes.append(code)
    session.flush()
    return result


# --- gazetteer -------------------------------------------------------------------------------------------------

def read_gazetteer(raw: bytes | str) -> list[dict[str, str]]:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")  # a spreadsheet's UTF-8 export starts with a BOM
        except UnicodeDecodeError:
            raise ImportRefused([Problem("not_utf8")]) from None
    reader = csv.DictReader(io.StringIO(raw.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in GAZETTEER_COLUMNS if c not in header]
    if missing:
        raise ImportRefused([Problem("bad_header", params={"columns": ",".join(GAZETTEER_COLUMNS),
                                                            "missing": ", ".join(missing)})])
    reader.fieldnames = header
    try:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except csv.Error as exc:
        raise ImportRefused([Problem("csv_error", "line", reader.line_num, params={"detail": str(exc)})]) from None


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _check_row(row: dict[str, str], areas: dict[str, Area], index: geo.OutlineIndex) -> list[tuple[str, dict]]:
    problems: list[tuple[str, dict]] = []
    code, name, kind = row["code"], row["name"], row["kind"] or "address"
    if not code:
        problems.append(("code_empty", {}))
    elif len(code) > CODE_MAX or any(c.isspace() for c in code):
        problems.append(("code_bad", {"max": CODE_MAX}))
    if not name:
        problems.append(("name_empty", {}))
    elif len(name) > NAME_MAX:
        problems.append(("name_too_long", {"max": NAME_MAX}))
    elif not geo.address_key(name):
        problems.append(("name_no_letters", {}))
    if kind not in KINDS:
        problems.append(("bad_kind", {"kind": kind, "kinds": ", ".join(KINDS)}))
    area = areas.get(row["area_code"])
    if area is None:
        problems.append(("unknown_area", {"code": row["area_code"]}))
    if bool(row["lat"]) != bool(row["long"]):
        problems.append(("point_half", {}))
    elif row["lat"]:
        lat, long = _number(row["lat"]), _number(row["long"])
        if lat is None or long is None or not geo.valid_point(lat, long):
            problems.append(("point_invalid", {}))
        elif area is not None and len(index) and not _near(index, area, lat, long):
            problems.append(("point_outside", {"lat": lat, "long": long, "code": area.code, "name": area.name}))
    return problems


def _near(index: geo.OutlineIndex, area: Area, lat: float, long: float) -> bool:
    own = [o for o in index.outlines if o.key == area.id]
    if not own:
        return True  # the area has no boundary to check against
    return any(o.shape.buffer(POINT_SLACK).intersects(geo.Point(long, lat)) for o in own)


def import_gazetteer(session: Session, rows: list[dict[str, str]], only_missing: bool = False) -> Imported:
    """Rows `code,name,kind,area_code,lat,long` (kind: address, estate, road, landmark; lat/long optional).
    The caller commits. `only_missing` adds new codes and leaves existing entries alone (seeding)."""
    areas = _areas(session)
    index = locate.outlines(session)
    if only_missing:  # what is there already is neither checked again nor touched
        there = set(session.scalars(select(GazetteerEntry.code)))
        rows = [row for row in rows if row["code"] not in there]
        if not rows:
            return Imported()
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        found = _check_row(row, areas, index)
        if row["code"] and row["code"] in seen:
            found.append(("duplicate", {"code": row["code"]}))
        seen.add(row["code"])
        problems += [Problem(what, "line", number, row["code"][:CODE_MAX], params) for what, params in found]
    if not rows and not problems:
        problems.append(Problem("no_rows"))
    if problems:
        raise ImportRefused(problems)
    existing = {e.code: e for e in session.scalars(select(GazetteerEntry).where(GazetteerEntry.code.in_(seen)))} \
        if len(seen) <= 5000 else {e.code: e for e in session.scalars(select(GazetteerEntry))}
    result = Imported()
    for row in rows:
        entry = existing.get(row["code"])
        values = {"name": row["name"], "key": geo.address_key(row["name"]), "kind": row["kind"] or "address",
                  "area_id": areas[row["area_code"]].id, "latitude": _number(row["lat"]) if row["lat"] else None,
                  "longitude": _number(row["long"]) if row["long"] else None, "active": True}
        if entry is None:
            session.add(GazetteerEntry(code=row["code"], **values))
            result.created += 1
        elif any(getattr(entry, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(entry, k, v)
            result.updated += 1
        else:
            result.unchanged += 1
        result.codes.append(row["code"])
    session.flush()
    return result


def counts(session: Session) -> dict[str, int]:
    return {"boundaries": session.scalar(select(func.count()).select_from(AreaBoundary)) or 0,
            "gazetteer": session.scalar(select(func.count()).select_from(GazetteerEntry)) or 0,
            "gazetteer_active": session.scalar(select(func.count()).select_from(GazetteerEntry)
                                               .where(GazetteerEntry.active.is_(True))) or 0}


def record_import(session: Session, user, what: str, filename: str, done: Imported, at, ip: str = "") -> None:
    """An import changes how every case is routed: it goes in the access log with who, when and what."""
    from hotline.services import audit

    audit.log_access(session, user, f"{what}_imported", at=at, ip=ip,
                     detail=f"{filename}: {done.created} new, {done.updated} changed, {done.unchanged} unchanged")


@dataclass
class EntryPage:
    rows: list[GazetteerEntry]
    page: int
    pages: int
    total: int


def find_entries(session: Session, q: str = "", area_code: str = "", page: int = 1, per_page: int = 50
                 ) -> EntryPage:
    """Gazetteer entries whose name or code holds `q` (names compared as address keys), in one street or
    district (a district takes its streets' entries too), ordered by code."""
    query = select(GazetteerEntry)
    if q:
        key = geo.address_key(q)
        like = f"%{_escape(key)}%" if key else None
        code_like = f"{_escape(q.strip())}%"
        condition = GazetteerEntry.code.like(code_like, escape="\\")
        if like:
            condition = condition | GazetteerEntry.key.like(like, escape="\\")
        query = query.where(condition)
    if area_code:
        area = session.scalar(select(Area).where(Area.code == area_code))
        ids = [area.id, *(c.id for c in area.children)] if area else [-1]
        query = query.where(GazetteerEntry.area_id.in_(ids))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    rows = list(session.scalars(query.order_by(GazetteerEntry.code).limit(per_page).offset((page - 1) * per_page)))
    return EntryPage(rows, page, pages, total)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def outlines_with_areas(session: Session) -> list[tuple[Area, dict]]:
    return [(area, boundary.geometry) for boundary, area in session.execute(
        select(AreaBoundary, Area).join(Area, Area.id == AreaBoundary.area_id).order_by(Area.level, Area.code))]
