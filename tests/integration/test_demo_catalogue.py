"""The demo catalogue routes every demo sub-category, in every demo place, for every hotline kind, to a
plausible department (issue 4): through services.routing.preview, as a case would be routed.

What "plausible" means here (DOMAIN.md §5, hotline/seed/demo_catalogue.py):
- a rule matches, and it is the sub-category's own rule, not the last-resort one;
- the lead department exists and takes cases; co-handlers too, never the lead;
- a place rule (属地) sends the case to THAT place: the street office of the case's street, or the unit
  of the case's district;
- a functional matter (谁主管) never lands on a street office, and the department that owns the
  sub-category (demo_categories `owner`), or its branch in the case's district, leads or co-handles;
- unclear ownership goes to the district government of the case's district."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from hotline.domain import catalogue_csv
from hotline.domain.kinds import KINDS_BY_TRACK, Track
from hotline.models import Area, Category, Department, RoutingRule
from hotline.seed import demo_catalogue, demo_city
from hotline.services import catalogue, routing

NEUTRAL_TEXT = "市民来电反映有关情况，请核实处理。"  # no keyword rule fires: the subject decides
HOTLINE_KINDS = [str(k) for k in KINDS_BY_TRACK[Track.HOTLINE]]
SUBJECTS = [c for c in demo_city.CATEGORIES if c.parent]
DISTRICTS = [a.code for a in demo_city.AREAS if a.parent is None]
STREETS = [a.code for a in demo_city.AREAS if a.parent]
SEEDS = {r.name: r for r in demo_catalogue.RULES}

# (sub-category, area, kind) the catalogue leaves to the dispatcher on purpose. None: with a district
# known, the last rule (区政府协调) always resolves; only a case with no place at all goes unrouted.
DELIBERATELY_UNROUTED: set[tuple[str, str, str]] = set()


@pytest.fixture
def world(db_session):
    """The session and the demo's rows by code (rules by id, as decisions name them)."""
    session = db_session
    yield (session, {c.code: c for c in session.scalars(select(Category))},
           {a.code: a for a in session.scalars(select(Area))},
           {d.code: d for d in session.scalars(select(Department))},
           {r.id: r.name for r in session.scalars(select(RoutingRule))})
    session.rollback()  # no transaction left open: the next test's clean-up writes


def _district(area: Area) -> str:
    return area.parent.code if area.parent else area.code


def _belongs_to_place(dept: Department, area: Area) -> bool:
    """The street office of that street, or a unit of that district."""
    if dept.kind == "street_office":
        return area.parent is not None and dept.area.code == area.code
    return dept.kind in ("district_gov", "district_bureau") and dept.area.code == _district(area)


def _owner_line(owner: str, area: Area) -> set[str]:
    branch = demo_catalogue.OWNER_BRANCH.get(owner)
    return {owner, f"{_district(area)}-{branch}"} if branch else {owner}


@pytest.mark.parametrize("subject", SUBJECTS, ids=lambda c: c.code)
def test_every_subject_in_every_place_for_every_kind_goes_to_a_plausible_department(world, subject):
    session, categories, areas, departments, rules = world
    category = categories[subject.code]
    directory = routing.directory(session)
    for area_code in DISTRICTS + STREETS:
        area = areas[area_code]
        for kind in HOTLINE_KINDS:
            where = (subject.code, area_code, kind)
            decision = routing.preview(session, "hotline", kind, "general", category, area, NEUTRAL_TEXT)
            if where in DELIBERATELY_UNROUTED:
                assert decision.rule is None, where
                continue
            assert decision.rule is not None, (where, decision.skipped)
            seed = SEEDS[rules[decision.rule.id]]
            assert seed.name != demo_catalogue.CATCH_ALL, f"{where}: no rule of its own"
            lead = departments[decision.lead]
            co = [departments[c] for c in decision.co]
            assert lead.active and lead.kind != "centre", where
            assert all(d.active and d.kind != "centre" for d in co) and lead not in co, where
            if seed.basis == "place":
                assert seed.lead in ("street_office", "district_gov") or seed.lead.startswith("district:"), seed
                assert _belongs_to_place(lead, area), (where, lead.code)
                for target in seed.co:  # a place holder among the co-handlers stays in the place too
                    code = directory.resolve(target, routing.facts("hotline", kind, "general", category, area, ""))
                    if code and not target.startswith("dept:"):
                        assert _belongs_to_place(departments[code], area), (where, target, code)
            elif seed.basis == "function":
                assert lead.kind != "street_office" and all(d.kind != "street_office" for d in co), where
                assert {lead.code, *decision.co} & _owner_line(subject.owner, area), (where, subject.owner)
                if lead.kind in ("district_gov", "district_bureau"):
                    assert lead.area.code == _district(area), where
            else:
                assert lead.code == f"{_district(area)}-gov", where


