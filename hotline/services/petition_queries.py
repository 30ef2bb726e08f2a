"""The petition office's lists: the registry and its search, each organ's queue and the statutory calendar.

Every one starts from `cases.visible(actor)`, so what refuses one case refuses it everywhere: a recused person
(信访工作条例 Art. 28) never sees the case, and the unit an accusation is about (Art. 30) never sees the accusation,
in a list, a count, a calendar cell or an export."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy import case as when
from sqlalchemy.orm import Session, selectinload

from hotline.domain.access import Actor, sees_all_cases
from hotline.domain.case_number import looks_like_number
from hotline.domain.kinds import Track
from hotline.domain.petition import PetitionState
from hotline.domain.petition_intake import GROUP_SIZE
from hotline.domain.phone import InvalidPhone, to_e164
from hotline.domain.privacy import mask_name, mask_phone
from hotline.domain.sla import CLOCKS_BY_TRACK, Clock
from hotline.models import Case, Deadline, Department, Petition, Petitioner, User
from hotline.services import audit
from hotline.services.cases import OVERDUE, clock_card, visible
from hotline.services.clocks import OFFICE_CLOCKS

PAGE_SIZE = 50
PETITION_CLOCKS: tuple[str, ...] = tuple(c.value for c in CLOCKS_BY_TRACK[Track.PETITION])
# What the office or an organ must do by a date; the others are windows (the organ's to object, the petitioner's to
# ask for review): their end is no one's failure, so they are never "overdue".
DUTY_CLOCKS = frozenset({Clock.FORWARD, Clock.ACCEPT, Clock.DECIDE, Clock.REVIEW, Clock.RE_REVIEW})
_ID_NUMBER = re.compile(r"^(\d{17}[\dXx]|\d{15})$")


@dataclass(frozen=True)
class PetitionFilter:
    q: str = ""
    state: str = ""
    kind: str = ""
    channel: str = ""
    organ_id: int | None = None  # the organ it is with (the lead department)
    major: bool = False
    group: bool = False  # a group petition (Art. 20: five or more people)
    received_from: date | None = None  # local days, both included
    received_to: date | None = None
    overdue: bool = False  # a statutory duty past its deadline
    page: int = 1


@dataclass(frozen=True)
class Lookup:
    """What the search box was given: a petition number, an ID number, a phone number, or a name (or words)."""
    kind: str  # number, id_number, phone, name, empty
    value: str

    @property
    def personal(self) -> bool:
        """Looking a person up by who they are is written to the access log."""
        return self.kind in ("id_number", "phone", "name")

    def masked(self) -> str:
        """What the access log keeps of it: enough to tell one search from another, not the person."""
        if self.kind == "id_number":
            return self.value[:6] + "*" * (len(self.value) - 10) + self.value[-4:]
        if self.kind == "phone":
            return mask_phone(self.value)
        if self.kind == "name":
            return mask_name(self.value)
        return self.value


def lookup(text: str, region: str = "CN") -> Lookup:
    text = (text or "").strip()[:100]
    if not text:
        return Lookup("empty", "")
    if looks_like_number(text):
        return Lookup("number", text.upper())
    compact = re.sub(r"[\s-]", "", text)
    if _ID_NUMBER.match(compact):  # before the phone: eighteen digits would pass for one
        return Lookup("id_number", compact.upper())
    if re.match(r"^[+\d][\d\s()-]{5,}$", text):
        try:
            return Lookup("phone", to_e164(text, region))
        except InvalidPhone:
            pass
    return Lookup("name", text)


def _start_of(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time(), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def petitions(actor: Actor) -> Select:
    return visible(actor).where(Case.track == Track.PETITION)


def _overdue(now: datetime):
    return exists().where(Deadline.case_id == Case.id, Deadline.stopped_at.is_(None), Deadline.due_at < now,
                          Deadline.clock.in_([str(c) for c in DUTY_CLOCKS]))


def filtered(actor: Actor, flt: PetitionFilter, look: Lookup, timezone: str, now: datetime) -> Select:
    query = petitions(actor).join(Petition, Petition.case_id == Case.id)
    if flt.state:
        query = query.where(Case.state == flt.state)
    if flt.kind:
        query = query.where(Case.kind == flt.kind)
    if flt.channel:
        query = query.where(Case.channel == flt.channel)
    if flt.organ_id:
        query = query.where(Case.lead_department_id == flt.organ_id)
    if flt.major:
        query = query.where(Petition.major.is_(True))
    if flt.group:
        query = query.where(Petition.group_size >= GROUP_SIZE)
    if flt.received_from:
        query = query.where(Case.received_at >= _start_of(flt.received_from, timezone))
    if flt.received_to:
        query = query.where(Case.received_at < _start_of(flt.received_to + timedelta(days=1), timezone))
    if flt.overdue:
        query = query.where(_overdue(now))
    return _matching(query, look)


def _matching(query: Select, look: Lookup) -> Select:
    people = select(Petitioner.case_id)
    if look.kind == "number":
        return query.where(Case.number == look.value)
    if look.kind == "id_number":
        return query.where(Case.id.in_(people.where(Petitioner.id_number == look.value)))
    if look.kind == "phone":
        return query.where(Case.id.in_(people.where(Petitioner.phone == look.value)))
    if look.kind == "name":
        return query.where(or_(Case.id.in_(people.where(Petitioner.name.contains(look.value, autoescape=True))),
                               Case.number.contains(look.value.upper(), autoescape=True)))
    return query


_LOADED = (selectinload(Case.petition).selectinload(Petition.petitioners), selectinload(Case.lead_department))


def search(session: Session, actor: Actor, flt: PetitionFilter, look: Lookup, timezone: str, now: datetime,
           per_page: int = PAGE_SIZE) -> tuple[list[Case], bool]:
    """A page of petitions, newest first, and whether there is a next page."""
    page = max(flt.page, 1)
    query = (filtered(actor, flt, look, timezone, now).options(*_LOADED)
             .order_by(Case.received_at.desc(), Case.id.desc()).offset((page - 1) * per_page).limit(per_page + 1))
    rows = list(session.scalars(query))
    return rows[:per_page], len(rows) > per_page


def export(session: Session, actor: Actor, flt: PetitionFilter, look: Lookup, timezone: str,
           now: datetime) -> Iterator[Case]:
    """Every petition the filter finds, newest first, read in batches."""
    query = (filtered(actor, flt, look, timezone, now).options(*_LOADED)
             .order_by(Case.received_at.desc(), Case.id.desc()).execution_options(yield_per=500))
    yield from session.scalars(query)


def log_search(session: Session, user: User, look: Lookup, at: datetime, ip: str) -> None:
    """A search by a person's name, ID number or phone is itself a use of their personal data (个人信息保护法)."""
    if look.personal:
        audit.log_access(session, user, "petition_search", at=at, ip=ip, detail=f"{look.kind}: {look.masked()}")


