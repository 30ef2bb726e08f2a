"""Benchmark 5: the deadline sweep (services/sweep.py) with the same 1,000 clocks due among 10,000 open cases
and among 1,000,000, in two PostgreSQL databases swept in turn in one run. DESIGN.md rule 5: its cost grows
with what is due, not with what is open, so the two figures should be about the same.

`python -m bench.sweep` runs it alone and rewrites its section of docs/benchmarks.md; `make bench` runs it
with the others. The rows are written by INSERT … SELECT generate_series: only what the sweep reads is
realistic (the clocks, their cases' numbers, the departments' staff); nothing else of a case is.
"""
# ruff: noqa: S608 (the SQL is assembled from this file's own constants and integer ids, never from input)
from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, text

from hotline.clock import now
from hotline.extensions import db
from hotline.models import Department, Notification, OutboxJob
from hotline.services import sweep

SMALL, BIG, DUE = 10_000, 1_000_000, 1_000
RUNS, WARMUP = 7, 2
STAFF_PER_DEPARTMENT = 3  # and one head
SECTION = "## 5. The deadline sweep"
CHUNK = 250_000  # cases per INSERT … SELECT


@dataclass
class Size:
    cases: int
    clocks: int  # deadline rows in the table
    running: int  # of which running (next_at set)
    samples: list[float] = field(default_factory=list)  # seconds per sweep
    tally: tuple[int, int] = (0, 0)  # warnings, breaches recorded by one sweep
    written: tuple[int, int] = (0, 0)  # notifications, outbox jobs written by one sweep
    plan: list[str] = field(default_factory=list)
    load_seconds: float = 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def max_ms(self) -> float:
        return max(self.samples) * 1000


@dataclass
class SweepResult:
    version: str
    sizes: list[Size]
    staff: int
    supervisors: int

    @property
    def ratio(self) -> float:
        return self.sizes[-1].median_ms / self.sizes[0].median_ms


def _exec(sql: str, **params) -> None:
    db.session.execute(text(sql), params)


# which of the first SMALL cases have a clock due (1,000 in all): 333 unsigned past their sign deadline,
# 334 past the warning of their handle clock, 167 callbacks past their warning and 166 past their deadline
DUE_SIGN = "(g <= CAST(:small AS integer) AND g % 30 = 11)"
DUE_HANDLE = "(g <= CAST(:small AS integer) AND g % 30 = 5)"
CALLBACK_WARNED = "(g <= CAST(:small AS integer) AND g % 60 = 30)"
CALLBACK_BREACHED = "(g <= CAST(:small AS integer) AND g % 60 = 0)"
AGO = ":at - interval '1 minute' * (1 + g % 50)"  # a little before the sweep
LATER = ":at + interval '1 day' + interval '1 minute' * (g % 10000)"  # not due yet: hours to days ahead


