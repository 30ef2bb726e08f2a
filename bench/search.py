"""Benchmark 2: the case list (cases.search) with 20,000 cases in the table, against the same with 200."""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import event, func, select

from bench import dataset
from bench.timing import repeat
from hotline.clock import now
from hotline.extensions import db
from hotline.models import Assignment, Case, Person, User
from hotline.services import cases

BIG, SMALL = 100_000, 1_000
RUNS, WARMUP = 20, 3
STAFF = "cgw-staff"  # 市城管委: one of the departments the cases are spread over


@dataclass
class SearchResult:
    medians: dict[str, dict[int, float]] = field(default_factory=dict)  # query → cases in table → median ms
    hits: dict[str, dict[int, int]] = field(default_factory=dict)  # query → cases in table → rows on page 1
    plans: dict[str, list[str]] = field(default_factory=dict)  # query → the database's plan, at BIG
    department_cases: int = 0
    phone: str = ""


def bench(seed: int = 20261128) -> SearchResult:
    rng = random.Random(seed)  # noqa: S311  (repeatable made-up data, not secrets)
    dataset.clear()
    month = dataset.generate(rng, BIG, now())
    small, rest = dataset.split(rng, month, SMALL)
    person_ids: dict[int, int] = {}
    dataset.load(month, small, person_ids)

    result = SearchResult()
    caller = next(c["person"] for c in small if c["person"] is not None)
    result.phone = month.persons[caller]["phone"].removeprefix("+86")  # as an operator types it
    queries = _queries(result.phone)
    _measure(queries, SMALL, result)
    dataset.load(month, rest, person_ids)
    _measure(queries, BIG, result)
    result.plans = {name: _plan(call) for name, call in queries.items()}
    staff = db.session.scalar(select(User).where(User.username == STAFF))
    result.department_cases = db.session.scalar(
        select(func.count()).select_from(Assignment).where(Assignment.department_id == staff.department_id))
    db.session.remove()
    return result


def _queries(phone: str) -> dict[str, Callable[[], list]]:
    operator = db.session.scalar(select(User).where(User.username == "operator")).actor
    staff = db.session.scalar(select(User).where(User.username == STAFF)).actor
    db.session.remove()
    def page(actor, **filters):
        return lambda: cases.search(db.session, actor, cases.CaseFilter(**filters))[0]

    def tab_counts():
        return list(cases.counts(db.session, staff, cases.TABS, now(), "tab").items())

    return {
        "centre, page 1, no filter": page(operator),
        "centre, caller's phone": page(operator, q=phone),
        "centre, dispatch queue": page(operator, queue="dispatch"),
        "centre, overdue queue": page(operator, queue="overdue"),
        "centre, replies to review": page(operator, queue="review"),
        f"department ({STAFF}), page 1": page(staff),
        f"department ({STAFF}), 待签收 tab": page(staff, tab="pending"),
        f"department ({STAFF}), 已超期 tab, due first": page(staff, tab="overdue", sort="due"),
        f"department ({STAFF}), the five tab counts": tab_counts,
    }


def _measure(queries: dict[str, Callable[[], list]], size: int, result: SearchResult) -> None:
    assert db.session.scalar(select(func.count()).select_from(Case)) == size
    assert db.session.scalar(select(func.count()).select_from(Person)) > 0
    db.session.remove()
    for name, call in queries.items():
        series = repeat(call, RUNS, WARMUP, db.session.remove)  # a fresh session per run, as per request
        result.medians.setdefault(name, {})[size] = series.p50_ms
        result.hits.setdefault(name, {})[size] = len(call())
        db.session.remove()


def _plan(call: Callable[[], list]) -> list[str]:
    """The plan of the first statement the call sends (the page query; the eager loads come after it)."""
    engine = db.engine
    seen: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
        db.session.remove()
    statement, parameters = next(s for s in seen if "FROM cases" in s[0])
    postgres = engine.dialect.name == "postgresql"
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(("EXPLAIN " if postgres else "EXPLAIN QUERY PLAN ") + statement, parameters)
        return [row[0] if postgres else row[-1] for row in rows]
