"""Benchmark 10.1: `GET /open311/v2/requests` at a big city's scale.

1,000,000 work orders over 180 days (bench/open311_data.py) in a PostgreSQL database of its own; the default
90-day window, newest first, answers 1,000 records. Through the Flask test client, in turn in one loop: the first
read (no PublicText rows for the page: every shown text redacted now and kept), the read with the texts kept, a
baseline of the same query and the same 1,000 cases with no text shown at all (the page's cases treated as if
none had come through Open311 nor been published: `_source` answers None, as it does for a phone case), the same
page as XML, one request by `service_request_id`, and a `service_code` filter. Then the statements' plans, and
redaction alone on the texts of 1,000 Open311 requests.
`python -m bench.open311` runs it alone and rewrites its part of docs/benchmarks.md; `make bench` runs it too.
"""
# ruff: noqa: S608 (the SQL is assembled from this file's own constants and integer ids, never from input)
from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree import ElementTree  # noqa: S405 (our own answer, parsed to count it)

from sqlalchemy import event, func, select, text

from bench import open311_data as data
from bench.section10 import load, p, run_alone
from bench.targets import _app
from hotline.clock import now
from hotline.domain import open311 as spec
from hotline.domain.redact import redact
from hotline.extensions import db
from hotline.models import Area, Case, Category, Department
from hotline.services import locate, open311_requests

RUNS, WARMUP = 15, 3
DATABASE = "hotline_bench_open311"
PART = "### 10.1 Open311 `GET requests` at a big city's scale"
LIST = "/open311/v2/requests"
FIRST, KEPT, NONE, XML, ONE, CODE = ("first read: texts redacted now", "texts kept (PublicText rows)",
                                     "no texts shown (baseline)", "XML, texts kept", "one `service_request_id`",
                                     "`service_code` filter")
CODE_IDS = "`service_code` filter, category ids looked up first (experiment)"
VARIANTS = (FIRST, KEPT, NONE, XML, ONE, CODE, CODE_IDS)


@dataclass
class Result:
    version: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    load_seconds: float = 0.0
    samples: dict[str, list[float]] = field(default_factory=lambda: {v: [] for v in VARIANTS})
    records: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # variant → records, with texts, bytes
    same_cases: bool = False
    code: str = ""
    statements: dict[str, list[float]] = field(default_factory=dict)  # the list's statements alone
    plans: dict[str, list[str]] = field(default_factory=dict)
    redact_texts: list[float] = field(default_factory=list)  # seconds per text
    redact_records: int = 0
    load: list[float] = field(default_factory=list)


@contextmanager
def _database(server: str) -> Iterator[object]:
    """The app on a database of its own, `hotline_bench_open311`, dropped afterwards (and before: a killed run)."""
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


def _vacuum(*tables: str) -> None:
    db.session.remove()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM ANALYZE {', '.join(tables)}")


def _streets() -> list[tuple[int, float, float]]:
    """A point inside each street's outline (the demo city's boundaries), so each case's point is in its street."""
    index = locate.outlines(db.session)
    streets = {a.id for a in db.session.scalars(select(Area).where(Area.level == 2, Area.active.is_(True)))}
    out = []
    for outline in index.outlines:
        if outline.key in streets:
            point = outline.shape.representative_point()
            out.append((outline.key, point.y, point.x))
    return sorted(out)


def _load(r: Result, at: datetime) -> None:
    started = time.perf_counter()
    departments = list(db.session.scalars(select(Department.id).where(Department.code != "centre")
                                          .order_by(Department.id)))
    categories = list(db.session.scalars(select(Category.id).where(Category.level == 2, Category.active.is_(True))
                                         .order_by(Category.id)))
    streets = _streets()
    if not streets:
        sys.exit("bench/open311.py: the demo city has no street boundaries (hotline/seed/demo_geo.py)")
    data.load(at, departments, categories, streets)
    _vacuum("cases", "case_event", "person", "publication", "public_text")
    r.load_seconds = time.perf_counter() - started
    for table in ("cases", "case_event", "publication"):
        r.counts[table] = db.session.scalar(text(f"SELECT count(*) FROM {table}"))
    r.counts["open311"] = db.session.scalar(text("SELECT count(*) FROM cases WHERE channel = 'open311'"))
    r.counts["categories"], r.counts["streets"] = len(categories), len(streets)
    # the filter's code: the category of the newest case, a code a client would ask for
    r.code = db.session.scalar(select(Category.code).join(Case, Case.category_id == Category.id)
                               .order_by(Case.received_at.desc()).limit(1))
    r.version = str(db.session.scalar(text("SHOW server_version"))).split(" ")[0]
    db.session.remove()
    print(f"  {r.counts['cases']:,} cases loaded in {r.load_seconds:.0f} s", flush=True)