def _load(first: int, last: int, at: datetime, departments: list[int]) -> None:
    """Cases first..last, open (one in ten dispatched and not signed, one in ten replied and awaiting the
    callback, the rest in progress), each with its lead department's assignment and its clocks: sign
    (stopped once signed), handle, callback."""
    dept = f"(ARRAY[{','.join(map(str, departments))}])[1 + g % {len(departments)}]"
    state = "CASE WHEN g % 10 = 0 THEN 'replied' WHEN g % 10 = 1 THEN 'dispatched' ELSE 'in_progress' END"
    status = "CASE WHEN g % 10 = 0 THEN 'replied' WHEN g % 10 = 1 THEN 'pending' ELSE 'signed' END"
    clock_columns = ("INSERT INTO deadline (id, case_id, assignment_id, department_id, clock, started_at, due_at, "
                     "warn_at, provisional, warned_at, stopped_at, next_at)")
    for lo in range(first, last + 1, CHUNK):
        hi = min(lo + CHUNK - 1, last)
        params = {"at": at, "lo": lo, "hi": hi, "small": SMALL}
        _exec(f"""
            INSERT INTO cases (id, number, track, kind, channel, urgency, state, location_text, description,
                confidential, received_at, lead_department_id, dispatch_count, redo_count, urge_count, supervised,
                extension_reason, reply_text, reply_reviewed, callback_note, deadlines_provisional, history_length,
                history_hash, version, created_at, updated_at)
            SELECT g, '12345-B-' || lpad(g::text, 8, '0'), 'hotline', 'complaint', 'phone', 'general', {state},
                '', '夜间施工噪音扰民', false, :at - interval '3 days', {dept}, 1, 0, 0, false,
                '', '', g % 10 = 0, '', false, 0, '', 1, :at, :at
            FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) g""", **params)
        _exec(f"""
            INSERT INTO assignment (id, case_id, department_id, lead, status, active, dispatch_round, dispatched_at,
                reply_text)
            SELECT g, g, {dept}, true, {status}, true, 1, :at - interval '3 days', ''
            FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) g""", **params)
        _exec(f"""
            {clock_columns}
            SELECT 2 * g - 1, g, g, {dept}, 'sign', :at - interval '3 days', t.due, t.due - interval '6 hours',
                false, CASE WHEN {DUE_SIGN} THEN t.due - interval '6 hours' END,
                CASE WHEN g % 10 <> 1 THEN :at - interval '2 days' END,
                CASE WHEN g % 10 <> 1 THEN NULL WHEN {DUE_SIGN} THEN t.due ELSE t.due - interval '6 hours' END
            FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) g,
                LATERAL (SELECT CASE WHEN {DUE_SIGN} THEN {AGO} ELSE {LATER} + interval '6 hours' END AS due) t
            """, **params)
        _exec(f"""
            {clock_columns}
            SELECT 2 * g, g, CASE WHEN g % 10 = 0 THEN NULL ELSE g END, CASE WHEN g % 10 = 0 THEN NULL ELSE {dept} END,
                CASE WHEN g % 10 = 0 THEN 'callback' ELSE 'handle' END, :at - interval '3 days', t.due, t.warn,
                false, CASE WHEN {CALLBACK_BREACHED} THEN t.warn END, NULL,
                CASE WHEN {CALLBACK_BREACHED} THEN t.due ELSE t.warn END
            FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) g,
                LATERAL (SELECT
                    CASE WHEN {CALLBACK_BREACHED} THEN {AGO}
                         WHEN {DUE_HANDLE} OR {CALLBACK_WARNED} THEN :at + interval '1 day'
                         ELSE {LATER} + interval '1 day' END AS due,
                    CASE WHEN {CALLBACK_BREACHED} THEN :at - interval '1 day'
                         WHEN {DUE_HANDLE} OR {CALLBACK_WARNED} THEN {AGO}
                         ELSE {LATER} END AS warn) t
            """, **params)
        db.session.commit()
    for table in ("cases", "assignment", "deadline"):
        _exec(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    db.session.commit()


def _staff(departments: list[int]) -> None:
    _exec(f"""
        INSERT INTO users (username, password_hash, display_name, role, department_id, active, is_demo, created_at)
        SELECT 'bench-' || d || '-' || n, '!', 'bench', CASE WHEN n = 0 THEN 'head' ELSE 'staff' END, d, true,
            false, now()
        FROM unnest(ARRAY[{','.join(map(str, departments))}]) d, generate_series(0, {STAFF_PER_DEPARTMENT}) n""")
    db.session.commit()


def _vacuum(*tables: str) -> None:
    """What autovacuum would have done between two sweeps a minute apart: dead index entries gone, stats fresh."""
    db.session.remove()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM ANALYZE {', '.join(tables)}")


def _reset() -> None:
    """Every due clock due again, as before the first sweep, and what the sweep wrote gone."""
    _exec("""UPDATE deadline d SET next_at = b.next_at, warned_at = b.warned_at, breached_at = NULL
             FROM bench_due b WHERE d.id = b.id""")
    _exec("DELETE FROM notification")
    _exec("DELETE FROM outbox_job")
    db.session.commit()
    _vacuum("deadline", "notification", "outbox_job")


def _plan(at: datetime) -> list[str]:
    """The due query as the sweep sends it, run under EXPLAIN ANALYZE (and rolled back)."""
    statement = sweep.due(at, sweep.BATCH).compile(dialect=db.engine.dialect)
    cursor = db.session.connection().connection.cursor()
    cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + str(statement), statement.params)
    lines = [row[0] for row in cursor.fetchall()]
    db.session.rollback()
    return lines


