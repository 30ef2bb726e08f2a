"""Performance measures (DOMAIN.md §7): what is counted, how the rates follow from the counts, and how the
monthly red and black lists (红榜/黑榜) are drawn. Beijing assesses 响应率、解决率、满意率 ("三率") monthly
and ranks units; Yulin publishes a top-5 / bottom-5 list.

Every count belongs to the month (local time) in which its case was received, so a month's figures settle as
its cases close and never move a case between months. The counts are kept in rollups by the workers; the
rates are computed from the counts under the centre's `Policy`, whose weights and exclusions are published
next to the figures.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date

# Each count, with what it counts. The SQL that counts them is hotline.services.measures, one definition for
# the rollup and the drill-down alike.
COUNTS: dict[str, str] = {
    "received": "cases received in the month",
    "closed": "of those, closed (办结)",
    "sign_due": "dispatches to the department whose sign deadline has passed or that were signed",
    "signed_on_time": "of those, signed by the sign deadline",
    "completion_due": "cases whose reply deadline has passed or that were answered",
    "completed_on_time": "of those, answered by the reply deadline (an approved extension counts)",
    "replied": "cases the lead department answered, the answer not sent back or redone since",
    "responded": "of those, answered after the department contacted the person (phone, visit or SMS)",
    "rated": "cases the person rated at the callback (回访)",
    "satisfied": "rated satisfied",
    "basically": "rated basically satisfied",
    "resolved": "rated resolved",
    "redone": "cases sent back for redo (重办) at least once",
    "handling_hours": "hours from receipt to the answer, summed over the cases answered",
}


@dataclass(frozen=True)
class Counts:
    received: int = 0
    closed: int = 0
    sign_due: int = 0
    signed_on_time: int = 0
    completion_due: int = 0
    completed_on_time: int = 0
    replied: int = 0
    responded: int = 0
    rated: int = 0
    satisfied: int = 0
    basically: int = 0
    resolved: int = 0
    redone: int = 0
    handling_hours: float = 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def overdue(self) -> int:
        """Answered late, or not answered and past the deadline (超期)."""
        return self.completion_due - self.completed_on_time

    def as_dict(self) -> dict:
        return asdict(self)


def total(counts: Iterable[Counts]) -> Counts:
    result = Counts()
    for c in counts:
        result = result + c
    return result


RATES = ("on_time_sign", "on_time_completion", "response", "resolution", "satisfaction")
THREE_RATES = ("response", "resolution", "satisfaction")  # 三率


@dataclass(frozen=True)
class Policy:
    """How the centre assesses (效能考核). Configurable by the supervisors; each change is a new version."""
    weights: Mapping[str, float] = field(default_factory=lambda: {
        "on_time_sign": 10.0, "on_time_completion": 20.0, "response": 20.0, "resolution": 25.0, "satisfaction": 25.0})
    basically_weight: float = 1.0  # how much a "basically satisfied" counts towards the satisfaction rate
    exclude_terminated: bool = True  # cases terminated (终止) after the centre's review are left out of every count
    min_cases: int = 10  # a department with fewer cases in the month is not ranked
    list_size: int = 5  # 红榜/黑榜: the top and bottom five

    def __post_init__(self):
        unknown = set(self.weights) - set(RATES)
        if unknown:
            raise ValueError(f"unknown rates: {sorted(unknown)}")
        if any(w < 0 for w in self.weights.values()) or sum(self.weights.values()) <= 0:
            raise ValueError("weights must be non-negative and not all zero")
        if not 0 <= self.basically_weight <= 1:
            raise ValueError("basically_weight must be between 0 and 1")
        if self.min_cases < 0 or self.list_size < 1:
            raise ValueError("min_cases must be ≥ 0 and list_size ≥ 1")

    def to_json(self) -> dict:
        return {"weights": dict(self.weights), "basically_weight": self.basically_weight,
                "exclude_terminated": self.exclude_terminated, "min_cases": self.min_cases,
                "list_size": self.list_size}

    @classmethod
    def from_json(cls, data: Mapping | None) -> Policy:
        if not data:
            return cls()
        default = cls()
        return replace(default, weights={**default.weights, **data.get("weights", {})},
                       **{k: data[k] for k in ("basically_weight", "exclude_terminated", "min_cases", "list_size")
                          if k in data})


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def rates(c: Counts, policy: Policy) -> dict[str, float | None]:
    """Each rate as a fraction 0..1, or None where nothing was counted (no denominator)."""
    return {
        "on_time_sign": _ratio(c.signed_on_time, c.sign_due),
        "on_time_completion": _ratio(c.completed_on_time, c.completion_due),
        "response": _ratio(c.responded, c.replied),
        "resolution": _ratio(c.resolved, c.rated),
        "satisfaction": _ratio(c.satisfied + policy.basically_weight * c.basically, c.rated),
    }


def average_handling_hours(c: Counts) -> float | None:
    return _ratio(c.handling_hours, c.replied)


def redo_rate(c: Counts) -> float | None:
    return _ratio(c.redone, c.replied)


def score(c: Counts, policy: Policy) -> float | None:
    """The composite score, 0..100: the weighted mean of the rates that could be measured. None when none could."""
    measured = {name: value for name, value in rates(c, policy).items() if value is not None}
    weight = sum(policy.weights.get(name, 0.0) for name in measured)
    if not weight:
        return None
    return 100 * sum(policy.weights.get(name, 0.0) * value for name, value in measured.items()) / weight


@dataclass(frozen=True)
class Ranked:
    key: int
    score: float
    received: int


def red_and_black(by_key: Mapping[int, Counts], policy: Policy) -> tuple[list[Ranked], list[Ranked]]:
    """红榜 (best first) and 黑榜 (worst first): departments with at least `min_cases` received and a score.
    Ties are broken by more cases received, then by key, so the lists never change between two readings of the
    same figures. A department appears on one list only, even when fewer than twice `list_size` are ranked."""
    ranked = [Ranked(key, s, c.received) for key, c in by_key.items()
              if c.received >= max(policy.min_cases, 1) and (s := score(c, policy)) is not None]
    best = sorted(ranked, key=lambda r: (-r.score, -r.received, r.key))
    red = best[:policy.list_size]
    rest = [r for r in reversed(best) if r not in red]
    black = sorted(rest, key=lambda r: (r.score, -r.received, r.key))[:policy.list_size]
    return red, black


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def months(first: date, last: date) -> list[date]:
    """The first days of the months from `first`'s to `last`'s, both included."""
    out, month = [], month_start(first)
    while month <= last:
        out.append(month)
        month = next_month(month)
    return out
