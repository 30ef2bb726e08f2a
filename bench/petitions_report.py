"""The words of benchmark 9's section of docs/benchmarks.md (bench/petitions.py measures)."""
from __future__ import annotations

import os

from bench import petitions as bench
from bench import petitions_data as data
from bench.petitions import Result, p


def _delta(base: list[float], other: list[float]) -> str:
    return f"{100 * (p(other, 50) / p(base, 50) - 1):+.0f}%"


def _short(plan: list[str]) -> list[str]:
    return [line if len(line) <= 200 else line[:199] + "…" for line in plan]


def _intro(r: Result) -> list[str]:
    c = r.counts
    return [
        bench.SECTION, "",
        f"{c['cases']:,} cases received over {data.DAYS} days (1 in 20 a petition: {c['petition']:,}; {c['open']:,} "
        f"open) in a PostgreSQL {r.version} database of its own (`{bench.DATABASE}`, dropped afterwards), on "
        f"{os.cpu_count()} cores (1-minute load average {r.load[0]:.1f} before the run, {r.load[-1]:.1f} after: "
        "whatever else runs there weighs on every variant alike, as they run in turn). "
        f"{c['accusations']:,} accusations (检举控告) name {c['accused_department']:,} accused units (one in three "
        f"the unit it was sent to, which only the anti-join then keeps out); {c['recusal']:,} recusals (回避), 40 of "
        "them of the measured operator and 40 of the measured clerk, among their newest cases. The department "
        f"({bench.DEPARTMENT}, one of {c['departments']}) holds {c['department']:,} active assignments and is "
        f"accused in {c['accusing the department']}. {c['deadline']:,} clock rows "
        f"({c['running petition clocks']:,} running petition clocks). "
        "Loading (INSERT … SELECT generate_series, then VACUUM ANALYZE) took "
        f"{r.load_seconds:.0f} s.", "",
    ]


