"""The dispatch catalogue's rules (hotline/domain/routing.py), without an app or a database."""
from __future__ import annotations

import random

import pytest

from hotline.domain.routing import AUTO, SUGGEST, Catalogue, Directory, Facts, Match, Rule, target_problem

DIRECTORY = Directory(
    active=frozenset({"cgw", "gdgs", "dh-gov", "dh-cgj", "dh-zjj", "dh-xhj", "dh-hbj", "xs-gov", "xs-cgj", "xs-cpj"}),
    street_offices={"dh-xhj": "dh-xhj", "dh-hbj": "dh-hbj", "xs-cpj": "xs-cpj", "xs-yqj": "xs-yqj"},  # xs-yqj: inactive
    district_govs={"dh": "dh-gov", "xs": "xs-gov"},
)


def facts(category="city.noise", area="dh-xhj", kind="complaint", urgency="general", text="", track="hotline"):
    district, _, _ = area.partition("-") if area else (None, "", "")
    street = area if area and "-" in area else None
    return Facts(track=track, kind=kind, urgency=urgency,
                 category_codes=frozenset({category, category.split(".")[0]}) if category else frozenset(),
                 area_codes=frozenset(a for a in (street, district) if a), district=district or None, street=street,
                 description=text)


def rule(id, position=None, **fields) -> Rule:
    fields.setdefault("lead", "dept:cgw")
    return Rule(id=id, position=id if position is None else position, **fields)


def route(rules, f=None, directory=DIRECTORY):
    return Catalogue(rules).route(f or facts(), directory)


def test_the_first_matching_rule_wins_by_position_then_id():
    rules = [rule(1, position=5, lead="dept:gdgs"), rule(2, position=3, lead="dept:dh-cgj"),
             rule(3, position=3, lead="dept:dh-zjj")]
    decision = route(rules)
    assert decision.rule.id == 2 and decision.lead == "dh-cgj"


def test_no_rule_means_the_dispatcher_decides():
    decision = route([rule(1, categories=frozenset({"housing"}))])
    assert decision.rule is None and decision.lead is None and decision.mode == "none" and decision.co == ()


def test_a_rule_without_conditions_matches_anything_and_says_it_matched_nothing_in_particular():
    decision = route([rule(1, mode=AUTO)])
    assert decision.rule.id == 1 and decision.matched == () and decision.mode == AUTO


@pytest.mark.parametrize(("condition", "hit", "miss", "match"), [
    ({"track": "hotline"}, {}, {"track": "petition"}, Match("track", "hotline")),
    ({"kinds": frozenset({"complaint", "report"})}, {}, {"kind": "consult"}, Match("kind", "complaint")),
    ({"categories": frozenset({"city.noise"})}, {}, {"category": "city.garbage"}, Match("category", "city.noise")),
    ({"categories": frozenset({"city"})}, {"category": "city.garbage"}, {"category": "housing.leak"},
     Match("category", "city")),
    ({"areas": frozenset({"dh-xhj"})}, {}, {"area": "dh-hbj"}, Match("area", "dh-xhj")),
    ({"areas": frozenset({"dh"})}, {"area": "dh-hbj"}, {"area": "xs-cpj"}, Match("area", "dh")),
    ({"areas": frozenset({"dh"})}, {"area": "dh"}, {"area": "xs"}, Match("area", "dh")),
    ({"urgencies": frozenset({"urgent"})}, {"urgency": "urgent"}, {}, Match("urgency", "urgent")),
    ({"keywords": ("燃气泄漏", "煤气味")}, {"text": "厨房有煤气味"}, {"text": "暖气不热"}, Match("keyword", "煤气味")),
])
def test_each_condition_matches_what_it_names_and_only_that(condition, hit, miss, match):
    assert route([rule(1, **condition)], facts(**hit)).matched == (match,)
    assert route([rule(1, **condition)], facts(**miss)).rule is None


