"""Benchmark 9: what the petition protections cost, and the statutory calendar, at a big city's scale.

`cases.visible` (the base of every list, search and count) keeps out the cases a user is recused from (信访工作条例
Art. 28) and, for a department, the accusations about it (Art. 30), with two NOT EXISTS. Here 1,000,000 cases (5%
petitions, ~3,000 accusations, ~2,000 recusals) in a PostgreSQL database of its own: the department inbox, the
centre's list, a text search and the tab counts, each with the real `visible` and with the same query built without
the two NOT EXISTS (the baseline), in turn in the same run; the calendar of running petition clocks due within a
week; the sweep with petition clocks among the due ones against hotline clocks only.
`python -m bench.petitions` runs it alone and rewrites its section of docs/benchmarks.md; `make bench` runs it too.
"""
# ruff: noqa: S608 (the SQL is assembled from this file's own constants and integer ids, never from input)
from __future__ import annotations

import logging
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import event, false, func, select, text

from bench import petitions_data as data
from bench.sweep import write_section
from bench.targets import _app, postgres_server
from hotline.clock import now
from hotline.domain.access import sees_all_cases
from hotline.extensions import db
from hotline.models import (
    AccusedDepartment,
    Assignment,
    Case,
    Deadline,
    Department,
    Notification,
    OutboxJob,
    Recusal,
    User,
)
from hotline.services import cases, sweep

RUNS, WARMUP, SWEEP_RUNS, SWEEP_WARMUP = 40, 5, 7, 2
DEPARTMENT = "cgw"  # the measured inbox is its staff's (`cgw-staff`); the centre's is `operator`'s
TEXT = "学府小区南门"  # one place in 40: what a clerk types to find a matter
DATABASE = "hotline_bench_petitions"
SECTION = "## 9. Petitions: the protections' cost and the statutory calendar"
# the real query, the baseline, and two experiments: NOT IN (subquery); NOT IN (the ids, looked up first)
VARIANTS = ("with", "without", "not in", "list")
RUNS_SLOW = 10  # rounds for a query whose first call takes more than SLOW seconds
SLOW = 0.3
# benchmark-only indexes for the calendar, each added to this database alone, measured, dropped
EXPERIMENTS = {
    "A: (clock, due_at) of running clocks": "ON deadline (clock, due_at) WHERE stopped_at IS NULL",
    "B: (due_at) of running petition clocks": "ON deadline (due_at) INCLUDE (clock) WHERE stopped_at IS NULL AND clock "
                                              f"IN ({', '.join(repr(c) for c in data.PETITION_CLOCKS)})",
}


@dataclass
class Pair:
    """One query with the protections and without (the baseline), each timed in turn in the same loop."""
    full: dict[str, list[float]] = field(default_factory=lambda: {"with": [], "without": []})  # cases.search …
    sql: dict[str, list[float]] = field(  # … its statement alone, and the NOT IN experiment's
        default_factory=lambda: {variant: [] for variant in VARIANTS})
    rows: dict[str, int] = field(default_factory=dict)
    plan: list[str] = field(default_factory=list)
    reads: str = ""
    not_in_plan: list[str] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)  # pages touched, by variant (EXPLAIN BUFFERS)


@dataclass
class Result:
    version: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    load_seconds: float = 0.0
    pairs: dict[str, Pair] = field(default_factory=dict)
    calendar: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # query → as is / experiment → s
    week: dict[str, int] = field(default_factory=dict)
    calendar_plans: dict[str, list[str]] = field(default_factory=dict)
    sweeps: dict[str, list[float]] = field(default_factory=lambda: {"hotline": [], "mixed": []})
    swept: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # warnings, breaches, notes, jobs
    load: list[float] = field(default_factory=list)  # the machine's 1-minute load average, before and after


