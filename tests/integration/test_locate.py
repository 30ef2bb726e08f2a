"""hotline.services.locate: a gazetteer id, a point or an address → the street and district (the demo city)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.integration import test_places_support as support

places_kept = support.places_kept  # fixture

# Points well inside demo streets (the outlines are in hotline/seed/data/demo_boundaries.geojson).
IN_XIHU = (30.0, 115.0)          # 东湖区 西湖街道
IN_BINJIANG = (29.93, 114.90)    # 南江区 滨江街道
FAR_AWAY = (39.9, 116.4)


@pytest.fixture
def session(app):
    from hotline.extensions import db

    with app.app_context():
        yield db.session
        db.session.rollback()


def resolve(session, **where):
    from hotline.services import locate

    return locate.resolve(session, **where)


def area(session, code):
    from hotline.models import Area

    return session.scalar(select(Area).where(Area.code == code))


def test_a_point_lands_in_its_street_and_district(session):
    found = resolve(session, lat=IN_XIHU[0], long=IN_XIHU[1])
    assert (found.street_code, found.district_code, found.how) == ("dh-xhj", "dh", "point")
    assert found.area_id == area(session, "dh-xhj").id
    assert (found.latitude, found.longitude, found.address, found.address_id) == (30.0, 115.0, "", None)
    found = resolve(session, lat=IN_BINJIANG[0], long=IN_BINJIANG[1], address="江边的路灯")
    assert (found.street_code, found.district_code, found.address) == ("nj-bjj", "nj", "江边的路灯")


def test_every_gazetteer_point_resolves_to_the_street_it_is_filed_under(session):
    from hotline.models import GazetteerEntry

    entries = list(session.scalars(select(GazetteerEntry)))
    assert len(entries) > 200
    for entry in entries:
        found = resolve(session, lat=entry.latitude, long=entry.longitude)
        assert found.area_id == entry.area_id, entry.name


def test_a_point_outside_the_city_is_refused(session):
    from hotline.services import locate

    with pytest.raises(locate.OutsideJurisdiction):
        resolve(session, lat=FAR_AWAY[0], long=FAR_AWAY[1])


@pytest.mark.parametrize("where", [{"lat": 30.0}, {"long": 115.0}, {"lat": 91, "long": 0}, {"lat": "x", "long": 1},
                                   {"lat": float("nan"), "long": 115.0}])
def test_half_a_point_or_no_point_on_earth_is_refused(session, where):
    from hotline.services import locate

    with pytest.raises(locate.InvalidPoint):
        resolve(session, **where)
    assert issubclass(locate.InvalidPoint, locate.OutsideJurisdiction)  # callers that answer "outside" cover it


def test_an_address_id_names_a_gazetteer_entry(session):
    found = resolve(session, address_id="bt-lqj-05", lat=IN_XIHU[0], long=IN_XIHU[1], address="随便写的")
    assert (found.how, found.address_id, found.street_code, found.district_code) == (
        "address_id", "bt-lqj-05", "bt-lqj", "bt")  # the id wins over the point and the text
    from hotline.models import GazetteerEntry

    assert found.address == session.scalar(select(GazetteerEntry.name).where(GazetteerEntry.code == "bt-lqj-05"))
    assert found.latitude is not None and found.longitude is not None


def test_an_unknown_or_inactive_address_id_is_refused(session):
    from hotline.models import GazetteerEntry
    from hotline.services import locate

    with pytest.raises(locate.UnknownAddressId):
        resolve(session, address_id="no-such-place")
    entry = session.scalar(select(GazetteerEntry).where(GazetteerEntry.code == "dh-xhj-03"))
    entry.active = False
    session.flush()
    with pytest.raises(locate.UnknownAddressId):
        resolve(session, address_id="dh-xhj-03")


@pytest.mark.parametrize(("typed", "code", "street"), [
    ("西湖花园", "dh-xhj-06", "dh-xhj"),                      # the whole text is an entry
    ("江川市东湖区西湖花园 3号楼2单元", "dh-xhj-06", "dh-xhj"),  # an entry inside a longer address
    ("ＸＸ 江川大学 东门", "xs-xyj-10", "xs-xyj"),
    ("湖滨路", "dh-hbj-01", "dh-hbj"),                         # a road
])
def test_an_address_is_matched_in_the_gazetteer(session, typed, code, street):
    from hotline.models import GazetteerEntry

    entry = session.scalar(select(GazetteerEntry).where(GazetteerEntry.code == code))
    found = resolve(session, address=typed)
    assert (found.how, found.address_id, found.street_code, found.address) == ("gazetteer", code, street, entry.name)
    assert (found.latitude, found.longitude) == (entry.latitude, entry.longitude)


def test_the_longest_entry_in_the_address_wins(session):
    from hotline.models import GazetteerEntry

    number = session.scalar(select(GazetteerEntry).where(GazetteerEntry.code == "dh-xhj-03"))  # 西湖路NN号
    found = resolve(session, address=f"东湖区{number.name}5栋")
    assert found.address_id == "dh-xhj-03"
    found = resolve(session, address="西湖路999号")  # no such number: the road itself
    assert found.address_id == "dh-xhj-01"


def test_district_and_street_names_place_an_unknown_address(session):
    found = resolve(session, address="江川市北塘区龙泉街道某某巷7号")
    assert (found.how, found.street_code, found.district_code, found.address_id) == ("area_name", "bt-lqj", "bt",
                                                                                      None)
    assert found.address == "江川市北塘区龙泉街道某某巷7号" and found.latitude is None
    found = resolve(session, address="北塘区某某巷7号")
    assert (found.how, found.street_code, found.district_code) == ("area_name", None, "bt")
    assert found.area_id == area(session, "bt").id


def test_a_street_outside_the_named_district_is_not_taken(session):
    found = resolve(session, address="南江区 龙泉街道 不存在的巷子")  # 龙泉街道 is in 北塘区
    assert (found.street_code, found.district_code) == (None, "nj")


def test_nothing_matches(session):
    found = resolve(session, address="月球背面")
    assert (found.how, found.area_id, found.address, found.address_id) == ("none", None, "月球背面", None)
    assert resolve(session).how == "none"


def test_two_entries_of_one_name_are_told_apart_by_the_district_or_not_at_all(session):
    from hotline.models import GazetteerEntry
    from hotline.services import geo_admin

    for code, street in (("t-renmin-1", "dh-glj"), ("t-renmin-2", "bt-xhj")):
        session.add(GazetteerEntry(code=code, name="人民路1号", key=geo_admin.geo.address_key("人民路1号"),
                                   kind="address", area_id=area(session, street).id))
    session.flush()
    assert resolve(session, address="北塘区人民路1号").address_id == "t-renmin-2"
    assert resolve(session, address="东湖区人民路1号").address_id == "t-renmin-1"
    undecided = resolve(session, address="人民路1号")
    assert undecided.address_id is None and undecided.how == "none"  # a guess would route to the wrong street


def test_an_inactive_street_gives_way_to_its_district(session):
    street = area(session, "dh-xhj")
    street.active = False
    session.flush()
    try:
        found = resolve(session, lat=IN_XIHU[0], long=IN_XIHU[1])
        assert (found.street_code, found.district_code, found.area_id) == (None, "dh", area(session, "dh").id)
    finally:
        street.active = True
        session.flush()


def test_changed_boundaries_are_used_at_once(app, places_kept):
    """The outlines are kept in the process; changing the table makes the next lookup read them again."""
    from hotline.extensions import db
    from hotline.models import AreaBoundary
    from hotline.services import geo_admin, locate

    with app.app_context():
        assert locate.resolve(db.session, lat=IN_XIHU[0], long=IN_XIHU[1]).street_code == "dh-xhj"
        # 湖滨街道 redrawn as a small square around the point: smaller than 西湖街道, so it wins now
        small = support.square("dh-hbj", IN_XIHU[1] - 0.001, IN_XIHU[0] - 0.001, 0.002)
        geo_admin.import_boundaries(db.session, {"features": [small]}, source="test")
        db.session.commit()
        assert locate.resolve(db.session, lat=IN_XIHU[0], long=IN_XIHU[1]).street_code == "dh-hbj"
        db.session.execute(AreaBoundary.__table__.delete().where(AreaBoundary.area_id == area(db.session,
                                                                                               "dh-hbj").id))
        db.session.commit()
        assert locate.resolve(db.session, lat=IN_XIHU[0], long=IN_XIHU[1]).street_code == "dh-xhj"


def test_without_boundaries_a_point_falls_back_to_the_address(app, places_kept):
    from hotline.extensions import db
    from hotline.models import AreaBoundary
    from hotline.services import locate

    with app.app_context():
        db.session.execute(AreaBoundary.__table__.delete())
        db.session.commit()
        found = locate.resolve(db.session, lat=FAR_AWAY[0], long=FAR_AWAY[1], address="西湖花园")
        assert (found.how, found.address_id) == ("gazetteer", "dh-xhj-06")
        assert locate.resolve(db.session, lat=FAR_AWAY[0], long=FAR_AWAY[1]).how == "none"