# The only subjects a street office leads: matters of the place itself (属地), the street's own work.
# Anything else on this list would be a functional department's work pushed down to a street (66号文).
STREET_OFFICE_SUBJECTS = {"city.garbage", "housing.property-service", "housing.house-leak"}


def test_only_the_street_s_own_matters_land_on_a_street_office(world):
    session, categories, areas, departments, _ = world
    landed = set()
    for subject in SUBJECTS:
        for street in STREETS:
            for kind in HOTLINE_KINDS:
                decision = routing.preview(session, "hotline", kind, "general", categories[subject.code],
                                           areas[street], NEUTRAL_TEXT)
                if departments[decision.lead].kind == "street_office":
                    landed.add(subject.code)
                    assert decision.lead == street  # and then only the office of that street
    assert landed == STREET_OFFICE_SUBJECTS


def test_a_street_office_rule_falls_back_to_the_district_when_the_case_names_only_a_district(world):
    session, categories, areas, _, rules = world
    for code in ("housing.property-service", "city.garbage"):
        on_street = routing.preview(session, "hotline", "complaint", "general", categories[code], areas["nj-bsj"],
                                    NEUTRAL_TEXT)
        district_only = routing.preview(session, "hotline", "complaint", "general", categories[code], areas["nj"],
                                        NEUTRAL_TEXT)
        assert on_street.lead == "nj-bsj" and district_only.lead.startswith("nj-")
        assert district_only.lead != "nj-bsj" and district_only.skipped  # the street rule said why it passed
        assert "street_office" in district_only.skipped[0][1]


def test_the_modes_are_mixed_and_every_rule_is_used_or_keyword_driven(world):
    session, categories, areas, _, rules = world
    modes, used = Counter(), set()
    for subject in SUBJECTS:
        for area_code in ("dh-xhj", "bt", "xs-cpj"):
            for kind in ("complaint", "consult"):
                decision = routing.preview(session, "hotline", kind, "general", categories[subject.code],
                                           areas[area_code], NEUTRAL_TEXT)
                modes[decision.mode] += 1
                used.add(rules[decision.rule.id])
    assert modes["auto"] > modes["suggest"] > 0 and modes["none"] == 0
    unused = {r.name for r in demo_catalogue.RULES if r.name not in used}
    assert unused == {r.name for r in demo_catalogue.RULES
                      if r.keywords or r.urgencies or r.track == "petition" or r.name == demo_catalogue.CATCH_ALL}


@pytest.mark.parametrize(("text", "category", "lead", "mode"), [
    ("厨房里一股煤气味，担心燃气泄漏", "housing.property-service", "rqjt", "auto"),
    ("孩子放学被困电梯里半小时", "housing.elevator", "dh-scjgj", "auto"),
    ("在食堂吃饭后多人食物中毒", "education.school-management", "dh-scjgj", "auto"),
    ("楼上装修电钻声从早到晚", "order.noise-social", "dh-xhj", "suggest"),
    ("包工头拖欠农民工工资三个月", "labour.wage-arrears", "rsj", "auto"),
    ("老房子拆迁补偿不到位", "other.planning", "dh-gov", "suggest"),
])
def test_the_keyword_rules_come_before_the_subject(world, text, category, lead, mode):
    session, categories, areas, _, _ = world
    decision = routing.preview(session, "hotline", "complaint", "general", categories[category], areas["dh-xhj"], text)
    assert (decision.lead, decision.mode) == (lead, mode)
    assert any(m.on == "keyword" for m in decision.matched)


