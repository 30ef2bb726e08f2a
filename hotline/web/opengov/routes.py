"""The published figures: the city's month, its trends, the red and black lists with their formula, the tables
by department, subject and district, one department's (subject's, district's) trend, and a CSV of each table.
Everything here is read from the monthly rollup (hotline.services.opengov), never from the cases."""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, render_template
from flask_babel import gettext as _

from hotline.clock import local
from hotline.domain import kpis
from hotline.extensions import db
from hotline.services import opengov
from hotline.web import labels
from hotline.web.opengov import bp, charts, words
from hotline.web.opengov.public import cached, csv_download, current_month, limited, month_arg

DIMENSIONS = "department,category,district"


def _context(month: date | None, available: list[date]) -> dict:
    stamp = opengov.counted_until(db.session)
    return {"month": month, "months": available, "words": words, "name": labels.name, "current": current_month(),
            "updated": local(stamp, current_app.config["HOTLINE_TIMEZONE"]) if stamp else None}


def _month(available: list[date]) -> date | None:
    return month_arg(opengov.default_month(available, current_month()))


def trend_charts(ident: str, trend: list[tuple[date, opengov.Line]]) -> dict:
    ticks = [words.month_tick(m) for m, _line in trend]
    long = [words.month_label(m) for m, _line in trend]
    years = words.year_ticks([m for m, _line in trend])
    volume = charts.bars(
        f"{ident}-volume", _("Cases received and closed, by month"),
        _("Bars for the %(n)d months to %(month)s: cases received, and of those the cases closed.",
          n=len(trend), month=long[-1]), ticks,
        [charts.Series(str(words.MEASURE["received"]), [row.counts.received for _month, row in trend]),
         charts.Series(str(words.MEASURE["closed"]), [row.counts.closed for _month, row in trend])], long, years)
    rates = charts.lines(
        f"{ident}-rates", _("Response, resolution and satisfaction rates (三率), by month"),
        _("Lines for the %(n)d months to %(month)s, from 0 to 100 percent; a month with nothing rated has no "
          "point.", n=len(trend), month=long[-1]), ticks,
        [charts.Series(str(words.MEASURE[name]), [row.rates[name] for _month, row in trend])
         for name in kpis.THREE_RATES], long, years)
    return {"volume": volume, "rates": rates}


@bp.get("/")
@limited
def index():
    available = opengov.months(db.session)
    month = _month(available)
    policy = opengov.policy(db.session)
    page = _context(month, available)
    if month not in available:  # nothing counted yet, or a month without cases
        return cached(render_template("opengov/index.html", city=None, **page))
    trend = opengov.series(db.session, "city", 0, month, policy)
    ranking = opengov.ranking(db.session, month, policy)
    names = opengov.named(db.session, "department", [r.key for r in ranking.red + ranking.black])
    return cached(render_template(
        "opengov/index.html", city=opengov.city(db.session, month, policy), trend=trend,
        charts=trend_charts("city", trend), ranking=ranking, names=names, policy=policy, **page))


@bp.get(f"/figures/<any({DIMENSIONS}):dimension>")
@limited
def table(dimension: str):
    available = opengov.months(db.session)
    month = _month(available)
    policy = opengov.policy(db.session)
    rows = opengov.table(db.session, month, dimension, policy) if month else []
    return cached(render_template(
        "opengov/table.html", dimension=dimension, rows=[(r.key, r) for r in rows], policy=policy,
        names=opengov.named(db.session, dimension, [r.key for r in rows]), **_context(month, available)))


def _thing(dimension: str, key: int):
    thing = opengov.named(db.session, dimension, [key]).get(key)
    if thing is None or not opengov.exists(db.session, dimension, key):
        abort(404)  # only what has figures: the page never tells which departments exist otherwise
    return thing


@bp.get(f"/figures/<any({DIMENSIONS}):dimension>/<int:key>")
@limited
def detail(dimension: str, key: int):
    thing = _thing(dimension, key)
    available = opengov.months(db.session)
    month = _month(available) or current_month()
    policy = opengov.policy(db.session)
    trend = opengov.series(db.session, dimension, key, month, policy)
    return cached(render_template(
        "opengov/detail.html", dimension=dimension, key=key, thing=thing, trend=trend, policy=policy,
        charts=trend_charts(f"{dimension}-{key}", trend), **_context(month, available)))


