"""The words of part 10.2 of docs/benchmarks.md (bench/locate.py measures)."""
from __future__ import annotations

import statistics

from bench.locate import (
    ADDRESS_ROUNDS,
    ADDRESSES,
    DISTRICTS_SIDE,
    ENTRIES,
    NAMED,
    PART,
    POINTS,
    ROUNDS,
    STAMP,
    STREETS_X,
    STREETS_Y,
    WARMUP,
    Points,
    Result,
)
from bench.section10 import loads, p


def _rate(rates: list[float]) -> str:
    return f"{statistics.median(rates):,.0f}"


def _findings(r: Result) -> list[str]:
    out = ["", "What this shows:", ""]
    for t in r.targets:
        demo, city = t.points["demo city"], t.points["synthetic city"]

        def med(pts: Points, variant: str) -> float:
            return statistics.median(pts.rates[variant])

        out.append(
            f"- {t.label}: the outline lookup alone answers in tens of µs; the R-tree is "
            f"{med(city, 'lookup alone, indexed') / med(city, 'lookup alone, scan (baseline)'):.1f}× the scan's "
            f"points/s with {city.outlines} outlines and "
            f"{med(demo, 'lookup alone, indexed') / med(demo, 'lookup alone, scan (baseline)'):.1f}× with the demo "
            f"city's {demo.outlines} (there, testing each is cheaper than asking the tree). In `resolve` the "
            f"difference disappears: a call takes {p(city.samples['resolve, indexed'], 50):.1f} ms at p50, of "
            f"which the lookup is {p(city.samples['lookup alone, indexed'], 50) * 1000:.0f} µs; the rest is the "
            "database — the boundary table's stamp, read on every call "
            f"({p(demo.samples[STAMP], 50):.1f} ms with the demo outlines, "
            f"{p(city.samples[STAMP], 50):.1f} ms with the synthetic ones), then the area and its parent.")
        resolved = statistics.median(t.address_rates["resolve (exact key, then its pieces by the index)"])
        scanned = statistics.median(t.address_rates["SQL scan of every key (baseline)"])
        out.append(
            f"- {t.label}, addresses: `resolve` {resolved:,.0f}/s against the SQL scan's {scanned:,.0f}/s with "
            f"{ENTRIES:,} entries; `_named_areas` alone takes {p(t.addresses[NAMED], 50):.1f} ms at p50: it "
            f"reads every active area ({city.outlines + demo.outlines} here) and normalises each name, which "
            "`resolve` now asks only when the gazetteer did not decide on one entry. The scan reads every entry, so "
            "its cost grows with the gazetteer; `resolve`'s lookups go by the index, per piece of the address.")
    out += [
        "- Suggestions: keep the active areas' normalised names per process, as the outlines are; check the boundary "
        "stamp at most every few seconds (or keep a one-row version). Nothing here is slow for one request (a few "
        "ms); it matters for bulk use (imports, re-locating old cases).", ""]
    return out


def section(r: Result) -> list[str]:
    demo_count = r.targets[0].points["demo city"].outlines if r.targets else 0
    city = r.targets[0].points["synthetic city"] if r.targets else Points()
    lines = [
        PART, "",
        f"Points: {POINTS:,} points drawn at random (fixed seed) in the box around all outlines, some outside the "
        f"city; the demo city's {demo_count} outlines, then a synthetic city of {DISTRICTS_SIDE ** 2} districts × "
        f"{STREETS_X * STREETS_Y} streets ({city.outlines} outlines; a street's outline has {city.vertices[0]} "
        f"vertices on average, a district's — the union of its streets — {city.vertices[1]}), imported with "
        "`geo_admin.import_boundaries`. `resolve` is the whole call against the database (the boundary table's "
        "stamp, the outline lookup, the area row); \"lookup alone\" is `OutlineIndex.holding` in memory. The "
        "baseline tests every outline in turn with shapely's `intersects` (the same smallest-first answer; the bench "
        f"stops if any answer differs). {ROUNDS} timed rounds after {WARMUP} untimed ({ADDRESS_ROUNDS} for the "
        "addresses below), each round every item once per variant, the variants alternating; points/s is the median "
        f"of the rounds; {loads(r.load[0], r.load[-1])}.",
        "", "| database | outlines | variant | points/s | p50 / p95 / min µs a point | × baseline (points/s) |",
        "|---|---|---|---:|---:|---:|",
    ]
    for t in r.targets:
        for name, pts in t.points.items():
            for variant, rates in pts.rates.items():
                base = pts.rates.get(variant.split(",")[0] + ", scan (baseline)")
                s = pts.samples[variant]
                times = f"{statistics.median(rates) / statistics.median(base):.2f}" if base else "—"
                lines.append(f"| {t.label} {t.version} | {name} ({pts.outlines}; {pts.placed:,} of {POINTS:,} "
                             f"points inside) | {variant} | {_rate(rates)} | {p(s, 50) * 1000:,.0f} / "
                             f"{p(s, 95) * 1000:,.0f} / {min(s) * 1e6:,.0f} | {times} |")
    lines += [
        "", f"Addresses: {ENTRIES:,} gazetteer entries (road numbers like 长江黄河路18号, estates like 金色阳光小区) "
        f"over the synthetic streets; {ADDRESSES:,} address strings, a third an entry's exact name, a third a "
        "longer address containing one (district, entry, building, unit, flat), a third matching none. `resolve` "
        "looks the whole key up, then every piece of it (2–40 characters) with one `IN` on the indexed `key` "
        "column, then the street and district names. Baselines: one SQL statement testing every entry's key "
        "against the address (`instr`/`strpos`, the longest first), and the same test in Python over all keys "
        "held in memory (what a cache of the whole gazetteer would cost per address).", "",
        "| database | variant | addresses/s | p50 / p95 / min µs an address | × SQL scan (addresses/s) |",
        "|---|---|---:|---:|---:|",
    ]
    for t in r.targets:
        base = t.address_rates["SQL scan of every key (baseline)"]
        for variant, rates in t.address_rates.items():
            s = t.addresses[variant]
            lines.append(f"| {t.label} {t.version} | {variant} | {_rate(rates)} | {p(s, 50) * 1000:,.0f} / "
                         f"{p(s, 95) * 1000:,.0f} / {min(s) * 1e6:,.0f} "
                         f"| {statistics.median(rates) / statistics.median(base):.2f} |")
    lines += _findings(r)
    for t in r.targets:
        agree, matched = t.agreement
        hows = ", ".join(f"{how} {n:,}" for how, n in sorted(t.hows.items()))
        lines.append(f"\n{t.label}: `resolve` answered {hows}; where it named an entry, the SQL scan named the "
                     f"same one in {agree:,} of {matched:,}.")
    lines.append("")
    return lines