def _sweep_once(size: Size, at: datetime, timed: bool) -> None:
    _reset()
    started = time.perf_counter()
    tally = sweep.sweep(db.session, at)
    elapsed = time.perf_counter() - started
    if timed:
        size.samples.append(elapsed)
    size.tally = (tally.warnings, tally.breaches)
    size.written = (db.session.scalar(select(func.count()).select_from(Notification)),
                    db.session.scalar(select(func.count()).select_from(OutboxJob)))
    db.session.remove()


def _prepare(cases: int, at: datetime) -> Size:
    """In the current app's (empty, migrated, seeded) database: staff, `cases` open cases, their clocks."""
    started = time.perf_counter()
    departments = list(db.session.scalars(select(Department.id).where(Department.code != "centre")
                                          .order_by(Department.id)))
    _staff(departments)
    _load(1, cases, at, departments)
    _exec("CREATE TABLE bench_due AS SELECT id, next_at, warned_at FROM deadline WHERE next_at < :at", at=at)
    db.session.commit()
    _vacuum("cases", "assignment", "deadline", "users")
    clocks = db.session.scalar(text("SELECT count(*) FROM deadline"))
    running = db.session.scalar(text("SELECT count(*) FROM deadline WHERE next_at IS NOT NULL"))
    db.session.remove()
    return Size(cases, clocks, running, load_seconds=time.perf_counter() - started)


def bench(server: str, at: datetime | None = None) -> SweepResult:
    """Two throwaway databases on `server`, loaded alike but for the 990,000 more cases of the second, and
    swept in turn (small, big, small, big …), so that whatever else the machine does weighs on both alike."""
    from bench.targets import app_on

    at = at or now()
    with app_on("PostgreSQL", server) as (small_app, _), app_on("PostgreSQL", server) as (big_app, _):
        runs = []
        for app, cases in ((small_app, SMALL), (big_app, BIG)):
            with app.app_context():
                runs.append((app, _prepare(cases, at)))
                print(f"  {cases:,} open cases loaded in {runs[-1][1].load_seconds:.0f} s", flush=True)
        for i in range(WARMUP + RUNS):
            for app, size in (runs if i % 2 == 0 else runs[::-1]):  # neither always goes first
                with app.app_context():
                    _sweep_once(size, at, timed=i >= WARMUP)
        for app, size in runs:
            with app.app_context():
                _reset()
                size.plan = _plan(at)
                print(f"  {size.cases:,} open cases: sweep median {size.median_ms:.1f} ms", flush=True)
        with big_app.app_context():
            staff = db.session.scalar(text("SELECT count(*) FROM users WHERE role IN ('staff', 'head') AND active"))
            supervisors = db.session.scalar(text("SELECT count(*) FROM users WHERE role = 'supervisor' AND active"))
            version = str(db.session.scalar(text("SHOW server_version"))).split(" ")[0]
            db.session.remove()
    return SweepResult(version, [size for _app, size in runs], staff, supervisors)