def p(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000 if len(samples) > 1 \
        else samples[0] * 1000


def _exec(sql: str, **params) -> None:
    db.session.execute(text(sql), params)


def _vacuum(*tables: str) -> None:
    db.session.remove()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM ANALYZE {', '.join(tables)}")


def _unprotected(actor):
    """`cases.visible` without its two NOT EXISTS: the baseline (checked against the real one in `_check`)."""
    query = select(Case)
    if sees_all_cases(actor):
        return query
    if actor.department_id is None:
        return query.where(false())
    return query.where(Case.id.in_(select(Assignment.case_id).where(Assignment.department_id == actor.department_id,
                                                                    Assignment.active)))


def _check(actor) -> None:
    """The baseline must be the real query less the protections, and nothing else, or the comparison means little."""
    def criteria(query) -> set[str]:
        return {str(c) for c in query._where_criteria}

    real, bare = criteria(cases.visible(actor)), criteria(_unprotected(actor))
    dropped = real - bare
    if not bare <= real or len(dropped) != (1 if sees_all_cases(actor) else 2) or \
            any("recusal" not in c and "accused_department" not in c for c in dropped):
        sys.exit(f"bench/petitions.py: cases.visible changed; update _unprotected ({dropped})")


def _not_in(actor):
    """An experiment: the same protections as NOT IN (subquery), which PostgreSQL runs as a hashed subplan, once
    per statement, instead of an index probe per row (case_id is never NULL, so NOT IN means NOT EXISTS)."""
    query = select(Case).where(Case.id.not_in(select(Recusal.case_id).where(Recusal.user_id == actor.user_id)))
    if sees_all_cases(actor):
        return query
    if actor.department_id is None:
        return query.where(false())
    return query.where(
        Case.id.in_(select(Assignment.case_id).where(Assignment.department_id == actor.department_id,
                                                     Assignment.active)),
        Case.id.not_in(select(AccusedDepartment.case_id).where(AccusedDepartment.department_id == actor.department_id)))


_LISTS: dict[int, tuple[list[int], list[int]]] = {}  # user id → the cases they are recused from, accused in


def _look_up(actor) -> None:
    recused = db.session.scalars(select(Recusal.case_id).where(Recusal.user_id == actor.user_id)).all()
    accused = db.session.scalars(select(AccusedDepartment.case_id).where(
        AccusedDepartment.department_id == actor.department_id)).all() if not sees_all_cases(actor) else []
    _LISTS[actor.user_id] = (list(recused), list(accused))
    db.session.remove()


def _listed(actor):
    """An experiment: the actor's recused and accused case ids looked up first (two indexed reads, nearly always
    empty) and excluded as a list of constants, or not at all when there are none."""
    recused, accused = _LISTS[actor.user_id]
    query = _unprotected(actor)
    if recused:
        query = query.where(Case.id.not_in(recused))
    if accused and not sees_all_cases(actor):
        query = query.where(Case.id.not_in(accused))
    return query


@contextmanager
def _variant(name: str) -> Iterator[None]:
    real = cases.visible
    # cases._filtered looks `visible` up at each call
    cases.visible = {"with": real, "without": _unprotected, "not in": _not_in, "list": _listed}[name]
    try:
        yield
    finally:
        cases.visible = real


def _statement(call: Callable[[], object], table: str = "cases") -> tuple[str, object]:
    """The first statement over `table` the call sends (the page, or the first count), as sent."""
    seen: list[tuple[str, object]] = []

    def listen(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
        db.session.remove()
    return next(s for s in seen if f"FROM {table}" in s[0])


def _explain(statement: str, parameters) -> list[str]:
    cursor = db.session.connection().connection.cursor()
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) " + statement, parameters)
    lines = [row[0] for row in cursor.fetchall()]
    db.session.rollback()
    return lines


def _pages(plan: list[str]) -> int:
    """The pages the statement touched (the root's shared hits and reads, its workers' included): the one figure
    here that the machine's other work does not move."""
    line = next((line for line in plan if "Buffers: shared" in line), "")
    return sum(int(part.split("=")[1]) for part in line.split() if part.startswith(("hit=", "read=")))


def _reads(plan: list[str]) -> str:
    """How the plan reads the two protection tables, and under which join: the row to check in the report."""
    def indent(line: str) -> int:
        return len(line) - len(line.lstrip(" ->"))

    def node(line: str) -> str:
        return line.strip().removeprefix("->").strip()

    out = []
    for i, line in enumerate(plan):
        if " on recusal" in line or " on accused_department" in line:
            depth, join = indent(line), "?"
            for above in reversed(plan[:i]):  # up the tree: nodes ("->", SubPlan) less indented, not their details
                if indent(above) < depth and (above.lstrip().startswith(("->", "SubPlan")) or above is plan[0]):
                    depth = indent(above)
                    if "Join" in above or "SubPlan" in above:
                        join = node(above).split(" (")[0]
                        break
            out.append(f"`{node(line)}` under `{join}`")
    return "; ".join(out) or "neither table read"


def _pairs(app, at: datetime, r: Result) -> None:
    with app.app_context():
        operator = db.session.scalar(select(User).where(User.username == "operator")).actor
        staff = db.session.scalar(select(User).where(User.username == f"{DEPARTMENT}-staff")).actor
        db.session.remove()
        for actor in (operator, staff):
            _check(actor)
            _look_up(actor)

        def page(actor, **filters):
            return lambda: cases.search(db.session, actor, cases.CaseFilter(**filters), now=at)[0]

        queries = {
            f"department ({DEPARTMENT}-staff) inbox, page 1": page(staff),
            "centre (operator) list, page 1": page(operator),
            f"centre, text search “{TEXT}”": page(operator, q=TEXT),
            f"department, text search “{TEXT}”": page(staff, q=TEXT),
            "department, the five inbox tab counts": lambda: list(cases.counts(db.session, staff, cases.TABS, at,
                                                                                "tab").values()),
        }
        for name, call in queries.items():
            r.pairs[name] = _pair(name, call)


def _pair(name: str, call: Callable[[], object]) -> Pair:
    """Time the call with and without the protections, and its statement with, without and as NOT IN, in turn."""
    pair, statements = Pair(), {}
    for variant in VARIANTS:
        with _variant(variant):
            started = time.perf_counter()
            result = call()
            slow = time.perf_counter() - started > SLOW
            pair.rows[variant] = sum(result) if isinstance(result[0], int) else len(result)
            statements[variant] = _statement(call)
    for i in range(WARMUP + (RUNS_SLOW if slow else RUNS)):
        for variant in VARIANTS if i % 2 else VARIANTS[::-1]:  # none always first
            with _variant(variant):
                if variant in ("with", "without"):
                    started = time.perf_counter()
                    call()
                    if i >= WARMUP:
                        pair.full[variant].append(time.perf_counter() - started)
                    db.session.remove()
            cursor = db.session.connection().connection.cursor()  # a request's connection, from the same pool
            started = time.perf_counter()
            cursor.execute(*statements[variant])
            cursor.fetchall()
            if i >= WARMUP:
                pair.sql[variant].append(time.perf_counter() - started)
            db.session.remove()
    plans = {variant: _explain(*statements[variant]) for variant in statements}
    pair.plan, pair.not_in_plan = plans["with"], plans["not in"]
    pair.pages = {variant: _pages(plan) for variant, plan in plans.items()}
    pair.reads = _reads(pair.plan)
    print(f"  {name}: p50 {p(pair.full['without'], 50):.1f} → {p(pair.full['with'], 50):.1f} ms; statement "
          f"{p(pair.sql['without'], 50):.2f} → {p(pair.sql['with'], 50):.2f} ms (NOT IN "
          f"{p(pair.sql['not in'], 50):.2f})", flush=True)
    return pair


def _calendar(at: datetime) -> dict[str, object]:
    running = (Deadline.clock.in_(data.PETITION_CLOCKS), Deadline.stopped_at.is_(None),
               Deadline.due_at < at + timedelta(days=7))  # overdue ones too: they are the week's first work
    return {
        "the week by clock (counts)": select(Deadline.clock, func.count()).where(*running).group_by(Deadline.clock),
        "the week's first 50, soonest first": select(Deadline.id, Deadline.clock, Deadline.due_at, Case.number)
        .join(Case, Case.id == Deadline.case_id).where(*running).order_by(Deadline.due_at, Deadline.id).limit(50),
    }


def _calendar_runs(at: datetime, r: Result, variant: str) -> None:
    for name, query in _calendar(at).items():
        samples = r.calendar.setdefault(name, {}).setdefault(variant, [])
        for i in range(WARMUP + RUNS):
            started = time.perf_counter()
            rows = db.session.execute(query).all()
            if i >= WARMUP:
                samples.append(time.perf_counter() - started)
            db.session.remove()
        if name.endswith("(counts)"):
            r.week = dict(sorted(rows, key=lambda row: data.PETITION_CLOCKS.index(row[0])))
        r.calendar_plans[f"{name}, {variant}"] = _explain(*_statement(lambda q=query: db.session.execute(q).all(),
                                                                       "deadline"))


def _sweep_once(variant: str, at: datetime, r: Result, timed: bool) -> None:
    _exec("""UPDATE deadline d SET due_at = o.due_at, next_at = o.next_at, warned_at = o.warned_at,
             breached_at = o.breached_at FROM bench_orig o WHERE d.id = o.id""")
    _exec("""UPDATE deadline d SET due_at = b.due_at, next_at = b.next_at, warned_at = b.warned_at,
             breached_at = NULL FROM bench_due b WHERE d.id = b.id AND b.variant = :v""", v=variant)
    _exec("DELETE FROM notification")
    _exec("DELETE FROM outbox_job")
    db.session.commit()
    _vacuum("deadline", "notification", "outbox_job")  # as autovacuum would between two sweeps a minute apart
    started = time.perf_counter()
    tally = sweep.sweep(db.session, at)
    if timed:
        r.sweeps[variant].append(time.perf_counter() - started)
    r.swept[variant] = (tally.warnings, tally.breaches,
                        db.session.scalar(select(func.count()).select_from(Notification)),
                        db.session.scalar(select(func.count()).select_from(OutboxJob)))
    db.session.remove()


@contextmanager
def _database(server: str) -> Iterator[object]:
    """The app on a database of its own, `hotline_bench_petitions`, dropped afterwards (and before: a killed run)."""
    from tests.servers import ThrowawayPostgres

    database = ThrowawayPostgres(server)
    database.name = DATABASE
    database.drop()
    url = database.create()
    try:
        with _app(url) as app:
            yield app
    finally:
        database.drop()


def bench(server: str, at: datetime | None = None) -> Result:
    at, r = at or now(), Result(load=[os.getloadavg()[0]])
    with _database(server) as app:
        with app.app_context():
            started = time.perf_counter()
            departments = list(db.session.scalars(select(Department.id).where(Department.code != "centre")
                                                  .order_by(Department.id)))
            data.staff(departments)
            data.load(at, departments)
            pool = list(db.session.scalars(select(User.id).where(User.username.like("bench-%"))))
            operator = db.session.scalar(select(User).where(User.username == "operator"))
            staff = db.session.scalar(select(User).where(User.username == f"{DEPARTMENT}-staff"))
            data.protections(departments, operator, staff, pool, at)
            mine = staff.department_id
            data.due_sets(at)
            _vacuum("cases", "assignment", "deadline", "person", "petition", "recusal", "accused_department", "users")
            r.load_seconds = time.perf_counter() - started
            for table in ("cases", "petition", "accused_department", "recusal", "deadline"):
                r.counts[table] = db.session.scalar(text(f"SELECT count(*) FROM {table}"))
            r.counts["accusations"] = db.session.scalar(text("SELECT count(*) FROM cases WHERE kind = 'accusation'"))
            r.counts["department"] = db.session.scalar(text(
                f"SELECT count(*) FROM assignment WHERE department_id = {mine} AND active"))
            r.counts["accusing the department"] = db.session.scalar(text(
                f"SELECT count(*) FROM accused_department WHERE department_id = {mine}"))
            r.counts["departments"] = len(departments)
            r.counts["open"] = db.session.scalar(text(f"SELECT count(*) FROM cases WHERE state IN {data.OPEN}"))
            r.counts["running petition clocks"] = db.session.scalar(text(
                f"SELECT count(*) FROM deadline WHERE stopped_at IS NULL AND clock IN {tuple(data.PETITION_CLOCKS)}"))
            r.version = str(db.session.scalar(text("SHOW server_version"))).split(" ")[0]
            db.session.remove()
        print(f"  {r.counts['cases']:,} cases loaded in {r.load_seconds:.0f} s", flush=True)
        _pairs(app, at, r)
        with app.app_context():
            for i in range(SWEEP_WARMUP + SWEEP_RUNS):
                for variant in (("hotline", "mixed") if i % 2 else ("mixed", "hotline")):
                    _sweep_once(variant, at, r, timed=i >= SWEEP_WARMUP)
            print(f"  sweep p50 {p(r.sweeps['hotline'], 50):.0f} ms (hotline clocks only), "
                  f"{p(r.sweeps['mixed'], 50):.0f} ms (with petition clocks)", flush=True)
            _vacuum("deadline")
            _calendar_runs(at, r, "as is")
            for label, index in EXPERIMENTS.items():
                _exec(f"CREATE INDEX bench_experiment {index}")
                db.session.commit()
                _vacuum("deadline")
                _calendar_runs(at, r, label)
                _exec("DROP INDEX bench_experiment")
                db.session.commit()
            print("  calendar: " + "; ".join(f"{name} " + " → ".join(f"{p(v, 50):.1f}" for v in by.values()) + " ms"
                                             for name, by in r.calendar.items()), flush=True)
    r.load.append(os.getloadavg()[0])
    return r


def main() -> int:
    from bench.petitions_report import section

    logging.basicConfig(level=logging.WARNING)
    server, skipped = postgres_server()
    if not server:
        print(f"the petitions benchmark needs PostgreSQL: {skipped}", file=sys.stderr)
        return 1
    lines = section(bench(server))
    write_section(lines, SECTION)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