def test_every_condition_of_a_rule_must_hold_and_each_is_recorded():
    r = rule(1, track="hotline", kinds=frozenset({"complaint"}), categories=frozenset({"city"}),
             areas=frozenset({"dh"}), urgencies=frozenset({"general"}), keywords=("施工",))
    decision = route([r], facts(text="夜间施工"))
    assert [m.on for m in decision.matched] == ["track", "kind", "category", "area", "urgency", "keyword"]
    for spoiled in ({"kind": "consult"}, {"category": "housing.leak"}, {"area": "xs-cpj"}, {"urgency": "urgent"},
                    {"text": "噪音"}, {"track": "petition"}):
        assert route([r], facts(**{"text": "夜间施工", **spoiled})).rule is None, spoiled


def test_an_empty_keyword_never_matches_everything():
    assert route([rule(1, keywords=("",))], facts(text="任何话")).rule is None


@pytest.mark.parametrize(("target", "area", "expected"), [
    ("street_office", "dh-xhj", "dh-xhj"),
    ("street_office", "xs-cpj", "xs-cpj"),
    ("district_gov", "dh-hbj", "dh-gov"),
    ("district_gov", "xs", "xs-gov"),
    ("district:cgj", "dh-xhj", "dh-cgj"),
    ("district:cgj", "xs-cpj", "xs-cgj"),
    ("district:zjj", "dh", "dh-zjj"),
    ("dept:gdgs", "xs-cpj", "gdgs"),
    ("street_office", "dh", None),  # a district alone has no street office
    ("street_office", "xs-yqj", None),  # its office is not active
    ("district:zjj", "xs-cpj", None),  # 西山区 has no active 住建局 in this directory
    ("dept:no-such", "dh-xhj", None),
    ("district_gov", None, None),
    ("somewhere", "dh-xhj", None),
])
def test_place_holders_resolve_to_the_department_of_the_case_s_place(target, area, expected):
    assert DIRECTORY.resolve(target, facts(area=area)) == expected


def test_a_rule_whose_lead_does_not_resolve_here_is_skipped_with_the_reason():
    rules = [rule(1, lead="street_office", categories=frozenset({"city"})), rule(2, lead="district:cgj")]
    on_street = route(rules, facts(area="dh-xhj"))
    assert (on_street.rule.id, on_street.lead, on_street.skipped) == (1, "dh-xhj", ())
    district_only = route(rules, facts(area="dh"))
    assert (district_only.rule.id, district_only.lead) == (2, "dh-cgj")
    assert district_only.skipped == ((1, "lead street_office does not resolve here"),)


def test_co_handlers_that_do_not_resolve_are_left_out_not_the_rule():
    decision = route([rule(1, lead="district:cgj", co=("street_office", "dept:gdgs"))], facts(area="dh"))
    assert decision.lead == "dh-cgj" and decision.co == ("gdgs",)


def test_co_handlers_are_deduplicated_and_never_the_lead():
    r = rule(1, lead="street_office", co=("dept:dh-xhj", "district:cgj", "dept:dh-cgj", "district_gov", "dept:gdgs"))
    assert route([r], facts(area="dh-xhj")).co == ("dh-cgj", "dh-gov", "gdgs")


def test_inactive_rules_are_ignored():
    rules = [rule(1, lead="dept:gdgs", active=False), rule(2, lead="dept:cgw")]
    assert route(rules).rule.id == 2
    assert Catalogue(rules).rules == [rules[1]]


def test_the_mode_is_the_rule_s():
    assert route([rule(1, mode=SUGGEST)]).mode == SUGGEST
    assert route([rule(1, mode=AUTO)]).mode == AUTO


def test_target_problems_are_named_when_a_rule_is_saved():
    districts = ("dh", "xs")
    assert target_problem("street_office", DIRECTORY, districts) is None
    assert target_problem("district:cgj", DIRECTORY, districts) is None
    assert target_problem("district:zjj", DIRECTORY, districts) is None  # 东湖区 has one
    assert target_problem("district:nope", DIRECTORY, districts) == "unknown_department"
    assert target_problem("district:", DIRECTORY, districts) == "unknown_target"
    assert target_problem("dept:gdgs", DIRECTORY, districts) is None
    assert target_problem("dept:xs-yqj", DIRECTORY, districts) == "unknown_department"
    assert target_problem("elsewhere", DIRECTORY, districts) == "unknown_target"