def log_export(session: Session, user: User, flt: PetitionFilter, look: Lookup, rows: int, at: datetime,
               ip: str) -> None:
    asked = {"state": flt.state, "kind": flt.kind, "channel": flt.channel, "organ": flt.organ_id or "",
             "major": flt.major or "", "group": flt.group or "", "from": flt.received_from or "",
             "to": flt.received_to or "", "overdue": flt.overdue or "",
             "q": f"{look.kind}:{look.masked()}" if look.kind != "empty" else ""}
    described = " ".join(f"{k}={v}" for k, v in asked.items() if v)
    audit.log_access(session, user, "petition_export", at=at, ip=ip, detail=f"{rows} rows {described}".strip())


# --- deadlines as a row shows them -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Due:
    clock: str
    at: datetime
    card: str | None  # "overdue", "due_soon" or None (services.cases.clock_card)


def due_of(clock: str, due_at: datetime | None, warn_at: datetime | None, now: datetime) -> Due | None:
    if due_at is None:
        return None
    card = clock_card(due_at, warn_at, now)
    if card == OVERDUE and clock not in DUTY_CLOCKS:
        card = None  # a window that has closed: nobody is late
    return Due(clock, due_at, card)


def next_deadlines(session: Session, case_ids: list[int], now: datetime) -> dict[int, Due]:
    """Each case's next statutory deadline among its running clocks: the earliest duty (forward, accept, decide,
    review, re-review), else the earliest window."""
    found: dict[int, Due] = {}
    if not case_ids:
        return found
    for chunk in range(0, len(case_ids), 500):  # an export may ask for thousands: a bounded IN list each time
        rows = session.execute(select(Deadline.case_id, Deadline.clock, Deadline.due_at, Deadline.warn_at)
                               .where(Deadline.case_id.in_(case_ids[chunk:chunk + 500]),
                                      Deadline.stopped_at.is_(None))
                               .order_by(Deadline.due_at))
        for case_id, clock, due_at, warn_at in rows:
            held = found.get(case_id)
            if held is None or (clock in DUTY_CLOCKS and held.clock not in DUTY_CLOCKS):
                found[case_id] = due_of(clock, due_at, warn_at, now)
    return found


