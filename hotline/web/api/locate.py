"""GET /locate?lat=&long=&address=&address_id= (any signed-in role): which street and district a point, a
gazetteer address id or a typed address is in — for the operator console and for integrators."""
from __future__ import annotations

import math

from flask import jsonify, request

from hotline.domain.errors import InvalidFields
from hotline.extensions import db
from hotline.models import Area
from hotline.services import locate
from hotline.services.serialize import ref
from hotline.web.api import bp

TEXT_MAX = 200
ID_MAX = 32


def _coordinate(name: str, low: float, high: float, errors: dict) -> float | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not low <= value <= high:
        errors[name] = "out_of_range" if math.isfinite(value) else "invalid"
        return None
    return value


def located_json(found: locate.Located) -> dict:
    area = db.session.get(Area, found.area_id) if found.area_id else None
    street = area if area is not None and found.street_code else None
    district = (area.parent if street is not None else area) if area is not None else None
    return {"area": ref(area), "street": ref(street), "district": ref(district), "latitude": found.latitude,
            "longitude": found.longitude, "address": found.address, "address_id": found.address_id,
            "how": found.how}


@bp.get("/locate")
def locate_place():
    errors: dict[str, str] = {}
    lat = _coordinate("lat", -90, 90, errors)
    long = _coordinate("long", -180, 180, errors)
    address = request.args.get("address", "").strip()
    address_id = request.args.get("address_id", "").strip()
    if len(address) > TEXT_MAX:
        errors["address"] = "too_long"
    if len(address_id) > ID_MAX:
        errors["address_id"] = "too_long"
    if not errors and (lat is None) != (long is None):
        errors["long" if long is None else "lat"] = "required"  # a point needs both
    if errors:
        raise InvalidFields("fields", errors)
    try:
        found = locate.resolve(db.session, lat=lat, long=long, address=address or None,
                               address_id=address_id or None)
    except locate.UnknownAddressId:
        raise InvalidFields("fields", {"address_id": "unknown"}) from None
    except locate.OutsideJurisdiction:
        raise InvalidFields("fields", {"lat": "outside_jurisdiction", "long": "outside_jurisdiction"}) from None
    return jsonify(located_json(found))