# --- the category index gives what a plain scan of every rule gives -----------------------------------

CATEGORIES = ["city", "city.noise", "city.garbage", "housing", "housing.leak", "market", "market.food"]
AREAS = ["dh", "dh-xhj", "dh-hbj", "xs", "xs-cpj", "xs-yqj"]
TARGETS = ["street_office", "district_gov", "district:cgj", "district:zjj", "dept:cgw", "dept:gdgs", "dept:gone"]
WORDS = ["噪音", "漏水", "煤气味", "垃圾"]


def _some(rng, pool, most=2):
    return frozenset(rng.sample(pool, rng.randint(1, most))) if rng.random() < 0.5 else frozenset()


def random_rule(rng: random.Random, id: int) -> Rule:
    return Rule(
        id=id, position=rng.randint(1, 60), track=rng.choice([None, None, "hotline", "petition"]),
        kinds=_some(rng, ["complaint", "consult", "report"]),
        categories=frozenset(rng.sample(CATEGORIES, rng.randint(1, 2))) if rng.random() < 0.8 else frozenset(),
        areas=_some(rng, AREAS), urgencies=_some(rng, ["general", "urgent"], 1),
        keywords=tuple(rng.sample(WORDS, rng.randint(1, 2))) if rng.random() < 0.2 else (),
        lead=rng.choice(TARGETS), co=tuple(rng.sample(TARGETS, rng.randint(0, 3))),
        mode=rng.choice([AUTO, SUGGEST]), active=rng.random() < 0.9)


def random_facts(rng: random.Random) -> Facts:
    sub = rng.choice([c for c in CATEGORIES if "." in c] + [None])
    return facts(category=sub, area=rng.choice(AREAS + [None]), kind=rng.choice(["complaint", "consult", "report"]),
                 urgency=rng.choice(["general", "urgent"]), text=rng.choice(["", *WORDS, "夜里煤气味很重"]),
                 track=rng.choice(["hotline", "petition"]))


def plain_scan(rules: list[Rule], f: Facts, directory: Directory):
    """Every active rule in order, each condition spelled out: what the catalogue must agree with."""
    skipped = []
    for r in sorted((r for r in rules if r.active), key=lambda r: (r.position, r.id)):
        if r.track and r.track != f.track or r.kinds and f.kind not in r.kinds:
            continue
        if r.categories and not r.categories & f.category_codes or r.areas and not r.areas & f.area_codes:
            continue
        if r.urgencies and f.urgency not in r.urgencies or r.keywords and not any(k in f.description
                                                                                  for k in r.keywords):
            continue
        lead = directory.resolve(r.lead, f)
        if lead is None:
            skipped.append(r.id)
            continue
        co = []
        for t in r.co:
            c = directory.resolve(t, f)
            if c and c != lead and c not in co:
                co.append(c)
        return r.id, lead, tuple(co), tuple(skipped)
    return None, None, (), tuple(skipped)


@pytest.mark.parametrize("seed", range(20))
def test_the_category_index_routes_exactly_as_a_plain_scan_of_every_rule(seed):
    rng = random.Random(seed)  # noqa: S311
    rules = [random_rule(rng, i) for i in range(1, rng.randint(1, 120))]
    catalogue = Catalogue(rules)
    for _ in range(200):
        f = random_facts(rng)
        decision = catalogue.route(f, DIRECTORY)
        got = (decision.rule.id if decision.rule else None, decision.lead, decision.co,
               tuple(rule_id for rule_id, _ in decision.skipped))
        assert got == plain_scan(rules, f, DIRECTORY), (seed, f)
        if decision.rule:
            assert decision.lead not in decision.co and len(set(decision.co)) == len(decision.co)
