"""About forty demo petitions over the last six months, for `make dev` (`flask hotline seed-petitions`): one in
every state of the procedure — registered, forwarded, objected, accepted (one with an extension awaiting the
head, some extended), decided, under review, under re-review (one in a hearing), concluded after re-review,
not accepted, withdrawn — with a major one, group petitions with representatives, and accusations against a
district bureau. Each is lived through the real services: `petitions.register`, then `handling.act` at chosen
moments in the past, as the tests do, so its clocks, documents and history are what the procedure makes.

Like the 12345 history (history.py), the texts it sent are marked delivered when they were queued, so that the
first worker sends no stale messages; the documents' PDFs are left for the worker to draw. It only ever runs into
a database without demo petitions (their submission keys begin "demo-petition-"), and never in production."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from hotline.domain.kinds import Channel
from hotline.domain.petition_intake import PetitionerIn
from hotline.models import Area, Case, Department, OutboxJob, SmsMessage, User
from hotline.seed.petition_texts import GIVEN, MATTERS, STREETS, SURNAMES, Matter
from hotline.services import handling, petitions, sla

KEY_PREFIX = "demo-petition-"
L, V, P, W, F = Channel.LETTER, Channel.VISIT, Channel.PHONE, Channel.WEB, Channel.FAX


@dataclass(frozen=True)
class Plan:
    matter: str
    path: str  # see _steps
    days_ago: int  # received, in local days before today
    channel: Channel = Channel.LETTER
    group: int = 1  # how many came (Art. 20)
    listed: int = 1  # of them, written down as petitioners
    representatives: int = 0
    major: bool = False
    first_organ: str = ""  # where it went first, when an objection sent it on
    same_person_as: int | None = None  # index of an earlier plan: the same petitioner again (Art. 19)
    review_outcome: str = "uphold"


PLANS: tuple[Plan, ...] = (
    Plan("demolition", "final", 175, L),
    Plan("property-fee", "hearing", 125, V, group=6, listed=5, representatives=2),
    Plan("illegal-build", "re_reviewing", 100, L),
    Plan("leak", "reviewed", 90, W, review_outcome="change"),
    Plan("resettle", "reviewing", 62, V),
    Plan("demolition", "revoked", 95, L, review_outcome="revoke"),
    Plan("property-fee", "final_direct", 160, L),
    Plan("wages", "accepted", 20, V, group=32, listed=5, representatives=5, major=True),
    Plan("medical", "decided", 45, L),
    Plan("pension", "extended", 70, L),
    Plan("reimburse", "late", 80, W),
    Plan("dibao", "lapsed", 100, V),
    Plan("injury", "accepted", 62, L),
    Plan("injury", "accepted", 68, F),
    Plan("village", "not_accepted", 30, V),
    Plan("land", "reviewing", 75, V, group=8, listed=5, representatives=3),
    Plan("prepaid", "forwarded", 13, V, group=12, listed=5, representatives=3),
    Plan("factory-smell", "objected", 7, P),
    Plan("demolition", "forwarded", 17, L, same_person_as=5),
    Plan("leak", "forwarded", 4, W),
    Plan("reimburse", "registered", 1, W),
    Plan("land", "registered", 13, L),
    Plan("pension", "registered", 16, F),
    Plan("wages", "referred", 20, P),
    Plan("injury", "withdrawn", 40, L),
    Plan("illegal-build", "reforwarded", 25, P, first_organ="dh-glj"),
    Plan("factory-smell", "objection_refused", 30, W),
    Plan("medical", "extension_pending", 56, L),
    Plan("resettle", "decided", 40, L),
    Plan("village", "accepted", 40, V),
    Plan("bus", "decided", 60, W),
    Plan("elevator", "accepted", 30, L),
    Plan("park", "decided", 110, W),
    Plan("canteen", "forwarded", 5, P),
    Plan("bribe", "decided", 90, L),
    Plan("violent", "accepted", 30, V),
    Plan("bribe", "forwarded", 10, L),
    Plan("housing-favour", "extended", 75, L),
    Plan("food-factory", "late", 85, W),
    Plan("violent", "registered", 2, L),
)


def _steps(plan: Plan, m: Matter, organ: str) -> list[tuple[float, str, str, dict]]:
    """(days after receipt, who, action, fields) of the plan's path; "@code" in a field is that department."""
    staff, review, re_review = f"{organ}-staff", m.review, m.re_review
    outcome = ("explain" if m.answer.startswith("予以解释说明") else "reject" if m.answer.startswith("不予支持")
               else "support")
    answer = {"outcome": outcome, "facts": m.found, "basis": m.basis, "text": m.answer}
    forward = (1, "dispatcher", "forward", {"organ_id": f"@{organ}", "note": "请依法按期办理并告知信访人。",
                                            "forwarding": "assign" if plan.major else "forward"})
    accept = (5, staff, "accept", {"decision": "accept", "note": "已受理，将依法调查处理。"})
    decided = [forward, accept, (35, staff, "decide", answer)]
    reviewed = [*decided, (45, "operator", "request-review",
                           {"organ_id": f"@{review}", "note": "对处理意见不服，请求复查。"}),
                (70, f"{review}-staff", "decide-review",
                 {"outcome": plan.review_outcome, "facts": "经复查，原处理意见认定的主要事实清楚。",
                  "basis": "《信访工作条例》第三十五条",
                  "text": {"uphold": "维持原处理意见。", "change": "变更原处理意见，责令于15日内落实整改。",
                           "revoke": "撤销原处理意见，由复查机关重新办理。"}[plan.review_outcome]})]
    re_reviewing = [*reviewed, (85, "operator", "request-re-review",
                                {"organ_id": f"@{re_review}", "note": "请求复核。"})]
    final = {"outcome": "uphold", "facts": "经复核，复查意见认定事实清楚、适用依据正确。",
             "basis": "《信访工作条例》第三十六条", "text": "维持复查意见。本复核意见为最终意见。"}
    hearing = (92, f"{re_review}-staff", "start-hearing", {"note": "邀请信访人、相关部门及人大代表举行听证。"})
    paths = {
        "registered": [],
        "referred": [(1, "dispatcher", "refer", {"legal_route": "arbitration",
                                                 "note": "劳动争议请向江川市劳动人事争议仲裁委员会申请仲裁。"})],
        "forwarded": [forward],
        "objected": [forward, (3, staff, "object", {"reason": "该企业位于工业园区，环境监管属市生态环境局直管。"})],
        "objection_refused": [forward, (2, staff, "object", {"reason": "该事项属市级部门职责。"}),
                              (3, "dispatcher", "decide-objection",
                               {"decision": "refuse", "note": "属地监管职责明确，请依法办理。"}),
                              (6, staff, "accept", {"decision": "accept", "note": ""})],
        "reforwarded": [(1, "dispatcher", "forward", {"organ_id": f"@{plan.first_organ}", "forwarding": "forward"}),
                        (2, f"{plan.first_organ}-staff", "object", {"reason": "违法建设查处属区城管执法局职责。"}),
                        (4, "dispatcher", "decide-objection", {"decision": "uphold"}),
                        (4.1, "dispatcher", "forward", {"organ_id": f"@{organ}", "forwarding": "forward"}),
                        (8, staff, "accept", {"decision": "accept", "note": ""})],
        "accepted": [forward, accept],
        "not_accepted": [forward, (7, staff, "accept", {"decision": "refer", "legal_route": "administrative_review",
                                                        "note": "对补偿决定不服，可依法申请行政复议。"})],
        "extension_pending": [forward, accept, (50, staff, "request-extension",
                                                {"days": 30, "reason": "需委托第三方鉴定机构出具意见。"})],
        "extended": [forward, accept, (48, staff, "request-extension",
                                       {"days": 30, "reason": "涉及多个部门，需联合调查核实。"}),
                     (49, f"{organ}-head", "decide-extension", {"decision": "approve"})],
        "decided": decided,
        "late": [forward, accept, (68, staff, "decide", answer)],
        "withdrawn": [forward, accept, (20, "operator", "withdraw", {"note": "双方已自行和解，信访人申请撤回。"})],
        "lapsed": [forward, accept, (28, staff, "decide", answer), (70, "supervisor", "close", {"note": ""})],
        "reviewing": decided[:] + [reviewed[3]],
        "revoked": reviewed,
        "reviewed": reviewed,
        "re_reviewing": re_reviewing,
        "hearing": [*re_reviewing, hearing],
        "final": [*re_reviewing, hearing, (94, f"{re_review}-staff", "end-hearing", {"note": ""}),
                  (105, f"{re_review}-staff", "decide-re-review", final)],
        "final_direct": [*re_reviewing, (100, f"{re_review}-staff", "decide-re-review", final)],
    }
    return paths[plan.path]


