"""Benchmark 8: the published figures at a big city's scale (Beijing's 12345: about 59,000 items a day, 1.8
million a month). One month of 1,000,000 cases in a PostgreSQL database of its own; each figure beside its baseline
from the same run: the open-government pages (read from the monthly rollup) against counting the same figures live;
the worker's rollup run, without and with 1,000 cases changed; the supervisor's first page of the cases behind an
overdue figure against counting them. `python -m bench.figures` runs it alone and rewrites its section of
docs/benchmarks.md; `make bench` runs it with the others. Rows come from INSERT … SELECT generate_series with draws
from hashint4extended(g, k), the same on every run: what the measures read is realistic, nothing else of a case is.
"""
# ruff: noqa: S608 (the SQL is assembled from this file's own constants and integer ids, never from input)
from __future__ import annotations

import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import event, func, select, text

from bench.sweep import write_section
from bench.targets import app_on, postgres_server
from hotline.clock import now
from hotline.domain import kpis
from hotline.extensions import db
from hotline.models import Area, Category, Department, MonthlyFigure
from hotline.models.stats import DIMENSIONS
from hotline.services import assessment, measures, rollup

CASES = 1_000_000
CHUNK = 250_000  # cases per INSERT … SELECT
RUNS, WARMUP = 5, 1
TOUCHED = 1_000
SECTION = "## 8. The published figures at a big city's scale"
OVERDUE = {"completed_on_time": "超期 (answered late or past the reply deadline)",
           "signed_on_time": "超时签收 (signed late or unsigned past the sign deadline)"}


@dataclass
class Timed:
    """Seconds per call of what it times; a call with timed=False (a warm-up) runs but is not counted."""
    samples: list[float] = field(default_factory=list)

    def __call__(self, call: Callable[[], object], timed: bool = True) -> object:
        started = time.perf_counter()
        result = call()
        if timed:
            self.samples.append(time.perf_counter() - started)
        return result

    median_ms = property(lambda self: statistics.median(self.samples) * 1000)
    max_ms = property(lambda self: max(self.samples) * 1000)


@dataclass
class Drill:
    page: Timed = field(default_factory=Timed)
    count: Timed = field(default_factory=Timed)
    total: int = 0
    published: int = 0  # the same number in the department's monthly figure


@dataclass
class FiguresResult:
    version: str
    month: date
    at: datetime
    timezone: str
    cases: int = 0
    load_seconds: float = 0.0
    city: kpis.Counts = field(default_factory=kpis.Counts)
    rows: int = 0  # monthly figure rows of the month
    page: Timed = field(default_factory=Timed)
    table: Timed = field(default_factory=Timed)
    live: Timed = field(default_factory=Timed)
    first_run: Timed = field(default_factory=Timed)
    steady: Timed = field(default_factory=Timed)
    touched: Timed = field(default_factory=Timed)
    months_counted: dict[str, int] = field(default_factory=dict)  # by a run: steady, touched
    parts: dict[str, Timed] = field(default_factory=dict)  # one month's aggregate, by dimension
    department: str = ""
    department_cases: int = 0
    drills: dict[str, Drill] = field(default_factory=dict)
    plans: dict[str, list[str]] = field(default_factory=dict)
    load: list[float] = field(default_factory=list)  # the machine's 1-minute load average, before and after


def _u(k: int) -> str:
    """A uniform draw in [0, 1) of case g, the same on every run."""
    return f"((hashint4extended(g, {k}) & 16777215)::float8 / 16777216)"


def _pick(ids: list[int], draw: str) -> str:
    return f"(ARRAY[{','.join(map(str, ids))}])[1 + floor({len(ids)} * {draw})::int]"