# --- each organ's queue --------------------------------------------------------------------------------------

# the steps an organ takes, in the procedure's order: the state that waits on it and the clock that runs
QUEUE_STEPS: tuple[tuple[str, PetitionState, Clock], ...] = (
    ("accept", PetitionState.FORWARDED, Clock.ACCEPT),
    ("decide", PetitionState.ACCEPTED, Clock.DECIDE),
    ("review", PetitionState.REVIEWING, Clock.REVIEW),
    ("re_review", PetitionState.RE_REVIEWING, Clock.RE_REVIEW),
)
_STEP_OF_STATE = {state.value: (step, clock) for step, state, clock in QUEUE_STEPS}


@dataclass(frozen=True)
class QueueItem:
    case: Case
    step: str
    due: Due | None  # the step's deadline; None while a hearing stops the re-review clock (Art. 36)
    window: Due | None  # the organ's window to object, while it is open (Art. 23)
    extension: str | None  # pending, approved, denied
    hearing: bool


def _item(case: Case, now: datetime) -> QueueItem:
    step, clock = _STEP_OF_STATE[case.state]
    p = case.petition
    hearing = p.hearing_started_at is not None
    due = None if hearing and clock is Clock.RE_REVIEW else due_of(clock.value, p.due(clock.value),
                                                                    p.warn(clock.value), now)
    window = None
    if step == "accept" and not p.objection_reason and p.object_due_at and p.object_due_at >= now:
        window = due_of(Clock.OBJECT.value, p.object_due_at, p.object_warn_at, now)
    return QueueItem(case, step, due, window, p.extension_status, hearing)


def _waiting(actor: Actor) -> Select:
    return petitions(actor).where(Case.state.in_([state.value for _, state, _ in QUEUE_STEPS]))


def organ_queue(session: Session, actor: Actor, organ_id: int, now: datetime) -> dict[str, list[QueueItem]]:
    """What waits on the organ, by step, the nearest deadline first (a paused one last)."""
    query = _waiting(actor).where(Case.lead_department_id == organ_id).options(selectinload(Case.petition))
    out: dict[str, list[QueueItem]] = {step: [] for step, _, _ in QUEUE_STEPS}
    for case in session.scalars(query):
        item = _item(case, now)
        out[item.step].append(item)
    far = datetime.max.replace(tzinfo=UTC)
    for items in out.values():
        items.sort(key=lambda i: (i.due.at if i.due else far, i.case.number))
    return out


@dataclass
class OrganCount:
    department: Department | None = None
    steps: dict[str, int] = field(default_factory=lambda: {step: 0 for step, _, _ in QUEUE_STEPS})
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.steps.values())


