"""The annual report of 信访工作条例 Art. 41: which organs the petitions of a year were about most, and how those
organs dealt with them.

Counted over the petitions received in the year (local days), each step whenever it was taken, from the case
history (the hash-chained events) rather than from the petition's current state, so a petition that went on to
review still counts as accepted and decided:

- forwarded: the petitions the organ was responsible for — the last organ the office forwarded or assigned
  them to (an objection the office upheld sends a petition on, and it counts where it ended up); by kind;
- accused: the accusations (检举控告类) naming the organ as the unit accused (Art. 30);
- accepted / not accepted: the organ's acceptance decisions (Art. 23; not accepted: told the legal route, Art. 31);
- decided on time / late: the written decisions the organ issued, within or after its deadline (Arts. 32, 34);
- extended: the extensions its head approved (Art. 34);
- reviewed, changed or revoked, re-reviewed: of the petitions it was responsible for, the requests for review
  (Art. 35), the review decisions that changed or revoked the decision, and the requests for re-review (Art. 36).

Built on `cases.visible(actor)`: a recused person's report leaves out the case they are kept from."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.domain.access import Actor
from hotline.domain.kinds import KINDS_BY_TRACK, Track
from hotline.domain.petition import PetitionAction, PetitionState, ReviewOutcome
from hotline.models import AccusedDepartment, Case, CaseEvent, Department
from hotline.services.petition_queries import petitions

TOP = 20
PETITION_KINDS: tuple[str, ...] = tuple(k.value for k in KINDS_BY_TRACK[Track.PETITION])
COUNTS = ("forwarded", "accused", "accepted", "not_accepted", "on_time", "late", "extended", "reviewed", "changed",
          "re_reviewed")
A = PetitionAction
_STEPS = (A.FORWARD, A.ACCEPT, A.DECIDE, A.DECIDE_EXTENSION, A.REQUEST_REVIEW, A.DECIDE_REVIEW, A.REQUEST_RE_REVIEW)
_CHANGED = {ReviewOutcome.CHANGE.value, ReviewOutcome.REVOKE.value}


@dataclass
class Line:
    department: Department | None  # None: every organ together
    counts: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)  # of the petitions forwarded to it

    @property
    def total(self) -> int:
        """How much the organ was complained about: the petitions about its work and those accusing it."""
        return self.counts["forwarded"] + self.counts["accused"]

    def __getitem__(self, name: str) -> int:
        return self.counts[name]


@dataclass
class Report:
    year: int
    received: int  # every petition received in the year
    kinds: Counter  # received, by kind
    lines: list[Line]  # every organ with anything to count, the most complained about first
    totals: Line
    months: list[Counter]  # January to December: received, by kind

    @property
    def top(self) -> list[Line]:
        return self.lines[:TOP]

    @property
    def highest(self) -> int:
        """The longest bar's count (at least 1: the bars are drawn as shares of it)."""
        return max((line.total for line in self.lines), default=0) or 1


def year_bounds(year: int, timezone: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(timezone)
    return (datetime.combine(date(year, 1, 1), time(), tzinfo=zone).astimezone(UTC),
            datetime.combine(date(year + 1, 1, 1), time(), tzinfo=zone).astimezone(UTC))


def annual(session: Session, actor: Actor, year: int, timezone: str) -> Report:
    start, end = year_bounds(year, timezone)
    zone = ZoneInfo(timezone)
    received = petitions(actor).where(Case.received_at >= start, Case.received_at < end)
    ids = received.with_only_columns(Case.id)
    kind_of: dict[int, str] = {}
    months = [Counter() for _ in range(12)]
    for case_id, kind, received_at in session.execute(received.with_only_columns(Case.id, Case.kind,
                                                                                 Case.received_at)):
        kind_of[case_id] = kind
        months[received_at.astimezone(zone).month - 1][kind] += 1
    lines: dict[int, Line] = {}

    def line(department_id: int) -> Line:
        return lines.setdefault(department_id, Line(None))

    responsible: dict[int, int] = {}  # case → the last organ it was forwarded to
    later: dict[int, list] = {}  # case → its review steps, counted against the responsible organ
    events = session.execute(
        select(CaseEvent.case_id, CaseEvent.action, CaseEvent.department_id, CaseEvent.to_state, CaseEvent.data)
        .where(CaseEvent.case_id.in_(ids), CaseEvent.action.in_([a.value for a in _STEPS]))
        .order_by(CaseEvent.case_id, CaseEvent.seq))
    for case_id, action, department_id, to_state, data in events:
        data = data or {}
        if action == A.FORWARD and data.get("organ"):
            responsible[case_id] = data["organ"]
        elif action == A.ACCEPT and department_id:
            accepted = to_state == PetitionState.ACCEPTED
            line(department_id).counts["accepted" if accepted else "not_accepted"] += 1
        elif action == A.DECIDE and department_id:
            line(department_id).counts["late" if data.get("late") else "on_time"] += 1
        elif action == A.DECIDE_EXTENSION and department_id and data.get("decision") == "approve":
            line(department_id).counts["extended"] += 1
        elif action in (A.REQUEST_REVIEW, A.DECIDE_REVIEW, A.REQUEST_RE_REVIEW):
            later.setdefault(case_id, []).append((action, data))
    for case_id, organ_id in responsible.items():
        organ = line(organ_id)
        organ.counts["forwarded"] += 1
        organ.kinds[kind_of[case_id]] += 1
        for action, data in later.get(case_id, ()):
            if action == A.REQUEST_REVIEW:
                organ.counts["reviewed"] += 1
            elif action == A.REQUEST_RE_REVIEW:
                organ.counts["re_reviewed"] += 1
            elif data.get("outcome") in _CHANGED:
                organ.counts["changed"] += 1
    for _case_id, department_id in session.execute(
            select(AccusedDepartment.case_id, AccusedDepartment.department_id)
            .where(AccusedDepartment.case_id.in_(ids))):
        line(department_id).counts["accused"] += 1
    for department in session.scalars(select(Department).where(Department.id.in_(list(lines)))):
        lines[department.id].department = department
    ordered = sorted(lines.values(), key=lambda x: (-x.total, -x.counts["forwarded"], x.department.code))
    totals = Line(None)
    for x in ordered:
        totals.counts.update(x.counts)
        totals.kinds.update(x.kinds)
    return Report(year=year, received=len(kind_of), kinds=Counter(kind_of.values()), lines=ordered, totals=totals,
                  months=months)
