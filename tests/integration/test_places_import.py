"""Importing boundaries (GeoJSON) and the gazetteer (CSV): on the places page and on the command line; all or
nothing, every problem listed; an import is in the access log and is used by the next lookup."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.integration import test_places_support as support
from tests.integration.test_admin_catalogue_support import sign_in

places_kept = support.places_kept  # fixture
BOUNDARIES, GAZETTEER = "/admin/places/boundaries", "/admin/places/gazetteer"
HEADER = "code,name,kind,area_code,lat,long\n"


def snapshot(app) -> tuple:
    from hotline.extensions import db
    from hotline.models import AreaBoundary, GazetteerEntry

    with app.app_context():
        return (sorted((b.area_id, str(b.geometry)) for b in db.session.scalars(select(AreaBoundary))),
                sorted((e.code, e.name, e.area_id) for e in db.session.scalars(select(GazetteerEntry))))


def located(app, **where):
    from hotline.extensions import db
    from hotline.services import locate

    with app.app_context():
        return locate.resolve(db.session, **where)


def test_a_boundary_import_changes_the_map_and_the_lookups(app, client, places_kept):
    sign_in(client, "supervisor")
    small = support.square("dh-hbj", 114.999, 29.999, 0.002)  # 湖滨街道 redrawn around a point of 西湖街道
    response = support.upload(client, BOUNDARIES, support.collection(small), "hubin.geojson")
    assert response.status_code == 302
    page = client.get("/admin/places").get_data(as_text=True)
    assert "Imported the boundaries of hubin.geojson: 0 new, 1 changed, 0 unchanged." in page
    assert located(app, lat=30.0, long=115.0).street_code == "dh-hbj"
    from hotline.extensions import db
    from hotline.models import AccessLog, Area, AreaBoundary, User

    with app.app_context():
        row = db.session.scalar(select(AccessLog).where(AccessLog.action == "boundaries_imported"))
        assert row is not None and "hubin.geojson" in row.detail
        assert db.session.get(User, row.user_id).username == "supervisor"
        boundary = db.session.scalar(select(AreaBoundary).join(Area).where(Area.code == "dh-hbj"))
        assert (boundary.source, round(boundary.min_lat, 3), round(boundary.max_long, 3)) == (
            "hubin.geojson", 29.999, 115.001)


def test_a_bad_boundary_file_imports_nothing_and_lists_every_problem(app, client, places_kept):
    sign_in(client, "admin")
    before = snapshot(app)
    good = support.square("dh-hbj", 114.999, 29.999, 0.002)
    bowtie = dict(support.square("dh-xhj", 0, 0, 1))
    bowtie["geometry"] = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    data = support.collection(good, support.square("nowhere", 0, 0, 1), {"type": "Feature", "properties": {}},
                              bowtie, support.square("dh-hbj", 1, 1, 1))
    response = support.upload(client, BOUNDARIES, data, "bad.geojson")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was imported from bad.geojson." in page and "Problems found: 4." in page
    assert "Feature 2 (nowhere)" in page and "No district or street has the code nowhere." in page
    assert "Feature 3</strong>: properties.code is missing" in page
    assert "Feature 4 (dh-xhj)" in page and "Self-intersection" in page
    assert "Feature 5 (dh-hbj)" in page and "appears twice" in page
    assert snapshot(app) == before


@pytest.mark.parametrize(("data", "message"), [
    (b"{not json", "The file is not JSON"),
    (b'{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
    (b'{"type": "FeatureCollection", "features": []}', "The file has no features."),
])
def test_a_file_that_is_not_geojson_is_refused(app, client, places_kept, data, message):
    sign_in(client, "admin")
    response = support.upload(client, BOUNDARIES, data, "x.geojson")
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_a_gazetteer_import_adds_and_updates_entries(app, client, places_kept):
    sign_in(client, "admin")
    csv = HEADER + ("dh-xhj-900,西湖路88号新工地,address,dh-xhj,30.0,115.0\n"
                    "dh-xhj-06,西湖花园（南区）,estate,dh-xhj,,\n")
    response = support.upload(client, GAZETTEER, ("\ufeff" + csv).encode(), "places.csv", "text/csv")
    assert response.status_code == 302
    assert "1 new, 1 changed, 0 unchanged" in client.get("/admin/places").get_data(as_text=True)
    found = located(app, address="东湖区西湖路88号新工地旁边")
    assert (found.address_id, found.street_code, found.latitude) == ("dh-xhj-900", "dh-xhj", 30.0)
    found = located(app, address="西湖花园南区")
    assert (found.address_id, found.latitude) == ("dh-xhj-06", None)
    from hotline.extensions import db
    from hotline.models import AccessLog

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AccessLog)
                                 .where(AccessLog.action == "gazetteer_imported")) == 1


def test_a_bad_gazetteer_imports_nothing_and_lists_every_row(app, client, places_kept):
    sign_in(client, "supervisor")
    before = snapshot(app)
    csv = HEADER + "\n".join([
        "ok-1,好地方,landmark,dh-xhj,30.0,115.0",
        ",无名,address,dh-xhj,,",
        "bad-2,,address,dh-xhj,,",
        "bad-3,某处,house,dh-xhj,,",
        "bad-4,某处2,address,zz-top,,",
        "bad-5,某处3,address,dh-xhj,30.0,",
        "bad-6,某处4,address,dh-xhj,95,115",
        "bad-7,远处,address,dh-xhj,29.93,114.90",   # a point in 滨江街道, filed under 西湖街道
        "ok-1,重复,address,dh-xhj,,",
        "bad 8,空格,address,dh-xhj,,",
    ]) + "\n"
    response = support.upload(client, GAZETTEER, csv.encode(), "bad.csv", "text/csv")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for line, text in [(3, "The code is empty."), (4, "The name is empty."), (5, "The kind house is not one of"),
                       (6, "No district or street has the code zz-top."), (7, "Give both lat and long"),
                       (8, "not a valid point"), (9, "lies outside the boundary of dh-xhj"),
                       (10, "appears twice"), (11, "at most 32 characters and no spaces")]:
        assert f"Line {line}" in page and text in page, (line, text)
    assert "Problems found: 9." in page
    assert snapshot(app) == before


@pytest.mark.parametrize(("data", "message"), [
    (b"name,code\nx,y\n", "The first line must be code,name,kind,area_code,lat,long (missing: kind, "),
    ("code,name,kind,area_code,lat,long\n西湖,x,address,dh,,\n".encode("gb18030"), "not UTF-8"),
    (HEADER.encode(), "The file has no rows."),
])
def test_a_file_that_is_not_a_gazetteer_is_refused(app, client, places_kept, data, message):
    sign_in(client, "admin")
    response = support.upload(client, GAZETTEER, data, "x.csv", "text/csv")
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_no_file_and_no_csrf_token(client, places_kept):
    sign_in(client, "admin")
    from tests.helpers import hidden_value

    token = hidden_value(client.get("/admin/places").get_data(as_text=True), "csrf_token")
    response = client.post(GAZETTEER, data={"csrf_token": token})
    assert response.status_code == 422 and "Choose the file to import." in response.get_data(as_text=True)
    assert client.post(BOUNDARIES, data={}).status_code == 400


def test_the_command_line_imports_and_refuses(app, places_kept, tmp_path):
    runner = app.test_cli_runner()
    good = tmp_path / "b.geojson"
    good.write_bytes(support.collection(support.square("dh-hbj", 114.999, 29.999, 0.002)))
    result = runner.invoke(args=["hotline", "geo-import", str(good)])
    assert result.exit_code == 0 and "boundaries: 0 new, 1 changed, 0 unchanged" in result.output
    assert located(app, lat=30.0, long=115.0).street_code == "dh-hbj"
    bad = tmp_path / "g.csv"
    bad.write_text(HEADER + "x-1,某处,address,zz-top,,\nx-2,,address,dh,,\n", encoding="utf-8")
    result = runner.invoke(args=["hotline", "gazetteer-import", str(bad)])
    assert result.exit_code != 0
    assert "nothing was imported" in result.output and "line 2 (x-1): no area has the code 'zz-top'" in result.output
    assert "line 3 (x-2): name is empty" in result.output
    ok = tmp_path / "ok.csv"
    ok.write_text(HEADER + "x-1,某处,address,dh,,\n", encoding="utf-8")
    result = runner.invoke(args=["hotline", "gazetteer-import", str(ok)])
    assert result.exit_code == 0 and "gazetteer: 1 new" in result.output
    assert located(app, address="某处").district_code == "dh"


def test_seeding_again_adds_nothing_and_keeps_what_was_imported(app, places_kept):
    from hotline.extensions import db
    from hotline.seed import demo_geo
    from hotline.services import geo_admin

    with app.app_context():
        geo_admin.import_boundaries(db.session, {"features": [support.square("dh-hbj", 114.999, 29.999, 0.002)]},
                                    source="mine")
        db.session.commit()
        assert demo_geo.seed(db.session) == {"boundaries": 0, "places": 0}
        db.session.commit()
    assert located(app, lat=30.0, long=115.0).street_code == "dh-hbj"