def queue_counts(session: Session, actor: Actor, now: datetime) -> list[OrganCount]:
    """For the office: every organ with petitions waiting on it, how many at each step and how many overdue."""
    due_columns = {clock: getattr(Petition, f"{clock.value}_due_at") for _, _, clock in QUEUE_STEPS}
    query = (_waiting(actor).with_only_columns(Case.lead_department_id, Case.state, Petition.hearing_started_at,
                                               *due_columns.values())
             .join(Petition, Petition.case_id == Case.id).where(Case.lead_department_id.is_not(None)))
    counts: dict[int, OrganCount] = {}
    for organ_id, state, hearing, *dues in session.execute(query):
        step, clock = _STEP_OF_STATE[state]
        line = counts.setdefault(organ_id, OrganCount())
        line.steps[step] += 1
        due_at = dict(zip(due_columns, dues, strict=True))[clock]
        if due_at is not None and due_at < now and not (hearing and clock is Clock.RE_REVIEW):
            line.overdue += 1
    for department in session.scalars(select(Department).where(Department.id.in_(list(counts)))):
        counts[department.id].department = department
    return sorted(counts.values(), key=lambda c: (-c.total, c.department.code))


# --- the statutory calendar ------------------------------------------------------------------------------------

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_week(text: str | None) -> date | None:
    """"2026-W48" → the Monday of ISO week 48 of 2026; None for anything else."""
    match = _WEEK.match((text or "").strip().upper())
    if not match:
        return None
    try:
        return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


def week_name(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class DueItem:
    number: str
    kind: str
    state: str
    organ_id: int | None  # whose clock: the organ's, or None for the office's and the petitioner's windows
    clock: str
    due_at: datetime
    card: str | None


@dataclass
class Week:
    monday: date
    days: list[date]
    # clock → day of the week (None: overdue from before it) → the petitions due, earliest first
    cells: dict[str, dict[date | None, list[DueItem]]]

    def count(self, clock: str) -> int:
        return sum(len(items) for items in self.cells[clock].values())

    @property
    def total(self) -> int:
        return sum(self.count(clock) for clock in self.cells)

    @property
    def overdue(self) -> int:
        return sum(len(self.cells[clock][None]) for clock in self.cells)


def week(session: Session, actor: Actor, monday: date, timezone: str, now: datetime) -> Week:
    """The running clocks of petitions that fall due in the week (Monday to Sunday, local days), by clock and day,
    and the duties still running from before it: overdue. A department sees only its own organ's clocks."""
    zone = ZoneInfo(timezone)
    start, end = _start_of(monday, timezone), _start_of(monday + timedelta(days=7), timezone)
    ids = petitions(actor).with_only_columns(Case.id)
    # whose clock: the organ the petition is with, for the organ's clocks (as clocks.petition_clocks has it; the
    # lead, rather than the row's department, which a clock reopened after a review keeps from before)
    organ = when((Deadline.clock.in_([str(c) for c in OFFICE_CLOCKS]), None), else_=Case.lead_department_id)
    query = (select(Deadline.clock, Deadline.due_at, Deadline.warn_at, organ, Case.number, Case.kind, Case.state)
             .join(Case, Case.id == Deadline.case_id)
             .where(Deadline.case_id.in_(ids), Deadline.stopped_at.is_(None), Deadline.clock.in_(PETITION_CLOCKS),
                    Deadline.due_at < end,
                    or_(Deadline.due_at >= start,
                        and_(Deadline.due_at < min(start, now), Deadline.clock.in_([str(c) for c in DUTY_CLOCKS]))))
             .order_by(Deadline.due_at, Case.number))
    if not sees_all_cases(actor):
        query = query.where(organ == actor.department_id)
    days = [monday + timedelta(days=n) for n in range(7)]
    cells: dict[str, dict[date | None, list[DueItem]]] = {c: {d: [] for d in [None, *days]} for c in PETITION_CLOCKS}
    for clock, due_at, warn_at, department_id, number, kind, state in session.execute(query):
        day = due_at.astimezone(zone).date() if due_at >= start else None
        due = due_of(clock, due_at, warn_at, now)
        cells[clock][day].append(DueItem(number, kind, state, department_id, clock, due_at, due.card))
    return Week(monday, days, cells)