def _find_ids_first(session, query: open311_requests.Query) -> list[Case]:
    """An experiment: `open311_requests.find` with the service codes turned into category ids by a query of their
    own first, so the page's statement filters `category_id IN (ids)` — which ix_case_category_received (category_id,
    received_at) serves — instead of a join to `category` on the code. The rest as `find` has it."""
    if not query.codes or query.ids:
        return _REAL_FIND(session, query)
    ids = list(session.scalars(select(Category.id).where(Category.code.in_(query.codes))))
    where = [Case.track == "hotline", Case.category_id.in_(ids or [-1])]
    if query.window is not None:
        where += [Case.received_at >= query.window.start, Case.received_at <= query.window.end]
    if query.statuses:
        return _REAL_FIND(session, query)  # not needed here: the bench's filter names no status
    return list(session.scalars(select(Case).where(*where).options(*open311_requests._loaded())
                                .order_by(Case.received_at.desc(), Case.id.desc()).limit(spec.MAX_RECORDS)).unique())


_REAL_FIND = open311_requests.find


@contextmanager
def _ids_first() -> Iterator[None]:
    open311_requests.find = _find_ids_first
    try:
        yield
    finally:
        open311_requests.find = _REAL_FIND


@contextmanager
def _no_texts() -> Iterator[None]:
    real = open311_requests._source
    open311_requests._source = lambda case, publication: None
    try:
        yield
    finally:
        open311_requests._source = real


def _urls(r: Result, one: str) -> dict[str, str]:
    return {FIRST: f"{LIST}.json", KEPT: f"{LIST}.json", NONE: f"{LIST}.json", XML: f"{LIST}.xml",
            ONE: f"{LIST}.json?service_request_id={one}", CODE: f"{LIST}.json?service_code={r.code}",
            CODE_IDS: f"{LIST}.json?service_code={r.code}"}


def _forget_page(ids: list[int]) -> None:
    db.session.execute(text(f"DELETE FROM public_text WHERE case_id IN ({','.join(map(str, ids))})"))
    db.session.commit()
    db.session.remove()


def _get(client, url: str, variant: str) -> bytes:
    if variant == NONE:
        with _no_texts():
            response = client.get(url)
    elif variant == CODE_IDS:
        with _ids_first():
            response = client.get(url)
    else:
        response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"bench/open311.py: {url} answered {response.status_code}: {response.get_data(as_text=True)[:300]}")
    return response.get_data()


def _shape(body: bytes, url: str) -> tuple[list[str], int]:
    """The request ids and how many records carry a text (JSON; XML counted by its elements)."""
    if ".xml" in url:
        records = [{e.tag: e.text for e in request} for request in ElementTree.fromstring(body)]  # noqa: S314
    else:
        records = json.loads(body)
    return [x["service_request_id"] for x in records], sum(1 for x in records if x["description"] or x["status_notes"])