@dataclass
class Tally:
    petitions: int = 0
    steps: int = 0
    already: bool = False
    states: Counter = field(default_factory=Counter)


class SeedRefused(RuntimeError):
    pass


def present(session: Session) -> bool:
    return session.scalar(select(Case.id).where(Case.submission_key.like(f"{KEY_PREFIX}%")).limit(1)) is not None


def seed_petitions(session: Session, now: datetime, timezone: str) -> Tally:
    if present(session):
        return Tally(already=True)
    if session.scalar(select(User.id).where(User.username == "dispatcher")) is None:
        raise SeedRefused("the demo city is not loaded: run `flask hotline seed-demo` first")
    seeder = _Seeder(session, now, timezone)
    tally = Tally()
    try:
        for index, plan in enumerate(PLANS):
            tally.steps += seeder.live(index, plan)
            tally.petitions += 1
    finally:
        seeder.close()
    tally.states = Counter(session.scalars(select(Case.state).where(Case.submission_key.like(f"{KEY_PREFIX}%"))))
    return tally


class _Seeder:
    def __init__(self, session: Session, now: datetime, timezone: str):
        self.session, self.now, self.timezone = session, now, timezone
        self.zone = ZoneInfo(timezone)
        self.book = sla.book(session, timezone)
        self.matters = {m.key: m for m in MATTERS}
        self.departments = dict(session.execute(select(Department.code, Department.id)).tuples().all())
        self.areas = {a.code: a for a in session.scalars(select(Area))}
        self.users: dict[str, int] = {}
        self.people: dict[int, tuple[PetitionerIn, ...]] = {}
        self._texts: list[tuple[int, datetime]] = []
        self._jobs: list[tuple[int, datetime]] = []
        self._moment: datetime | None = None
        event.listen(SmsMessage, "after_insert", self._queued_text)
        event.listen(OutboxJob, "after_insert", self._queued_job)

    def close(self) -> None:
        event.remove(SmsMessage, "after_insert", self._queued_text)
        event.remove(OutboxJob, "after_insert", self._queued_job)
        self._settle()

    def _queued_text(self, mapper, connection, message: SmsMessage) -> None:
        self._texts.append((message.id, self._moment))

    def _queued_job(self, mapper, connection, job: OutboxJob) -> None:
        if job.job == "deliver_sms":
            self._jobs.append((job.id, self._moment))

    def _settle(self) -> None:
        """The texts went out when they were queued, as the development transport would have sent them."""
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
        self.session.commit()

    def user(self, username: str) -> User:
        if username not in self.users:
            user = self.session.scalar(select(User).where(User.username == username))
            if user is None:
                raise SeedRefused(f"the demo user {username!r} is missing: run `flask hotline seed-demo` first")
            self.users[username] = user.id
        return self.session.get(User, self.users[username])

    def moment(self, received: date, index: int, offset: float) -> datetime:
        """Office hours of the day `offset` days after receipt; a fraction of a day is a later hour that day."""
        days, part = int(offset), offset - int(offset)
        start = datetime.combine(received + timedelta(days=days), time(9, 10), tzinfo=self.zone)
        return (start + timedelta(minutes=(index * 23) % 300 + part * 240 + (30 if days else 0))).astimezone(
            self.now.tzinfo)

    def live(self, index: int, plan: Plan) -> int:
        m = self.matters[plan.matter]
        received = self.now.astimezone(self.zone).date() - timedelta(days=plan.days_ago)
        at = self.moment(received, index, 0)
        steps = _steps(plan, m, m.organ)
        if steps and self.moment(received, index, steps[-1][0]) >= self.now:
            raise SeedRefused(f"plan {index} ({plan.path}) would reach into the future")
        self._moment = at
        new = petitions.NewPetition(
            kind=m.kind, channel=plan.channel, request=m.request, facts=m.facts, reasons=m.reasons,
            petitioners=self.petitioners(index, plan, m), group_size=plan.group,
            area_id=self.areas[m.area].id if m.area in self.areas else None,
            oral=plan.channel in (Channel.VISIT, Channel.PHONE), major=plan.major,
            accused_department_ids=tuple(self.departments[c] for c in m.accused),
            submission_key=f"{KEY_PREFIX}{index}")
        ctx = petitions.Context(now=at, timezone=self.timezone, book=self.book)
        number = petitions.register(self.session, new, ctx, self.user("operator")).number
        for offset, who, action, fields in steps:
            self._moment = when = self.moment(received, index, offset)
            fields = {k: self.departments[v[1:]] if isinstance(v, str) and v.startswith("@") else v
                      for k, v in fields.items()}
            handling.act(self.session, number, action, self.user(who), fields,
                         handling.Context(now=when, timezone=self.timezone, book=self.book))
        return len(steps)

    def petitioners(self, index: int, plan: Plan, m: Matter) -> tuple[PetitionerIn, ...]:
        if plan.same_person_as is not None:
            return self.people[plan.same_person_as]
        area = self.areas.get(m.area)
        place = f"江川市{area.parent.name if area and area.parent else ''}{area.name if area else ''}"
        people = []
        for n in range(plan.listed):
            k = index * 7 + n
            name = SURNAMES[k * 5 % len(SURNAMES)] + GIVEN[(k * 3 + index) % len(GIVEN)]
            people.append(PetitionerIn(
                name=name, id_number=_id_number(index, n), phone=f"+861390{index:03d}{(n * 1379 + 2024) % 10000:04d}",
                address=f"{place}{STREETS[k % len(STREETS)]}{(k * 13) % 180 + 1}号",
                representative=n < plan.representatives))
        self.people[index] = tuple(people)
        return self.people[index]


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(index: int, n: int) -> str:
    """A well-formed ID number (GB 11643) of a region code no real place has (999…): plainly made up."""
    born = date(1950, 1, 1) + timedelta(days=(index * 977 + n * 389) % 18000)
    body = f"99901{index % 10}{born:%Y%m%d}{(index * 10 + n) % 1000:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]
