"""What the open-government pages publish (政务公开), read from the monthly figures alone: a page never counts
raw cases, so it costs the same with a thousand cases or millions. The rates, the scores and the red and black
lists are computed from the counts under the assessment policy in force (hotline.domain.kpis)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.domain import kpis
from hotline.models import Area, Category, Department, MonthlyFigure, RollupState
from hotline.services import rollup

PUBLISHED = ("department", "category", "district")  # the tables, besides the city as a whole
TREND_MONTHS = 12
_NAMED = {"department": Department, "category": Category, "district": Area}


@dataclass(frozen=True)
class Line:
    """One row of a published table: a department, category or district (or the city, key 0) in one month."""
    key: int
    counts: kpis.Counts
    rates: dict[str, float | None]
    average_hours: float | None
    score: float | None

    @property
    def overdue(self) -> int:
        return self.counts.overdue


def line(key: int, counts: kpis.Counts, policy: kpis.Policy) -> Line:
    return Line(key, counts, kpis.rates(counts, policy), kpis.average_handling_hours(counts),
                kpis.score(counts, policy))


def _counts(row: MonthlyFigure) -> kpis.Counts:
    return kpis.Counts(**{name: getattr(row, name) for name in rollup.FIELDS})


def months(session: Session) -> list[date]:
    """The months with published figures, newest first."""
    return list(session.scalars(select(MonthlyFigure.month).where(MonthlyFigure.dimension == "city")
                                .distinct().order_by(MonthlyFigure.month.desc())))


def default_month(available: list[date], current: date) -> date | None:
    """The last whole month when there is one (a month is published once it is over, like Beijing's monthly
    report); the current month so far when it is all there is."""
    finished = [m for m in available if m < current]
    return finished[0] if finished else (available[0] if available else None)


def figures(session: Session, month: date, dimension: str) -> dict[int, kpis.Counts]:
    rows = session.scalars(select(MonthlyFigure).where(MonthlyFigure.month == month,
                                                       MonthlyFigure.dimension == dimension))
    return {row.key_id: _counts(row) for row in rows}


def table(session: Session, month: date, dimension: str, policy: kpis.Policy) -> list[Line]:
    """Every key with cases in the month, most cases first."""
    found = figures(session, month, dimension)
    return sorted((line(key, counts, policy) for key, counts in found.items()),
                  key=lambda r: (-r.counts.received, r.key))


def city(session: Session, month: date, policy: kpis.Policy) -> Line:
    return line(0, figures(session, month, "city").get(0, kpis.Counts()), policy)


def series(session: Session, dimension: str, key: int, last: date, policy: kpis.Policy,
           count: int = TREND_MONTHS) -> list[tuple[date, Line]]:
    """The `count` months up to `last`, oldest first; a month without cases is a line of zeros."""
    wanted = kpis.months(_months_before(last, count - 1), last)
    rows = session.scalars(select(MonthlyFigure).where(
        MonthlyFigure.dimension == dimension, MonthlyFigure.key_id == key,
        MonthlyFigure.month >= wanted[0], MonthlyFigure.month <= last))
    found = {row.month: _counts(row) for row in rows}
    return [(m, line(key, found.get(m, kpis.Counts()), policy)) for m in wanted]


def _months_before(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Ranking:
    red: list[Line]
    black: list[Line]
    ranked: int  # how many departments had enough cases to be ranked


def ranking(session: Session, month: date, policy: kpis.Policy) -> Ranking:
    """红榜 and 黑榜 of the month: the departments' composite scores, best and worst (kpis.red_and_black)."""
    found = figures(session, month, "department")
    red, black = kpis.red_and_black(found, policy)
    eligible = sum(1 for c in found.values() if c.received >= max(policy.min_cases, 1)
                   and kpis.score(c, policy) is not None)
    return Ranking([line(r.key, found[r.key], policy) for r in red],
                   [line(r.key, found[r.key], policy) for r in black], eligible)


def named(session: Session, dimension: str, keys) -> dict[int, object]:
    """The department, category or district behind each key, in one query."""
    keys = [k for k in set(keys) if k]
    if not keys or dimension not in _NAMED:
        return {}
    model = _NAMED[dimension]
    return {thing.id: thing for thing in session.scalars(select(model).where(model.id.in_(keys)))}


def exists(session: Session, dimension: str, key: int) -> bool:
    """A key the public may look up: one that has ever had published figures."""
    return session.scalar(select(MonthlyFigure.id).where(MonthlyFigure.dimension == dimension,
                                                         MonthlyFigure.key_id == key).limit(1)) is not None


def counted_until(session: Session) -> datetime | None:
    """When the figures were last brought up to date."""
    return session.scalar(select(RollupState.counted_until).where(RollupState.name == rollup.STATE))


def policy(session: Session) -> kpis.Policy:
    return rollup.policy_in_force(session)[1]
