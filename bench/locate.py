"""Benchmark 10.2: `hotline.services.locate.resolve` — a point to its street, an address to a gazetteer entry.

Points: the demo city's outlines (4 districts, 19 streets), then a synthetic city (16 districts × 20 streets, each
street a ~200-vertex outline whose wavy edges its neighbours share, each district the union of its streets),
imported as the boundaries of areas added for it. Each as `resolve(lat=, long=)` against the database (what an
Open311 POST or `/api/v1/locate` pays) and as the outline lookup alone, each indexed (`geo.OutlineIndex`: an
R-tree over the bounding boxes) and with the baseline of testing every outline in turn, smallest first — the
same answer with no bounding-box step. Addresses: 50,000 gazetteer entries, 1,000 address strings (a third an
entry's exact name, a third an address that contains one, a third none), `resolve(address=)` against two plain
scans: SQL testing every entry's key against the address, and the same test in Python over all keys in memory.
SQLite and PostgreSQL, each in a database of its own. `python -m bench.locate` runs it alone and rewrites its part.
"""
# ruff: noqa: S608 (the SQL is assembled from this file's own constants, never from input)
from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from shapely.geometry import MultiPolygon, Point, Polygon, mapping
from shapely.ops import unary_union
from sqlalchemy import insert, select, text

from bench.section10 import load, run_alone
from bench.targets import app_on
from hotline.domain import geo
from hotline.extensions import db
from hotline.models import Area, GazetteerEntry
from hotline.services import geo_admin, locate

PART = "### 10.2 Location: points and addresses"
POINTS, ADDRESSES, ENTRIES = 1000, 1000, 50_000
ROUNDS, WARMUP = 3, 1  # each round: every point (address) once per variant, the variants alternating
ADDRESS_ROUNDS = 2  # the SQL scan takes tens of ms an address
# parts of `resolve`, timed alone in the same loop: what the rest of its time is made of
STAMP = "part: the boundary table's stamp (`boundaries_stamp`)"
NAMED = "part: street and district names (`_named_areas`)"
DISTRICTS_SIDE, STREETS_X, STREETS_Y, EDGE_POINTS = 4, 5, 4, 50  # 16 districts × 20 streets, 4 × 50 vertices each
ORIGIN, DISTRICT_DEG = (31.0, 121.0), 0.1  # the synthetic city lies far from the demo city's outlines
SEED = 20261128
ROADS = ("长江", "黄河", "建设", "解放", "人民", "文化", "和平", "中山", "新华", "光明", "幸福", "胜利", "朝阳", "青年",
         "东风", "红旗", "民主", "团结", "振兴", "繁荣")
ROAD_KINDS = ("路", "街", "大道", "巷")
ESTATES = ("金色", "阳光", "锦绣", "翠湖", "碧水", "紫荆", "丽景", "怡景", "康乐", "安居", "华府", "御景", "书香",
           "枫林", "桂花", "海棠", "玉兰", "银杏", "梧桐", "香樟")
ESTATE_KINDS = ("小区", "花园", "新村", "苑", "公寓")


@dataclass
class Points:
    outlines: int = 0
    vertices: tuple[int, int] = (0, 0)  # mean vertices of a street's outline, of a district's
    placed: int = 0  # of the points, how many lie in the city
    samples: dict[str, list[float]] = field(default_factory=dict)  # variant → seconds per point
    rates: dict[str, list[float]] = field(default_factory=dict)  # variant → points/s, per round


@dataclass
class Target:
    label: str
    version: str
    points: dict[str, Points] = field(default_factory=dict)  # "demo city" / "synthetic city"
    addresses: dict[str, list[float]] = field(default_factory=dict)
    address_rates: dict[str, list[float]] = field(default_factory=dict)
    agreement: tuple[int, int] = (0, 0)  # addresses where the scan's entry is resolve's, of those resolve matched
    hows: dict[str, int] = field(default_factory=dict)


@dataclass
class Result:
    targets: list[Target] = field(default_factory=list)
    load: list[float] = field(default_factory=list)


