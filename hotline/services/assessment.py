"""The centre's assessment of departments (效能考核): the month's measures per department under the policy in
force, their ranks, the cases behind each number, each department's monthly report, and new versions of the
policy (weights and exclusions), each one audited.

Every figure comes from hotline.services.measures, the one definition the published pages use too.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from hotline.domain import kpis
from hotline.domain.errors import Conflict, InvalidFields
from hotline.models import AssessmentPolicy, Case, Department, User
from hotline.services import audit, flags, measures

NOTE_MAX = 500
WEIGHT_MAX = 100
MIN_CASES_MAX = 10_000
LIST_SIZE_MAX = 20
EXTRA_MEASURES = ("dissatisfied",)  # counted from the others; its cases are listed too


@dataclass(frozen=True)
class InForce:
    """The assessment policy in force: the newest version, or the defaults when nobody has changed them."""
    policy: kpis.Policy
    row: AssessmentPolicy | None

    @property
    def version(self) -> int:
        return self.row.id if self.row else 0


def in_force(session: Session) -> InForce:
    row = newest_policy(session)
    return InForce(kpis.Policy.from_json(row.settings if row else None), row)


def newest_policy(session: Session) -> AssessmentPolicy | None:
    """The policy in force is the newest version; the rollup, the open pages and the assessment all read it here."""
    return session.scalar(select(AssessmentPolicy).order_by(AssessmentPolicy.id.desc()).limit(1))


def history(session: Session, limit: int = 20) -> list[tuple[AssessmentPolicy, User | None]]:
    return list(session.execute(
        select(AssessmentPolicy, User).outerjoin(User, User.id == AssessmentPolicy.created_by_id)
        .order_by(AssessmentPolicy.id.desc()).limit(limit)).tuples())


def counts_by_department(session: Session, month: date, timezone: str, now: datetime,
                         policy: kpis.Policy) -> dict[int, kpis.Counts]:
    """Counted live, to the minute. The rollup (MonthlyFigure) holds the same counts for the public pages."""
    return measures.aggregate(session, month, timezone, now, policy, "department")


def city_counts(session: Session, month: date, timezone: str, now: datetime, policy: kpis.Policy) -> kpis.Counts:
    return measures.aggregate(session, month, timezone, now, policy, "city").get(0, kpis.Counts())


@dataclass(frozen=True)
class Line:
    """One department's month (or the city's, with department None)."""
    department: Department | None
    counts: kpis.Counts
    rates: dict[str, float | None]
    score: float | None
    average_hours: float | None
    redo_rate: float | None
    rank: int | None = None  # among the departments ranked (enough cases, and a score)
    listed: str | None = None  # "red" or "black"

    @property
    def key(self) -> int:
        return self.department.id if self.department else 0

    @property
    def dissatisfied(self) -> int:
        return self.counts.rated - self.counts.satisfied - self.counts.basically


def line(department: Department | None, counts: kpis.Counts, policy: kpis.Policy) -> Line:
    return Line(department, counts, kpis.rates(counts, policy), kpis.score(counts, policy),
                kpis.average_handling_hours(counts), kpis.redo_rate(counts))


@dataclass(frozen=True)
class MonthReport:
    month: date
    in_force: InForce
    lines: list[Line]  # ranked departments best first, then the others by cases received
    city: Line
    red: list[Line]
    black: list[Line]

    @property
    def ranked(self) -> int:
        return sum(1 for x in self.lines if x.rank is not None)


def month_report(session: Session, month: date, timezone: str, now: datetime, current: InForce) -> MonthReport:
    policy = current.policy
    by_department = counts_by_department(session, month, timezone, now, policy)
    departments = {d.id: d for d in session.scalars(select(Department).where(Department.id.in_(by_department)))}
    # the red list drawn as long as every department gives the full order, by the same rule and tie-breaks
    order, _ = kpis.red_and_black(by_department, replace(policy, list_size=max(len(by_department), 1)))
    red, black = kpis.red_and_black(by_department, policy)
    rank = {r.key: i for i, r in enumerate(order, 1)}
    listed = {**{r.key: "red" for r in red}, **{r.key: "black" for r in black}}
    lines = {k: replace(line(departments.get(k), c, policy), rank=rank.get(k), listed=listed.get(k))
             for k, c in by_department.items()}
    unranked = sorted((k for k in lines if k not in rank), key=lambda k: (-lines[k].counts.received, k))
    return MonthReport(
        month=month, in_force=current, lines=[lines[r.key] for r in order] + [lines[k] for k in unranked],
        city=line(None, city_counts(session, month, timezone, now, policy), policy),
        red=[lines[r.key] for r in red], black=[lines[r.key] for r in black],
    )


@dataclass(frozen=True)
class DepartmentReport:
    month: date
    in_force: InForce
    department: Department
    line: Line
    previous: Line  # the month before, for the trend
    city: Line
    ranked: int  # how many departments were ranked
    flags: list  # hotline.domain.flags.Flag raised for this department in the month
    missed: dict[str, list[str]]  # measure → numbers of the cases it missed (the first few)
    missed_total: dict[str, int]


MISSED_IN_REPORT = ("signed_on_time", "completed_on_time", "responded", "resolved", "dissatisfied")


def department_report(session: Session, department: Department, month: date, timezone: str, now: datetime,
                      current: InForce, listed: int = 20) -> DepartmentReport:
    report = month_report(session, month, timezone, now, current)
    policy = current.policy
    mine = next((x for x in report.lines if x.key == department.id), None) or line(department, kpis.Counts(), policy)
    before = (kpis.month_start(month) - timedelta(days=1)).replace(day=1)
    previous = counts_by_department(session, before, timezone, now, policy).get(department.id, kpis.Counts())
    raised = [f for found in flags.raised(session, month, timezone).values() for f in found
              if f.department_id == department.id]
    missed, missed_total = {}, {}
    for measure in MISSED_IN_REPORT:
        query = cases_behind(measure, month, timezone, now, policy, department.id,
                             missed=measure != "dissatisfied")
        missed_total[measure] = count(session, query)
        # the ordering columns stay selected: PostgreSQL orders a DISTINCT only by what it selects
        first = query.with_only_columns(Case.number, Case.received_at, Case.id).limit(listed)
        missed[measure] = [row.number for row in session.execute(first)]
    return DepartmentReport(month, current, department, mine, line(department, previous, policy), report.city,
                            report.ranked, raised, missed, missed_total)


# The cases behind a number ---------------------------------------------------------------------------------

def can_list(measure: str, missed: bool) -> bool:
    if measure in EXTRA_MEASURES:
        return not missed
    if measure not in kpis.COUNTS or measure == "handling_hours":
        return False
    return not missed or measure in measures.DENOMINATOR


def cases_behind(measure: str, month: date, timezone: str, now: datetime, policy: kpis.Policy,
                 department_id: int | None, *, missed: bool = False) -> Select:
    """For a department, or for the whole city (None). Raises ValueError for a number no cases are behind."""
    if not can_list(measure, missed):
        raise ValueError(f"no cases behind {measure!r}")
    dimension, key = ("department", department_id) if department_id is not None else ("city", 0)
    if measure == "dissatisfied":
        query = measures.cases_behind("rated", month, timezone, now, policy, dimension, key)
        return query.where(Case.callback_satisfaction == "dissatisfied")
    return measures.cases_behind(measure, month, timezone, now, policy, dimension, key, missed=missed)


def count(session: Session, query: Select) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def page_of(session: Session, query: Select, page: int, per_page: int = 50) -> tuple[list[Case], bool]:
    """One page of cases, with what the list shows of each loaded at once."""
    rows = list(session.scalars(
        query.options(selectinload(Case.person), selectinload(Case.lead_department), selectinload(Case.category))
        .limit(per_page + 1).offset((page - 1) * per_page)))
    return rows[:per_page], len(rows) > per_page


# Changing the policy ---------------------------------------------------------------------------------------

def _number(raw: dict, name: str, errors: dict, low: float, high: float, whole: bool = False) -> float | None:
    text = str(raw.get(name) or "").strip()
    if not text:
        errors[name] = "required"
        return None
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        errors[name] = "not_a_number"
        return None
    if not low <= value <= high or value != value:  # value != value: NaN
        errors[name] = "out_of_range"
        return None
    return value


def parse_policy(raw: dict) -> tuple[kpis.Policy, str]:
    """The form's fields as a policy and the reason given for the change; InvalidFields names each bad field."""
    errors: dict[str, str] = {}
    weights = {rate: _number(raw, f"weight_{rate}", errors, 0, WEIGHT_MAX) for rate in kpis.RATES}
    basically = _number(raw, "basically_weight", errors, 0, 1)
    min_cases = _number(raw, "min_cases", errors, 0, MIN_CASES_MAX, whole=True)
    list_size = _number(raw, "list_size", errors, 1, LIST_SIZE_MAX, whole=True)
    note = str(raw.get("note") or "").strip()
    if not note:
        errors["note"] = "required"
    elif len(note) > NOTE_MAX:
        errors["note"] = "too_long"
    if not any(k.startswith("weight_") for k in errors) and not any(weights.values()):
        errors["weights"] = "all_zero"
    if errors:
        raise InvalidFields("fields", errors)
    policy = kpis.Policy(weights=weights, basically_weight=basically,
                         exclude_terminated=bool(raw.get("exclude_terminated")), min_cases=int(min_cases),
                         list_size=int(list_size))
    return policy, note