# Hours after receipt: dispatched at 10 minutes, sign deadline 2 hours later (6% signed late); reply deadline 1 day
# (urgent, 5%), 5 days (80%) or 15 days (complex, 15%), 8% answered late; the callback 4 to 48 hours after the
# reply. What a case has reached depends on its age at the end of the month.
CASE_STATE = """CASE WHEN u8 < 0.01 THEN 'merged' WHEN u8 < 0.015 THEN 'terminated'
    WHEN NOT signed THEN 'dispatched' WHEN NOT replied THEN 'in_progress'
    WHEN u7 < 0.04 AND age < 240 THEN 'in_progress' WHEN reply_h + 4 + 44 * u6 <= age THEN 'closed'
    ELSE 'replied' END"""
SATISFACTION = "CASE WHEN u9 < 0.75 THEN 'satisfied' WHEN u9 < 0.87 THEN 'basically' ELSE 'dissatisfied' END"
CONTACT = "CASE WHEN u11 < 0.80 THEN 'phone' WHEN u11 < 0.86 THEN 'sms' WHEN u11 < 0.91 THEN 'visit' ELSE 'none' END"


def _load(start: datetime, at: datetime, departments: list[int], categories: list[int], streets: list[int]) -> None:
    total = (at - start).total_seconds() / 3600
    draws = ", ".join(f"{_u(k)} AS u{k}" for k in range(4, 15))
    for lo in range(1, CASES + 1, CHUNK):
        hi = min(lo + CHUNK - 1, CASES)
        db.session.execute(text(f"""
            WITH a AS (
                SELECT g, :span * (g - 0.5) / :n AS off, :total - :span * (g - 0.5) / :n AS age, {draws},
                    CASE WHEN {_u(1)} < 0.05 THEN 24 WHEN {_u(1)} < 0.85 THEN 120 ELSE 360 END AS due_h,
                    1.0 / 6 + CASE WHEN {_u(2)} < 0.06 THEN 2 + 10 * {_u(3)} ELSE 1.9 * {_u(3)} END AS sign_h
                FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) g),
            c AS (
                SELECT a.*, greatest(sign_h + 0.5, CASE WHEN u4 < 0.08 THEN due_h + 1 + 48 * u5
                                                        ELSE 1 + (due_h - 2) * u5 * u5 END) AS reply_h
                FROM a),
            d AS (
                SELECT c.*, sign_h <= age AS signed, sign_h <= age AND reply_h <= age AS replied,
                    reply_h + 4 + 44 * u6 AS callback_h, CAST(:start AS timestamptz) + interval '1 hour' * off AS recv,
                    {_pick(departments, 'power(u12, 1.6)')} AS dept
                FROM c),
            s AS MATERIALIZED (SELECT d.*, {CASE_STATE} AS state FROM d),
            inserted AS (
                INSERT INTO cases (id, number, track, kind, channel, urgency, state, category_id, area_id,
                    location_text, description, confidential, received_at, lead_department_id, dispatch_count,
                    redo_count, urge_count, supervised, extension_reason, reply_text, reply_contact, replied_at,
                    reply_reviewed, callback_satisfaction, callback_resolved, callback_note, callback_at, closed_at,
                    sign_due_at, reply_due_at, deadlines_provisional, history_length, history_hash, version,
                    created_at, updated_at)
                SELECT g, '12345-F-' || lpad(g::text, 8, '0'), CASE WHEN g % 50 = 0 THEN 'petition' ELSE 'hotline' END,
                    CASE WHEN g % 50 = 0 THEN 'petition_suggestion'
                         ELSE (ARRAY['complaint', 'help', 'consult', 'complaint', 'report', 'suggestion'])[1 + g % 6]
                    END,
                    (ARRAY['phone', 'phone', 'phone', 'web', 'sms'])[1 + g % 5],
                    CASE due_h WHEN 24 THEN 'urgent' WHEN 360 THEN 'complex' ELSE 'general' END, state,
                    {_pick(categories, 'power(u13, 1.3)')}, {_pick(streets, 'u14')}, '', '夜间施工噪音扰民', false,
                    recv, dept, 1, CASE WHEN replied AND u7 < 0.04 THEN 1 ELSE 0 END, 0, false, '',
                    CASE WHEN replied THEN '已联系市民并处理' ELSE '' END, CASE WHEN replied THEN {CONTACT} END,
                    CASE WHEN replied THEN recv + interval '1 hour' * reply_h END, state = 'closed',
                    CASE WHEN state = 'closed' AND u9 >= 0.1 THEN {SATISFACTION} END,
                    CASE WHEN state = 'closed' AND u9 >= 0.1
                         THEN u10 < CASE WHEN u9 < 0.75 THEN 0.95 WHEN u9 < 0.87 THEN 0.7 ELSE 0.15 END END, '',
                    CASE WHEN state = 'closed' THEN recv + interval '1 hour' * callback_h END,
                    CASE WHEN state = 'closed' THEN recv + interval '1 hour' * callback_h END,
                    recv + interval '130 minutes', recv + interval '1 hour' * due_h, false, 0, '', 1, recv,
                    recv + interval '1 hour' * CASE WHEN state = 'closed' THEN callback_h WHEN replied THEN reply_h
                                                    WHEN signed THEN sign_h ELSE 1.0 / 6 END
                FROM s)
            INSERT INTO assignment (id, case_id, department_id, lead, status, active, dispatch_round, dispatched_at,
                sign_due_at, reply_due_at, signed_at, replied_at, reply_text)
            SELECT g, g, dept, true, CASE state WHEN 'dispatched' THEN 'pending' WHEN 'in_progress' THEN 'signed'
                                                WHEN 'replied' THEN 'replied' ELSE 'closed' END,
                state IN ('dispatched', 'in_progress', 'replied'), 1, recv + interval '10 minutes',
                recv + interval '130 minutes', recv + interval '1 hour' * due_h,
                CASE WHEN signed THEN recv + interval '1 hour' * sign_h END,
                CASE WHEN replied THEN recv + interval '1 hour' * reply_h END, ''
            FROM s"""), {"lo": lo, "hi": hi, "n": CASES, "start": start, "total": total, "span": total - 1 / 6})
        db.session.commit()
        print(f"  {hi:,} cases loaded", flush=True)
    db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('cases', 'id'), {CASES}), "
                            f"setval(pg_get_serial_sequence('assignment', 'id'), {CASES})"))
    db.session.commit()