# --- the synthetic city ----------------------------------------------------------------------------------------

def _wave(x: float, y: float) -> float:
    """A deterministic wiggle of a shared edge's vertex: the same for both outlines that share it."""
    return 0.0008 * ((hash((round(x, 7), round(y, 7))) % 1000) / 1000 - 0.5)


def _edge(a: tuple[float, float], b: tuple[float, float]) -> list[tuple[float, float]]:
    """EDGE_POINTS vertices from a to b (not b), moved across the edge except at its ends; the same vertices,
    whichever way round the edge is walked."""
    forward = a <= b
    lo, hi = (a, b) if forward else (b, a)
    points = []
    for i in range(EDGE_POINTS):
        t = i / EDGE_POINTS
        x, y = lo[0] + (hi[0] - lo[0]) * t, lo[1] + (hi[1] - lo[1]) * t
        if i:
            shift = _wave(x, y)
            x, y = (x + shift, y) if lo[0] == hi[0] else (x, y + shift)
        points.append((x, y))
    points.append(hi)
    if not forward:
        points.reverse()
    return points[:-1]


def synthetic() -> tuple[list[tuple[str, str, int, object]], list[tuple[str, str, object]]]:
    """(district code, name, 1, outline) and (street code, district code, outline), [long, lat] as GeoJSON."""
    districts, streets = [], []
    sx, sy = DISTRICT_DEG / STREETS_X, DISTRICT_DEG / STREETS_Y
    for di in range(DISTRICTS_SIDE * DISTRICTS_SIDE):
        x0, y0 = ORIGIN[1] + (di % DISTRICTS_SIDE) * DISTRICT_DEG, ORIGIN[0] + (di // DISTRICTS_SIDE) * DISTRICT_DEG
        mine = []
        for si in range(STREETS_X * STREETS_Y):
            a = (round(x0 + (si % STREETS_X) * sx, 9), round(y0 + (si // STREETS_X) * sy, 9))
            corners = [a, (round(a[0] + sx, 9), a[1]), (round(a[0] + sx, 9), round(a[1] + sy, 9)),
                       (a[0], round(a[1] + sy, 9))]
            ring = [v for k in range(4) for v in _edge(corners[k], corners[(k + 1) % 4])]
            outline = Polygon(ring)
            if not outline.is_valid:
                outline = outline.buffer(0)
            mine.append(outline)
            streets.append((f"bs{di:02d}{si:02d}", f"bd{di:02d}", outline))
        merged = unary_union(mine)
        districts.append((f"bd{di:02d}", f"合成{di}区", 1, merged))
    return districts, streets


def _vertices(shape) -> int:
    if isinstance(shape, MultiPolygon):
        return sum(len(g.exterior.coords) for g in shape.geoms)
    return len(shape.exterior.coords)


def _add_synthetic(session) -> tuple[int, int]:
    """The synthetic areas and their outlines, the demo city's outlines taken away (a city has one set)."""
    districts, streets = synthetic()
    session.execute(text("DELETE FROM area_boundary"))
    for code, name, _level, _shape in districts:
        session.add(Area(code=code, name=name, level=1, active=True))
    session.flush()
    parents = {a.code: a.id for a in session.scalars(select(Area).where(Area.code.like("bd%")))}
    for code, district, _shape in streets:
        session.add(Area(code=code, name=f"合成{code[2:]}街道", level=2, parent_id=parents[district], active=True))
    session.flush()
    features = [{"type": "Feature", "properties": {"code": code}, "geometry": mapping(shape)}
                for code, _n, _l, shape in districts] + \
               [{"type": "Feature", "properties": {"code": code}, "geometry": mapping(shape)}
                for code, _d, shape in streets]
    geo_admin.import_boundaries(session, {"type": "FeatureCollection", "features": features}, source="bench")
    session.commit()
    return (round(statistics.mean(_vertices(s) for _c, _d, s in streets)),
            round(statistics.mean(_vertices(s) for *_x, s in districts)))


# --- points ----------------------------------------------------------------------------------------------------

class Scan:
    """The baseline: the same outlines, every one tested in turn (smallest first), no bounding-box step."""

    def __init__(self, index: geo.OutlineIndex):
        self.outlines = index.outlines

    def __len__(self) -> int:
        return len(self.outlines)

    def holding(self, lat: float, long: float) -> list[geo.Outline]:
        point = Point(long, lat)
        return [o for o in self.outlines if o.shape.intersects(point)]


@contextmanager
def _scanning() -> Iterator[None]:
    real = locate.outlines
    locate.outlines = lambda session: Scan(real(session))  # the stamp query stays: only the lookup differs
    try:
        yield
    finally:
        locate.outlines = real


def _points(index: geo.OutlineIndex, rng: random.Random) -> list[tuple[float, float]]:
    """POINTS points in the box of all outlines (some outside every one: the city is not a rectangle)."""
    minx = min(o.shape.bounds[0] for o in index.outlines)
    miny = min(o.shape.bounds[1] for o in index.outlines)
    maxx = max(o.shape.bounds[2] for o in index.outlines)
    maxy = max(o.shape.bounds[3] for o in index.outlines)
    return [(rng.uniform(miny, maxy), rng.uniform(minx, maxx)) for _ in range(POINTS)]


def _resolve_point(lat: float, long: float):
    try:
        return locate.resolve(db.session, lat=lat, long=long).area_id
    except locate.OutsideJurisdiction:
        return None


def _time(variants: dict[str, Callable[[object], object]], items: list, out: dict[str, list[float]],
          rates: dict[str, list[float]], rounds: int = ROUNDS) -> dict[str, list]:
    answers: dict[str, list] = {}
    names = list(variants)
    for i in range(WARMUP + rounds):
        for name in names if i % 2 else names[::-1]:
            call, got, samples = variants[name], [], []
            started = time.perf_counter()
            for item in items:
                t0 = time.perf_counter()
                got.append(call(item))
                samples.append(time.perf_counter() - t0)
            wall = time.perf_counter() - started
            db.session.remove()
            if i >= WARMUP:
                out.setdefault(name, []).extend(samples)
                rates.setdefault(name, []).append(len(items) / wall)
            answers[name] = got
    return answers


def _point_runs(r: Points, rng: random.Random) -> None:
    index = locate.outlines(db.session)
    scan = Scan(index)
    r.outlines = len(index)
    points = _points(index, rng)

    def lookup(idx):
        return lambda pt: [o.key for o in idx.holding(*pt)][:1]

    def resolved_scan(pt):
        with _scanning():
            return _resolve_point(*pt)

    answers = _time({"resolve, indexed": lambda pt: _resolve_point(*pt), "resolve, scan (baseline)": resolved_scan,
                     "lookup alone, indexed": lookup(index), "lookup alone, scan (baseline)": lookup(scan),
                     STAMP: lambda pt: locate.boundaries_stamp(db.session)},
                    points, r.samples, r.rates)
    if answers["resolve, indexed"] != answers["resolve, scan (baseline)"] or \
            answers["lookup alone, indexed"] != answers["lookup alone, scan (baseline)"]:
        sys.exit("bench/locate.py: the indexed lookup and the scan disagree")
    r.placed = sum(1 for a in answers["resolve, indexed"] if a is not None)


# --- addresses -------------------------------------------------------------------------------------------------

def _gazetteer(session, rng: random.Random) -> list[str]:
    """ENTRIES entries over the synthetic streets; answers the address strings to resolve."""
    streets = session.execute(select(Area.id, Area.code).where(Area.code.like("bs%"))).all()
    names: list[str] = []
    for road in (f"{a}{b}{k}" for a in ROADS for b in ROADS if a != b for k in ROAD_KINDS):
        names += [f"{road}{n}号" for n in range(1, 101)]
        if len(names) >= ENTRIES * 4 // 5:
            break
    estates = [f"{a}{b}{k}{phase}" for phase in ("", "二期", "三期", "四期", "五期", "六期")
               for a in ESTATES for b in ESTATES if a != b for k in ESTATE_KINDS]
    names += estates[:ENTRIES - len(names)]
    rows = [{"code": f"bg{i:06d}", "name": name, "key": geo.address_key(name), "kind": "address",
             "area_id": streets[i % len(streets)][0], "latitude": None, "longitude": None, "active": True}
            for i, name in enumerate(names[:ENTRIES])]
    for lo in range(0, len(rows), 5000):
        session.execute(insert(GazetteerEntry), rows[lo:lo + 5000])
    session.commit()
    picks = rng.sample(names[:ENTRIES], ADDRESSES)
    third = ADDRESSES // 3
    exact = picks[:third]
    within = [f"江川市{rng.choice(ESTATES)}区{name}{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元"
              f"{rng.randint(101, 1802)}室" for name in picks[third:2 * third]]
    nowhere = [f"江川市{rng.choice(ESTATES)}{rng.choice(ESTATES)}村委会旁边{rng.randint(1, 99)}号门口"
               for _ in range(ADDRESSES - 2 * third)]
    return exact + within + nowhere


def _scan_sql(label: str):
    contains = "instr(:key, key) > 0" if label == "SQLite" else "strpos(:key, key) > 0"
    statement = text(f"SELECT code FROM gazetteer_entry WHERE active AND {contains} "
                     "ORDER BY length(key) DESC, id LIMIT 1")

    def call(address: str):
        key = geo.address_key(address[:locate.ADDRESS_MAX])
        return db.session.scalar(statement, {"key": key}) if key else None
    return call


def _address_runs(t: Target, rng: random.Random) -> None:
    addresses = _gazetteer(db.session, rng)
    keys = dict(db.session.execute(select(GazetteerEntry.key, GazetteerEntry.code)
                                   .where(GazetteerEntry.active.is_(True))).all())

    def in_memory(address: str):
        return geo.longest_contained(geo.address_key(address[:locate.ADDRESS_MAX]), keys)

    def resolved(address: str):
        located = locate.resolve(db.session, address=address)
        return located.address_id, located.how

    def named(address: str):
        return len(locate._named_areas(db.session, geo.address_key(address[:locate.ADDRESS_MAX])))

    answers = _time({"resolve (exact key, then its pieces by the index)": resolved,
                     "SQL scan of every key (baseline)": _scan_sql(t.label),
                     "Python scan of every key in memory (baseline)": in_memory, NAMED: named},
                    addresses, t.addresses, t.address_rates, ADDRESS_ROUNDS)
    mine = answers["resolve (exact key, then its pieces by the index)"]
    for _code, how in mine:
        t.hows[how] = t.hows.get(how, 0) + 1
    matched = [(m[0], s) for m, s in zip(mine, answers["SQL scan of every key (baseline)"], strict=True) if m[0]]
    t.agreement = (sum(1 for m, s in matched if m == s), len(matched))


def bench(server: str | None) -> Result:
    r = Result(load=[load()])
    for label, url in [("SQLite", None)] + ([("PostgreSQL", server)] if server else []):
        with app_on(label, url) as (app, target):
            t = Target(label, target.version)
            rng = random.Random(SEED)  # noqa: S311 (the same points every run, not a secret)
            with app.app_context():
                locate.forget()
                demo = Points()
                _point_runs(demo, rng)
                t.points["demo city"] = demo
                city = Points()
                city.vertices = _add_synthetic(db.session)
                _point_runs(city, rng)
                t.points["synthetic city"] = city
                _address_runs(t, rng)
                db.session.remove()
            r.targets.append(t)
            print(f"  {label}: " + "; ".join(
                f"{name} {statistics.median(pts.rates['resolve, indexed']):.0f} vs "
                f"{statistics.median(pts.rates['resolve, scan (baseline)']):.0f} points/s"
                for name, pts in t.points.items()), flush=True)
    r.load.append(load())
    return r


def main() -> int:
    from bench.locate_report import section

    return run_alone(bench, section)


if __name__ == "__main__":
    sys.exit(main())