def save_policy(session: Session, user: User, raw: dict, now: datetime, ip: str = "",
                based_on: int | None = None) -> AssessmentPolicy:
    """A new version of the policy, in force at once; the rollup counts the published figures again under it.
    Conflict("stale") when another version was saved since the form was opened, Conflict("unchanged") when it
    says what the policy in force says."""
    policy, note = parse_policy(raw)
    current = in_force(session)
    if based_on is not None and based_on != current.version:
        by = session.get(User, current.row.created_by_id) if current.row and current.row.created_by_id else None
        raise Conflict("stale", {"by": by.display_name if by else "", "at": current.row.created_at.isoformat()
                                 if current.row else ""})
    if policy.to_json() == current.policy.to_json():
        raise Conflict("unchanged")
    row = AssessmentPolicy(settings=policy.to_json(), note=note, created_by_id=user.id, created_at=now)
    session.add(row)
    session.flush()
    audit.log_access(session, user, "assessment_policy_saved", at=now, ip=ip,
                     detail=f"v{row.id} (was v{current.version}): {describe(policy)}")
    session.commit()
    return row


def describe(policy: kpis.Policy) -> str:
    """For the access log: the whole formula on one line."""
    weights = ",".join(f"{k}={policy.weights.get(k, 0):g}" for k in kpis.RATES)
    return (f"{weights}; basically={policy.basically_weight:g}; exclude_terminated={policy.exclude_terminated}; "
            f"min_cases={policy.min_cases}; list_size={policy.list_size}")