def _protections(r: Result) -> list[str]:
    lines = [
        "### The protections in every list: `cases.visible` with and without its two NOT EXISTS", "",
        "Each query with the real `cases.visible` (NOT EXISTS a recusal of this user; for a department also NOT "
        "EXISTS an accusation of this department) and with the same query built without those two clauses (the "
        "baseline; the bench checks that they are the only difference), in turn in the same loop, the order "
        f"alternating: {bench.RUNS} timed rounds after {bench.WARMUP} untimed "
        f"({bench.RUNS_SLOW} for a query slower than {bench.SLOW} s). "
        "`cases.search` is the whole call a page makes (page query, then its eager loads, in a fresh session); the "
        "statement alone is the page query (for the counts, the first tab's) sent again through the driver on a "
        "session's connection; its minimum is the time least disturbed by the machine's other work, and the pages "
        "it touched (shared buffers hit or read, from EXPLAIN (ANALYZE, BUFFERS)) the work itself — except in a "
        "parallel plan (the department's inbox and search), where they also count how far the workers ran ahead "
        "of the leader before the page was full, which varies from run to run. The "
        "last two columns are experiments in the same loop, the same protections written otherwise: NOT IN "
        "(subquery), which PostgreSQL runs as a hashed subplan built once per statement; and NOT IN (the case ids), "
        "looked up first by user and by department (two indexed reads, not timed here) and left out when empty. "
        "Rows: cases on the page (counts: the five totals added), with / without.", "",
        "| query | rows | `cases.search` p50 ms: baseline → with | Δ | p95 ms: baseline → with "
        "| statement p50 ms: baseline → with | Δ | min ms: baseline → with | pages: baseline → with "
        "| NOT IN (subquery) p50 ms (Δ), pages | NOT IN (ids) p50 ms (Δ), pages |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, pr in r.pairs.items():
        f, q = pr.full, pr.sql
        lines.append(
            f"| {name} | {pr.rows['with']} / {pr.rows['without']} | {p(f['without'], 50):.1f} → {p(f['with'], 50):.1f} "
            f"| {_delta(f['without'], f['with'])} | {p(f['without'], 95):.1f} → {p(f['with'], 95):.1f} "
            f"| {p(q['without'], 50):.2f} → {p(q['with'], 50):.2f} | {_delta(q['without'], q['with'])} "
            f"| {min(q['without']) * 1000:.2f} → {min(q['with']) * 1000:.2f} "
            f"| {pr.pages['without']:,} → {pr.pages['with']:,} "
            f"| {p(q['not in'], 50):.2f} ({_delta(q['without'], q['not in'])}), {pr.pages['not in']:,} "
            f"| {p(q['list'], 50):.2f} ({_delta(q['without'], q['list'])}), {pr.pages['list']:,} |")
    steady = {name: pr for name, pr in r.pairs.items() if not any("Gather" in line for line in pr.plan)}
    added = "; ".join(
        f"{name}: {1000 * (min(pr.sql['with']) - min(pr.sql['without'])):+.2f} ms on "
        f"{1000 * min(pr.sql['without']):.2f} ({pr.pages['with'] - pr.pages['without']:+,} pages)"
        for name, pr in steady.items())
    scanned = ("neither table is scanned" if not any("Seq Scan" in pr.reads for pr in r.pairs.values())
               else "where one is small enough the planner reads it whole instead (below)")
    lines += [
        "", "Each NOT EXISTS runs as a Nested Loop Anti Join that probes a unique index — `uq_recusal_case_user` "
        "(case_id, user_id), `pk_accused_department` (case_id, department_id) — once per row that reaches it (the "
        f"`loops` below), about two index pages a probe; {scanned}. The cost therefore follows the rows a query "
        "examines (a page's 50 and those dropped before it is full, or every case a count counts), not the size of "
        "`recusal` or `accused_department`. Where the statement itself is tiny the probes are a large share of it. "
        "Where the plan is not parallel (steady pages, steadier times), the fastest run with them against the "
        f"fastest without: {added}.",
        "", "Written as NOT IN (the ids, looked up first) the statements touch about the baseline's pages; the price "
        "is two indexed reads before each list, and the exclusion read in one statement and applied in the next (a "
        "recusal recorded in between shows for one more page; the case page checks again). NOT IN (subquery) saves "
        "the probes but moves the filter below the department's semi-join, where it is tested on every case "
        "scanned.",
        "", "How each plan (EXPLAIN ANALYZE, with the protections) reads the two tables:", ""]
    lines += [f"- {name}: {pr.reads}" for name, pr in r.pairs.items()]
    lines.append("")
    for name, pr in r.pairs.items():
        lines += [f"{name}:", "", "```", *_short(pr.plan), "```", ""]
    first = next(iter(r.pairs))
    lines += [f"{first}, the NOT IN experiment:", "", "```", *_short(r.pairs[first].not_in_plan), "```", ""]
    return lines


def _calendar(r: Result) -> list[str]:
    variants = ["as is", *bench.EXPERIMENTS]
    lines = [
        "### The statutory calendar", "",
        "Running petition clocks (`deadline` rows of the eight petition clocks, not stopped) due within the next 7 "
        "days, overdue ones included: the count by clock, and the first 50, soonest first, with their case numbers. "
        "Measured as the schema stands, then with each of two benchmark-only partial indexes (added to this "
        f"database alone, ANALYZEd, measured, dropped); {bench.RUNS} timed runs each after {bench.WARMUP} untimed:", "",
        *[f"- {label}: `CREATE INDEX … {ddl}`" for label, ddl in bench.EXPERIMENTS.items()], "",
        "| query | " + " | ".join(f"{v} p50 ms | p95" for v in variants) + " |",
        "|---|" + "---:|---:|" * len(variants),
    ]
    for name, by in r.calendar.items():
        lines.append(f"| {name} | " + " | ".join(f"{p(by[v], 50):.2f} | {p(by[v], 95):.2f}" for v in variants) + " |")
    lines += ["", "The week: " + ", ".join(f"{clock} {n:,}" for clock, n in r.week.items())
              + f" ({sum(r.week.values()):,} clocks).", "",
              "As the schema stands no index leads with `due_at` or `clock` for running clocks, so both queries read "
              "the whole `deadline` table (a parallel sequential scan): their cost grows with every clock ever "
              "started, not with the week. A serves the count (an index-only range per clock) but not the order "
              "across clocks (the first page still sorts the week); B, the running petition clocks by `due_at`, "
              "serves both: the count reads only the week's entries, the first page stops after 50.", ""]
    for name, plan in r.calendar_plans.items():
        lines += [f"{name}:", "", "```", *_short(plan), "```", ""]
    return lines


def _sweep(r: Result) -> list[str]:
    h, m, due = r.sweeps["hotline"], r.sweeps["mixed"], data.DUE
    sh, sm = r.swept["hotline"], r.swept["mixed"]
    return [
        "### The sweep with petition clocks among the due ones", "",
        f"`sweep.sweep` at the same moment over the same table, {due:,} clocks made due before each sweep (6 in 10 "
        "past their warning, 4 in 10 past their deadline): hotline handle clocks only (baseline), and half of them "
        "with half running petition clocks of every step (the office's forward clock tells the supervisors, its "
        "windows nobody; the organs' clocks their staff; a lapsed review window queues `close_petition`). Before "
        "each sweep the clocks are made due again, what the last one wrote is deleted and VACUUM ANALYZE runs; the "
        f"two alternate, {bench.SWEEP_WARMUP} untimed rounds then {bench.SWEEP_RUNS} timed.", "",
        "| due clocks | p50 ms | max ms | warnings, breaches | notifications, jobs written | × baseline |",
        "|---|---:|---:|---|---|---:|",
        f"| {due:,} hotline (baseline) | {p(h, 50):.0f} | {max(h) * 1000:.0f} | {sh[0]}, {sh[1]} "
        f"| {sh[2]:,}, {sh[3]:,} | 1.00 |",
        f"| {due // 2:,} hotline + {due - due // 2:,} petition | {p(m, 50):.0f} | {max(m) * 1000:.0f} "
        f"| {sm[0]}, {sm[1]} | {sm[2]:,}, {sm[3]:,} | {p(m, 50) / p(h, 50):.2f} |", "",
    ]


def section(r: Result) -> list[str]:
    return _intro(r) + _protections(r) + _calendar(r) + _sweep(r)