# The CSV columns: what the tables show, then the counts every rate is computed from, so anyone can check them.
RATE_COLUMNS = ("received", "closed", *kpis.RATES, "average_hours", "overdue")
COUNT_COLUMNS = tuple(words.COUNT)


def _header(first: list[str], scored: bool) -> list[str]:
    rates = [str(words.MEASURE[c]) + (" (%)" if c in kpis.RATES else "") for c in RATE_COLUMNS]
    rates[RATE_COLUMNS.index("average_hours")] = _("Average handling time (hours)")
    return [*first, *rates, *([str(words.MEASURE["score"])] if scored else []),
            *(str(words.COUNT[c]) for c in COUNT_COLUMNS)]


def _values(row: opengov.Line, scored: bool) -> list:
    def rate(value):
        return "" if value is None else round(100 * value, 1)
    values = [row.counts.received, row.counts.closed, *(rate(row.rates[r]) for r in kpis.RATES),
              "" if row.average_hours is None else round(row.average_hours, 1), row.overdue]
    if scored:
        values.append("" if row.score is None else round(row.score, 1))
    return values + [getattr(row.counts, c) for c in COUNT_COLUMNS]


def _code(thing) -> str:
    return getattr(thing, "code", "") if thing is not None else ""


@bp.get(f"/figures/<any({DIMENSIONS}):dimension>.csv")
@limited
def table_csv(dimension: str):
    month = _month(opengov.months(db.session))
    if month is None:
        abort(404)
    policy = opengov.policy(db.session)
    rows = opengov.table(db.session, month, dimension, policy)
    names = opengov.named(db.session, dimension, [r.key for r in rows])
    scored = dimension == "department"
    body = [[month.strftime("%Y-%m"), labels.name(names.get(r.key)), _code(names.get(r.key)), *_values(r, scored)]
            for r in rows]
    header = _header([_("Month"), str(words.DIMENSION[dimension]), _("Code")], scored)
    return csv_download(f"12345-{dimension}-{month:%Y-%m}.csv", header, body)


def _series_csv(filename: str, trend, scored: bool):
    body = [[m.strftime("%Y-%m"), *_values(row, scored)] for m, row in trend]
    return csv_download(filename, _header([_("Month")], scored), body)


@bp.get("/figures/city.csv")
@limited
def city_csv():
    month = _month(opengov.months(db.session)) or current_month()
    trend = opengov.series(db.session, "city", 0, month, opengov.policy(db.session))
    return _series_csv(f"12345-city-to-{month:%Y-%m}.csv", trend, False)


@bp.get(f"/figures/<any({DIMENSIONS}):dimension>/<int:key>.csv")
@limited
def detail_csv(dimension: str, key: int):
    thing = _thing(dimension, key)
    month = _month(opengov.months(db.session)) or current_month()
    trend = opengov.series(db.session, dimension, key, month, opengov.policy(db.session))
    return _series_csv(f"12345-{dimension}-{_code(thing) or key}-to-{month:%Y-%m}.csv", trend,
                       dimension == "department")


@bp.get("/rankings.csv")
@limited
def rankings_csv():
    month = _month(opengov.months(db.session))
    if month is None:
        abort(404)
    policy = opengov.policy(db.session)
    ranking = opengov.ranking(db.session, month, policy)
    names = opengov.named(db.session, "department", [r.key for r in ranking.red + ranking.black])
    body = [[month.strftime("%Y-%m"), str(which), place, labels.name(names.get(r.key)), _code(names.get(r.key)),
             *_values(r, True)]
            for which, rows in ((_("Red list"), ranking.red), (_("Black list"), ranking.black))
            for place, r in enumerate(rows, 1)]
    header = _header([_("Month"), _("List"), _("Rank"), str(words.DIMENSION["department"]), _("Code")], True)
    return csv_download(f"12345-rankings-{month:%Y-%m}.csv", header, body)
