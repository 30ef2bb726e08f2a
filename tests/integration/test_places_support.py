"""Shared by the places tests: the demo boundaries and gazetteer are put back after a test that changes them."""
from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import delete
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.helpers import hidden_value


@pytest.fixture
def places_kept(app):
    yield
    from hotline.extensions import db
    from hotline.models import Area, AreaBoundary, GazetteerEntry
    from hotline.seed import demo_geo
    from hotline.services import locate

    with app.app_context():
        db.session.rollback()
        db.session.execute(delete(GazetteerEntry))
        db.session.execute(delete(AreaBoundary))
        for area in db.session.query(Area).filter(Area.active.is_(False)):
            area.active = True
        demo_geo.seed(db.session)
        db.session.commit()
        locate.forget()


def demo_features() -> list[dict]:
    from hotline.seed import demo_geo

    return json.loads(demo_geo.BOUNDARIES.read_text(encoding="utf-8"))["features"]


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


def square(code: str, x0: float, y0: float, size: float) -> dict:
    ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
    return {"type": "Feature", "properties": {"code": code}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def upload(client, url: str, data: bytes, filename: str, content_type: str = "application/json"):
    page = client.get("/admin/places").get_data(as_text=True)
    form = {"csrf_token": hidden_value(page, "csrf_token"),
            "file": FileStorage(io.BytesIO(data), filename, content_type=content_type)}
    boundary, body = encode_multipart(form)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")
