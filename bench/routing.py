"""Benchmark 4: routing one case with a 2,000-rule dispatch catalogue (hotline/domain/routing.py, domain time
only: no database), against a plain scan of every rule in order without the category index.

The catalogue is what a big centre keeps: the demo catalogue's 60 general rules at the end, and before
them 1,940 specific ones — a sub-category (or a subject) in one street or district, now and then only for
some kinds, some urgencies or some words in the description — plus a few dozen keyword rules for every
subject (emergencies). The cases are drawn from the demo city's sub-categories, streets and districts,
with descriptions made of each sub-category's own keywords."""
from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass

from hotline.domain import routing
from hotline.domain.kinds import KINDS_BY_TRACK, Track
from hotline.seed import demo_catalogue, demo_city

RULES = 2_000
CASES = 2_000
WARMUP = 200
KINDS = [str(k) for k in KINDS_BY_TRACK[Track.HOTLINE]]
URGENCIES = ["general"] * 8 + ["urgent", "utilities", "complex"]
SUFFIXES = ["cgj", "zjj", "scjgj", "sthj", "gov"]
FILLER = "市民来电反映，已经持续一段时间，希望有关部门尽快核实处理，谢谢。"
EMERGENCY = ("燃气泄漏", "煤气味", "电梯困人", "食物中毒", "触电", "坍塌", "起火", "爆炸", "落水", "高空坠物")


class PlainScan(routing.Catalogue):
    """The baseline: every active rule in order, no index."""

    def candidates(self, facts: routing.Facts) -> list[routing.Rule]:
        return self.rules


@dataclass(frozen=True)
class RoutingResult:
    rules: int
    cases: int
    indexed_us: list[float]  # per case, microseconds
    plain_us: list[float]
    looked_at: list[int]  # rules the index hands to the matcher, per case
    build_ms: float  # compiling the catalogue (sorting and indexing) once per version
    agree: int  # cases both routed the same way
    modes: dict[str, int]
    specific: int  # cases a specific rule decided (the rest: the general rules at the end)

    @staticmethod
    def p(samples: list[float], q: int) -> float:
        return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def directory() -> routing.Directory:
    departments = [d for d in demo_city.DEPARTMENTS if d.kind != "centre"]
    return routing.Directory(
        active=frozenset(d.code for d in departments),
        street_offices={d.area: d.code for d in departments if d.kind == "street_office"},
        district_govs={d.area: d.code for d in departments if d.kind == "district_gov"},
    )


def _targets(rng: random.Random, owner: str | None) -> tuple[str, tuple[str, ...]]:
    pool = ["street_office", "district_gov", *(f"district:{s}" for s in SUFFIXES)]
    lead = f"dept:{owner}" if owner and rng.random() < 0.5 else rng.choice(pool)
    co = tuple(t for t in rng.sample(pool, rng.choice([0, 0, 1, 2])) if t != lead)
    return lead, co


def catalogue_rules(rng: random.Random) -> list[routing.Rule]:
    subs = [c for c in demo_city.CATEGORIES if c.parent]
    districts = [a.code for a in demo_city.AREAS if not a.parent]
    streets = [a.code for a in demo_city.AREAS if a.parent]
    specific = RULES - len(demo_catalogue.RULES)
    rules = []
    for i in range(specific):
        sub = rng.choice(subs)
        everywhere = i < specific // 50  # a few dozen emergency-word rules for every subject, first
        categories = () if everywhere else (sub.parent,) if rng.random() < 0.1 else (sub.code,)
        where = rng.random()
        areas = () if everywhere or where < 0.15 else \
            (rng.choice(districts),) if where < 0.4 else (rng.choice(streets),)
        words = tuple(rng.sample(EMERGENCY if everywhere else sub.keywords, rng.randint(1, 2)))
        lead, co = _targets(rng, sub.owner)
        rules.append(routing.Rule(
            id=i + 1, position=i + 1, name=f"rule {i + 1}", categories=frozenset(categories),
            areas=frozenset(areas), kinds=frozenset(rng.sample(KINDS, 2)) if rng.random() < 0.2 else frozenset(),
            urgencies=frozenset({"urgent"}) if rng.random() < 0.05 else frozenset(),
            keywords=words if everywhere or rng.random() < 0.1 else (), lead=lead, co=co,
            mode=rng.choice([routing.AUTO, routing.SUGGEST]), active=rng.random() < 0.97))
    for j, seed in enumerate(demo_catalogue.RULES, start=specific + 1):
        rules.append(routing.Rule(
            id=j, position=j, name=seed.name, track=seed.track, kinds=frozenset(seed.kinds),
            categories=frozenset(seed.categories), areas=frozenset(seed.areas), urgencies=frozenset(seed.urgencies),
            keywords=seed.keywords, lead=seed.lead, co=seed.co, mode=seed.mode))
    assert len(rules) == RULES and all(r.categories or r.keywords or r.track for r in rules[:-1])
    return rules


def cases(rng: random.Random, count: int) -> list[routing.Facts]:
    subs = [c for c in demo_city.CATEGORIES if c.parent]
    areas = {a.code: a for a in demo_city.AREAS}
    made = []
    for _ in range(count):
        sub = rng.choice(subs)
        area = rng.choice([a for a in demo_city.AREAS if a.parent]) if rng.random() < 0.85 else \
            rng.choice([a for a in demo_city.AREAS if not a.parent])
        district = areas[area.parent] if area.parent else area
        text = rng.choice(sub.keywords) + FILLER + (rng.choice(sub.keywords) if rng.random() < 0.5 else "")
        if rng.random() < 0.02:
            text += rng.choice(EMERGENCY)
        made.append(routing.Facts(
            track="hotline", kind=rng.choice(KINDS), urgency=rng.choice(URGENCIES),
            category_codes=frozenset({sub.code, sub.parent}), area_codes=frozenset({area.code, district.code}),
            district=district.code, street=area.code if area.parent else None, description=text))
    return made


def _time(catalogue: routing.Catalogue, facts: list[routing.Facts], where: routing.Directory):
    for f in facts[:WARMUP]:
        catalogue.route(f, where)
    samples, decisions = [], []
    for f in facts:
        t0 = time.perf_counter()
        decision = catalogue.route(f, where)
        samples.append((time.perf_counter() - t0) * 1e6)
        decisions.append(decision)
    return samples, decisions


def bench(seed: int = 20261128) -> RoutingResult:
    rng = random.Random(seed)  # noqa: S311  (repeatable made-up data, not secrets)
    rules, facts, where = catalogue_rules(rng), cases(rng, CASES), directory()
    general_from = RULES - len(demo_catalogue.RULES)  # ids above it are the demo catalogue's general rules
    t0 = time.perf_counter()
    indexed = routing.Catalogue(rules, version=1)
    build_ms = (time.perf_counter() - t0) * 1000
    plain = PlainScan(rules, version=1)
    indexed_us, fast = _time(indexed, facts, where)
    plain_us, slow = _time(plain, facts, where)
    agree = sum((a.rule and a.rule.id, a.lead, a.co) == (b.rule and b.rule.id, b.lead, b.co)
                for a, b in zip(fast, slow, strict=True))
    modes: dict[str, int] = {}
    for d in fast:
        modes[d.mode] = modes.get(d.mode, 0) + 1
    return RoutingResult(rules=len(rules), cases=len(facts), indexed_us=indexed_us, plain_us=plain_us,
                         looked_at=[len(indexed.candidates(f)) for f in facts], build_ms=build_ms, agree=agree,
                         modes=modes, specific=sum(1 for d in fast if d.rule and d.rule.id <= general_from))
