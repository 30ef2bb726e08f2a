"""A few months of the demo city's cases, for `make dev` and for trying the figures, the assessment and the
portal on something that looks like a working hotline (`flask hotline seed-history`).

The cases are planned from one random seed (the same seed, window and `now` give the same history), then lived
through the real services — `intake.register` and `handling.act` at moments in the past — in the order of those
moments across all cases (history_life.py). Nothing is written around the services except one thing: the texts
the history sent to citizens are marked delivered at the moment they were queued, as the development transport
would have, so that the first worker does not send thousands of stale messages.

It only ever runs into a database without history (cases it filed carry a submission key "history-…"), and
never in production."""
from __future__ import annotations

import heapq
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from hotline.domain.errors import Conflict, Forbidden, InvalidFields, NotFound
from hotline.domain.kinds import Channel, Track
from hotline.domain.lifecycle import OPEN_STATES, Action, State
from hotline.models import Area, Case, Category, Department, Notification, OutboxJob, SmsMessage, User
from hotline.seed import demo_categories
from hotline.seed.history_life import Profile, Spec, life
from hotline.seed.history_plan import plan
from hotline.services import handling, intake, rollup, routing, sla, system_users

KEY_PREFIX = "history-"
QUIRKS = ("extends", "last_hour", "no_contact", "returns")


@dataclass(frozen=True)
class Seen:
    """A case as a life reads it between two steps: plain values, so no life holds on to the session's objects."""

    @dataclass(frozen=True)
    class Assignment:
        department_id: int
        lead: bool
        status: str
        dispatched_at: datetime
        sign_due_at: datetime | None

    id: int
    number: str
    state: str
    description: str
    category_id: int | None
    area_id: int | None
    dispatch_count: int
    return_until: datetime | None
    reply_due_at: datetime | None
    callback_due_at: datetime | None
    assignments: tuple[Seen.Assignment, ...]

    @property
    def active_assignments(self) -> tuple[Seen.Assignment, ...]:
        return self.assignments


@dataclass(frozen=True)
class Options:
    days: int = 183  # about six months, ending today
    per_day: int = 25  # cases on an ordinary weekday
    seed: int = 12345


@dataclass
class Tally:
    cases: int = 0
    steps: int = 0
    already: bool = False  # there was history already: nothing was done
    states: Counter = field(default_factory=Counter)
    refused: list[str] = field(default_factory=list)  # steps the services refused (should stay empty)
    months: int = 0  # months of figures counted afterwards


class HistoryRefused(RuntimeError):
    pass


def present(session: Session) -> bool:
    return session.scalar(select(Case.id).where(Case.submission_key.like(f"{KEY_PREFIX}%")).limit(1)) is not None


def seed_history(session: Session, options: Options, now: datetime, timezone: str,
                 progress: Callable[[int], None] | None = None) -> Tally:
    """Files and handles the history's cases; `progress(n)` is told each time n more days of it are done."""
    if present(session):
        return Tally(already=True)
    if session.scalar(select(func.count()).select_from(Department)) < 2:
        raise HistoryRefused("the demo city is not loaded: run `flask hotline seed-demo` first")
    zone = ZoneInfo(timezone)
    first_day = now.astimezone(zone).date() - timedelta(days=options.days - 1)
    specs = plan(session, options, first_day, now, zone)
    sim = Simulation(session, options, timezone, _profiles(session, options.seed))
    queue: list[tuple[datetime, int, object]] = []
    for spec in specs:
        lived = life(sim, spec)
        heapq.heappush(queue, (next(lived), spec.index, lived))
    day_done, tally = first_day, Tally(cases=len(specs))
    try:
        day_done = _live(session, sim, queue, tally, now, zone, day_done, progress)
    finally:
        sim.close()
    sim.settle(now)
    # The history changed months long past, with moments in the past: counted again in full now, so the figures
    # show it at once rather than whenever a worker next counts (and even if one has counted since).
    tally.months = rollup.run(session, now, timezone, everything=True)
    if progress and now.astimezone(zone).date() >= day_done:
        progress((now.astimezone(zone).date() - day_done).days + 1)
    tally.steps = sim.steps
    tally.states = Counter(dict(session.execute(
        select(Case.state, func.count()).where(Case.submission_key.like(f"{KEY_PREFIX}%")).group_by(Case.state)
    ).all()))
    return tally


