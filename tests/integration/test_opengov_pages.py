"""The open-government pages, for anyone without signing in: every figure they publish (pages and CSV) equals an
independent count of the raw cases; they read the rollup, never the cases; they change once the rollup has run
after a case changed; and they are cheap to ask again."""
from __future__ import annotations

import csv
import io
import re
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, select

from hotline.domain import kpis
from hotline.extensions import db
from hotline.models import Area, AssessmentPolicy, Category, Department
from hotline.services import rollup
from tests.integration.lifecycle_helpers import TZ, step
from tests.integration.opengov_helpers import build_history, expected_figures, month_start

DIMENSIONS = {"department": Department, "category": Category, "district": Area}
WEIGHTS = {"on_time_sign": 10, "on_time_completion": 20, "response": 20, "resolution": 25, "satisfaction": 25}


def roll(app, now=None):
    with app.app_context():
        rollup.run(db.session, now or datetime.now(UTC), TZ)


def english(client):
    client.get("/language/en")


def read_csv(response) -> tuple[list[str], list[list[str]]]:
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the Chinese names only with the byte-order mark
    rows = list(csv.reader(io.StringIO(text[1:])))
    return rows[0], rows[1:]


def by_hand(c: kpis.Counts) -> list:
    """The published columns, computed here from the counts alone: received, closed, the five rates in percent,
    the average handling time in hours, the overdue cases, the composite score."""
    def pct(part, whole):
        return round(100 * part / whole, 1) if whole else None
    rates = {"on_time_sign": pct(c.signed_on_time, c.sign_due),
             "on_time_completion": pct(c.completed_on_time, c.completion_due),
             "response": pct(c.responded, c.replied), "resolution": pct(c.resolved, c.rated),
             "satisfaction": pct(c.satisfied + c.basically, c.rated)}
    measured = {k: v for k, v in rates.items() if v is not None}
    score = (round(sum(WEIGHTS[k] * v for k, v in measured.items()) / sum(WEIGHTS[k] for k in measured), 1)
             if measured else None)
    return [c.received, c.closed, *rates.values(),
            round(c.handling_hours / c.replied, 1) if c.replied else None,
            c.completion_due - c.completed_on_time, score]


def cell(text: str):
    return None if text == "" else float(text)


def test_every_published_figure_equals_an_independent_count(app, client):
    build_history(app)
    now = datetime.now(UTC)
    roll(app, now)
    expected = expected_figures(app, now)
    english(client)
    checked = 0
    for back in range(3):
        month = month_start(now, back).date()
        for dimension, model in DIMENSIONS.items():
            response = client.get(f"/open/figures/{dimension}.csv?month={month:%Y-%m}")
            assert response.status_code == 200
            header, rows = read_csv(response)
            assert header[:4] == ["Month", dict(department="Department", category="Subject",
                                                district="District")[dimension], "Code", "Cases received"]
            with app.app_context():
                ids = dict(db.session.execute(select(model.code, model.id)).all())
            published = {ids[row[2]]: row for row in rows}
            wanted = {key: c for (m, dim, key), c in expected.items() if m == month and dim == dimension}
            assert set(published) == set(wanted)
            for key, counts in wanted.items():
                row = published[key]
                assert row[0] == f"{month:%Y-%m}"
                hand = by_hand(counts)
                if dimension != "department":
                    hand = hand[:-1]  # only departments are scored
                assert [cell(v) for v in row[3:3 + len(hand)]] == hand, (dimension, key)
                checked += 1
        # the city's month as the overview shows it
        city = expected[(month, "city", 0)]
        page = client.get(f"/open/?month={month:%Y-%m}").get_data(as_text=True)
        tiles = dict(re.findall(r'og-label">([^<]+)</span><strong>([^<]+)</strong>', page))
        hand = by_hand(city)
        assert tiles["Cases received"] == str(hand[0]) and tiles["Cases closed"] == str(hand[1])
        assert tiles["Cases overdue"] == str(hand[8])
        for name, value in zip(("Signed for on time", "Completed on time", "Response rate", "Resolution rate",
                                "Satisfaction rate"), hand[2:7], strict=True):
            assert tiles[name] == ("—" if value is None else f"{value:.1f}%"), name
    assert checked >= 12