def test_urgency_area_and_kind_rules(world):
    session, categories, areas, _, _ = world

    def route(category, area, kind="complaint", urgency="general"):
        d = routing.preview(session, "hotline", kind, urgency, categories[category], areas[area], NEUTRAL_TEXT)
        return d.lead, d.mode, d.co

    assert route("city.manhole", "dh-xhj", urgency="urgent") == ("cgw", "auto", ())
    assert route("city.manhole", "dh-xhj") == ("cgw", "suggest", ())
    assert route("environment.air", "bt-htj") == ("sthjj", "auto", ("bt-sthj",))
    assert route("environment.air", "dh-xhj") == ("dh-sthj", "auto", ())
    assert route("labour.contract", "dh-xhj", kind="consult")[:2] == ("rsj", "auto")
    assert route("labour.contract", "dh-xhj")[:2] == ("rsj", "suggest")


def test_petitions_go_to_the_district_government_for_the_petition_office_to_confirm(world):
    session, categories, areas, _, _ = world
    for kind in KINDS_BY_TRACK[Track.PETITION]:
        decision = routing.preview(session, "petition", str(kind), "general", categories["labour.wage-arrears"],
                                   areas["xs-yqj"], "包工头拖欠农民工工资")
        assert (decision.lead, decision.mode) == ("xs-gov", "suggest")


def test_without_a_place_a_place_matter_waits_for_the_dispatcher(world):
    session, categories, *_ = world
    assert routing.preview(session, "hotline", "complaint", "general", categories["city.garbage"], None,
                           NEUTRAL_TEXT).rule is None
    assert routing.preview(session, "hotline", "complaint", "general", categories["utilities.power-outage"], None,
                           NEUTRAL_TEXT).lead == "gdgs"


def test_the_demo_catalogue_passes_the_checks_an_administrator_s_rule_passes(world):
    session = world[0]
    ref = catalogue.reference(session)
    assert len(SEEDS) == len(demo_catalogue.RULES)  # names are unique
    for seed in demo_catalogue.RULES:
        spec = catalogue_csv.RuleSpec(lead=seed.lead, name=seed.name, track=seed.track, kinds=seed.kinds,
                                      categories=seed.categories, areas=seed.areas, urgencies=seed.urgencies,
                                      keywords=seed.keywords, co=seed.co, mode=seed.mode, note=seed.note)
        assert catalogue_csv.check(spec, ref) == [], seed.name


def test_the_seeded_catalogue_is_version_one_and_seeding_again_changes_nothing(app, world):
    from hotline.extensions import db
    from hotline.services.seed import seed_demo

    session = world[0]
    assert routing.current_version(session) == 1
    before = [r.snapshot() for r in session.scalars(select(RoutingRule).order_by(RoutingRule.position))]
    assert seed_demo(db.session, production=False)["rules"] == 0
    after = [r.snapshot() for r in session.scalars(select(RoutingRule).order_by(RoutingRule.position))]
    assert after == before and routing.current_version(session) == 1
    assert [r["name"] for r in before] == [r.name for r in demo_catalogue.RULES]


def test_a_test_may_change_the_catalogue(world):
    """This one edits the catalogue; the next one finds the demo catalogue again (tests/conftest.py)."""
    session = world[0]
    for rule in session.scalars(select(RoutingRule)):
        if rule.name == "停电":
            session.delete(rule)
    session.add(RoutingRule(position=1, name="test rule", lead="dept:cgw", mode="auto"))
    routing.save_version(session, None, "a test's change")
    session.commit()
    power = routing.preview(session, "hotline", "complaint", "general", world[1]["utilities.power-outage"],
                            world[2]["dh-xhj"], NEUTRAL_TEXT)
    assert power.rule.name == "test rule" and routing.current_version(session) == 2


def test_the_next_test_finds_the_demo_catalogue_again(world):
    session = world[0]
    assert routing.current_version(session) == 1
    names = [r.name for r in session.scalars(select(RoutingRule).order_by(RoutingRule.position))]
    assert names == [r.name for r in demo_catalogue.RULES]
    power = routing.preview(session, "hotline", "complaint", "general", world[1]["utilities.power-outage"],
                            world[2]["dh-xhj"], NEUTRAL_TEXT)
    assert (power.rule.name, power.lead) == ("停电", "gdgs")