def _live(session, sim, queue, tally, now, zone, day_done, progress):
    """Every case's next step in the order of their moments, until none is left before `now`."""
    while queue:
        at, index, lived = heapq.heappop(queue)
        today = at.astimezone(zone).date()
        if progress and today > day_done:
            progress((today - day_done).days)
            day_done = today
        try:
            following = lived.send(None)
        except StopIteration:
            continue
        except (Conflict, Forbidden, InvalidFields, NotFound) as exc:
            session.rollback()
            tally.refused.append(f"case {index}: {type(exc).__name__} {exc}")
            continue
        if following <= now:
            heapq.heappush(queue, (max(following, at), index, lived))
    return day_done


def _profiles(session: Session, seed: int) -> dict[int, Profile]:
    """Each department's way of working, from the seed: most work well, a few poorly, and a few have one of the
    habits the centre's electronic supervision looks for."""
    rng = random.Random(f"{seed}-departments")  # noqa: S311  (a repeatable demo, not a secret)
    departments = list(session.execute(select(Department.id, Department.code, Department.kind)
                                       .where(Department.kind != "centre").order_by(Department.code)))
    busy = [d.id for d in departments if d.kind in ("city_bureau", "district_bureau", "utility")]  # enough cases a
    quirky = rng.sample(busy, k=min(len(busy), 2 * len(QUIRKS)))                                  # month to show
    quirks = {department_id: QUIRKS[i // 2] for i, department_id in enumerate(quirky)}
    return {d.id: Profile(quality=0.5 + 0.48 * rng.random() ** 0.5,
                          quirks=frozenset({quirks[d.id]} if d.id in quirks else ())) for d in departments}


class Simulation:
    """What a case's life calls: the services, and the few facts it reads back (its case, whom to send it to)."""

    def __init__(self, session: Session, options: Options, timezone: str, profiles: dict[int, Profile]):
        self.session, self.options, self.timezone, self.profiles = session, options, timezone, profiles
        self.book = sla.book(session, timezone)
        self.steps = 0
        self._users: dict[str, int] = {}
        self._seen: dict[str, Seen] = {}
        self._codes = dict(session.execute(select(Department.id, Department.code)).tuples().all())
        self._ids = {code: i for i, code in self._codes.items()}
        self._categories = dict(session.execute(select(Category.code, Category.id)).tuples().all())
        self._category_codes = {i: code for code, i in self._categories.items()}
        self._areas = {a.code: a for a in session.scalars(select(Area))}
        self._area_codes = {a.id: a.code for a in self._areas.values()}
        self._owners = {c.code: c.owner for c in demo_categories.CATEGORIES if c.owner}
        self._moment: datetime | None = None  # of the step being taken
        self._texts: list[tuple[int, datetime]] = []  # the texts the history queued, and when
        self._jobs: list[tuple[int, datetime]] = []  # their delivery jobs
        event.listen(SmsMessage, "after_insert", self._queued_text)
        event.listen(OutboxJob, "after_insert", self._queued_job)

    def close(self) -> None:
        event.remove(SmsMessage, "after_insert", self._queued_text)
        event.remove(OutboxJob, "after_insert", self._queued_job)

    def _queued_text(self, mapper, connection, message: SmsMessage) -> None:
        if self._moment is not None:
            self._texts.append((message.id, self._moment))

    def _queued_job(self, mapper, connection, job: OutboxJob) -> None:
        if self._moment is not None and job.job == "deliver_sms":
            self._jobs.append((job.id, self._moment))

    # --- the services ---------------------------------------------------------------------------------

    def register(self, spec: Spec, at: datetime, route: bool, same_as=None) -> str:
        """`same_as`: the merge target (merge_target) whose matter the caller repeats."""
        new = intake.NewCase(
            track=Track.HOTLINE, kind=spec.kind, channel=spec.channel,
            description=f"我也要反映：{same_as.description}" if same_as else spec.text,
            category_id=self._categories[spec.category],
            area_id=same_as.area_id if same_as else self._areas[spec.area].id,
            location_text=same_as.location_text if same_as else spec.location,
            urgency=spec.urgency, name=spec.name, phone=spec.phone,
            confidential=spec.confidential, anonymous=spec.anonymous, publish_consent=spec.publish_consent,
            submission_key=f"{KEY_PREFIX}{self.options.seed}-{spec.index}", route=route,
            acknowledge=spec.ending not in ("transfer", "merge"))
        taken_by = self.user("operator") if spec.channel in (Channel.PHONE, Channel.SMS, Channel.VOICEMAIL) else None
        self._moment = at
        case = intake.register(self.session, new, intake.Context(now=at, timezone=self.timezone, locale="zh"),
                               actor=taken_by)
        self._settle_now_and_then()
        return case.number

    def act(self, number: str, who: str, action: Action, at: datetime, **fields) -> None:
        ctx = handling.Context(now=at, timezone=self.timezone, book=self.book)
        self._seen.pop(number, None)
        self._moment = at
        handling.act(self.session, number, action, self.user(who), fields, ctx)
        self.steps += 1
        self._settle_now_and_then()

    # --- what a life reads ----------------------------------------------------------------------------

    def user(self, username: str) -> User:
        if username not in self._users:
            user = self.session.scalar(select(User).where(User.username == username))
            if user is None:
                raise HistoryRefused(f"the demo user {username!r} is missing: run `flask hotline seed-demo` first")
            self._users[username] = user.id
        return self.session.get(User, self._users[username])

    def sms_user(self) -> str:
        """A rating answered by text is recorded as the SMS system user's callback, as /twilio/sms does."""
        return system_users.get(self.session, system_users.SMS).username

    def case(self, number: str) -> Seen:
        """Read again only after a step changed it."""
        if number in self._seen:
            return self._seen[number]
        case = self.session.scalar(select(Case).where(Case.number == number))
        self._seen[number] = seen = Seen(
            id=case.id, number=case.number, state=case.state, description=case.description,
            category_id=case.category_id, area_id=case.area_id, dispatch_count=case.dispatch_count,
            return_until=case.return_until, reply_due_at=case.reply_due_at, callback_due_at=case.callback_due_at,
            assignments=tuple(Seen.Assignment(a.department_id, a.lead, a.status, a.dispatched_at, a.sign_due_at)
                              for a in case.active_assignments))
        return seen

    def profile(self, department_id: int) -> Profile:
        return self.profiles.get(department_id) or Profile(quality=0.9)

    def staff(self, department_id: int) -> str:
        return f"{self._codes[department_id]}-staff"

    def routing_suggestion(self, case: Seen, rng: random.Random) -> tuple[int, list[int]]:
        """What the dispatcher sends a case to: the catalogue's suggestion, else the subject's usual owner, else the
        district government (unclear ownership: Beijing Art. 12)."""
        decision = routing.latest_decision(self.session, case.id)
        if decision is not None and decision.lead_department_id:
            return decision.lead_department_id, list(decision.co_department_ids or [])
        owner = self._ids.get(self._owners.get(self._category_codes.get(case.category_id, ""), ""))
        lead = owner or self._district_government(case)
        street = self._ids.get(self._area_codes.get(case.area_id, ""))
        co = [street] if street and street != lead and rng.random() < 0.1 else []
        return lead, co

    def elsewhere(self, case: Seen, lead: Seen.Assignment) -> int:
        """Where a return the centre upheld goes next: the place's unit if a bureau had it, else the subject's owner."""
        candidates = [self._ids.get(self._area_codes.get(case.area_id, "")), self._district_government(case),
                      self._ids.get(self._owners.get(self._category_codes.get(case.category_id, ""), ""))]
        return next(c for c in candidates if c and c != lead.department_id)

    def _district_government(self, case: Seen) -> int:
        area = self._areas[self._area_codes[case.area_id]]
        district = area.parent.code if area.parent else area.code
        return self._ids[f"{district}-gov"]

    def merge_target(self, spec: Spec, at: datetime):
        """(number, description, area id, place) of the newest case open now about the same subject, filed in the
        last five days: another caller about the same matter."""
        return self.session.execute(
            select(Case.number, Case.description, Case.area_id, Case.location_text)
            .where(Case.category_id == self._categories[spec.category], Case.received_at >= at - timedelta(days=5),
                   Case.received_at < at, Case.state.in_(OPEN_STATES - {State.REPLIED}))
            .order_by(Case.received_at.desc()).limit(1)).first()

    # --- the texts it sent ----------------------------------------------------------------------------

    def _settle_now_and_then(self) -> None:
        if len(self._texts) >= 2000:
            self.settle(None)

    def settle(self, now: datetime | None) -> None:
        """The history's texts went out when they were queued (the development transport delivers at once); its
        notices of 督办 older than a day were read. `now` given: the last batch."""
        if self._texts:
            self.session.execute(update(SmsMessage), [
                {"id": i, "status": "delivered", "transport": "dev", "attempts": 1, "created_at": at, "sent_at": at,
                 "status_at": at} for i, at in self._texts])
        if self._jobs:
            self.session.execute(update(OutboxJob), [
                {"id": i, "status": "done", "created_at": at, "pushed_at": at, "finished_at": at}
                for i, at in self._jobs])
        self._texts.clear()
        self._jobs.clear()
        if now is not None:
            for notice in self.session.scalars(select(Notification).where(
                    Notification.kind == "supervision", Notification.read_at.is_(None),
                    Notification.created_at < now - timedelta(days=1))):
                notice.read_at = notice.created_at + timedelta(hours=2)
        self.session.commit()