def test_the_red_and_black_lists_follow_the_published_formula(app, client):
    build_history(app)
    now = datetime.now(UTC)
    with app.app_context():
        policy = kpis.Policy(min_cases=1, list_size=2)
        db.session.add(AssessmentPolicy(settings=policy.to_json(), created_at=now))
        db.session.commit()
    roll(app, now)
    english(client)
    month = month_start(now, 2).date()  # the month with four departments' cases
    departments = {k: c for (m, dim, k), c in expected_figures(app, now).items()
                   if m == month and dim == "department" and c.received >= 1}
    scored = sorted(((by_hand(c)[-1], c.received, k) for k, c in departments.items() if by_hand(c)[-1] is not None),
                    key=lambda s: (-s[0], -s[1], s[2]))
    red = [k for _, _, k in scored[:2]]
    black = [k for _, _, k in sorted(scored[2:], key=lambda s: (s[0], -s[1], s[2]))[:2]]
    header, rows = read_csv(client.get(f"/open/rankings.csv?month={month:%Y-%m}"))
    with app.app_context():
        codes = {d.id: d.code for d in db.session.scalars(select(Department))}
    assert [(r[1], r[4]) for r in rows] == [("Red list", codes[k]) for k in red] + \
        [("Black list", codes[k]) for k in black]
    page = client.get(f"/open/?month={month:%Y-%m}").get_data(as_text=True)
    assert "10 × Signed for on time" in page and "25 × Satisfaction rate" in page  # the weights, as published
    assert "counts 1 and a case rated “basically satisfied” counts 1." in page


@contextmanager
def statements(app):
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, *args):
        seen.append(statement.lower())
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_the_public_pages_read_the_rollup_never_the_cases(app, client):
    build_history(app)
    roll(app)
    with app.app_context():
        key = db.session.scalar(select(Department.id).where(Department.code == "cgw"))
    urls = ["/open/", "/open/figures/department", "/open/figures/category", "/open/figures/district",
            f"/open/figures/department/{key}", "/open/figures/department.csv", "/open/figures/city.csv",
            f"/open/figures/department/{key}.csv", "/open/rankings.csv", "/open/questions", "/open/questions?q=噪音"]
    with statements(app) as seen:
        for url in urls:
            assert client.get(url).status_code == 200, url
    assert seen
    assert not [s for s in seen if re.search(r"\b(from|join) (cases|assignment|person|case_event)\b", s)]


def test_the_page_moves_once_the_rollup_has_counted_a_changed_case(app, client):
    cases = build_history(app)
    roll(app)
    english(client)
    month = month_start(datetime.now(UTC), 0).date()

    def closed_now() -> str:
        page = client.get(f"/open/?month={month:%Y-%m}").get_data(as_text=True)
        return dict(re.findall(r'og-label">([^<]+)</span><strong>([^<]+)</strong>', page))["Cases closed"]

    assert closed_now() == "0"
    number = cases["recent"]
    step(app, number, "cgw-staff", "sign")
    step(app, number, "cgw-staff", "reply", text="已处理", resolved=True, contact="phone")
    step(app, number, "dispatcher", "review-reply", decision="approve")
    step(app, number, "operator", "callback", satisfaction="satisfied", resolved=True)
    assert closed_now() == "0"  # the page shows the figures as last counted
    roll(app)
    assert closed_now() == "1"


def test_anyone_may_read_them_cheaply_and_bad_addresses_are_not_found(app, client):
    assert client.get("/open/").status_code == 200  # nothing counted yet: an empty page, not an error
    assert client.get("/open/figures/department.csv").status_code == 404
    build_history(app)
    roll(app)
    first = client.get("/open/figures/category")
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache" and first.headers["ETag"]
    again = client.get("/open/figures/category", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    csv_response = client.get("/open/figures/category.csv")
    assert csv_response.mimetype == "text/csv" and "attachment" in csv_response.headers["Content-Disposition"]
    with app.app_context():
        unused = db.session.scalar(select(Department.id).where(Department.code == "rqjt"))
    for url in ("/open/?month=2026-13", "/open/?month=soon", "/open/figures/nonsense", "/open/figures/city",
                f"/open/figures/department/{unused}", "/open/figures/department/999999",
                f"/open/figures/department/{unused}.csv", "/open/questions/999999"):
        assert client.get(url).status_code == 404, url


def test_a_visitor_asking_too_often_is_slowed_down(app, client):
    app.config["HOTLINE_RATE_OPEN"] = "3 per minute"
    try:
        codes = [client.get(url).status_code for url in ("/open/", "/open/questions", "/open/figures/district",
                                                         "/open/figures/district.csv")]
    finally:
        del app.config["HOTLINE_RATE_OPEN"]
    assert codes[:3] == [200, 200, 200] and codes[3] == 429  # one budget over every open page


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("who", [None, "cgw-staff", "operator", "supervisor"])
def test_the_header_links_to_the_open_pages_for_everyone(app, client, lang, who):
    from tests.helpers import login

    client.get(f"/language/{lang}")
    if who:
        login(client, who)
    assert 'href="/open/"' in client.get("/open/").get_data(as_text=True)