def _explained(call: Callable[[], object], first: int = 1) -> list[list[str]]:
    """The first statements a call sends, as sent, run again under EXPLAIN ANALYZE (and rolled back)."""
    seen: list[tuple[str, object]] = []

    def listen(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
        db.session.rollback()
    plans = []
    for statement, parameters in seen[:first]:
        cursor = db.session.connection().connection.cursor()
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + statement, parameters)
        plans.append([row[0] for row in cursor.fetchall()])
        db.session.rollback()
    return plans


def _ended(call: Callable[[], object]) -> Callable[[], object]:
    """The call in a session of its own, as a request or a job has."""
    def run():
        try:
            return call()
        finally:
            db.session.remove()
    return run


def _prepare(r: FiguresResult) -> None:
    started = time.perf_counter()
    ids = [list(db.session.scalars(select(m.id).where(where).order_by(m.id))) for m, where in (
        (Department, Department.code != "centre"), (Category, Category.parent_id.is_not(None)),
        (Area, Area.parent_id.is_not(None)))]  # departments, sub-categories, streets
    _load(measures.month_bounds(r.month, r.timezone)[0], r.at, *ids)
    db.session.remove()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE cases, assignment")
    r.load_seconds = time.perf_counter() - started
    r.cases = db.session.scalar(text("SELECT count(*) FROM cases"))
    r.version = str(db.session.scalar(text("SHOW server_version"))).split(" ")[0]
    db.session.remove()