def _reads(app, r: Result) -> None:
    client = app.test_client()
    page = json.loads(client.get(f"{LIST}.json").get_data())
    numbers = [x["service_request_id"] for x in page]
    with app.app_context():
        ids = list(db.session.scalars(select(Case.id).where(Case.number.in_(numbers))))
        db.session.remove()
    urls = _urls(r, numbers[len(numbers) // 2])
    seen: dict[str, list[str]] = {}
    for i in range(WARMUP + RUNS):
        for variant in VARIANTS if i % 2 else VARIANTS[::-1]:
            if variant == FIRST:
                with app.app_context():
                    _forget_page(ids)
            started = time.perf_counter()
            body = _get(client, urls[variant], variant)
            if i >= WARMUP:
                r.samples[variant].append(time.perf_counter() - started)
            if i == 0:
                got, texts = _shape(body, urls[variant])
                seen[variant] = got
                r.records[variant] = (len(got), texts, len(body))
    r.same_cases = seen[FIRST] == seen[KEPT] == seen[NONE] and len(seen[NONE]) == len(seen[XML])
    if seen[CODE] != seen[CODE_IDS]:
        sys.exit("bench/open311.py: the service_code experiment answered other requests than the real filter")
    print("  " + "; ".join(f"{v} p50 {p(s, 50):.0f} ms" for v, s in r.samples.items()), flush=True)


def _statements(client, url: str) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []

    def listen(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    return seen


def _explain(statement: str, parameters) -> list[str]:
    cursor = db.session.connection().connection.cursor()
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) " + statement, parameters)
    lines = [row[0] for row in cursor.fetchall()]
    db.session.rollback()
    return lines


def _plans(app, r: Result) -> None:
    """The statements of the list (and of the code filter) EXPLAINed, and timed alone through the driver."""
    client = app.test_client()
    with app.app_context():
        listed = _statements(client, f"{LIST}.json")
        coded = _statements(client, f"{LIST}.json?service_code={r.code}")
        with _ids_first():
            experiment = _statements(client, f"{LIST}.json?service_code={r.code}")
        picks = {
            "the page (cases, window, newest first, LIMIT 1000)": (listed, "FROM cases"),
            "last change per case (case_event max(at))": (listed, "max(case_event.at)"),
            "the first event's data (case_event seq 1)": (listed, "case_event.seq"),
            "published texts (publication)": (listed, "FROM publication"),
            "kept texts (public_text)": (listed, "FROM public_text"),
            f"the page, service_code={r.code}": (coded, "FROM cases"),
            f"the page, service_code={r.code}, category ids looked up first (experiment)": (experiment, "FROM cases"),
        }
        for name, (statements, marker) in picks.items():
            found = next((s for s in statements if marker in s[0]), None)
            if found is None:
                continue
            r.plans[name] = _explain(*found)
            samples = r.statements.setdefault(name, [])
            for i in range(WARMUP + RUNS):
                cursor = db.session.connection().connection.cursor()
                started = time.perf_counter()
                cursor.execute(*found)
                cursor.fetchall()
                if i >= WARMUP:
                    samples.append(time.perf_counter() - started)
                db.session.remove()


def _redaction(app, r: Result) -> None:
    """redact() alone on the question and answer of the 1,000 newest Open311 requests, with their names and
    places, as `open311_requests._redacted` calls it."""
    with app.app_context():
        rows = db.session.execute(text("""
            SELECT c.description, c.reply_text, p.name, c.location_text FROM cases c JOIN person p ON p.id = c.person_id
            WHERE c.channel = 'open311' ORDER BY c.received_at DESC LIMIT 1000""")).all()
        db.session.remove()
    r.redact_records = len(rows)
    redact("预热", (), ())  # the name finder's dictionary loads on first use; a worker pays that once
    for question, answer, name, place in rows:
        for body in (question, answer):
            if body:
                started = time.perf_counter()
                redact(body, (name,), (place,))
                r.redact_texts.append(time.perf_counter() - started)


def bench(server: str, at: datetime | None = None) -> Result:
    at, r = at or now(), Result(load=[load()])
    with _database(server) as app:
        app.config["HOTLINE_RATE_OPEN311_READ"] = "1000000 per minute"  # the bench reads from one address
        with app.app_context():
            _load(r, at)
        _reads(app, r)
        _plans(app, r)
        _redaction(app, r)
        with app.app_context():
            r.counts["public_text"] = db.session.scalar(select(func.count()).select_from(text("public_text")))
            db.session.remove()
    r.load.append(load())
    return r


def main() -> int:
    from bench.open311_report import section

    return run_alone(bench, section, needs_postgres=True)


if __name__ == "__main__":
    sys.exit(main())
