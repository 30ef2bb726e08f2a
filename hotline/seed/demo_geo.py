"""The demo city's places (FICTIONAL, like the city): simple outlines of 江川市's 4 districts and 19 streets,
which tile each district without overlap, and a gazetteer of roads, addresses, estates and landmarks, each
point inside its street. The files under data/ were drawn once from a jittered grid of cells."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

DATA = Path(__file__).with_name("data")
BOUNDARIES = DATA / "demo_boundaries.geojson"
GAZETTEER = DATA / "demo_gazetteer.csv"


def seed(session: Session) -> dict[str, int]:
    """Adds the outlines of areas that have none and the gazetteer entries whose code is new: safe to run again,
    and it never overwrites boundaries or entries someone has imported or edited. The caller commits."""
    from hotline.services import geo_admin

    boundaries = geo_admin.import_boundaries(session, geo_admin.read_boundaries(BOUNDARIES.read_bytes()),
                                             source="demo", only_missing=True)
    entries = geo_admin.import_gazetteer(session, geo_admin.read_gazetteer(GAZETTEER.read_bytes()),
                                         only_missing=True)
    return {"boundaries": boundaries.created, "places": entries.created}