def section(r: SweepResult) -> list[str]:
    small, big = r.sizes[0], r.sizes[-1]
    warnings, breaches = big.tally
    lines = [
        SECTION, "",
        f"`sweep.sweep` (PostgreSQL {r.version}) with {DUE:,} clocks due ({warnings} past their warning, {breaches} "
        "past their deadline: sign, handle and",
        f"callback) among {SMALL:,} open cases, and the same {DUE:,} among {BIG:,}: two databases on the same "
        "server,",
        f"loaded alike except for the second's {BIG - SMALL:,} more cases, whose clocks are not due. Each case has "
        "its lead",
        "department's assignment, a sign clock (stopped once signed) and a running handle or callback clock.",
        f"The two are swept in turn, in alternating order ({WARMUP} untimed rounds, then {RUNS} timed ones; median "
        "and slowest shown), so that",
        "whatever else the machine is doing weighs on both alike. Before each sweep the due clocks are made due",
        "again, what the last sweep wrote is deleted and `VACUUM ANALYZE` runs (as autovacuum would between two",
        f"sweeps a minute apart). One sweep records every warning and breach in batches of {sweep.BATCH} (a "
        "transaction each),",
        "writes a notification to every staff member and head of the clock's department (warnings and breaches",
        f"of department clocks; {r.staff} people in all: the demo city's one per department and "
        f"{STAFF_PER_DEPARTMENT + 1} more) and to each",
        f"of the {r.supervisors} supervisor(s) (breaches), and an outbox job for each breach that sets something "
        "going (督办 of a",
        "late department, closing an unanswered callback).", "",
        "| open cases | clocks in the table | running | sweep p50 ms | max ms | warnings, breaches | "
        f"notifications, jobs written | × {SMALL:,} |",
        "|---:|---:|---:|---:|---:|---|---|---:|",
    ]
    for s in r.sizes:
        lines.append(f"| {s.cases:,} | {s.clocks:,} | {s.running:,} | {s.median_ms:.1f} | {s.max_ms:.1f} "
                     f"| {s.tally[0]}, {s.tally[1]} | {s.written[0]:,}, {s.written[1]:,} "
                     f"| {s.median_ms / small.median_ms:.2f} |")
    verdict = "under" if big.max_ms < 1000 else "OVER"
    lines += [
        "",
        f"- Ratio {big.cases:,} / {small.cases:,} open cases: **{r.ratio:.2f}**; the slowest sweep at "
        f"{big.cases:,} took {big.max_ms:.0f} ms ({verdict} one second).",
        f"- Loading took {small.load_seconds:.1f} s for {small.cases:,} cases and {big.load_seconds:.1f} s for "
        f"{big.cases:,} (INSERT … SELECT generate_series, then VACUUM ANALYZE).",
        "", f"The due query at {big.cases:,} open cases (`sweep.due`, EXPLAIN ANALYZE, first batch): an index range "
        "on `next_at`,", "reading only the clocks that are due:", "", "```", *big.plan, "```", "",
        "Where the index range reads more entries than there are due clocks, the others are earlier versions of",
        "the rows the previous sweeps updated: PostgreSQL (14 and later) leaves them in the index until the pages",
        "with dead rows reach 2% of the table, so a big table keeps them longer than a small one.", "",
    ]
    return lines


def write_section(lines: list[str], title: str = SECTION) -> None:
    """Replace the section headed `title` of docs/benchmarks.md (or add it at the end), leaving the rest."""
    from bench.report import DOC

    old = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    start = old.find(title)
    if start < 0:
        head, tail = old.rstrip() + "\n\n", ""
    else:
        end = old.find("\n## ", start + len(title))
        head, tail = old[:start], ("" if end < 0 else old[end + 1:])
    DOC.write_text(head + "\n".join(lines).rstrip() + "\n" + ("\n" + tail if tail else ""), encoding="utf-8")


def main() -> int:
    import logging

    from bench.targets import postgres_server

    logging.basicConfig(level=logging.WARNING)
    server, skipped = postgres_server()
    if not server:
        print(f"the sweep benchmark needs PostgreSQL: {skipped}", file=sys.stderr)
        return 1
    result = bench(server)
    lines = section(result)
    write_section(lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