def _measure(app, r: FiguresResult) -> None:
    tz, at, month, policy = r.timezone, r.at, r.month, kpis.Policy()
    with app.app_context():
        r.first_run(_ended(lambda: rollup.run(db.session, at, tz)))  # no figures yet: every row inserted
        r.rows = db.session.scalar(select(func.count()).select_from(MonthlyFigure).where(MonthlyFigure.month == month))
        r.city = measures.aggregate(db.session, month, tz, at, policy, "city")[0]
        db.session.remove()
    client = app.test_client()

    def get(path: str) -> Callable[[], object]:
        return lambda: client.get(path).status_code == 200 or sys.exit(f"{path} did not answer 200")

    live = _ended(lambda: [measures.aggregate(db.session, month, tz, at, policy, d) for d in ("city", "department")])
    for i in range(WARMUP + RUNS):
        r.page(get(f"/open/?month={month:%Y-%m}"), timed=i >= WARMUP)
        r.table(get(f"/open/figures/department?month={month:%Y-%m}"), timed=i >= WARMUP)
        with app.app_context():
            r.live(live, timed=i >= WARMUP)
    print(f"  open page median {r.page.median_ms:.0f} ms; counted live {r.live.median_ms:.0f} ms", flush=True)
    with app.app_context():
        run = _ended(lambda: rollup.run(db.session, at, tz))
        for i in range(WARMUP + RUNS):  # in turn, so that whatever else the machine does weighs on both alike
            r.months_counted["steady"] = r.steady(run, timed=i >= WARMUP)  # nothing changed since the last run
            db.session.execute(text("UPDATE cases SET updated_at = :at, version = version + 1 WHERE id = ANY(:ids)"),
                               {"at": at, "ids": [1 + i + k * (CASES // TOUCHED) for k in range(TOUCHED)]})
            db.session.commit()  # cases spread over the month, changed now as handling would
            db.session.remove()
            r.months_counted["touched"] = r.touched(run, timed=i >= WARMUP)
        print(f"  rollup run median {r.steady.median_ms:.0f} ms, after {TOUCHED:,} changed "
              f"{r.touched.median_ms:.0f} ms", flush=True)
        for dimension in DIMENSIONS:
            r.parts[dimension] = Timed()
            for _ in range(3):
                r.parts[dimension](_ended(lambda d=dimension: measures.aggregate(db.session, month, tz, at, policy, d)))
        r.plans["cases"], r.plans["dispatches"] = _explained(
            lambda: measures.aggregate(db.session, month, tz, at, policy, "department"), 2)
        r.plans["empty month"], = _explained(
            lambda: measures.aggregate(db.session, kpis.next_month(month), tz, at, policy, "city"))
        r.plans["changed months"], = _explained(lambda: rollup.changed_months(db.session, at - rollup.OVERLAP, at, tz))
        db.session.remove()
        _drill(r, policy)


def _drill(r: FiguresResult, policy: kpis.Policy) -> None:
    tz, at, month = r.timezone, r.at, r.month
    top = db.session.scalars(select(MonthlyFigure).where(MonthlyFigure.month == month,
                                                         MonthlyFigure.dimension == "department")
                             .order_by(MonthlyFigure.received.desc()).limit(1)).one()
    department = db.session.get(Department, top.key_id)
    r.department, r.department_cases = f"{department.name} ({department.code})", top.received
    published = {"completed_on_time": top.completion_due - top.completed_on_time,
                 "signed_on_time": top.sign_due - top.signed_on_time}
    db.session.remove()
    for measure in OVERDUE:
        drill = r.drills[measure] = Drill(published=published[measure])

        def query(measure=measure):
            return assessment.cases_behind(measure, month, tz, at, policy, top.key_id, missed=True)

        for i in range(WARMUP + RUNS):
            drill.page(_ended(lambda q=query: assessment.page_of(db.session, q(), 1)), i >= WARMUP)
            drill.total = drill.count(_ended(lambda q=query: assessment.count(db.session, q())), i >= WARMUP)
        if measure == "completed_on_time":
            r.plans["drill-down page"], = _explained(lambda q=query: assessment.page_of(db.session, q(), 1))
            r.plans["drill-down count"], = _explained(lambda q=query: assessment.count(db.session, q()))
        db.session.remove()


def bench(server: str, month: date | None = None) -> FiguresResult:
    """The last whole month (by default), loaded in a throwaway database on `server` and measured at 23:00 on
    its last day, when it is complete: every run of the rollup then recounts it as the current month."""
    with app_on("PostgreSQL", server) as (app, _target):
        tz = app.config["HOTLINE_TIMEZONE"]
        month = month or kpis.month_start(kpis.month_start(now().astimezone(ZoneInfo(tz)).date()) - timedelta(1))
        _start, end = measures.month_bounds(month, tz)
        r = FiguresResult("", month, (end - timedelta(hours=1)).astimezone(UTC), tz, load=[os.getloadavg()[0]])
        with app.app_context():
            _prepare(r)
        print(f"  {r.cases:,} cases of {month:%Y-%m} loaded in {r.load_seconds:.0f} s", flush=True)
        _measure(app, r)
    r.load.append(os.getloadavg()[0])
    return r


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _scan(plan: list[str]) -> str:
    """The plan's first line that reads the cases table, as it reads it."""
    found = next((line for line in plan if " on cases" in line), "?")
    return "`" + found.strip().removeprefix("->").strip().split(" (actual")[0] + "`"


def section(r: FiguresResult) -> list[str]:
    c, m, live = r.city, f"{r.month:%Y-%m}", r.live.median_ms
    parts = ", ".join(f"{d} {t.median_ms / 1000:.1f} s" for d, t in r.parts.items())
    lines = [
        SECTION, "",
        f"One month ({m}) of {r.cases:,} cases (Beijing's 12345 takes about 59,000 items a day, 1.8 million a "
        f"month) in a PostgreSQL {r.version} database of its own, on {os.cpu_count()} cores (1-minute load average "
        f"{r.load[0]:.1f} before the run, {r.load[-1]:.1f} after: whatever else runs there weighs on it); as at "
        f"{r.at.astimezone(ZoneInfo(r.timezone)):%Y-%m-%d %H:%M} local time, when the month is complete and still "
        "the current one, so that every run of the rollup recounts it.",
        "Each case has one lead assignment (sign deadline 2 h after the dispatch, 6% signed late) and a reply "
        "deadline of 1, 5 or 15 days (8% answered late), and has reached what its age allows: dispatched, in "
        "progress, answered (80% after a phone call, 6% SMS, 5% visit, 9% no contact), closed after the callback "
        "(10% unrated; 75% satisfied, 12% basically, 13% dissatisfied); 4% redone, 1% merged, 0.5% terminated, "
        f"2% petitions (not counted). Lead departments are skewed (the largest has {r.department_cases:,} cases), "
        "over the demo city's sub-categories and streets. Calls answered at intake (no dispatch) are not among "
        f"them. Loading (INSERT … SELECT generate_series, then VACUUM ANALYZE) took {r.load_seconds:.0f} s.", "",
        f"The month as published: received {c.received:,}, closed {c.closed:,}, on-time sign "
        f"{_pct(c.signed_on_time, c.sign_due)}, on-time completion {_pct(c.completed_on_time, c.completion_due)}, "
        f"overdue {c.overdue:,}, response {_pct(c.responded, c.replied)}, resolution {_pct(c.resolved, c.rated)}, "
        f"satisfaction {_pct(c.satisfied + c.basically, c.rated)}; {r.rows} monthly figure rows. Median and slowest "
        f"of {RUNS} timed runs after {WARMUP} untimed, each in a session of its own.", "",
        "| what | p50 ms | max ms | × baseline |", "|---|---:|---:|---:|",
        f"| counted live: `measures.aggregate`, city + department (baseline) | {live:.0f} | {r.live.max_ms:.0f} | 1 |",
        f"| `GET /open/?month={m}` (from the rollup) | {r.page.median_ms:.1f} | {r.page.max_ms:.1f} "
        f"| {r.page.median_ms / live:.3f} |",
        f"| `GET /open/figures/department?month={m}` | {r.table.median_ms:.1f} | {r.table.max_ms:.1f} "
        f"| {r.table.median_ms / live:.3f} |",
        f"| `rollup.run`, nothing changed ({r.months_counted['steady']} month recounted, 4 dimensions) "
        f"| {r.steady.median_ms:.0f} | {r.steady.max_ms:.0f} | {r.steady.median_ms / live:.2f} |",
        f"| `rollup.run` after {TOUCHED:,} cases changed ({r.months_counted['touched']} month recounted) "
        f"| {r.touched.median_ms:.0f} | {r.touched.max_ms:.0f} | {r.touched.median_ms / live:.2f} |", "",
        f"- The first rollup run (no figures yet) took {r.first_run.max_ms / 1000:.1f} s. One month's "
        f"`measures.aggregate` by dimension (median of 3): {parts}; each scans the month's cases once and joins "
        "their assignments once, and `rollup.run` does all four in turn. The two kinds of run alternate; each timed "
        "run, in order: nothing changed "
        f"{', '.join(f'{x:.1f}' for x in r.steady.samples)} s; after the change "
        f"{', '.join(f'{x:.1f}' for x in r.touched.samples)} s.",
        f"- Both recount the same month: a run counts every month that moved, whole, whether {TOUCHED:,} cases "
        "changed or none, so its cost follows the size of the month, not the changes. Linear in the month, 1.8 million "
        f"cases would take about {r.steady.median_ms / 1000 * 1_800_000 / max(r.cases, 1):.0f} s a run (not "
        "measured). In the first weeks of a month the previous month's cases still change (callbacks, 15-day "
        "deadlines), so runs then recount two months (`rollup.changed_months`; not measured here).", "",
        f"The drill-down for {r.department}, the department with the most cases: `assessment.cases_behind(..., "
        "missed=True)`, its first page (`assessment.page_of`: 50 and one more, people and names loaded) against "
        "`assessment.count` of the same query (the total the page shows):", "",
        "| measure missed | page p50 ms | max ms | count p50 ms | max ms | cases | = published figure |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for measure, d in r.drills.items():
        lines.append(f"| {OVERDUE[measure]} | {d.page.median_ms:.1f} | {d.page.max_ms:.1f} | {d.count.median_ms:.1f} "
                     f"| {d.count.max_ms:.1f} | {d.total:,} | {'yes' if d.total == d.published else 'NO'} "
                     f"({d.published:,}) |")
    lines += [
        "", "Query plans (EXPLAIN ANALYZE, timing off). The month's count reads the cases by "
        f"{_scan(r.plans['cases'])}; the month after (no cases) by {_scan(r.plans['empty month'])}. Here the month "
        "is the whole table; with years of cases the `received_at` range is a small part of it (not measured). "
        f"The drill-down's page reads them by {_scan(r.plans['drill-down page'])} and its count by "
        f"{_scan(r.plans['drill-down count'])}; both make the DISTINCT over every column of the case (the sort "
        "or group key below).", ""]
    titles = {"cases": f"The count over cases, by department ({m}):",
              "dispatches": "The count over dispatches (assignments joined to their cases):",
              "empty month": "The city's count for the month after:",
              "changed months": "The rollup's query for the months that moved (`rollup.changed_months`):",
              "drill-down page": "The drill-down's first page (超期, one department):",
              "drill-down count": "Its count:"}
    for name, title in titles.items():
        lines += [title, "", "```", *(ln if len(ln) <= 200 else ln[:199] + "…" for ln in r.plans[name]), "```", ""]
    return lines


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    server, skipped = postgres_server()
    if not server:
        print(f"the published-figures benchmark needs PostgreSQL: {skipped}", file=sys.stderr)
        return 1
    lines = section(bench(server))
    write_section(lines, SECTION)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
